"""Creating organisations, people and portal clients."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from oauth2_provider.models import get_application_model

from audit.services import record_event

from .choices import Role
from .models import Organisation, User


@transaction.atomic
def portal_client_create(
    *, organisation: Organisation, name: str, scopes: list[str]
) -> tuple[User, str, str]:
    """Create an API identity for a government portal and its OAuth2 application.

    The client-credentials grant gives each access token the application's
    user, so a portal is scoped by its organisation's division like any person.
    Returns (user, client_id, client_secret); the secret is shown only once.
    """
    from django.conf import settings

    allowed = set(settings.OAUTH2_PROVIDER["SCOPES"])
    unknown = set(scopes) - allowed
    if unknown:
        raise ValueError(
            f"unknown scopes: {', '.join(sorted(unknown))}; allowed: {', '.join(sorted(allowed))}"
        )
    username = f"portal-{organisation.code}-{secrets.token_hex(3)}"
    user = User(
        username=username,
        organisation=organisation,
        role=Role.PORTAL_CLIENT,
        display_name=name,
        api_scopes=" ".join(sorted(set(scopes))),
    )
    user.set_unusable_password()
    user.full_clean()
    user.save()
    application_model = get_application_model()
    secret = secrets.token_urlsafe(32)
    app = application_model.objects.create(
        name=name,
        user=user,
        client_type=application_model.CLIENT_CONFIDENTIAL,
        authorization_grant_type=application_model.GRANT_CLIENT_CREDENTIALS,
        client_secret=secret,
        allowed_origins="",
    )
    record_event(
        None,
        "portal_client.create",
        obj=user,
        division=organisation.division,
        summary=f"{name}: scopes {user.api_scopes}",
    )
    return user, app.client_id, secret


# --- organisations and accounts from the admin and its spreadsheet import ----------
#
# The admin's bulk import (django-import-export, organisations/resources.py)
# validates each row with these checks and saves it with these services, so a
# row can do only what the same person could do one record at a time: inside
# their jurisdiction, with a role its organisation may hold, never a
# superuser, staff flag or password from a file.

# Who may create and change organisations and accounts (besides superusers).
ACCOUNT_ADMINS = {Role.PROVINCIAL_ADMIN}


def may_administer(actor) -> bool:
    return bool(actor and actor.is_authenticated and (actor.is_superuser or actor.role in ACCOUNT_ADMINS))


def organisation_check(*, actor, organisation: Organisation) -> None:
    """Raise ValidationError (by field) unless ``actor`` may keep ``organisation`` as it stands."""
    from divisions.models import Division

    if not may_administer(actor):
        raise ValidationError(_("Only a provincial admin may create or change organisations."))
    errors: dict[str, list[str]] = {}
    try:
        organisation.full_clean()
    except ValidationError as exc:
        errors = exc.message_dict
    if (
        organisation.division_id
        and not Division.objects.restrict(actor).filter(pk=organisation.division_id).exists()
    ):
        errors.setdefault("division", []).append(_("The division is outside your jurisdiction."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def organisation_save(*, actor, organisation: Organisation) -> Organisation:
    """Create or change an organisation (checked, audited)."""
    created = organisation._state.adding
    if not created:
        Organisation.objects.restrict(actor, "change").select_for_update().get(pk=organisation.pk)
    organisation_check(actor=actor, organisation=organisation)
    organisation.save()
    record_event(
        actor,
        "organisation.create" if created else "organisation.update",
        obj=organisation,
        division=organisation.division_id,
        summary=f"{organisation.code}: {organisation.name} ({organisation.kind})",
    )
    return organisation


def user_check(*, actor, user: User) -> None:
    """Raise ValidationError (by field) unless ``actor`` may keep the account ``user`` as it stands."""
    if not may_administer(actor):
        raise ValidationError(_("Only a provincial admin may create or change accounts."))
    if user.is_superuser or user.is_staff:
        raise ValidationError(_("Administrator accounts are not created or changed from a file."))
    errors: dict[str, list[str]] = {}
    if user.role == Role.PORTAL_CLIENT:
        errors["role"] = [_("Portal clients are created with create_portal_client, with their credentials.")]
    if (
        user.organisation_id
        and not Organisation.objects.restrict(actor).filter(pk=user.organisation_id).exists()
    ):
        errors.setdefault("organisation", []).append(_("The organisation is outside your jurisdiction."))
    if not errors:
        try:
            user.full_clean()  # the role must fit the organisation's kind (User.clean)
        except ValidationError as exc:
            errors = exc.message_dict
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def user_save(*, actor, user: User) -> User:
    """Create or change an account (checked, audited). A new account gets no usable password:
    the person sets one through "forgot password" (or an admin sets it); a password never comes from a file."""
    created = user._state.adding
    if created:
        user.set_unusable_password()
    else:
        current = User.objects.restrict(actor, "change").select_for_update().get(pk=user.pk)
        user.password = current.password  # never changed here
        user.is_superuser, user.is_staff = current.is_superuser, current.is_staff
    user_check(actor=actor, user=user)
    user.save()
    record_event(
        actor,
        "user.create" if created else "user.update",
        obj=user,
        division=user.organisation.division_id if user.organisation is not None else None,
        summary=f"{user.username}: {user.role}",
    )
    return user
