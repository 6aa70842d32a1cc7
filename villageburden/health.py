"""/healthz: is the database up, is the broker up. 200 while the database is.

And handler500, which answers a request that lost the database with a 503.
"""

import sys

import redis
from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
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


# --- when the database is away --------------------------------------------------------------

DATABASE_ERRORS = (OperationalError, InterfaceError)


def server_error(request, template_name="500.html"):
    """handler500: a lost database connection is a 503 with a plain message, anything else a 500.

    While PostgreSQL restarts, every request that needs it fails fast
    (``connect_timeout``) and ends here; the web processes stay up and the
    first request after the restart reconnects (CONN_HEALTH_CHECKS).
    """
    error = sys.exc_info()[1]
    if not isinstance(error, DATABASE_ERRORS):
        return defaults.server_error(request, template_name)
    message = _("The database is unavailable for a moment. Please try again shortly.")
    if request.path.startswith("/api/") or "json" in request.headers.get("Accept", ""):
        response: HttpResponse = JsonResponse(
            {"detail": str(message), "code": "database_unavailable"}, status=503
        )
    else:
        response = HttpResponse(
            f'<!doctype html><html lang="zh-hans"><meta charset="utf-8"><title>{message}</title>'
            f"<p>{message}</p></html>",
            status=503,
        )
    response["Retry-After"] = "10"
    return response
