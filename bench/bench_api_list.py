"""Benchmark: the DRF division list endpoint against a bare JsonResponse, under gunicorn and wrk.

Serves the project with gunicorn (2 sync workers, DEBUG off) on the database
``--postgres`` names (``bench/run`` leaves the national divisions there), logs
in a provincial administrator of 内蒙古自治区, and alternates wrk runs on

- ``/api/v1/divisions/`` — the real endpoint: session auth, scoping, the
  filterset, cursor pagination, the serializer (first page, 50 rows);
- ``/bench/bare-divisions/`` — the baseline: the same scoped first 50 rows as
  ``.values()`` dicts in a bare ``JsonResponse`` behind the same middleware.

    uv run python bench/bench_api_list.py --postgres postgres://postgres@127.0.0.1:57416/bench_divisions
        [--repeats 3] [--seconds 5] [--port 8716] [--bench-run]
"""

from __future__ import annotations

import argparse
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, emit, env, figure, setup_django

BENCH = Path(__file__).resolve().parent


def session_cookie(url: str) -> str:
    import os

    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "false"
    setup_django()
    from django.test import Client

    from divisions.models import Division
    from organisations.choices import OrgKind, Role
    from organisations.models import Organisation, User

    province = Division.objects.get(code="150000000000")
    org, _ = Organisation.objects.get_or_create(
        code="bench-province",
        defaults={"name": "基准测试厅", "kind": OrgKind.PROVINCIAL_DEPARTMENT, "division": province},
    )
    user, _ = User.objects.get_or_create(
        username="bench-provadmin", defaults={"role": Role.PROVINCIAL_ADMIN, "organisation": org}
    )
    client = Client()
    client.force_login(user)
    # A provincial admin must pass the second factor (TWO_FACTOR_REQUIRED): the session is
    # marked verified with a confirmed TOTP device, as the two-factor page leaves it.
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return f"sessionid={session.session_key}"


def wrk(url: str, cookie: str, seconds: int) -> float:
    out = subprocess.run(
        ["wrk", "-t", "2", "-c", "8", "-d", f"{seconds}s", "-H", f"Cookie: {cookie}", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if not match or "Non-2xx" in out:
        raise SystemExit(f"wrk on {url} failed:\n{out}")
    return float(match.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--postgres", required=True)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--port", type=int, default=8716)
    parser.add_argument("--bench-run", action="store_true")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    cookie = session_cookie(args.postgres)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--pythonpath",
            f"{BENCH},{ROOT}",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{args.port}",
            "--log-level",
            "warning",
            "villageburden.wsgi:application",
        ],
        env=env(args.postgres, DJANGO_SETTINGS_MODULE="api_bench_settings", CONN_MAX_AGE="600"),
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{args.port}"
    drf_url, bare_url = f"{base}/api/v1/divisions/", f"{base}/bench/bare-divisions/"
    try:
        # Wait for the port (a loaded machine can take a minute to import Django in two workers),
        # then read the first page once with a generous timeout: at national scale it is cold.
        deadline = time.monotonic() + 300
        while True:
            if server.poll() is not None:
                raise SystemExit(f"gunicorn exited with {server.returncode}")
            try:
                socket.create_connection(("127.0.0.1", args.port), timeout=2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("gunicorn did not open its port within 300 s") from None
                time.sleep(0.5)
        request = urllib.request.Request(drf_url, headers={"Cookie": cookie})
        body = urllib.request.urlopen(request, timeout=300).read()
        assert b'"results"' in body and b"150000000000" in body, body[:200]
        wrk(drf_url, cookie, 1)  # warm both workers' connections and caches
        wrk(bare_url, cookie, 1)
        drf, bare = [], []
        for _ in range(args.repeats):
            drf.append(wrk(drf_url, cookie, args.seconds))
            bare.append(wrk(bare_url, cookie, args.seconds))
    finally:
        server.terminate()
        server.wait()
    figures = [
        figure(
            "DRF /api/v1/divisions/ (50 rows, session auth, cursor page)",
            "req/s",
            drf,
            "bare JsonResponse of the same scoped rows",
            bare,
            at_least=0.6,
        )
    ]
    if args.bench_run:
        emit(figures)
    else:
        f = figures[0]
        print(
            f"{f['figure']}: {f['value']} vs {f['baseline_value']} -> ratio {f['ratio']} (goal {f['goal']})"
        )


if __name__ == "__main__":
    main()
