"""三员分立: system, security and audit administrators each do their own duty and no other's."""

from __future__ import annotations

import pytest

from audit.models import AuditEvent
from audit.services import record_event
from organisations.choices import Role
from organisations.models import User

from . import factories as f


@pytest.fixture
def admins(world):
    made = {}
    for name, role in (("sysadmin", Role.SYSTEM_ADMIN), ("secadmin", Role.SECURITY_ADMIN)):
        made[name] = f.UserFactory(
            username=name, role=role, organisation=world.orgs["leadership"], is_staff=True
        )
    return made


def as_admin(client, user):
    client.force_login(user)
    return client


def add_user(client, world, role):
    return client.post(
        "/admin/organisations/user/add/",
        {
            "username": "new_township",
            "usable_password": "true",
            "password1": "Xin-zhang-hao-2026",
            "password2": "Xin-zhang-hao-2026",
            "organisation": world.orgs["township_a"].pk,
            "role": role,
            "display_name": "新同事",
        },
    )


def test_the_system_administrator_creates_operational_accounts_only(client, world, admins):
    c = as_admin(client, admins["sysadmin"])
    assert add_user(c, world, Role.TOWNSHIP_STAFF).status_code == 302
    created = User.objects.get(username="new_township")
    assert created.role == Role.TOWNSHIP_STAFF and not created.is_staff
    assert AuditEvent.objects.filter(action="user.create", actor=admins["sysadmin"]).exists()
    # The administrator roles are not among the roles it may give.
    page = c.get("/admin/organisations/user/add/").content.decode()
    assert 'value="township_staff"' in page and 'value="security_admin"' not in page
    User.objects.filter(username="new_township").delete()
    response = add_user(c, world, Role.SECURITY_ADMIN)
    assert response.status_code == 200 and not User.objects.filter(username="new_township").exists()


def test_the_system_administrator_cannot_change_a_role_or_read_the_trail(client, world, admins):
    c = as_admin(client, admins["sysadmin"])
    township = world.user("township")
    page = c.get(f"/admin/organisations/user/{township.pk}/change/").content.decode()
    assert 'name="display_name"' in page and 'name="role"' not in page
    assert 'name="is_superuser"' not in page
    record_event(world.user("approver"), "test.kept", division=world.county, summary="批准")
    assert c.get("/audit/").status_code == 403
    assert c.get("/admin/audit/auditevent/").status_code == 403
    assert c.get("/admin/axes/accessattempt/").status_code == 403


def test_the_security_administrator_manages_roles_and_lockouts_not_accounts(client, world, admins):
    c = as_admin(client, admins["secadmin"])
    township = world.user("township")
    page = c.get(f"/admin/organisations/user/{township.pk}/change/").content.decode()
    assert 'name="role"' in page and 'name="display_name"' not in page and 'name="phone"' not in page
    assert c.get("/admin/organisations/user/add/").status_code == 403
    assert c.get("/admin/axes/accessattempt/").status_code == 200
    assert c.get("/audit/").status_code == 403
    assert c.get("/admin/audit/auditevent/").status_code == 403


def test_nobody_administers_their_own_account(client, world, admins):
    for name in ("sysadmin", "secadmin"):
        c = as_admin(client, admins[name])
        page = c.get(f"/admin/organisations/user/{admins[name].pk}/change/").content.decode()
        assert 'name="role"' not in page and 'name="is_active"' not in page, name


def test_the_audit_administrator_reads_the_trail_and_nothing_else(client, world):
    c = as_admin(client, world.user("auditor"))
    record_event(world.user("approver"), "test.kept", division=world.county, summary="批准")
    assert c.get("/audit/").status_code == 200
    assert c.get("/admin/").status_code == 302  # not staff: the admin is not theirs
    assert c.get("/admin/organisations/user/").status_code == 302


def test_accounts_are_deactivated_never_deleted_by_administrators(client, world, admins):
    for name in ("sysadmin", "secadmin"):
        c = as_admin(client, admins[name])
        township = world.user("township")
        assert c.get(f"/admin/organisations/user/{township.pk}/delete/").status_code == 403
