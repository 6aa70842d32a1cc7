"""Chinese names in the admin for the third-party apps that bring none (django-axes, django-oauth-toolkit).

Their app and model names are plain English strings; ``WorkbenchConfig.ready``
puts translatable names in their place, so the admin's Chinese has no English in it.
"""

from __future__ import annotations

from django.apps import apps
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

APP_NAMES = {
    "axes": _("Login lockout"),
    "oauth2_provider": _("Portal clients (OAuth2)"),
    "otp_totp": _("Second factor (authenticator apps)"),
}
MODEL_NAMES = {
    "axes.accessattempt": (_("failed login attempt"), _("failed login attempts")),
    "axes.accessfailurelog": (_("failed login record"), _("failed login records")),
    "axes.accesslog": (_("login record"), _("login records")),
    "axes.accessattemptexpiration": (_("lockout expiry"), _("lockout expiries")),
    "oauth2_provider.application": (_("portal application"), _("portal applications")),
    "oauth2_provider.accesstoken": (_("access token"), _("access tokens")),
    "oauth2_provider.refreshtoken": (_("refresh token"), _("refresh tokens")),
    "oauth2_provider.grant": (_("authorisation grant"), _("authorisation grants")),
    "oauth2_provider.idtoken": (_("ID token"), _("ID tokens")),
    "oauth2_provider.devicegrant": (_("device grant"), _("device grants")),
    "otp_totp.totpdevice": (_("authenticator"), _("authenticators")),
}
# Strings of Django's admin that its Chinese catalogue lacks; translated in locale/.
gettext_noop("Add link")
gettext_noop("Change or view list link")
gettext_noop("Model name")


def apply() -> None:
    for label, name in APP_NAMES.items():
        if apps.is_installed(label) or label in apps.app_configs:
            apps.get_app_config(label).verbose_name = name
    for label, (singular, plural) in MODEL_NAMES.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        model._meta.verbose_name = singular
        model._meta.verbose_name_plural = plural
