"""Every registered list endpoint and page costs the same queries with 1 row or 4 (no N+1 anywhere).

Walks the permission suite's registry (tests/permissions.py: every scoped API
collection and list page), reads the list as the provincial administrator
(or, where the rows are an owner's own, the first who must see them), then makes three more sets
of objects and reads it again: the page holds more rows, the number of
queries must not change. Per-endpoint tests (the register's cursor pages,
the event feed at any depth, the division API's page sizes) go deeper; this
one makes sure no endpoint is left out.
"""

import importlib
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .permissions import REGISTRY

for module in sorted(Path(__file__).parent.glob("endpoints_*.py")):
    importlib.import_module(f"tests.{module.stem}")


def _rows(response, endpoint, objects):
    if endpoint.api:
        data = response.json()
        rows = data["results"] if isinstance(data, dict) and "results" in data else data
        seen = {str(v) for row in rows for v in row.values()}
    else:
        seen = response.content.decode()
    return sum(endpoint.row_id(obj) in seen for obj in objects)


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return response, len(queries)


# Endpoints whose objects cannot be made a second time, with the reason (their
# lists are covered by the per-endpoint tests named, or not at all: say so).
ONCE = {
    "api-plaque-rules": "one draft rule set per province (ruleset_one_draft): not covered yet",
    "api-plaque-rulesets": "one draft rule set per province (ruleset_one_draft): not covered yet",
    "api-plaque-rectifications": "made from the one draft rule set per province: not covered yet",
    "page-burden-dashboard": "one summary row per division, date and line (burden_summary_once): "
    "tests/test_burden_dashboards.py counts its queries as the data grows",
    "page-burden-rows": "one line's drill-down of one division, made once: not covered yet",
    "page-plan-form": "one task's edit page, not a list",
    "api-plan-tasks": "tasks are numbered once per county (reports_plan_task_number): not covered yet",
    "page-plan": "tasks are numbered once per county (reports_plan_task_number): not covered yet",
    "api-reports": "one report per county and period (reports_one_report_per_period): not covered yet",
    "page-reports": "one report per county and period (reports_one_report_per_period): not covered yet",
    "page-seal-check": "a public check answering one question, not a list of rows",
    "page-ledger-jobs": "a background ledger is its requester's alone (no role sees another's): "
    "tests/test_reports_ledger_jobs.py covers its page",
    "page-seal-coverage": "one province's figure, made once per province: not covered yet",
}


def test_every_exemption_names_a_registered_endpoint():
    assert set(ONCE) <= {e.name for e in REGISTRY}


@pytest.mark.parametrize(
    "endpoint",
    [pytest.param(e, marks=pytest.mark.skip(reason=ONCE[e.name])) if e.name in ONCE else e for e in REGISTRY],
    ids=lambda e: e.name,
)
def test_list_queries_do_not_grow_with_its_rows(endpoint, world, client):
    made = [endpoint.make(world)]
    viewer = "provadmin" if "provadmin" in endpoint.visible_to else endpoint.visible_to[0]
    client.force_login(world.user(viewer))
    url = endpoint.list_url(world)
    client.get(url)  # warm: session, permissions, cached lists
    response, few = _queries(client, url)
    objects = [obj for pair in made for obj in pair]
    shown_few = _rows(response, endpoint, objects)
    made += [endpoint.make(world) for _ in range(3)]
    objects = [obj for pair in made for obj in pair]
    response, many = _queries(client, url)
    shown_many = _rows(response, endpoint, objects)
    assert shown_many > shown_few, f"{endpoint.name}: the page should show the new rows"
    assert many == few, f"{endpoint.name}: {few} queries with {shown_few} rows, {many} with {shown_many}"
