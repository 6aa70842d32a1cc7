"""Suite-wide test settings and fixture plugins."""

import os
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _empty_cache():
    from django.core.cache import cache

    cache.clear()
    yield


# Each app's shared fixtures live in tests/fixtures_<app>.py.
pytest_plugins = sorted(f"tests.{p.stem}" for p in (Path(__file__).parent / "tests").glob("fixtures_*.py"))


def pytest_configure(config):
    from django.conf import settings

    # Hashing with PBKDF2 for a cast of thirteen users per test costs seconds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    # A read replica on loopback: a second connection to the test database
    # (TEST MIRROR); the router uses it only where a test sets REPLICA_ALIAS.
    if "replica" not in settings.DATABASES:
        default = settings.DATABASES["default"]
        settings.DATABASES["replica"] = {**default, "TEST": {**default.get("TEST", {}), "MIRROR": "default"}}
    # Tests of other behaviour sign in with force_login, which has no second
    # step; tests/test_two_factor.py turns the second factor on and proves it.
    settings.TWO_FACTOR_REQUIRED = False

    # Throttle counters in this process's memory, emptied before each test
    # (autouse fixture below): one test's anonymous requests must not throttle
    # the next. tests/test_throttle.py checks the Redis fallback on its own.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

    # Tasks run in-process in tests, even where REDIS_URL is set (CI): a test
    # must not wait on a worker it did not start. test_celery_worker.py turns
    # this off to go through a real worker on Redis.
    from villageburden.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = True
    app.conf.task_always_eager = True


def pytest_collection_modifyitems(config, items):
    """Tests marked ``pdf`` read Chinese text out of a PDF: where no PDF can be made here (no
    CJK fonts: ``apt-get install fonts-noto-cjk``) they are skipped, except in CI, where it must."""
    from documents.render import RendererUnavailable, check_renderer

    if os.environ.get("CI"):
        return
    try:
        check_renderer()  # the documents app's own test: WeasyPrint's libraries and the fonts
        return
    except RendererUnavailable:
        pass
    skip = pytest.mark.skip(reason="no PDFs can be made here (apt-get install fonts-noto-cjk)")
    for item in items:
        if "pdf" in item.keywords:
            item.add_marker(skip)
