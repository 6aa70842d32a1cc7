"""REST endpoints: published lists for everyone, drafts and workflow for keepers."""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.generics import get_object_or_404  # a malformed id is a 404, not a 500
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from listchanges.api import ProposalViewSetBase
from villageburden.api import ScopedModelViewSet, ServiceErrors

from .. import selectors, services
from ..choices import AppliesTo
from ..filtersets import CatalogueItemFilterSet
from ..models import Catalogue, CatalogueItem, CatalogueVersion, ChangeProposal
from .serializers import (
    AdoptSerializer,
    CatalogueItemSerializer,
    CatalogueSerializer,
    ChangeProposalSerializer,
    PublishSerializer,
)


class PreconditionFailed(APIException):
    status_code = 412
    default_detail = "The item changed since it was read."
    default_code = "precondition_failed"


class CatalogueViewSet(ServiceErrors, ScopedModelViewSet):
    """Catalogues: the public reads published ones; keepers open, publish and adopt."""

    http_method_names = ["get", "post", "head", "options"]

    queryset = Catalogue.objects.select_related("division").order_by("division_id")
    serializer_class = CatalogueSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    throttle_classes = [AnonRateThrottle]
    restrict_action_map = {
        **ScopedModelViewSet.restrict_action_map,
        "publish": "publish",
        "adopt": "change",
    }
    filterset_fields = ["division", "applies_to", "guidance"]

    def get_queryset(self):
        # The versions this caller may see, in one query for the whole page.
        visible = CatalogueVersion.objects.restrict(self.request.user).order_by("-number")
        return (
            super().get_queryset().prefetch_related(Prefetch("versions", visible, to_attr="visible_versions"))
        )

    def perform_create(self, serializer):
        v = serializer.validated_data
        serializer.instance = services.catalogue_create(
            division=v["division"],
            name=v["name"],
            guidance=v.get("guidance"),
            user=self.request.user,
            applies_to=v.get("applies_to", AppliesTo.VILLAGES),
        )

    @extend_schema(request=PublishSerializer, responses=CatalogueSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Publish the catalogue's draft with the date it takes effect."""
        catalogue = self.get_object()
        data = PublishSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        draft = get_object_or_404(
            CatalogueVersion.objects.restrict(request.user, "publish"), catalogue=catalogue, status="draft"
        )
        services.version_publish(version=draft, user=request.user, **data.validated_data)
        return Response(CatalogueSerializer(catalogue, context={"request": request}).data)

    @extend_schema(request=AdoptSerializer, responses=CatalogueSerializer)
    @action(detail=True, methods=["post"])
    def adopt(self, request, pk=None):
        """Adopt the province's published changes (all, or the given codes) into the draft."""
        catalogue = self.get_object()
        data = AdoptSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.guidance_adopt(catalogue=catalogue, user=request.user, codes=data.validated_data["codes"])
        return Response(CatalogueSerializer(catalogue, context={"request": request}).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("a", int, description="version number"),
            OpenApiParameter("b", int, description="version number"),
        ],
        responses=inline_serializer(
            "CatalogueComparison",
            {
                "code": serializers.CharField(),
                "change": serializers.ChoiceField(["added", "removed", "changed", "same"]),
                "fields": serializers.ListField(child=serializers.CharField()),
            },
            many=True,
        ),
    )
    @action(detail=True, methods=["get"])
    def compare(self, request, pk=None):
        """Compare two versions item by item."""
        catalogue = self.get_object()
        versions = CatalogueVersion.objects.restrict(request.user).filter(catalogue=catalogue)
        numbers = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
        try:
            a_number = numbers.run_validation(request.query_params.get("a"))
            b_number = numbers.run_validation(request.query_params.get("b"))
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({"a, b": exc.detail}) from exc
        a = get_object_or_404(versions, number=a_number)
        b = get_object_or_404(versions, number=b_number)
        rows = selectors.version_compare(a, b)
        return Response([{"code": r["code"], "change": r["change"], "fields": r["fields"]} for r in rows])


class CatalogueItemViewSet(ServiceErrors, ScopedModelViewSet):
    """Items. Without ``as_of`` or ``version``: the lists in force today."""

    queryset = CatalogueItem.objects.select_related("version").order_by("-pk")
    serializer_class = CatalogueItemSerializer
    filterset_class = CatalogueItemFilterSet
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    throttle_classes = [AnonRateThrottle]

    def filter_queryset(self, queryset):
        if self.action in ("retrieve", "update", "partial_update", "destroy"):
            return queryset  # a detail URL names one item; no default date applies
        return super().filter_queryset(queryset)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        catalogue_id = self.request.data.get("catalogue")
        catalogue = get_object_or_404(
            Catalogue.objects.restrict(self.request.user, "change"), pk=catalogue_id or 0
        )
        draft = services.draft_get_or_create(catalogue=catalogue, user=self.request.user)
        data.pop("version", None)
        serializer.instance = services.item_create(version=draft, data=data, user=self.request.user)

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        response = Response(self.get_serializer(instance).data)
        response["ETag"] = services.item_etag(instance)
        return response

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        try:
            serializer.instance = services.item_update(
                item=serializer.instance,
                data=data,
                user=self.request.user,
                if_match=self.request.headers.get("If-Match"),
            )
        except services.StaleItem as exc:
            raise PreconditionFailed(exc.messages[0]) from exc

    def update(self, request, *args, **kwargs):
        response = super().update(request, *args, **kwargs)
        if response.status_code == 200:
            response["ETag"] = services.item_etag(CatalogueItem.objects.get(pk=response.data["id"]))
        return response

    def perform_destroy(self, instance):
        services.item_delete(item=instance, user=self.request.user)


class ChangeProposalViewSet(ProposalViewSetBase):
    """Dynamic management: propose, consult, assess, approve or reject (each step recorded)."""

    procedure = services.PROCEDURE
    queryset = ChangeProposal.objects.select_related("proposed_by").prefetch_related("steps__actor")
    serializer_class = ChangeProposalSerializer
    filterset_fields = ["catalogue", "status", "action"]
