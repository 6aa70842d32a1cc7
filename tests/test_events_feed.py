"""The event feed: what the gate and the catalogue publish, scoped, filtered, paged by a stable cursor."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent
from audit.services import record_event
from catalogs import services as catalogs
from events.selectors import Cursor, feed_page
from gate import services as gate

from .figures import record


def _feed(api, name, query=""):
    response = api.as_user(name).get(f"/api/v1/events/?page_size=500{query}")
    assert response.status_code == 200, response.content[:300]
    return response.json()


def _dispatched(world, make_request):
    """A request the county's portal filed itself, approved, dispatched to A1, and A1's progress."""
    req = make_request("approved", scope=[world.village_a1], scope_kind="villages", user="portal")
    gate.access_request_dispatch(user=world.user("portal"), request_id=req.pk)
    task = req.village_tasks.get()
    gate.village_task_progress(
        user=world.user("township"), task_id=task.pk, status="in_progress", progress=40
    )
    return req, task


def test_the_gate_publishes_each_step_in_order_with_its_object(api, world, make_request):
    req, task = _dispatched(world, make_request)
    page = _feed(api, "portal")
    types = [e["type"] for e in page["results"]]
    assert types == [
        "gate.request.submit",
        "gate.request.review",
        "gate.request.review",
        "gate.request.review",
        "gate.request.approve",
        "gate.request.dispatch",
        "gate.task.progress",
    ]
    approve = page["results"][4]
    assert approve["object"]["url"] == f"http://testserver/api/v1/access-requests/{req.pk}/"
    assert approve["division"] == world.county.code
    assert approve["body"]["status"] == "approved" and approve["body"]["reason"] == "同意准入"
    progress = page["results"][-1]
    assert progress["object"]["url"].endswith(f"/api/v1/village-tasks/{task.pk}/")
    assert progress["body"] == {
        "village": world.village_a1.code,
        "access_request": req.pk,
        "catalogue_item": None,
        "status": "in_progress",
        "progress": 40,
    }
    assert page["next"] is None and page["cursor"] == page["results"][-1]["cursor"]
    # The object URL answers for the same caller.
    assert api.as_user("portal").get(approve["object"]["url"]).status_code == 200


def test_internal_audit_rows_are_not_published(api, world, make_request):
    make_request("draft")  # gate.request.create: internal
    record_event(world.user("portal"), "auth.login")
    assert _feed(api, "portal")["results"] == []
    assert AuditEvent.objects.filter(action="gate.request.create").exists()
    # A registered action can be kept internal by its caller.
    record_event(None, "gate.request.expire", division=world.county, publish=False)
    assert _feed(api, "provadmin")["results"] == []


def test_the_catalogue_publishes_versions_and_decided_proposals(api, world, county_catalogue):
    proposal = catalogs.change_proposal_create(
        catalogue=county_catalogue,
        action="add",
        item_data={"kind": "assist", "name": "协助开展耕地保护巡查", "responsible_department": "自然资源局"},
        proposed_by=world.user("submitter"),
        reason="常态化协助事项",
    )
    catalogs.change_proposal_consult(proposal=proposal, user=world.user("keeper"), opinion="已征求意见")
    catalogs.change_proposal_assess(proposal=proposal, user=world.user("reviewer_civil"), opinion="评估通过")
    catalogs.change_proposal_approve(proposal=proposal, user=world.user("approver"), opinion="同意")
    results = _feed(api, "portal")["results"]
    assert [e["type"] for e in results] == ["catalogs.publish", "catalogs.proposal_approval"]
    published, approved = results
    assert published["object"]["url"].endswith(f"/api/v1/catalogues/{county_catalogue.pk}/")
    assert published["body"]["catalogue"] == county_catalogue.pk
    assert approved["body"] == {"status": "approved", "opinion": "同意"}
    # The province's guidance publication sits at the province: the county's portal does not see it.
    assert len(_feed(api, "provadmin", "&type=catalogs.publish")["results"]) == 2


def test_a_new_app_publishes_with_one_call(api, world):
    record_event(
        world.user("township"),
        "certificates.certificate.refuse",
        division=world.village_a1,
        publish=True,
        body={"number": "ZM-1", "reason": "清单外证明"},
        url="/api/v1/certificates/1/",
    )
    (event,) = _feed(api, "portal")["results"]
    assert event["type"] == "certificates.certificate.refuse"
    assert event["body"] == {"number": "ZM-1", "reason": "清单外证明"}
    assert event["object"]["url"] == "http://testserver/api/v1/certificates/1/"


def test_jurisdiction_type_and_division_filters(api, world, make_request):
    _dispatched(world, make_request)
    assert _feed(api, "outsider")["results"] == []
    # Township staff see their villages' task progress, not the county's requests.
    assert [e["type"] for e in _feed(api, "township")["results"]] == ["gate.task.progress"]
    assert _feed(api, "township_b")["results"] == []
    # Departments follow their own requests only (as on /api/v1/access-requests/).
    assert _feed(api, "submitter")["results"] == []
    assert len(_feed(api, "approver")["results"]) == 7
    only = _feed(api, "portal", "&type=gate.request.approve,gate.task.progress")["results"]
    assert [e["type"] for e in only] == ["gate.request.approve", "gate.task.progress"]
    assert [e["type"] for e in _feed(api, "portal", f"&division={world.township_a.code}")["results"]] == [
        "gate.task.progress"
    ]
    client = api.as_user("portal")
    assert client.get("/api/v1/events/?type=nope").status_code == 400
    assert client.get("/api/v1/events/?division=999999999999").status_code == 400
    assert client.get("/api/v1/events/?after=garbage").status_code == 400


def test_paging_by_cursor_reads_everything_once_and_resumes(api, world):
    for n in range(7):
        record_event(None, "tests.thing.happen", division=world.village_a1, publish=True, body={"n": n})
    client = api.as_user("portal")
    seen, url = [], "/api/v1/events/?page_size=3"
    while url:
        page = client.get(url).json()
        seen += [e["body"]["n"] for e in page["results"]]
        url = page["next"]
    assert seen == list(range(7))
    resume = page["cursor"]
    assert client.get(f"/api/v1/events/?after={resume}").json() == {
        "results": [],
        "next": None,
        "cursor": resume,
    }
    record_event(None, "tests.thing.happen", division=world.village_a1, publish=True, body={"n": 7})
    assert [e["body"]["n"] for e in client.get(f"/api/v1/events/?after={resume}").json()["results"]] == [7]


def test_a_page_costs_the_same_queries_at_any_depth_and_size(api, world):
    for n in range(60):
        record_event(None, "tests.thing.happen", division=world.village_a1, publish=True, body={"n": n})
    client = api.as_user("portal")
    deep = client.get("/api/v1/events/?page_size=50").json()["cursor"]
    counts = {}
    for query in (
        "page_size=5",
        "page_size=50",
        f"page_size=5&after={deep}",
        "page_size=500&type=tests.thing.happen",
    ):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/api/v1/events/?{query}").status_code == 200
        counts[query] = len(ctx.captured_queries)
    # The page itself, plus the visibility horizon on PostgreSQL.
    expected = 2 if connection.vendor == "postgresql" else 1
    assert set(counts.values()) == {expected}, counts
    with CaptureQueriesContext(connection) as ctx:
        client.get(f"/api/v1/events/?division={world.township_a.code}")
    assert len(ctx.captured_queries) == expected + 1  # the division's level
    record("event feed: queries per page", expected)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ids follow commit order on SQLite")
@pytest.mark.django_db(transaction=True)
def test_an_event_committed_late_is_not_skipped(world):
    """Event A is inserted first but commits last: the feed holds B back until A is visible."""
    portal = world.user("portal")
    inserted, release, done = threading.Event(), threading.Event(), threading.Event()
    slow = {}

    def slow_writer():
        try:
            with transaction.atomic():
                slow["event"] = record_event(
                    None, "tests.slow", division=world.village_a1, publish=True, body={"n": "A"}
                )
                inserted.set()
                release.wait(30)
        finally:
            connections.close_all()
            done.set()

    thread = threading.Thread(target=slow_writer)
    thread.start()
    assert inserted.wait(30)
    record_event(None, "tests.fast", division=world.village_a1, publish=True, body={"n": "B"})
    b = AuditEvent.objects.get(action="tests.fast")
    assert slow["event"].pk < b.pk  # A's id is smaller, but it has not committed
    rows, _more = feed_page(portal)
    assert rows == []  # B waits behind A's open transaction rather than being served before it
    release.set()
    assert done.wait(30)
    thread.join()
    rows, _more = feed_page(portal)
    assert [r.action for r in rows] == ["tests.slow", "tests.fast"]
    rows, _more = feed_page(portal, after=Cursor.of(rows[0]))
    assert [r.action for r in rows] == ["tests.fast"]
