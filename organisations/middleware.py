"""End browser sessions after a period without requests."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
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
