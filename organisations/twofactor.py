"""The second factor: TOTP (django-otp) for those who approve, administer or audit.

After the password, a user whose role is in ``TWO_FACTOR_ROLES`` (and every
superuser) is led by ``TwoFactorMiddleware`` to enter a six-digit code from an
authenticator app, or to enrol one first. Until then every page, the admin
and the session-authenticated API refuse them; the server, not the browser,
keeps the rule. Portals use OAuth2 client credentials and are not concerned.

``TWO_FACTOR_REQUIRED`` (default on, always on in production) switches it.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.services import record_event

from .choices import TWO_FACTOR_ROLES

DEVICE_NAME = "authenticator"


def needs_two_factor(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role in TWO_FACTOR_ROLES))


def has_confirmed_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def step_url(user, next_url: str) -> str:
    name = "two_factor_verify" if has_confirmed_device(user) else "two_factor_setup"
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=gettext_lazy("Six-digit code"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": gettext_lazy("Enter the six digits your authenticator app shows.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


@login_required
def two_factor_verify(request):
    """Enter the current code of an enrolled authenticator."""
    if not has_confirmed_device(request.user):
        return redirect(step_url(request.user, _next(request)))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"].strip())
        if device is not None:
            otp_login(request, device)
            record_event(
                request.user, "two_factor.verified", obj=request.user, division=request.user.jurisdiction
            )
            return redirect(_next(request))
        record_event(request.user, "two_factor.failed", obj=request.user, division=request.user.jurisdiction)
        form.add_error("token", _("That code is not right, or has expired. Enter the code shown now."))
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": _next(request)})


@login_required
def two_factor_setup(request):
    """Enrol an authenticator app: show its secret, confirm it with a first code."""
    if has_confirmed_device(request.user):
        return redirect(step_url(request.user, _next(request)))
    with transaction.atomic():
        device = TOTPDevice.objects.filter(
            user=request.user, confirmed=False
        ).first() or TOTPDevice.objects.create(user=request.user, name=DEVICE_NAME, confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            record_event(
                request.user, "two_factor.enrolled", obj=request.user, division=request.user.jurisdiction
            )
            messages.success(
                request, _("Your authenticator is set up. You will be asked for a code at each login.")
            )
            return redirect(_next(request))
        form.add_error("token", _("That code is not right, or has expired. Enter the code shown now."))
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "next": _next(request),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "config_url": device.config_url,
    }
    return render(request, "registration/two_factor_setup.html", context)
