"""The second factor (TOTP): approvers, provincial admins, auditors, administrators and superusers.

Enforced by the server on every page, the admin and the session API; the
rest of the suite signs in with force_login and the second factor off
(conftest.py), so these tests turn it on.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEvent

from .factories import PASSWORD
from .test_settings import PROD, manage


@pytest.fixture(autouse=True)
def two_factor_on(settings):
    settings.TWO_FACTOR_REQUIRED = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # a wrong code then the right one, without waiting


def code(device: TOTPDevice) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def password_login(client, username):
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content[:300]


@pytest.mark.parametrize("name", ["approver", "provadmin", "auditor"])
def test_a_password_alone_reaches_nothing_and_enrolment_comes_first(client, world, name):
    password_login(client, name)
    for path in ("/", "/gate/", "/catalogs/", "/admin/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith(
            "/accounts/two-factor/setup/"
        ), path
    api = client.get("/api/v1/access-requests/")
    assert api.status_code == 403 and "第二" in api.json()["detail"]


def test_enrol_then_verify_at_the_next_login(client, world):
    password_login(client, "approver")
    page = client.get("/accounts/two-factor/setup/?next=/gate/")
    assert page.status_code == 200 and 'data-testid="totp-secret"' in page.content.decode()
    device = TOTPDevice.objects.get(user=world.user("approver"), confirmed=False)

    wrong_code = f"{(int(code(device)) + 500_000) % 10**6:06d}"  # never the code of this step or the next
    wrong = client.post("/accounts/two-factor/setup/", {"token": wrong_code, "next": "/gate/"})
    assert wrong.status_code == 200 and "验证码不正确" in wrong.content.decode()
    assert client.get("/gate/").status_code == 302

    done = client.post("/accounts/two-factor/setup/", {"token": code(device), "next": "/gate/"})
    assert done.status_code == 302 and done["Location"] == "/gate/"
    assert client.get("/gate/").status_code == 200
    assert AuditEvent.objects.filter(action="two_factor.enrolled", actor=world.user("approver")).exists()

    client.post("/accounts/logout/")
    password_login(client, "approver")
    assert client.get("/").headers["Location"].startswith("/accounts/two-factor/?")
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)  # the same 30 s window as the enrolment
    assert client.post("/accounts/two-factor/", {"token": "12 34"}).status_code == 200
    assert client.get("/").status_code == 302
    verified = client.post("/accounts/two-factor/", {"token": code(device), "next": "/"})
    assert verified.status_code == 302 and client.get("/").status_code == 200


def test_roles_without_the_duty_are_not_asked(client, world):
    password_login(client, "township")
    assert client.get("/").status_code == 200


def test_the_admin_asks_superusers_for_the_second_factor(client, db):
    from organisations.models import User

    User.objects.create_superuser("root", password=PASSWORD)
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "root", "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/two-factor/setup/")


def test_an_external_next_is_not_followed(client, world):
    password_login(client, "township")
    device = TOTPDevice.objects.create(user=world.user("approver"), name="x", confirmed=True)
    client.post("/accounts/logout/")
    password_login(client, "approver")
    response = client.post("/accounts/two-factor/", {"token": code(device), "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/"


def test_production_cannot_turn_it_off():
    result = manage("check", **{**PROD, "TWO_FACTOR_REQUIRED": "false"})
    assert result.returncode != 0 and "TWO_FACTOR_REQUIRED" in result.stderr


def test_the_demo_code_command(world, settings):
    device = TOTPDevice.objects.create(user=world.user("approver"), name="demo", confirmed=True)
    out = io.StringIO()
    before = code(device)
    call_command("two_factor_code", "approver", stdout=out)
    # The code of the moment: a 30-second step may end between the command and the check.
    assert out.getvalue().strip() in (before, code(device))
