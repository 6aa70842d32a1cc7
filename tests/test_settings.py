"""Production settings: no default secrets, fail fast, and `check --deploy` clean."""

import os
import subprocess
import sys

from django.conf import settings

PROD = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "x" * 60 + "-production-secret-for-checks",
    "ALLOWED_HOSTS": "registry.example.gov.cn",
    "DATABASE_URL": "postgres://vb:vb@127.0.0.1:5432/villageburden",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "PERSONAL_DATA_KEY": "y" * 50 + "-personal-data-key-for-checks",
}


def manage(*args, **env):
    # DJANGO_ALLOW_ASYNC_UNSAFE is set for browser tests in this process, never in a deployment.
    base = {k: v for k, v in os.environ.items() if k not in PROD and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_in_production():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PROD)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PROD.items() if k != "SECRET_KEY"}
    result = manage("check", **env)
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_production_refuses_a_wildcard_host_and_sqlite():
    assert "ALLOWED_HOSTS" in manage("check", **{**PROD, "ALLOWED_HOSTS": "*"}).stderr
    assert "PostgreSQL" in manage("check", **{**PROD, "DATABASE_URL": "sqlite:////tmp/x.db"}).stderr


def test_bad_values_fail_fast():
    result = manage("check", DJANGO_ENV="staging")
    assert result.returncode != 0 and "DJANGO_ENV" in result.stderr
    result = manage("check", SESSION_IDLE_MINUTES="half an hour")
    assert result.returncode != 0


def test_static_files_build_for_production(tmp_path):
    """The hashed, compressed static build (WhiteNoise) resolves every asset reference locally."""
    result = manage("collectstatic", "--noinput", **PROD, STATIC_ROOT=str(tmp_path))
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "staticfiles.json").exists()
    assert list(tmp_path.glob("vendor/bootstrap/bootstrap.min.*.css"))
