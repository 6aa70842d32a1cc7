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
            if response.status_code == 403:
                user = getattr(request, "user", None)
                record_event(user, "access.denied", summary=f"{request.method} {request.path}"[:500])
            response["X-Request-ID"] = rid[:36]
            return response
        finally:
            context.request_id.reset(token_id)
            context.client_ip.reset(token_ip)
