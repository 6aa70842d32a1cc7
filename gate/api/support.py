"""What every gate endpoint shares: OAuth2 scopes, service errors, ETag/If-Match, Idempotency-Key."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.http import Http404
from rest_framework import status
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from ..exceptions import GateError
from ..models import IdempotencyRecord


class PortalScope(BasePermission):
    """OAuth2 callers need the view's ``required_scopes``; session users pass (their role decides).

    ``required_scopes`` may be a dict by HTTP method ("safe" for GET/HEAD/OPTIONS).
    """

    message = "This token lacks the scope this endpoint needs."

    def has_permission(self, request, view) -> bool:
        token = request.auth
        if token is None or not hasattr(token, "is_valid"):
            return True
        scopes = getattr(view, "required_scopes", [])
        if isinstance(scopes, dict):
            scopes = scopes["safe"] if request.method in ("GET", "HEAD", "OPTIONS") else scopes["write"]
        return token.is_valid(list(scopes))


def error_response(exc: GateError) -> Response:
    body = {"code": exc.code, "detail": str(exc.message)}
    body.update({k: v for k, v in exc.details.items() if k not in body})
    return Response(body, status=exc.status)


def run_service(fn: Callable[[], Response], *, request=None, action: str = "", pk=None) -> Response:
    """Turn the gate's errors into responses: 403, 404, 409, 412, 422 (refusals are audited)."""
    from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError

    try:
        return fn()
    except GateError as exc:
        if request is not None:
            from ..services import refusal_record

            refusal_record(user=request.user, action=action, request_id=pk, error=exc)
        return error_response(exc)
    except ObjectDoesNotExist:
        raise Http404 from None
    except PermissionDenied as exc:
        return Response({"code": "not_permitted", "detail": str(exc)}, status=status.HTTP_403_FORBIDDEN)
    except ValidationError as exc:
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        return Response({"code": "invalid", "detail": detail}, status=422)


_ETAG = re.compile(r'^(?:W/)?"?(?:\d+-)?(\d+)"?$')


def if_match_version(request) -> int | None:
    """The version a client last saw, from ``If-Match: "<id>-<version>"`` (None if absent)."""
    raw = request.headers.get("If-Match", "").strip()
    if not raw or raw == "*":
        return None
    m = _ETAG.match(raw)
    if not m:
        return -1  # never matches: a malformed If-Match is a failed precondition
    return int(m.group(1))


def with_etag(response: Response, obj) -> Response:
    if obj is not None and hasattr(obj, "version"):
        response["ETag"] = f'"{obj.pk}-{obj.version}"'
    return response


def idempotent(request, handler: Callable[[], Response]) -> Response:
    """Run ``handler`` once per (user, Idempotency-Key); replay its stored response afterwards.

    The key is reserved before the work starts (a unique row), so two concurrent
    POSTs with one key cannot both act: the second gets 409 until the first ends.
    """
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        return handler()
    if len(key) > 100:
        return Response(
            {"code": "invalid_idempotency_key", "detail": "Idempotency-Key is too long."}, status=400
        )
    fingerprint = hashlib.sha256(
        f"{request.method} {request.path} {json.dumps(request.data, sort_keys=True, default=str)}".encode()
    ).hexdigest()
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(user=request.user, key=key, fingerprint=fingerprint)
    except IntegrityError:
        existing = IdempotencyRecord.objects.get(user=request.user, key=key)
        if existing.fingerprint != fingerprint:
            return Response(
                {
                    "code": "idempotency_key_reused",
                    "detail": "This Idempotency-Key was used for another request.",
                },
                status=422,
            )
        if existing.status_code is None:
            return Response(
                {"code": "idempotency_in_progress", "detail": "A request with this key is still running."},
                status=409,
            )
        response = Response(existing.body, status=existing.status_code)
        response["Idempotent-Replayed"] = "true"
        return response
    try:
        response = handler()
    except Exception:
        record.delete()
        raise
    if response.status_code >= 500:
        record.delete()
    else:
        record.status_code = response.status_code
        record.body = json.loads(json.dumps(response.data, default=str))
        record.save(update_fields=["status_code", "body"])
    return response
