"""The production shape on loopback: gunicorn, a Celery worker, Celery beat, PostgreSQL, Redis.

The processes are the ones docker-compose.yml runs (``bin/serve web|worker|
beat|migrate``) with DJANGO_ENV=production, started here on free ports with
their own PostgreSQL cluster and Redis server, so the tests may stop and
restart those. Then, through HTTP: a smoke test of the core flow (log in,
screen, submit, review, decide, dispatch, the e-mail, a beat-scheduled job),
Redis stopped under load, PostgreSQL restarted under load, and a backup
restored into a scratch database, counted table by table.
"""

from __future__ import annotations

import secrets
import subprocess
import threading
import time
import uuid
from pathlib import Path

import psycopg
import pytest

from tests.faults import (
    Browser,
    PostgresCluster,
    Process,
    RedisServer,
    SmtpSink,
    base_env,
    free_port,
    require,
    wait_for,
)
from tests.figures import record
from tests.fixtures_gate import request_data

pytestmark = pytest.mark.faults

PASSWORD = "Demo-2026-jianfu"  # seed_demo's demo logins
COUNTY = "150223000000"  # 达尔罕茂明安联合旗
REVIEWERS = ("reviewer_org", "reviewer_civil", "reviewer_agri")
SWEEP_EVERY = 2  # seconds: the test's beat entry for the gate sweep (production: every 30 minutes)

SETUP = f"""
from django.db.models import Value
from django.db.models.functions import Concat
from django_celery_beat.models import IntervalSchedule, PeriodicTask
from organisations.models import User
User.objects.update(email=Concat("username", Value("@example.gov.cn")))
# The test signs the approver in several times a minute: a code is used once, so later
# sign-ins use the following time steps, which a tolerance of 20 steps accepts.
from django_otp.plugins.otp_totp.models import TOTPDevice
TOTPDevice.objects.update(tolerance=20)
every, _ = IntervalSchedule.objects.get_or_create(every={SWEEP_EVERY}, period=IntervalSchedule.SECONDS)
PeriodicTask.objects.update_or_create(
    name="faults: gate sweep", defaults={{"task": "gate.tasks.gate_sweep_task", "interval": every}}
)
"""

TOTP_KEYS = """
from django_otp.plugins.otp_totp.models import TOTPDevice
for d in TOTPDevice.objects.filter(confirmed=True).select_related("user"):
    print("TOTP", d.user.username, d.key)
"""


class Stack:
    def __init__(self, base: Path):
        self.base = base
        self.pg = PostgresCluster()
        self.pg.run("createdb", "villageburden")
        self.redis = RedisServer(base)
        self.sink = SmtpSink()
        self.port = free_port()
        self.env = base_env(
            DJANGO_ENV="production",
            SECRET_KEY=secrets.token_urlsafe(50),
            PERSONAL_DATA_KEY=secrets.token_urlsafe(32),
            ALLOWED_HOSTS="127.0.0.1",
            DATABASE_URL=self.pg.url("villageburden"),
            REDIS_URL=self.redis.url,
            EMAIL_URL=self.sink.url,
            STATIC_ROOT=str(base / "static"),
            MEDIA_ROOT=str(base / "media"),
            BIND=f"127.0.0.1:{self.port}",
            WEB_WORKERS="2",
            WORKER_CONCURRENCY="1",
            WEB_TIMEOUT="30",
        )
        self.processes: list[Process] = []
        self._steps: dict[str, int] = {}
        self._steps_lock = threading.Lock()

    def manage(self, *args: str) -> subprocess.Popen:
        log = (self.base / f"manage-{args[0]}.log").open("w")
        return subprocess.Popen(
            ["python", "manage.py", *args],
            env=self.env,
            cwd=self.base_dir,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    @property
    def base_dir(self) -> Path:
        from tests.faults import ROOT

        return ROOT

    def start(self) -> None:
        # collectstatic (the image does it at build) while the migrations run.
        static = self.manage("collectstatic", "--noinput")
        migrate = Process("migrate", self.env, self.base)
        assert migrate.proc.wait(timeout=600) == 0, migrate.tail()
        seed = self.manage("seed_demo")
        assert seed.wait(timeout=600) == 0, (self.base / "manage-seed_demo.log").read_text()[-2000:]
        assert self.manage("shell", "-c", SETUP).wait(timeout=120) == 0, (
            self.base / "manage-shell.log"
        ).read_text()[-2000:]
        assert static.wait(timeout=600) == 0, (self.base / "manage-collectstatic.log").read_text()[-2000:]
        self.web = Process("web", self.env, self.base)
        self.worker = Process("worker", self.env, self.base)
        self.beat = Process("beat", self.env, self.base)
        self.processes = [self.web, self.worker, self.beat]
        wait_for(lambda: " ready." in self.worker.log.read_text(), timeout=300, what="the Celery worker")
        wait_for(lambda: self.healthy() == 200, timeout=300, what="gunicorn to answer /healthz")

    def healthy(self) -> int:
        try:
            return Browser(self.port, timeout=10).get("/healthz")[0]
        except OSError:
            return 0

    def totp_keys(self) -> dict[str, bytes]:
        """The stack's own enrolled authenticators (production asks approvers for a second factor)."""
        out = subprocess.run(
            ["python", "manage.py", "shell", "-c", TOTP_KEYS],
            env=self.env,
            cwd=self.base_dir,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        ).stdout
        # Only the marked lines: the shell may print start-up messages too.
        rows = (line.split() for line in out.splitlines() if line.startswith("TOTP "))
        return {u: bytes.fromhex(k) for _mark, u, k in rows}

    def browser(self, username: str) -> Browser:
        with self._steps_lock:
            if not hasattr(self, "_totp_keys"):
                self._totp_keys = self.totp_keys()
            key = self._totp_keys.get(username)
            code = None
            if key is not None:
                from django_otp.oath import hotp

                # Never the same time step twice for one user (django-otp refuses a replayed code).
                step = max(int(time.time()) // 30, self._steps.get(username, -1) + 1)
                self._steps[username] = step
                code = f"{hotp(key, step):06d}"
        b = Browser(self.port)
        b.login(username, PASSWORD, totp_code=code)
        return b

    def stop(self) -> None:
        for p in self.processes:
            p.stop()
        self.redis.stop()
        self.pg.remove()
        self.sink.close()

    def outbox_row(self, subject: str) -> None:
        """A notification only the sweep sends: nothing enqueued its e-mail (as if Redis had been down)."""
        self.pg.sql(
            "villageburden",
            "INSERT INTO notifications_notification (user_id, kind, target_type, target_id, target_url, subject, body, "
            "dedupe_key, created, email_attempts) "
            f"SELECT id, 'reminder', '', '', '', '{subject}', '', '', now(), 0 FROM organisations_user "
            "WHERE username = 'township'",
        )

    def swept(self, subject: str) -> bool:
        """The beat-scheduled sweep ran on the worker: it e-mailed the row."""
        return mails_about(self, subject) > 0


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    require(postgres=True, redis=True, binaries=("redis-server", "initdb", "pg_ctl", "pg_dump"))
    s = Stack(tmp_path_factory.mktemp("stack"))
    try:
        s.start()
        yield s
    finally:
        s.stop()


def new_request(title: str) -> dict:
    data = {
        k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in request_data(title=title).items()
    }
    return {**data, "division": COUNTY[:6]}


def core_flow(people: dict[str, Browser], title: str, statuses: list[int] | None = None) -> dict:
    """Screen, file, submit, review three times, approve, dispatch; every status into ``statuses``."""
    seen = statuses if statuses is not None else []

    def call(who: str, path: str, body: dict | None = None, want: int = 200) -> dict:
        status, data = people[who].post(path, body) if body is not None else people[who].get(path)
        seen.append(status)
        assert status == want, (who, path, status, str(data)[:500])
        return data

    screening = call(
        "submitter",
        "/api/v1/screenings/",
        {"division": COUNTY, "title": title, "description": "协助开展义务植树", "village_role": "assist"},
    )
    assert screening["verdict"] in ("listed", "review", "flag"), screening
    pk = call("submitter", "/api/v1/access-requests/", new_request(title), want=201)["id"]
    assert call("submitter", f"/api/v1/access-requests/{pk}/submit/", {})["status"] == "in_review"
    for name in REVIEWERS:
        call(name, f"/api/v1/access-requests/{pk}/review/", {"opinion": "agree", "reason": "同意"})
    decided = call(
        "approver", f"/api/v1/access-requests/{pk}/decide/", {"outcome": "approve", "reason": "同意准入"}
    )
    assert decided["status"] == "approved"
    dispatched = call("submitter", f"/api/v1/access-requests/{pk}/dispatch/", {})
    assert dispatched["created"] > 0
    return {"id": pk, "created": dispatched["created"]}


def people(stack: Stack) -> dict[str, Browser]:
    return {name: stack.browser(name) for name in ("submitter", *REVIEWERS, "approver", "township")}


def mails_about(stack: Stack, title: str) -> int:
    return sum(1 for m in stack.sink.messages if title in _decoded(m))


def _decoded(message: str) -> str:
    from email import message_from_string
    from email.header import decode_header, make_header

    parsed = message_from_string(message)
    return str(make_header(decode_header(parsed.get("Subject", ""))))


def smoke_through_the_production_processes(stack):
    title = f"义务植树-{uuid.uuid4().hex[:6]}"
    who = people(stack)
    result = core_flow(who, title)
    status, tasks = who["township"].get("/api/v1/village-tasks/?access_request=" + str(result["id"]))
    assert status == 200 and tasks["results"], tasks
    # The dispatch e-mail went out through Redis and the worker.
    wait_for(lambda: mails_about(stack, title), timeout=60, what="the dispatch e-mail")
    # Celery beat's schedule (from the database) runs the gate sweep on the worker.
    stack.outbox_row(f"{title}-sweep")
    wait_for(lambda: stack.swept(f"{title}-sweep"), timeout=60, what="a beat-scheduled sweep")
    status, page = Browser(stack.port).request("GET", "/public/", form=True)
    assert status == 200 and "达尔罕茂明安联合旗" in page
    record("stack: smoke flow (gunicorn, worker, beat, PostgreSQL, Redis)", "passed")


class Load:
    """Background readers (the health check, two API lists) counting statuses while a fault lasts."""

    def __init__(self, stack: Stack, reader: Browser):
        self.stack = stack
        self.reader = reader
        self.statuses: list[int] = []
        self.errors: list[str] = []
        self.last_503: object = None
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self.run, args=(path,), daemon=True) for path in self.PATHS]

    PATHS = ("/healthz", "/api/v1/access-requests/", "/api/v1/village-tasks/")

    def run(self, path: str) -> None:
        while not self.stopping.is_set():
            try:
                status, body = self.reader.get(path)
            except OSError as exc:  # a hung or dropped request
                self.errors.append(f"{path}: {exc!r}")
                continue
            self.statuses.append(status)
            if status == 503 and path != "/healthz":
                self.last_503 = body

    def __enter__(self) -> Load:
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        for t in self.threads:
            t.join(timeout=60)

    def count(self, status: int) -> int:
        return self.statuses.count(status)


def unsent(stack: Stack, titles: list[str]) -> int:
    """Notifications of these requests not e-mailed yet (every demo user has an address)."""
    quoted = ", ".join(f"'{t}'" for t in titles)
    return int(
        stack.pg.sql(
            "villageburden",
            "SELECT count(*) FROM notifications_notification n JOIN gate_accessrequest r "
            "ON n.target_type = 'gate.accessrequest' AND n.target_id = r.id::text "
            f"WHERE n.emailed_at IS NULL AND r.title IN ({quoted})",
        )
    )


def redis_stopped_under_load(stack):
    """With Redis down the flows answer without a 5xx; the outbox is e-mailed once Redis is back."""
    who = people(stack)
    titles = [f"断网演练-{uuid.uuid4().hex[:6]}" for _ in range(2)]
    stack.redis.stop()
    statuses: list[int] = []
    try:
        with Load(stack, who["submitter"]) as load:
            flows = [
                threading.Thread(target=core_flow, args=(people(stack), title, statuses), daemon=True)
                for title in titles
            ]
            for t in flows:
                t.start()
            for t in flows:
                t.join(timeout=240)
        assert len(statuses) == 2 * 8, "both flows must finish"
        assert all(s < 500 for s in statuses + load.statuses), sorted(set(statuses + load.statuses))
        assert not load.errors, load.errors[:3]
        pending = unsent(stack, titles)
        assert pending > 0, "notifications wait in the outbox while Redis is down"
        assert not any(mails_about(stack, t) for t in titles)
    finally:
        stack.redis.start()
    # Beat and the worker reconnect; the sweep e-mails what queued.
    wait_for(lambda: unsent(stack, titles) == 0, timeout=180, what="the outbox to be e-mailed")
    assert all(mails_about(stack, t) for t in titles)
    sent = pending - unsent(stack, titles)
    answered = statuses + load.statuses
    record("faults: Redis down, requests / 5xx", f"{len(answered)} / {sum(s >= 500 for s in answered)}")
    record("faults: Redis down, outbox e-mails sent after it returned", f"{sent} (of {pending} queued)")


def postgres_restarted_under_load(stack):
    """While PostgreSQL restarts requests fail fast with a 503 and a message; afterwards they succeed again."""
    who = people(stack)
    web_pid = stack.web.pid
    with Load(stack, who["submitter"]) as load:
        wait_for(lambda: load.count(200) >= 6, timeout=60, what="load before the restart")
        stack.pg.stop()
        try:
            wait_for(lambda: load.count(503) >= 6, timeout=60, what="503s while the database is down")
        finally:
            stack.pg.start()
        served = load.count(200)
        wait_for(lambda: load.count(200) >= served + 6, timeout=90, what="requests to succeed again")
    assert stack.web.alive() and stack.web.pid == web_pid, "gunicorn was not restarted"
    assert not load.errors, load.errors[:3]
    assert load.count(500) == 0 and all(s in (200, 503) for s in load.statuses), sorted(set(load.statuses))
    assert "数据库暂时无法连接" in str(load.last_503)
    # The worker and beat reconnect too: a sweep succeeds after the restart.
    title = f"重启之后-{uuid.uuid4().hex[:6]}"
    stack.outbox_row(f"{title}-sweep")
    wait_for(lambda: stack.swept(f"{title}-sweep"), timeout=90, what="a sweep after the restart")
    # And a write flow works without restarting anything.
    core_flow(people(stack), title)
    record(
        "faults: PostgreSQL restart, requests 200 / 503 / 5xx other",
        f"{load.count(200)} / {load.count(503)} / {len([s for s in load.statuses if s >= 500 and s != 503])}",
    )


def table_counts(conn: psycopg.Connection) -> dict[str, int]:
    tables = [
        row[0]
        for row in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        ).fetchall()
    ]
    return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}  # type: ignore[index]


def backup_restores_with_every_count_equal(stack):
    """pg_dump of the live, seeded database restored into a scratch database: every table, every count."""
    url = stack.pg.url("villageburden").replace("postgres://", "postgresql://")
    dump = stack.base / "villageburden.dump"
    # Count in the very snapshot pg_dump copies (the stack keeps writing meanwhile).
    with psycopg.connect(url) as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]  # type: ignore[index]
        before = table_counts(conn)
        stack.pg.run("pg_dump", "-Fc", f"--snapshot={snapshot}", "-f", str(dump), "villageburden")
        conn.rollback()
    stack.pg.run("createdb", "--locale=C.UTF-8", "-E", "UTF8", "-T", "template0", "restore_check")
    stack.pg.run("pg_restore", "--no-owner", "--exit-on-error", "-d", "restore_check", str(dump))
    with psycopg.connect(stack.pg.url("restore_check").replace("postgres://", "postgresql://")) as conn:
        after = table_counts(conn)
    assert len(before) > 40 and before["gate_accessrequest"] > 0 and before["catalogs_catalogueitem"] > 0
    assert after == before
    record("backup: tables restored with equal counts", f"{len(after)}/{len(before)}")
    record("backup: rows restored", sum(after.values()))


def point_in_time_restore_stops_at_the_target(stack):
    """The README's procedure: base backup, archived WAL, recovery to a time before a later change."""
    pg = stack.pg
    base = pg.home / "base"
    pg.run("pg_basebackup", "-D", str(base), "-Fp", "-X", "stream", "-c", "fast")
    marker = uuid.uuid4().hex[:8]
    stack.outbox_row(f"pitr-before-{marker}")
    target = pg.sql("villageburden", "SELECT now()").strip()
    stack.outbox_row(f"pitr-after-{marker}")
    segment = pg.sql("villageburden", "SELECT pg_walfile_name(pg_switch_wal())").strip()
    wait_for(lambda: (pg.archive / segment).exists(), timeout=60, what="the WAL segment to be archived")

    with (base / "postgresql.auto.conf").open("a") as conf:
        conf.write(
            f"restore_command = 'cp {pg.archive}/%f %p'\n"
            f"recovery_target_time = '{target}'\n"
            "recovery_target_action = 'promote'\n"
        )
    (base / "recovery.signal").touch()
    restored = PostgresCluster.existing(base, archive=False)
    try:
        wait_for(
            lambda: restored.sql("villageburden", "SELECT NOT pg_is_in_recovery()").strip() == "t",
            timeout=120,
            what="recovery to reach the target and promote",
        )
        subjects = restored.sql(
            "villageburden",
            f"SELECT subject FROM notifications_notification WHERE subject LIKE 'pitr-%-{marker}'",
        ).split()
    finally:
        restored.remove()
    assert subjects == [f"pitr-before-{marker}"]
    before, after = (subjects.count(f"pitr-{when}-{marker}") for when in ("before", "after"))
    record("backup: point-in-time restore, changes kept before / after the target", f"{before} / {after}")


def test_production_shape_through_faults(stack):
    """One test, so that one stack serves every step (pytest-xdist would otherwise start one per worker).

    The order matters only for speed: each step leaves every service running.
    """
    smoke_through_the_production_processes(stack)
    backup_restores_with_every_count_equal(stack)
    point_in_time_restore_stops_at_the_target(stack)
    redis_stopped_under_load(stack)
    postgres_restarted_under_load(stack)
