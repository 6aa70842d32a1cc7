"""Logging in: Chinese by default, lockout, idle timeout, and an audit trail of it all."""

import time

import pytest
from django.conf import settings
from django.test import override_settings

from audit.models import AuditEvent

from .factories import PASSWORD


def post_login(client, username, password):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR="10.0.0.7"
    )


def test_login_page_is_chinese_by_default(client, db):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="zh-hans"' in page
    assert "登录" in page and "用户名" in page


def test_english_is_available(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/accounts/login/").content.decode()
    assert 'lang="en"' in page and "Log in" in page


def test_login_lands_on_the_role_workbench_and_is_audited(client, world):
    response = post_login(client, "reviewer_civil", PASSWORD)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="panel-county_reviewer"' in page
    event = AuditEvent.objects.get(action="auth.login")
    assert event.actor == world.user("reviewer_civil") and event.ip_address == "10.0.0.7"


def test_repeated_failures_lock_the_account_even_with_the_right_password(client, world):
    for _ in range(4):
        assert post_login(client, "township", "wrong-password").status_code == 200
    assert post_login(client, "township", "wrong-password").status_code == 429  # the fifth locks
    locked = post_login(client, "township", PASSWORD)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="auth.login_failed").count() >= 5


def test_idle_session_is_ended(client, world):
    client.force_login(world.user("township"))
    assert client.get("/").status_code == 200
    session = client.session
    session["last_activity"] = int(time.time()) - 31 * 60
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert "_auth_user_id" not in client.session


@override_settings(SESSION_IDLE_MINUTES=30)
def test_active_session_survives(client, world):
    client.force_login(world.user("township"))
    session = client.session
    session["last_activity"] = int(time.time()) - 10 * 60
    session.save()
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("password", ["short", "1234567890123", "password123"])
def test_weak_passwords_are_refused(world, password):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password(password, world.user("township"))


def test_forbidden_pages_are_recorded_as_denials(client, world):
    client.force_login(world.user("township"))
    assert client.get("/audit/").status_code == 403
    assert AuditEvent.objects.filter(action="access.denied", actor=world.user("township")).exists()


def test_auditor_reads_the_trail_of_its_county_only(client, world):
    from audit.services import record_event

    record_event(world.user("approver"), "test.home", division=world.county)
    record_event(world.user("outsider"), "test.foreign", division=world.other_county)
    client.force_login(world.user("auditor"))
    page = client.get("/audit/").content.decode()
    assert "test.home" in page and "test.foreign" not in page


def test_audit_trail_exports_as_csv_with_formulas_neutralised(client, world):
    from audit.services import record_event

    record_event(world.user("approver"), "test.export", division=world.county, summary='=HYPERLINK("x")')
    client.force_login(world.user("auditor"))
    response = client.get("/audit/?format=csv&action=test.")
    body = b"".join(response.streaming_content).decode("utf-8")
    assert response["Content-Type"].startswith("text/csv")
    assert "test.export" in body and "'=HYPERLINK" in body and ",=HYPERLINK" not in body


def test_audit_trail_refuses_changes_through_the_model(world):
    from audit.services import record_event

    event = record_event(world.user("approver"), "test.kept", division=world.county, summary="批准")
    with pytest.raises(ValueError):
        event.save()  # the model refuses on every database


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="test_audit_trail_is_append_only checks the PostgreSQL trigger; SQLite has only the model's refusal",
)
def test_audit_trail_is_append_only(world):
    from django.db import IntegrityError, transaction

    from audit.models import AuditEvent
    from audit.services import record_event

    event = record_event(world.user("approver"), "test.kept", division=world.county, summary="批准")
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(summary="改写")
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    # Removing the person does not touch the trail; the name stays.
    world.user("approver").delete()
    assert AuditEvent.objects.get(pk=event.pk).actor_name == "approver"
