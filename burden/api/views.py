"""REST: the burden account of a division on a date against a baseline, and the rows behind a line."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from divisions.models import Division

from .. import registry, selectors
from . import serializers as s


def _division(request, code: str | None) -> Division:
    """The asked division inside the caller's jurisdiction (default: the caller's own); foreign is 404."""
    code = code or getattr(request.user.jurisdiction, "code", None)
    if not code:
        raise ValidationError({"division": [_("This field is required.")]})
    division = Division.objects.restrict(request.user).filter(code=code).first()
    if division is None:
        raise NotFound(_("No division with this code in your jurisdiction."))
    return division


def _ref(division: Division) -> dict:
    return {"code": division.code, "name": division.name, "level": division.level}


class BurdenAccountView(APIView):
    """The burden account (issue 11): each line's count and estimated hours a year, and the change."""

    @extend_schema(parameters=[s.QuerySerializer], responses=s.AccountSerializer)
    def get(self, request):
        q = s.QuerySerializer(data=request.query_params)
        q.is_valid(raise_exception=True)
        division = _division(request, q.validated_data.get("division"))
        result = selectors.account(
            division, q.validated_data.get("on") or timezone.localdate(), q.validated_data.get("baseline")
        )
        data = {
            "division": _ref(division),
            "on": result.on,
            "baseline": result.baseline,
            "villages": result.villages,
            "lines": [vars(line) for line in result.lines],
            "totals": vars(result.totals),
        }
        return Response(s.AccountSerializer(data).data)


class BurdenRowsView(APIView):
    """The rows behind one line ("why is this 52%?"): at the date, at the baseline, added and removed."""

    @extend_schema(parameters=[s.RowsQuerySerializer], responses=s.DrilldownSerializer)
    def get(self, request):
        q = s.RowsQuerySerializer(data=request.query_params)
        q.is_valid(raise_exception=True)
        division = _division(request, q.validated_data.get("division"))
        key = q.validated_data["key"]
        if key not in {line.key for line in registry.lines()}:
            raise ValidationError({"key": [_("No such line in the burden account.")]})
        drill = selectors.drilldown(
            division,
            key,
            q.validated_data.get("on") or timezone.localdate(),
            q.validated_data.get("baseline"),
        )
        drill = selectors.links_for(drill, request.user)
        return Response(s.DrilldownSerializer({"division": _ref(division), **vars(drill)}).data)
