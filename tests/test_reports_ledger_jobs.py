"""A ledger past the row threshold is written by a worker after commit, its progress shown, then downloaded."""

from __future__ import annotations

import pytest
from django.utils import timezone

from reports import ledger
from reports.models import LedgerJob
from reports.tasks import ledger_build_task

from .test_reports import XLSX, _ledger, _records, _sheets

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_threshold(monkeypatch):
    monkeypatch.setattr(ledger, "SYNC_ROWS", 3)


def test_a_ledger_past_the_threshold_is_built_in_the_background_and_downloaded_by_its_requester(
    world, make_request, cert_lists, login, small_threshold, django_capture_on_commit_callbacks
):
    _records(world, make_request)
    today = timezone.localdate()
    approver = login("approver")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _ledger(approver, "150223000000", today)
    job = LedgerJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/reports/ledger/jobs/{job.pk}/"
    assert job.status == "pending" and job.created_by == world.user("approver")
    page = approver.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 1s"' in page and 'data-testid="ledger-job-download"' not in page
    for callback in callbacks:  # the commit: the worker (in-process here) writes it
        callback()
    job.refresh_from_db()
    assert job.status == "done" and job.percent == 100 and job.rows_written > 3
    page = approver.get(f"/reports/ledger/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert 'data-testid="ledger-job-download"' in page and "hx-trigger" not in page
    download = approver.get(f"/reports/ledger/jobs/{job.pk}/ledger.xlsx")
    assert download["Content-Type"] == XLSX
    sheets = _sheets(b"".join(download.streaming_content))
    assert list(sheets) == ["封面", "清单事项", "准入审批", "派发任务", "证明登记", "牌子清单", "牌子整改"]
    assert sorted(r[0] for r in sheets["派发任务"][1:]) == ["150223104200", "150223104201", "150223107200"]
    # Its sheets follow the requester's role: nobody else opens it.
    for other in ("auditor", "outsider"):
        assert login(other).get(f"/reports/ledger/jobs/{job.pk}/").status_code == 404
        assert login(other).get(f"/reports/ledger/jobs/{job.pk}/ledger.xlsx").status_code == 404
    # Delivered twice (a worker restarted): written once.
    name = job.file.name
    ledger_build_task(job.pk)
    job.refresh_from_db()
    assert job.file.name == name


def test_a_small_ledger_is_still_immediate(world, make_request, cert_lists, login):
    _records(world, make_request)
    response = _ledger(login("approver"), "150223000000", timezone.localdate())
    assert response["Content-Type"] == XLSX and not LedgerJob.objects.exists()


def test_with_the_broker_down_the_large_ledger_is_written_in_process(
    world, make_request, cert_lists, login, small_threshold, settings, monkeypatch,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    settings.CELERY_TASK_ALWAYS_EAGER = False

    def down(**kwargs):
        raise ConnectionError("redis down")

    monkeypatch.setattr(ledger_build_task, "apply_async", down, raising=False)
    _records(world, make_request)
    with django_capture_on_commit_callbacks(execute=True):
        response = _ledger(login("approver"), "150223000000", timezone.localdate())
    assert response.status_code == 302
    assert LedgerJob.objects.get().status == "done"
