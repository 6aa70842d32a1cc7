"""The weekly report through a real Celery beat and worker on Redis (as in CI).

Beat (``bin/serve beat``, django_celery_beat's DatabaseScheduler, as docker-compose
runs it) reads a periodic task from this test database that fires the weekly run
at once; a worker (``bin/serve worker``) consuming the ``reports`` queue makes the
report. Skipped on the embedded default (SQLite, no Redis); a failure in CI.
"""

from __future__ import annotations

import io
import json
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from tests.faults import Process, base_env, require, test_database_url, wait_for
from tests.figures import record

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_beat_fires_the_weekly_report_and_a_worker_makes_it(world, tmp_path, settings):
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    from documents.services import document_pdf
    from reports import demo, services
    from reports.models import Report

    require(postgres=True, redis=True)
    media = tmp_path / "media"
    settings.MEDIA_ROOT = str(media)
    for row in demo.plan_rows()[:3]:
        services.plan_task_create(user=world.user("keeper"), county=world.county, data=row)
    today = timezone.localdate()
    monday = today + timedelta(days=7 - today.weekday())
    every_second, _created = IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.create(
        name=f"test-weekly-{uuid.uuid4().hex[:8]}",
        task="reports.report_weekly",
        interval=every_second,
        kwargs=json.dumps({"today": monday.isoformat()}),
        one_off=True,
    )
    # Unrouted tasks beat might send meanwhile (the other apps' sweeps) go to a queue nobody reads.
    stray = f"stray-{uuid.uuid4().hex[:8]}"
    env = base_env(
        DATABASE_URL=test_database_url(),
        REDIS_URL=settings.REDIS_URL,
        CELERY_QUEUE=stray,
        MEDIA_ROOT=str(media),
        WORKER_CONCURRENCY="1",
        EMAIL_URL="consolemail://",
    )
    worker = Process(
        "worker", env, tmp_path, "-Q", "reports", "-n", f"reports-{stray}@%h", "--without-gossip"
    )
    beat = Process("beat", env, tmp_path, "--pidfile=", "--max-interval=1")
    try:
        report = wait_for(
            lambda: (
                Report.objects.filter(division=world.county, document__isnull=False).first()
                or (not worker.alive() and "worker died")
                or (not beat.alive() and "beat died")
            ),
            timeout=240,
            what="the weekly report from beat and the worker",
        )
        assert isinstance(report, Report), f"{report}\n{worker.tail()}\n{beat.tail()}"
    finally:
        beat.stop()
        worker.stop()
    assert report.kind == "weekly" and report.period_end == monday - timedelta(days=1)
    assert "reports.report_weekly" in beat.log.read_text()
    text = "".join(
        "".join(
            p.extract_text() for p in PdfReader(io.BytesIO(document_pdf(document=report.document))).pages
        ).split()
    )
    assert "村（社区）减负工作周报告" in text and "任务分工：未启动3" in text
    assert report.xlsx and (media / report.xlsx.name).exists()
    record("reports made by beat + worker", Report.objects.count())
