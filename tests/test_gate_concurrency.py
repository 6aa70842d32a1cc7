"""Concurrent decisions and dispatches on one request (PostgreSQL: real row locks)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from gate import services
from gate.exceptions import GateError
from gate.models import Decision, VillageTask

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def _race(*calls):
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, fn):
        from django.db import connection as conn

        try:
            barrier.wait()
            results[i] = fn()
        except Exception as exc:  # collected and asserted on below
            results[i] = exc
        finally:
            conn.close()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_concurrent_decisions_leave_exactly_one(world, make_request):
    req = make_request("awaiting_decision")
    approver = world.user("approver")
    results = _race(
        lambda: services.access_request_decide(
            user=approver, request_id=req.pk, outcome="approve", reason="同意"
        ),
        lambda: services.access_request_decide(
            user=approver, request_id=req.pk, outcome="reject", reason="不同意"
        ),
        lambda: services.access_request_decide(
            user=approver, request_id=req.pk, outcome="return", reason="补充"
        ),
    )
    errors = [r for r in results if isinstance(r, GateError)]
    assert len(errors) == 2 and all(e.status == 409 for e in errors), results
    assert Decision.objects.filter(request=req).count() == 1


def test_concurrent_dispatches_create_each_task_once(world, make_request):
    req = make_request("approved")
    submitter, approver = world.user("submitter"), world.user("approver")
    results = _race(
        lambda: services.access_request_dispatch(user=submitter, request_id=req.pk),
        lambda: services.access_request_dispatch(user=approver, request_id=req.pk),
    )
    assert not any(isinstance(r, Exception) for r in results), results
    assert sorted(r.created for r in results) == [0, 3]
    assert VillageTask.objects.filter(access_request=req).count() == 3


def test_concurrent_reviews_by_one_department_record_one_opinion(world, make_request):
    req = make_request("in_review")
    reviewer = world.user("reviewer_org")
    results = _race(
        lambda: services.access_request_review(user=reviewer, request_id=req.pk, opinion="agree", reason="a"),
        lambda: services.access_request_review(
            user=reviewer, request_id=req.pk, opinion="disagree", reason="b"
        ),
    )
    assert sum(isinstance(r, GateError) for r in results) == 1
    assert req.opinions.count() == 1
