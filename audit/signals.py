"""Logins, logouts and failed logins go to the audit trail."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .services import record_event


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    record_event(user, "auth.login")


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        record_event(user, "auth.logout")


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    record_event(None, "auth.login_failed", summary=f"username={credentials.get('username', '')}"[:200])
