"""Logins, logouts and failed logins go to the audit trail, attributed to the user's organisation's
division, so that the auditors of that jurisdiction see them (an event with no division is the
superuser's only)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .services import record_event


def _division_of(user):
    organisation = getattr(user, "organisation", None) if user is not None else None
    return organisation.division_id if organisation is not None else None


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    record_event(user, "auth.login", division=_division_of(user))


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        record_event(user, "auth.logout", division=_division_of(user))


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    # A failed login against an existing account belongs to that account's jurisdiction;
    # an unknown name has none and stays with the security administrator.
    account = get_user_model().objects.filter(username=username).select_related("organisation").first()
    record_event(None, "auth.login_failed", division=_division_of(account), summary=f"username={username}")
