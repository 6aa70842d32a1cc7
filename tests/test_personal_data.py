"""Phone numbers, e-mail addresses and ID numbers: never in the history, a log or an export in full.

Who needs what is decided in organisations/masking.py: the system
administrator keeps contact details and sees them; the security
administrator, the auditor and everyone else see them masked; the history
keeps neither.
"""

from __future__ import annotations

import logging

import pytest

from organisations.choices import Role
from organisations.models import User

from . import factories as f

PHONE = "13812345678"
EMAIL = "wuyun.bailingmiao@example.cn"
ID_NUMBER = "110101199003074578"


@pytest.fixture
def admins(world):
    return {
        name: f.UserFactory(username=name, role=role, organisation=world.orgs["leadership"], is_staff=True)
        for name, role in (("sysadmin", Role.SYSTEM_ADMIN), ("secadmin", Role.SECURITY_ADMIN))
    }


@pytest.fixture
def contact_changed(client, world, admins, caplog):
    """The system administrator records a township user's phone and e-mail in the admin."""
    caplog.set_level(logging.DEBUG)
    township = world.user("township")
    client.force_login(admins["sysadmin"])
    page = client.get(f"/admin/organisations/user/{township.pk}/change/")
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if k in form.fields and v is not None}
    data.update(
        {
            "phone": PHONE,
            "email": EMAIL,
            "organisation": township.organisation_id,
            "date_joined_0": "2026-01-01",
        }
    )
    data.update(
        {"date_joined_1": "08:00:00", "display_name": township.display_name, "username": township.username}
    )
    response = client.post(f"/admin/organisations/user/{township.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    township.refresh_from_db()
    assert township.phone == PHONE and township.email == EMAIL
    client.logout()
    return township


def test_the_history_keeps_no_contact_details(contact_changed, client, admins):
    rows = list(User.history.filter(id=contact_changed.pk).values())
    assert rows and all("phone" not in row and "email" not in row for row in rows)
    assert all(PHONE not in str(row) and EMAIL not in str(row) for row in rows)
    client.force_login(admins["secadmin"])
    page = client.get(f"/admin/organisations/user/{contact_changed.pk}/history/")
    assert page.status_code == 200 and PHONE not in page.content.decode()


def test_contact_details_are_masked_for_those_without_the_need(contact_changed, client, admins):
    client.force_login(admins["secadmin"])
    page = client.get(f"/admin/organisations/user/{contact_changed.pk}/change/").content.decode()
    assert "138****5678" in page and "w***@example.cn" in page
    assert PHONE not in page and EMAIL not in page
    client.force_login(admins["sysadmin"])
    assert PHONE in client.get(f"/admin/organisations/user/{contact_changed.pk}/change/").content.decode()


def test_no_phone_or_id_number_reaches_a_log(contact_changed, client, caplog):
    caplog.set_level(logging.DEBUG)
    client.post("/accounts/login/", {"username": ID_NUMBER, "password": "Wrong-pass-2026"})
    client.post("/accounts/login/", {"username": "township", "password": PHONE})
    logged = caplog.text + " ".join(str(r.args) for r in caplog.records)
    assert any(r.name.startswith("axes") for r in caplog.records)  # the failed logins were logged ...
    assert PHONE not in logged and EMAIL not in logged and ID_NUMBER not in logged  # ... masked


def test_the_audit_export_holds_no_contact_details(contact_changed, client, world):
    from audit.models import AuditEvent

    change = AuditEvent.objects.get(action="user.change", object_id=str(contact_changed.pk))
    assert "phone" in change.summary and PHONE not in change.summary
    client.force_login(world.user("auditor"))
    export = client.get("/audit/?format=csv")
    assert export.status_code == 200
    body = b"".join(export.streaming_content if export.streaming else [export.content]).decode("utf-8-sig")
    from django.utils import translation

    from audit.labels import action_label

    with translation.override("zh-hans"):
        changed = action_label("user.change")  # the action in words (账号已修改), not its code
    assert changed != "user.change" and changed in body and PHONE not in body and EMAIL not in body


def test_masks():
    from organisations.masking import mask_email, mask_phone

    assert mask_phone("138 1234 5678") == "138****5678" and mask_phone("12345") == "*****"
    assert mask_email("a@b.cn") == "a***@b.cn" and mask_email("nobody") == "******"
