"""Tag each request with an id for its audit events, and record refusals."""

import uuid

from . import context
from .services import record_event


class RequestAuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rid = request.headers.get("X-Request-ID") or str(uuid.uuid4())
        token_id = context.request_id.set(rid[:36])
        token_ip = context.client_ip.set(request.META.get("REMOTE_ADDR"))
        try:
            response = self.get_response(request)
            user = getattr(request, "user", None)
            if response.status_code == 403:
                record_event(
                    user,
                    "access.denied",
                    division=_division_of(user),
                    summary=f"{request.method} {request.path}"[:500],
                )
            elif response.status_code == 404 and _names_an_object(request, user):
                # Scoping answers 404 for an object outside the user's jurisdiction (never 403,
                # which would leak that it exists); the attempt is still the auditor's business.
                record_event(
                    user,
                    "access.not_found",
                    division=_division_of(user),
                    summary=f"{request.method} {request.path}"[:500],
                )
            response["X-Request-ID"] = rid[:36]
            return response
        finally:
            context.request_id.reset(token_id)
            context.client_ip.reset(token_ip)


def _division_of(user):
    organisation = getattr(user, "organisation", None) if getattr(user, "is_authenticated", False) else None
    return organisation.division_id if organisation is not None else None


def _names_an_object(request, user) -> bool:
    """A signed-in, scoped user asked for one object by its id or code."""
    match = getattr(request, "resolver_match", None)
    return bool(
        getattr(user, "is_authenticated", False)
        and not user.is_superuser
        and match is not None
        and set(match.kwargs) & {"pk", "code"}
    )
