"""The API's answers to errors, in the reader's language like the rest of it."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    """DRF's handler, with two messages it would give in English.

    Django's 404 names the model ("No VillagePlaque matches the given query."):
    it becomes DRF's own "not found", translated. A body that is not JSON gets a
    sentence saying so, not the parser's English (kept out of the answer).
    """
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, exceptions.ParseError) and str(exc.detail).startswith(
        ("JSON parse error", "JSON 解析错误")
    ):
        exc = exceptions.ParseError(
            _("The request body is not valid JSON: check its quotes, commas and brackets.")
        )
    return drf_exception_handler(exc, context)
