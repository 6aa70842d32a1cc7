"""End browser sessions after a period without requests."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.utils.translation import gettext as _


class IdleTimeoutMiddleware:
    """A shared township office PC must not stay logged in all day."""

    SESSION_KEY = "last_activity"
    REFRESH_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            last = request.session.get(self.SESSION_KEY)
            limit = settings.SESSION_IDLE_MINUTES * 60
            if last is not None and now - last > limit:
                logout(request)
                messages.info(request, _("You were signed out after a period of inactivity."))
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                return redirect_to_login(request.get_full_path())
            if last is None or now - last >= self.REFRESH_SECONDS:
                # At most one session write a minute, not one per request.
                request.session[self.SESSION_KEY] = now
        return self.get_response(request)


class TwoFactorMiddleware:
    """Users who must use a second factor reach nothing else until they have (organisations/twofactor.py)."""

    EXEMPT = (
        "/accounts/two-factor/",
        "/accounts/logout/",
        "/admin/logout/",
        "/static/",
        "/i18n/",
        "/jsi18n/",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .twofactor import needs_two_factor, step_url

        user = getattr(request, "user", None)
        if (
            settings.TWO_FACTOR_REQUIRED
            and user is not None
            and needs_two_factor(user)
            and not user.is_verified()
            and not request.path.startswith(self.EXEMPT)
        ):
            if request.path.startswith("/api/"):
                from django.http import JsonResponse

                return JsonResponse(
                    {"detail": _("Enter your second-factor code in the browser first.")}, status=403
                )
            return redirect(step_url(user, request.get_full_path()))
        return self.get_response(request)
