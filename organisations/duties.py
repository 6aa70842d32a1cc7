"""Three administrators, kept apart (三员分立, MLPS 2.0 level 3).

GB/T 22239-2019 §8.1.4.2 asks that system, security and audit administration
be separate duties held by different people, none able to cover another's
tracks:

- the **system administrator** (系统管理员) manages accounts and configuration:
  creates accounts for the operational roles, edits names, organisations and
  contact details, deactivates accounts, keeps the organisations and the
  scheduled jobs; cannot grant any role on an existing account, cannot touch
  the administrator roles, and cannot read the audit trail;
- the **security administrator** (安全管理员) manages roles and access: changes
  a user's role and active state, lifts login lockouts, resets a lost second
  factor; cannot create accounts, edit profiles or read the audit trail;
- the **audit administrator** (审计管理员, the ``auditor`` role) reads the audit
  trail of their jurisdiction (``/audit/``) and nothing else; nobody deletes
  or edits it (append-only, refused by the model and a trigger).

Nobody changes their own role, and only a superuser (break-glass, with a
second factor) grants superuser status, groups or raw permissions.

The grants are Django model permissions computed from the role by
``DutyBackend``, so every admin page checks them the usual way; the scoping
(``restrict``) still limits each administrator to their jurisdiction.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.backends import BaseBackend
from django.utils.translation import gettext_lazy as _

from .choices import STAFF_ROLES, Role
from .masking import mask_email, mask_phone

SYSTEM_ADMIN_FIELDS = (
    "username",
    "first_name",
    "last_name",
    "email",
    "display_name",
    "phone",
    "organisation",
)
SECURITY_ADMIN_FIELDS = ("role", "is_active")
PERSONAL_FIELDS = ("phone", "email")
# Roles the system administrator may give a new account; the administrator
# roles are given by the security administrator only.
OPERATIONAL_ROLES = [r for r in Role if r not in STAFF_ROLES and r != Role.AUDITOR]

DUTIES: dict[str, frozenset[str]] = {
    Role.SYSTEM_ADMIN: frozenset(
        {
            "organisations.view_organisation",
            "organisations.add_organisation",
            "organisations.change_organisation",
            "organisations.view_user",
            "organisations.add_user",
            "organisations.change_user",
            "django_celery_beat.view_periodictask",
            "django_celery_beat.change_periodictask",
            "django_celery_beat.view_crontabschedule",
            "django_celery_beat.view_intervalschedule",
        }
    ),
    Role.SECURITY_ADMIN: frozenset(
        {
            "organisations.view_user",
            "organisations.change_user",
            "axes.view_accessattempt",
            "axes.delete_accessattempt",
            "axes.view_accessfailurelog",
            "otp_totp.view_totpdevice",
            "otp_totp.delete_totpdevice",
        }
    ),
    Role.AUDITOR: frozenset({"audit.view_auditevent"}),
}


def duty_permissions(user: Any) -> frozenset[str]:
    if not getattr(user, "is_active", False) or user.is_superuser:
        return frozenset()
    return DUTIES.get(getattr(user, "role", ""), frozenset())


class DutyBackend(BaseBackend):
    """Grants each administrator role its duty's model permissions (never authenticates anyone)."""

    def authenticate(self, request, **credentials):
        return None

    def get_all_permissions(self, user_obj, obj=None):
        return set(duty_permissions(user_obj))

    def has_perm(self, user_obj, perm, obj=None):
        return perm in duty_permissions(user_obj)

    def has_module_perms(self, user_obj, app_label):
        return any(p.startswith(f"{app_label}.") for p in duty_permissions(user_obj))


def editable_user_fields(actor: Any, target: Any | None) -> set[str]:
    """The user fields ``actor`` may set on ``target`` (None: a new account)."""
    if actor.is_superuser:
        return {"*"}
    if target is not None and target.pk == actor.pk:
        return set()  # nobody administers their own account
    if target is not None and (
        target.is_superuser or (target.role in STAFF_ROLES and actor.role != Role.SECURITY_ADMIN)
    ):
        return set()
    if actor.role == Role.SYSTEM_ADMIN:
        fields = set(SYSTEM_ADMIN_FIELDS) | {"is_active"}
        if target is None:
            fields |= {"role", "password1", "password2", "usable_password"}
        return fields
    if actor.role == Role.SECURITY_ADMIN and target is not None:
        return set(SECURITY_ADMIN_FIELDS)
    return set()


class DutyUserAdminMixin:
    """The user admin as each administrator's duty allows (see the module docstring)."""

    def _duty_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)  # type: ignore[misc]
        if request.user.is_superuser:
            return fieldsets
        hidden = {"is_superuser", "groups", "user_permissions"}
        return [
            (name, {**opts, "fields": [f for f in opts["fields"] if f not in hidden]})
            for name, opts in fieldsets
        ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = self._duty_fieldsets(request, obj)
        allowed = editable_user_fields(request.user, obj)
        if "*" in allowed:
            return fieldsets
        # Contact details a duty does not edit are shown masked (organisations/masking.py).
        masked = {f: f"{f}_masked" for f in PERSONAL_FIELDS if f not in allowed}
        return [
            (name, {**opts, "fields": [masked.get(f, f) for f in opts["fields"]]}) for name, opts in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        allowed = editable_user_fields(request.user, obj)
        if "*" in allowed:
            return super().get_readonly_fields(request, obj)  # type: ignore[misc]
        fields = [f for _name, opts in self.get_fieldsets(request, obj) for f in opts["fields"]]
        return [f for f in fields if f not in allowed]

    @admin.display(description=_("phone"))
    def phone_masked(self, obj):
        return mask_phone(obj.phone) if obj and obj.phone else "-"

    @admin.display(description=_("e-mail"))
    def email_masked(self, obj):
        return mask_email(obj.email) if obj and obj.email else "-"

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):  # type: ignore[misc]
            return False
        return obj is None or bool(editable_user_fields(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        # Accounts are deactivated, never deleted: the trail keeps naming them.
        return request.user.is_superuser and super().has_delete_permission(request, obj)  # type: ignore[misc]

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role" and request.user.role == Role.SYSTEM_ADMIN:
            kwargs["choices"] = [("", "---------"), *[(r.value, r.label) for r in OPERATIONAL_ROLES]]
        return super().formfield_for_choice_field(db_field, request, **kwargs)  # type: ignore[misc]

    def save_model(self, request, obj, form, change):
        from audit.services import record_event

        if not obj.is_superuser:
            obj.is_staff = obj.role in STAFF_ROLES
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        record_event(
            request.user,
            "user.change" if change else "user.create",
            obj=obj,
            division=obj.organisation.division_id if obj.organisation_id else None,
            summary=", ".join(f for f in form.changed_data if not f.startswith("password")),
        )
