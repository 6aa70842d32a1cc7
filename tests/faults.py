"""Real services for the fault tests: a PostgreSQL cluster, a Redis server, an SMTP sink,
the production processes (``bin/serve``), and a small HTTP client.

Each is started on a free loopback port in a temporary directory and stopped
by the test that started it, so a test may stop and restart them at will
without touching the database and broker the rest of the suite uses. Waits are
bounded polls on a condition (``wait_for``), never fixed sleeps.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import socketserver
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SERVE = ROOT / "bin" / "serve"
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def require(*, postgres: bool = True, redis: bool = True, binaries: tuple[str, ...] = ()) -> None:
    """Skip on the embedded default (SQLite, no Redis); in CI a missing service is a failure."""
    missing = []
    if postgres and not ON_POSTGRES:
        missing.append("PostgreSQL (DATABASE_URL)")
    if redis and not settings.REDIS_URL:
        missing.append("Redis (REDIS_URL)")
    for name in binaries:
        if not (shutil.which(name) or (PG_BIN / name).exists()):
            missing.append(name)
    if missing:
        reason = "needs " + ", ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(f"CI runs the fault tests: {reason}")
        pytest.skip(reason)


def wait_for(condition: Callable[[], Any], *, timeout: float, what: str, every: float = 0.05) -> Any:
    """Poll ``condition`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        threading.Event().wait(every)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(cmd: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root (CI runs as root).
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


class PostgresCluster:
    """A throwaway PostgreSQL 15 cluster on a free port (C.UTF-8, fsync off, WAL archived)."""

    def __init__(self, data: Path | None = None, *, archive: bool = True) -> None:
        # Its own directory: the postgres user cannot enter pytest's (root-only) temporary tree.
        base = Path(tempfile.mkdtemp(prefix="vb-faults-pg-"))
        self.home = base
        self.dir = data or base / "pg"
        self.archive = base / "wal-archive"
        self.archiving = archive
        self.port = free_port()
        self.log = base / "pg.log"
        self.archive.mkdir()
        if os.geteuid() == 0:
            shutil.chown(base, "postgres")
            shutil.chown(self.archive, "postgres")
        if data is not None:
            return
        subprocess.run(
            _as_postgres(
                [
                    str(PG_BIN / "initdb"),
                    "-D",
                    str(self.dir),
                    "--locale=C.UTF-8",
                    "-E",
                    "UTF8",
                    "-U",
                    "postgres",
                ]
            ),
            check=True,
            capture_output=True,
        )
        self.start()

    @classmethod
    def existing(cls, data: Path, *, archive: bool = True) -> PostgresCluster:
        """Start a cluster from a data directory already there (a restored base backup)."""
        if os.geteuid() == 0:
            subprocess.run(["chown", "-R", "postgres:postgres", str(data)], check=True)
            data.chmod(0o700)
        cluster = cls(data, archive=archive)
        cluster.start()
        return cluster

    def _ctl(self, *args: str, check: bool = True) -> None:
        subprocess.run(
            _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.dir), *args]),
            check=check,
            capture_output=True,
            timeout=60,
        )

    def start(self) -> None:
        options = (
            f"-k {self.dir.parent} -p {self.port} -c listen_addresses=127.0.0.1 -c fsync=off "
            f"-c synchronous_commit=off -c wal_level=replica "
        )
        if self.archiving:
            options += f"-c archive_mode=on -c archive_command='test ! -f {self.archive}/%f && cp %p {self.archive}/%f'"
        self._ctl("-l", str(self.log), "-w", "-o", options, "start")

    def stop(self) -> None:
        self._ctl("-m", "fast", "-w", "stop", check=False)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.home, ignore_errors=True)

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def run(self, tool: str, *args: str, **kwargs: Any) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(PG_BIN / tool), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", *args],
            check=True,
            capture_output=True,
            text=True,
            **kwargs,
        )

    def sql(self, database: str, query: str) -> str:
        return self.run("psql", "-d", database, "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", query).stdout


class RedisServer:
    """redis-server on a free port, no persistence; stop() and start() at will."""

    def __init__(self, base: Path):
        self.port = free_port()
        self.log = base / "redis.log"
        self.proc: subprocess.Popen | None = None
        self.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        with self.log.open("a") as log:
            self.proc = subprocess.Popen(
                [
                    "redis-server",
                    "--port",
                    str(self.port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_for(self.ping, timeout=20, what="redis-server to answer")

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=20)
        self.proc = None


class SmtpSink:
    """A minimal SMTP server that keeps what it accepted, and can hold a message before accepting it.

    With ``hold`` set, the first message's end of DATA is left unanswered
    (``holding`` is set) until ``release``: the sender is then stuck in the
    middle of sending, where a test can kill it. A message counts as
    delivered only once the server answered ``250`` to it, as in SMTP.
    """

    def __init__(self) -> None:
        self.messages: list[str] = []
        self.hold = threading.Event()
        self.holding = threading.Event()
        self.released = threading.Event()
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            def reply(self, line: str) -> None:
                self.wfile.write(line.encode() + b"\r\n")

            def peer_gone(self) -> bool:
                try:
                    return self.connection.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
                except BlockingIOError:
                    return False
                except OSError:
                    return True

            def handle(self) -> None:
                try:
                    self.converse()
                except OSError:  # the sender was killed mid-conversation
                    return

            def converse(self) -> None:
                self.reply("220 sink")
                while line := self.rfile.readline():
                    verb = line.decode(errors="replace").strip().split(" ")[0].upper()
                    if verb in ("EHLO", "HELO"):
                        self.reply("250 sink")
                    elif verb == "DATA":
                        self.reply("354 go on")
                        body = []
                        while (data := self.rfile.readline()) not in (b".\r\n", b""):
                            body.append(data.decode(errors="replace"))
                        if sink.hold.is_set():
                            sink.holding.set()
                            sink.released.wait(120)
                            if self.peer_gone():
                                return  # never answered 250: not delivered
                        sink.messages.append("".join(body))
                        self.reply("250 queued")
                    elif verb == "QUIT":
                        self.reply("221 bye")
                        return
                    else:  # MAIL, RCPT, RSET, NOOP
                        self.reply("250 ok")

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def release(self) -> None:
        self.hold.clear()
        self.released.set()

    def close(self) -> None:
        self.released.set()
        self.server.shutdown()
        self.server.server_close()


class Process:
    """One ``bin/serve <role>`` process, its output in a log file."""

    def __init__(self, role: str, env: dict[str, str], log_dir: Path, *args: str):
        self.role = role
        self.log = log_dir / f"{role}.log"
        with self.log.open("a") as log:
            self.proc = subprocess.Popen(
                [str(SERVE), role, *args], env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT
            )

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc.poll() is None

    def children(self) -> list[int]:
        try:
            text = Path(f"/proc/{self.pid}/task/{self.pid}/children").read_text()
        except OSError:
            return []
        return [int(p) for p in text.split()]

    def stop(self) -> None:
        if self.alive():
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def base_env(**extra: str) -> dict[str, str]:
    """The environment of a production process: this one's PATH, none of its Django settings."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "VB_FIGURES")}
    env.update({"PYTHONUNBUFFERED": "1", **extra})
    return env


def test_database_url() -> str:
    """The URL of the database this pytest process tests against (for a worker process to share)."""
    from django.db import connection

    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


test_database_url.__test__ = False  # type: ignore[attr-defined]


class Browser:
    """An HTTP client with cookies and CSRF, for a server behind TLS (it sends X-Forwarded-Proto)."""

    def __init__(self, port: int, timeout: float = 30):
        self.port = port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: dict | None = None, *, form: bool = False
    ) -> tuple[int, Any]:
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "X-Forwarded-Proto": "https",
            "Origin": f"https://127.0.0.1:{self.port}",
            "Referer": f"https://127.0.0.1:{self.port}/",
            "Accept": "application/json" if not form else "text/html",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if "csrftoken" in self.cookies:
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
        data = None
        if body is not None:
            if form:
                data = urlencode({**body, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}).encode()
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            else:
                data = json.dumps(body).encode()
                headers["Content-Type"] = "application/json"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            raw = response.read()
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
            status = response.status
        finally:
            conn.close()
        try:
            return status, json.loads(raw)
        except ValueError:
            return status, raw.decode(errors="replace")

    def get(self, path: str) -> tuple[int, Any]:
        return self.request("GET", path)

    def post(self, path: str, body: dict | None = None) -> tuple[int, Any]:
        return self.request("POST", path, body or {})

    def login(self, username: str, password: str, totp_code: str | None = None) -> None:
        status, _page = self.request("GET", "/accounts/login/", form=True)
        assert status == 200, status
        status, page = self.request(
            "POST", "/accounts/login/", {"username": username, "password": password}, form=True
        )
        assert status == 302 and "sessionid" in self.cookies, (status, str(page)[:300])
        if totp_code is not None:  # the second step, for the roles that need one
            status, page = self.request(
                "POST", "/accounts/two-factor/", {"token": totp_code, "next": "/"}, form=True
            )
            assert status == 302, (status, str(page)[:300])
