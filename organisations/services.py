"""Creating organisations, people and portal clients."""

from __future__ import annotations

import secrets

from django.db import transaction
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
