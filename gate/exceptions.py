"""Errors the gate's services raise; the API and views turn them into responses."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class GateError(Exception):
    """A refused operation. ``code`` is stable for API clients; ``message`` is for people."""

    code = "refused"
    status = 400

    def __init__(self, message=None, *, details: dict | None = None):
        self.message = message or _("The operation was refused.")
        self.details = details or {}
        super().__init__(str(self.message))


class NotPermitted(GateError):
    code = "not_permitted"
    status = 403


class InvalidTransition(GateError):
    """The request is not in a state that allows this (HTTP 409)."""

    code = "invalid_state"
    status = 409


class StaleVersion(GateError):
    """The client changed an older version than the current one (HTTP 412)."""

    code = "stale_version"
    status = 412


class GateRefused(GateError):
    """The gate itself says no: negative list, scope, dates, county (HTTP 422)."""

    code = "gate_refused"
    status = 422
