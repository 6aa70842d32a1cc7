"""REST endpoints: the public seal check and the seal-use scope lists' items."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from divisions.selectors import division_for_code
from villageburden.api import ScopedReadOnlyViewSet

from .. import selectors
from ..models import SealUseItem
from . import serializers as s


class SealCheckView(APIView):
    """May a community seal in this division be put on this? Public."""

    permission_classes = [permissions.AllowAny]
    throttle_classes = [AnonRateThrottle]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "division", str, required=True, description="County or community code (2–12 digits)."
            ),
            OpenApiParameter(
                "q", str, required=True, description="What the seal would be put on, as people say it."
            ),
        ],
        responses=s.SealCheckAnswerSerializer,
    )
    def get(self, request):
        query = s.SealCheckQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        division = division_for_code(query.validated_data["division"])
        if division is None:
            raise NotFound(_("No division has this code."))
        return Response(selectors.check_answer(division, query.validated_data["q"]))


class SealUseItemViewSet(ScopedReadOnlyViewSet):
    """Items of published seal-use scope lists (and drafts inside a keeper's jurisdiction)."""

    queryset = SealUseItem.objects.select_related("version").order_by("version_id", "kind", "code")
    serializer_class = s.SealUseItemSerializer
    permission_classes = [permissions.AllowAny]
    throttle_classes = [AnonRateThrottle]
    filterset_fields = ["division", "kind", "code", "version__status"]
