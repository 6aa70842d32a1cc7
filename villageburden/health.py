"""/healthz: is the database up, is the broker up. 200 while the database is."""

import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception as exc:  # any driver error means "down"
        return f"down: {exc.__class__.__name__}"


def check_broker() -> str:
    if not settings.REDIS_URL:
        return "in-process"
    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
        return "ok"
    except Exception as exc:
        return f"down: {exc.__class__.__name__}"


@never_cache
def healthz(request):
    database = check_database()
    broker = check_broker()
    # The web keeps working without Redis (tasks wait in the outbox), so only
    # the database decides the status code a load balancer acts on.
    status = 200 if database == "ok" else 503
    return JsonResponse({"database": database, "broker": broker}, status=status)
