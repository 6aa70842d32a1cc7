"""Summaries refreshed by the task equal the live account; dashboards read them with constant queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from burden import dashboards, selectors
from burden.models import Summary
from burden.summaries import summaries_refresh, summaries_refresh_all, summaries_roll_up
from burden.tasks import summaries_refresh_all_task


def _same(live, kept):
    return [(x.key, x.recorded, x.count, x.hours, x.estimated) for x in live] == [
        (x.key, x.recorded, x.count, x.hours, x.estimated) for x in kept
    ]


def test_summaries_from_the_task_equal_the_live_account(world, small_county):
    summaries_refresh_all_task()  # what beat runs nightly (eager here): today and monthly points
    for division in (world.county, world.township_a, world.township_b, world.province):
        board = dashboards.dashboard(division)
        assert board.on == small_county.today
        live = selectors.account(division, board.on, board.baseline)
        assert _same(live.lines, board.lines), division
        assert (live.totals.count, live.totals.hours) == (board.total.count, board.total.hours)
        if board.baseline:
            assert live.totals.change == board.total.change


def test_refresh_at_the_baseline_gives_the_change(world, small_county):
    summaries_refresh(county=world.county, on=small_county.baseline)
    summaries_refresh(county=world.county, on=small_county.today)
    board = dashboards.dashboard(world.county, small_county.baseline)
    assert board.baseline == small_county.baseline
    assert (board.total.change.count, board.total.change.hours) == (-2, 129.0)
    assert board.figures["tasks:overdue"] == 2 and board.figures["tasks:done"] == 1
    assert board.figures["tasks:pending"] == 3
    assert board.figures["push:达茂旗应急管理局"] == 4
    # Villages of a township ranked by hours a year: A1 carries R2's weekly task.
    ranked = dashboards.children(world.township_a, board.on, None, 5)
    assert [r["code"] for r in ranked] == [world.village_a1.code, world.village_a2.code]
    assert ranked[0]["overdue"] == 1 and ranked[0]["hours"] == 30 / 3 + 6 + 18 + 104 + 2 + 2


def test_roll_up_puts_counties_side_by_side(world, small_county):
    summaries_refresh_all(on=small_county.today, backfill_months=0)
    counties = dashboards.children(world.province, small_county.today, None, 3)
    # The next county records nothing: listed after, as not recorded.
    assert [(r["code"], r["recorded"]) for r in counties] == [
        (world.county.code, True),
        (world.other_county.code, False),
    ]
    assert Summary.objects.get(division=world.province, on=small_county.today, key="_total").count == 13
    assert summaries_roll_up(on=small_county.today) > 0  # idempotent: replaces its rows


def _grow(world, n):
    """``n`` more villages in township A, each with a plaque: more rows, same page."""
    from signage.models import VillagePlaque

    from .factories import village

    for i in range(n):
        v = village(f"150223104{300 + i}", f"新村{i}", world.township_a)
        VillagePlaque.objects.create(village=v, text=f"新村{i}党支部", placement="outside",
                                     recorded_by=world.user("township"))  # fmt: skip


@pytest.mark.parametrize(
    "who,code", [("approver", "county"), ("township", "township_a"), ("provadmin", "province")]
)
def test_queries_per_dashboard_page_do_not_grow_with_the_data(world, small_county, client, who, code):
    division = getattr(world, code)
    client.force_login(world.user(who))
    url = f"/burden/{division.code}/"
    counts = []
    for n in (0, 12):
        _grow(world, n)
        summaries_refresh_all(on=small_county.today, backfill_months=2)
        client.get(url)  # the session's first request loads the user; measure the next one
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_county_dashboard_page_shows_account_charts_and_downloads(world, small_county, client):
    summaries_refresh(county=world.county, on=small_county.baseline)
    summaries_refresh(county=world.county, on=small_county.today)
    client.force_login(world.user("approver"))
    html = client.get(f"/burden/{world.county.code}/").content.decode()
    for slug in ("burden-trend", "burden-lines", "tasks-status", "approvals-age", "pushers"):
        assert f'data-chart="{slug}"' in html, slug
    assert 'data-testid="burden-change"' in html
    assert "未登记" in html  # "not recorded", as the rest of the product says it
    csv = client.get(f"/burden/{world.county.code}/?download=tasks-status&format=csv")
    assert csv["Content-Type"].startswith("text/csv") and "2" in csv.content.decode("utf-8-sig")
    xlsx = client.get(f"/burden/{world.county.code}/?download=burden-lines&format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert client.get(f"/burden/{world.county.code}/?download=nope").status_code == 404
    assert client.get(f"/burden/{world.county.code}/?baseline=not-a-date").status_code == 400


def test_dashboard_without_summaries_says_so(world, client):
    client.force_login(world.user("approver"))
    html = client.get(f"/burden/{world.county.code}/").content.decode()
    assert 'data-testid="no-summaries"' in html


def test_account_and_rows_pages(world, small_county, client):
    client.force_login(world.user("approver"))
    base = small_county.baseline.isoformat()
    html = client.get(f"/burden/{world.county.code}/account/?baseline={base}").content.decode()
    assert "-50.0%" in html and 'data-testid="not-recorded"' in html
    rows = client.get(
        f"/burden/{world.county.code}/account/catalog_autonomy/?baseline={base}"
    ).content.decode()
    assert "ZZ-02 村务公开" in rows.split('data-testid="removed"')[1].split("</ul>")[0]
    assert client.get(f"/burden/{world.county.code}/account/nope/").status_code == 404
    client.force_login(world.user("outsider"))
    assert client.get(f"/burden/{world.county.code}/account/").status_code == 404


def test_api_account_and_rows(world, small_county, api):
    api.force_authenticate(world.user("approver"))
    base = (small_county.today - timedelta(days=200)).isoformat()
    data = api.get(f"/api/v1/burden-accounts/?division={world.county.code}&baseline={base}").json()
    lines = {line["key"]: line for line in data["lines"]}
    assert (
        lines["catalog_autonomy"]["count"] == 3 and lines["catalog_autonomy"]["change"]["count_pct"] == -50.0
    )
    assert lines["mechanisms"]["recorded"] is False and lines["mechanisms"]["count"] is None
    assert data["totals"]["count"] == 13
    own = api.get("/api/v1/burden-accounts/").json()
    assert own["division"]["code"] == world.county.code
    rows = api.get(
        f"/api/v1/burden-accounts/rows/?division={world.county.code}&key=catalog_autonomy&baseline={base}"
    ).json()
    assert [r["what"] for r in rows["removed"]] == ["ZZ-02 村务公开"]
    assert api.get("/api/v1/burden-accounts/rows/?key=nope").status_code == 400
    assert api.get("/api/v1/burden-accounts/?on=tomorrow").status_code == 400
    assert api.get(f"/api/v1/burden-accounts/?division={world.other_county.code}").status_code == 404


@pytest.mark.parametrize("name, opens", [("approver", False), ("reviewer_org", True)])
def test_a_row_links_only_to_a_record_the_reader_may_open(world, file_report, client, api, name, opens):
    """The approver reads the account but not the monitors' reports: no link that would answer 404."""
    report = file_report()
    link = f"/monitoring/reports/{report.pk}/"
    client.force_login(world.user(name))
    html = client.get(f"/burden/{world.county.code}/account/inspections/").content.decode()
    assert "检查或来访" in html
    assert (f'href="{link}"' in html) == opens
    assert client.get(link).status_code == (200 if opens else 404)
    api.force_authenticate(world.user(name))
    rows = api.get(f"/api/v1/burden-accounts/rows/?division={world.county.code}&key=inspections").json()
    assert [r["url"] for r in rows["rows"]] == [link if opens else ""]


def test_an_unknown_line_is_refused_in_chinese(world, api):
    api.force_authenticate(world.user("approver"))
    response = api.get("/api/v1/burden-accounts/rows/?key=nope", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400
    assert response.json()["key"] == ["负担台账中没有这一项。"]


def test_a_rows_basis_is_shown_with_chinese_units(world, file_report, client):
    file_report()  # no hours recorded: the registry's default
    client.force_login(world.user("reviewer_org"))
    html = client.get(f"/burden/{world.county.code}/account/inspections/").content.decode()
    assert "4 小时 （默认值） × 1" in html
    assert "(default)" not in html and "4 h" not in html
