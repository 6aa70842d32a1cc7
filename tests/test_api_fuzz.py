"""Schemathesis over every operation of the OpenAPI schema, as a portal and as a township user.

Every generated request must answer without a server error, with a body that
matches the schema and a content type the schema names. The run is bounded
(``MAX_EXAMPLES`` per operation and caller) and deterministic (Hypothesis
derandomised: the same cases every run), so it fits CI on two cores; the
counts go to CI's figure table.
"""

from __future__ import annotations

import base64

import hypothesis
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from hypothesis import HealthCheck, Phase
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from organisations.services import portal_client_create

from .figures import record

MAX_EXAMPLES = 12
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


def portal_headers(client, world) -> dict[str, str]:
    _user, client_id, secret = portal_client_create(
        organisation=world.orgs["portal"], name="fuzz portal", scopes=["read", "screen", "submit"]
    )
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    response = client.post(
        "/o/token/",
        {"grant_type": "client_credentials", "scope": "read screen submit"},
        HTTP_AUTHORIZATION=f"Basic {basic}",
    )
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def session_auth(client, user) -> tuple[dict[str, str], dict[str, str]]:
    """The browser's way in: a session cookie, and the CSRF token in cookie and header."""
    client.force_login(user)
    csrf = _get_new_csrf_string()
    return {"X-CSRFToken": csrf}, {"sessionid": client.cookies["sessionid"].value, "csrftoken": csrf}


def fuzz_operation(operation, headers, cookies, failures: list[str]) -> int:
    """Send MAX_EXAMPLES generated cases to one operation; return how many were sent."""
    sent = 0

    @hypothesis.settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @hypothesis.given(case=operation.as_strategy())
    def run(case):
        nonlocal sent
        sent += 1
        response = case.call(headers=headers, cookies=cookies)
        try:
            case.validate_response(response, checks=CHECKS)
        except Exception as exc:  # a FailureGroup: keep going, report them all at the end
            failures.append(f"{operation.label}: {case.as_curl_command()}\n{exc}"[:1500])

    run()
    return sent


def fuzz(schema, headers, cookies=None) -> tuple[int, int, list[str]]:
    """Run every operation; return (operations, cases, failures)."""
    operations = cases = 0
    failures: list[str] = []
    for result in schema.get_all_operations():
        operations += 1
        cases += fuzz_operation(result.ok(), headers, cookies, failures)
    return operations, cases, failures


@pytest.fixture
def wsgi_schema(transactional_db):
    # As Django's test client does: requests in this test share its database connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.parametrize("caller", ["portal", "township"])
def test_every_operation_answers_within_its_schema(wsgi_schema, world, make_request, client, caller):
    # Requests in several states, so lists and details have real rows (a draft has no verdict yet).
    for state in ("draft", "in_review", "approved"):
        make_request(state=state, user="portal" if caller == "portal" else "submitter")
    if caller == "portal":
        headers, cookies = portal_headers(client, world), None
    else:
        headers, cookies = session_auth(client, world.user(caller))
    operations, cases, failures = fuzz(wsgi_schema, headers, cookies)
    record(f"schemathesis ({caller}): operations", operations)
    record(f"schemathesis ({caller}): cases", cases)
    record(f"schemathesis ({caller}): server errors + schema violations", len(failures))
    assert operations >= 20
    assert not failures, f"{len(failures)} failures:\n" + "\n\n".join(failures[:10])
