"""A Celery worker killed mid-task: the task runs again and its effect happens once.

Each test starts a real worker (``bin/serve worker``, as docker-compose runs
it) on its own queue, against this test database and Redis, holds the task
at a point in the middle of its work (a database lock it waits for, an SMTP
server that does not answer), SIGKILLs the pool process running it, lets go,
and checks the outcome: acks_late and reject_on_worker_lost put the task
back on the queue, the worker's new process runs it again, and the task is
idempotent. Needs PostgreSQL and Redis (as in CI).
"""

from __future__ import annotations

import csv
import io
import os
import signal
import uuid
import warnings
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.faults import Process, SmtpSink, base_env, require, test_database_url, wait_for
from tests.figures import record

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

HOLD_LOCK = 15_015  # advisory lock key the held statement waits for


@pytest.fixture
def sink():
    server = SmtpSink()
    yield server
    server.close()


@pytest.fixture
def worker(tmp_path, settings, sink):
    """A real Celery worker on a queue of its own; ``worker.queue``, ``worker.kill_running_task()``."""
    require(postgres=True, redis=True)
    settings.MEDIA_ROOT = str(tmp_path / "media")
    queue = f"faults-{uuid.uuid4().hex[:10]}"
    env = base_env(
        DATABASE_URL=test_database_url(),
        REDIS_URL=settings.REDIS_URL,
        CELERY_QUEUE=queue,
        EMAIL_URL=sink.url,
        MEDIA_ROOT=str(tmp_path / "media"),
        WORKER_CONCURRENCY="1",
    )
    proc = Process(
        "worker", env, tmp_path, "-Q", queue, "-n", f"{queue}@%h", "--without-gossip", "--without-mingle"
    )
    proc.queue = queue  # type: ignore[attr-defined]
    try:
        wait_for(
            lambda: " ready." in proc.log.read_text() or not proc.alive(), timeout=300, what="the worker"
        )
        assert proc.alive(), proc.tail()

        def kill_running_task() -> int:
            (child,) = wait_for(proc.children, timeout=10, what="the worker's pool process")
            os.kill(child, signal.SIGKILL)
            wait_for(lambda: dead(child), timeout=10, what="the killed process to end")
            return child

        proc.kill_running_task = kill_running_task  # type: ignore[attr-defined]
        yield proc
    finally:
        proc.stop()


def dead(pid: int) -> bool:
    """Gone or a zombie: its sockets are closed."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except OSError:
        return True


def send(worker, name: str, *args) -> None:
    from villageburden.celery import app

    with warnings.catch_warnings():  # this process runs its own tasks eagerly; send_task never does
        warnings.simplefilter("ignore")
        app.send_task(name, args=list(args), queue=worker.queue)


def worker_lost(worker) -> bool:
    return "WorkerLostError" in worker.log.read_text() or "SIGKILL" in worker.log.read_text()


def csv_of_items(count: int) -> bytes:
    from catalogs import spreadsheets

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([label for _key, label in spreadsheets.COLUMNS])
    for i in range(1, count + 1):
        values = {
            "code": f"ZZ-{i:04d}",
            "kind": "自治",
            "name": f"村民自治事项{i}",
            "legal_basis": "《中华人民共和国村民委员会组织法》第二条",
            "hours_per_year": 4,
        }
        writer.writerow([values.get(key, "") for key, _label in spreadsheets.COLUMNS])
    return out.getvalue().encode("utf-8")


def test_import_killed_mid_apply_writes_every_item_once(world, worker):
    """The apply writes batches of 2,000 in one transaction; killed while writing the second, it runs again."""
    from audit.models import AuditEvent
    from catalogs import services, spreadsheets
    from catalogs.choices import ImportStatus
    from catalogs.models import CatalogueItem, ImportJob

    rows = 3000
    catalogue = services.catalogue_create(
        division=world.province, name="指导目录", user=world.user("provadmin")
    )
    job = spreadsheets.import_job_create(
        catalogue=catalogue,
        upload=SimpleUploadedFile("清单.csv", csv_of_items(rows)),
        user=world.user("provadmin"),
        background=False,
    )
    spreadsheets.check(job)
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED, job.errors[:3]
    spreadsheets.import_job_confirm(job=job, user=world.user("provadmin"), background=False)

    holder = psycopg.connect(test_database_url().replace("postgres://", "postgresql://"), autocommit=True)
    try:
        # The first row of the second batch waits for a lock this test holds.
        holder.execute(f"SELECT pg_advisory_lock({HOLD_LOCK})")
        holder.execute(
            "CREATE OR REPLACE FUNCTION vb_faults_hold() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN PERFORM pg_advisory_xact_lock_shared({HOLD_LOCK}); RETURN NEW; END $$"
        )
        holder.execute(
            "CREATE TRIGGER vb_faults_hold BEFORE INSERT ON catalogs_catalogueitem FOR EACH ROW "
            "WHEN (NEW.code = 'ZZ-2001') EXECUTE FUNCTION vb_faults_hold()"
        )
        send(worker, "catalogs.import_apply", job.pk)

        def held() -> bool:
            row = holder.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = %s AND NOT granted",
                [HOLD_LOCK],
            ).fetchone()
            return bool(row and row[0])

        wait_for(held, timeout=90, what="the apply to reach its second batch")
        # The first batch is written but not committed: nobody sees half an import.
        assert CatalogueItem.objects.filter(version__catalogue=catalogue).count() == 0
        assert ImportJob.objects.get(pk=job.pk).status == ImportStatus.APPLYING
        worker.kill_running_task()
        holder.execute(f"SELECT pg_advisory_unlock({HOLD_LOCK})")

        wait_for(
            lambda: ImportJob.objects.get(pk=job.pk).status in (ImportStatus.DONE, ImportStatus.FAILED),
            timeout=120,
            what="the import to run again and finish",
        )
    finally:
        holder.execute("DROP TRIGGER IF EXISTS vb_faults_hold ON catalogs_catalogueitem")
        holder.execute("DROP FUNCTION IF EXISTS vb_faults_hold()")
        holder.close()
    job.refresh_from_db()
    assert worker_lost(worker), worker.tail()
    assert job.status == ImportStatus.DONE, job.message
    items = CatalogueItem.objects.filter(version__catalogue=catalogue)
    assert items.count() == rows
    assert items.values("code").distinct().count() == rows
    assert AuditEvent.objects.filter(action="catalogs.import", object_id=str(job.pk)).count() == 1
    # Delivered again after it finished (killed between commit and ack): nothing more happens.
    send(worker, "catalogs.import_apply", job.pk)
    send(worker, "villageburden.record_system_event", "faults.import-marker", str(job.pk))
    wait_for(
        lambda: AuditEvent.objects.filter(action="faults.import-marker").exists(),
        timeout=60,
        what="the worker to take the repeated delivery",
    )
    assert AuditEvent.objects.filter(action="catalogs.import", object_id=str(job.pk)).count() == 1
    assert items.count() == rows
    record("faults: import killed mid-apply, items written once", f"{items.count()}/{rows}")


def emails_to(sink: SmtpSink) -> list[str]:
    return sorted(
        line.split(":", 1)[1].strip()
        for message in sink.messages
        for line in message.splitlines()
        if line.lower().startswith("to:")
    )


def test_dispatch_emails_killed_mid_send_are_sent_once(world, api, make_request, worker, sink, monkeypatch):
    """Killed while the SMTP server had not yet accepted the first message: each is sent once."""
    from notifications.models import Notification
    from villageburden import tasks

    for name in ("township", "township_b"):
        user = world.user(name)
        user.email = f"{name}@example.gov.cn"
        user.save(update_fields=["email"])
    req = make_request("approved")
    queued: list[tuple[str, tuple]] = []
    monkeypatch.setattr(tasks, "enqueue", lambda task, *args, **kw: queued.append((task.name, args)))
    r = api.as_user("submitter").post(f"/api/v1/access-requests/{req.pk}/dispatch/", {}, format="json")
    assert r.status_code == 200, r.content
    ((name, (ids,)),) = [q for q in queued if q[0] == "notifications.tasks.send_notification_emails"]
    assert len(ids) == 2

    sink.hold.set()
    send(worker, name, ids)
    assert sink.holding.wait(90), worker.tail()
    worker.kill_running_task()
    sink.release()
    wait_for(
        lambda: not Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).exists(),
        timeout=90,
        what="the e-mail task to run again",
    )
    assert worker_lost(worker), worker.tail()
    assert emails_to(sink) == ["township@example.gov.cn", "township_b@example.gov.cn"]
    record("faults: dispatch e-mail killed mid-send, messages sent once", f"{len(sink.messages)}/{len(ids)}")


def test_reminder_sweep_killed_mid_run_reminds_once(world, make_request, worker, sink):
    """The beat-scheduled sweep, killed while e-mailing its escalations: one reminder each, one e-mail each."""
    from gate.models import AccessRequest
    from notifications.models import Notification

    recipients = ("reviewer_org", "reviewer_civil", "reviewer_agri", "approver")
    for name in recipients:
        user = world.user(name)
        user.email = f"{name}@example.gov.cn"
        user.save(update_fields=["email"])
    req = make_request("in_review")
    AccessRequest.objects.filter(pk=req.pk).update(review_due=timezone.localdate() - timedelta(days=2))
    Notification.objects.update(emailed_at=timezone.now())  # the submission's own notices are not the point

    sink.hold.set()
    send(worker, "gate.tasks.gate_sweep_task")
    assert sink.holding.wait(90), worker.tail()
    late = Notification.objects.filter(dedupe_key=f"review-late:{req.pk}:{req.round}")
    assert late.count() == len(recipients)
    worker.kill_running_task()
    sink.release()
    wait_for(
        lambda: not late.filter(emailed_at__isnull=True).exists(),
        timeout=90,
        what="the sweep to run again",
    )
    assert worker_lost(worker), worker.tail()
    assert late.count() == len(recipients)
    assert emails_to(sink) == sorted(f"{name}@example.gov.cn" for name in recipients)
    record(
        "faults: reminder sweep killed mid-run, reminders sent once",
        f"{len(sink.messages)}/{len(recipients)}",
    )
