"""Scale-out shape: public pages read from the replica alias; writes and other pages stay on default."""

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from divisions.models import Division, Level

from . import factories as f


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_public_page_reads_from_the_replica_and_other_pages_do_not(client, settings):
    settings.REPLICA_ALIAS = "replica"
    f.division("15", "内蒙古自治区", Level.PROVINCE)
    with (
        CaptureQueriesContext(connections["replica"]) as replica,
        CaptureQueriesContext(connections["default"]) as default,
    ):
        response = client.get("/public/")
    assert response.status_code == 200
    assert replica.captured_queries, "the public page did not read from the replica"
    assert not [q for q in default.captured_queries if "catalogs_catalogue" in q["sql"]]

    with CaptureQueriesContext(connections["replica"]) as replica:
        assert client.get("/accounts/login/").status_code in (200, 302)
        Division.objects.create(code="160000000000", name="测试省", level=Level.PROVINCE)
    assert not replica.captured_queries


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_without_a_replica_configured_everything_reads_from_default(client, settings):
    settings.REPLICA_ALIAS = None
    with CaptureQueriesContext(connections["replica"]) as replica:
        assert client.get("/public/").status_code == 200
    assert not replica.captured_queries


def test_imports_and_reports_run_apart_from_notifications():
    from villageburden.celery import app

    route = app.amqp.router.route
    assert route({}, "catalogs.import_apply")["queue"].name == "imports"
    assert route({}, "catalogs.import_check")["queue"].name == "imports"
    assert route({}, "gate.tasks.send_notification_emails")["queue"].name == "notifications"
