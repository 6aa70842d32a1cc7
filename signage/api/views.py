"""REST endpoints: rules (public read, provincial admins write drafts), inventories, rectifications, mechanisms."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from divisions.models import Division, Level
from villageburden.api import ScopedModelViewSet, ScopedReadOnlyViewSet, ServiceErrors

from .. import selectors, services
from ..filtersets import (
    MechanismFilterSet,
    PlaqueRuleFilterSet,
    RectificationFilterSet,
    VillagePlaqueFilterSet,
)
from ..models import PlaqueRule, Rectification, RuleSet, VillagePlaque, WorkingMechanism
from .serializers import (
    MechanismCleanupSerializer,
    MechanismDecideSerializer,
    MechanismSerializer,
    PlaqueRemovalSerializer,
    PlaqueRuleSerializer,
    RectificationSerializer,
    RuleSetDraftSerializer,
    RuleSetPublishSerializer,
    RuleSetSerializer,
    VillagePlaqueSerializer,
)


def _data(serializer) -> dict:
    d = dict(serializer.validated_data)
    d.pop("photo", None)
    d.pop("village_id", None)
    return d


class RuleSetViewSet(ServiceErrors, ScopedReadOnlyViewSet):
    """Versions of a province's plaque rules; published ones are public."""

    queryset = RuleSet.objects.order_by("division_id", "-number")
    serializer_class = RuleSetSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    throttle_classes = [AnonRateThrottle]
    filterset_fields = ["division", "status"]

    @extend_schema(request=RuleSetDraftSerializer, responses=RuleSetSerializer)
    @action(detail=False, methods=["post"])
    def draft(self, request):
        """Open the province's draft (a copy of its latest published version), or return the open one."""
        data = RuleSetDraftSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        province = (
            Division.objects.restrict(request.user)
            .filter(code=data.validated_data["province"].ljust(12, "0"), level=Level.PROVINCE)
            .first()
        )
        if province is None:
            raise Http404
        rs = services.ruleset_draft_open(user=request.user, province=province)
        return Response(RuleSetSerializer(rs).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RuleSetPublishSerializer, responses=RuleSetSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Publish the draft with the date it takes effect (today or later, after the version in force)."""
        rs = self.get_object()
        data = RuleSetPublishSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rs = services.ruleset_publish(user=request.user, ruleset_id=rs.pk, **data.validated_data)
        return Response(RuleSetSerializer(rs).data)


class PlaqueRuleViewSet(ServiceErrors, ScopedModelViewSet):
    """Plaque rules. Without ``ruleset`` or ``as_of``: the rules in force today. Writes go into a draft."""

    queryset = PlaqueRule.objects.select_related("ruleset").order_by(
        "division_id", "ruleset__number", "order"
    )
    serializer_class = PlaqueRuleSerializer
    filterset_class = PlaqueRuleFilterSet
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    throttle_classes = [AnonRateThrottle]

    def get_queryset(self):
        qs = super().get_queryset()
        if self.action == "list" and not {"ruleset", "as_of", "ruleset_status"} & set(
            self.request.query_params
        ):
            today = timezone.localdate()
            in_force = [
                rs.pk
                for p in RuleSet.objects.filter(status="published")
                .values_list("division_id", flat=True)
                .distinct()
                if (rs := selectors.ruleset_in_force(p, today)) is not None
            ]
            qs = qs.filter(ruleset_id__in=in_force)
        return qs

    def perform_create(self, serializer):
        ruleset = serializer.validated_data.get("ruleset")
        if ruleset is None:
            raise serializers.ValidationError({"ruleset": ["This field is required."]})
        data = {k: v for k, v in serializer.validated_data.items() if k != "ruleset"}
        serializer.instance = services.plaque_rule_create(
            user=self.request.user, ruleset_id=ruleset.pk, data=data
        )

    def perform_update(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k != "ruleset"}
        serializer.instance = services.plaque_rule_update(
            user=self.request.user, rule_id=serializer.instance.pk, data=data
        )

    def perform_destroy(self, instance):
        services.plaque_rule_delete(user=self.request.user, rule_id=instance.pk)


class VillagePlaqueViewSet(ServiceErrors, ScopedModelViewSet):
    """What hangs in a village. Township staff record (multipart with ``photo``, or JSON), correct and remove."""

    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = VillagePlaque.objects.select_related("village").order_by("village_id", "id")
    serializer_class = VillagePlaqueSerializer
    filterset_class = VillagePlaqueFilterSet
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    restrict_action_map = {**ScopedModelViewSet.restrict_action_map, "remove": "change"}

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(Prefetch("rectifications", Rectification.objects.filter(status="open")))
        )

    def perform_create(self, serializer):
        serializer.instance = services.village_plaque_record(
            user=self.request.user,
            village=serializer.validated_data.get("village_id", ""),
            data=_data(serializer),
            photo=self.request.FILES.get("photo"),
        )

    def perform_update(self, serializer):
        serializer.instance = services.village_plaque_update(
            user=self.request.user,
            plaque_id=serializer.instance.pk,
            data=_data(serializer),
            photo=self.request.FILES.get("photo"),
        )

    def get_serializer(self, *args, **kwargs):
        if self.action == "partial_update" or self.action == "update":
            kwargs["partial"] = True
        return super().get_serializer(*args, **kwargs)

    @extend_schema(request=PlaqueRemovalSerializer, responses=VillagePlaqueSerializer)
    @action(detail=True, methods=["post"])
    def remove(self, request, pk=None):
        """Record that the plaque was taken down (optionally with a photo)."""
        plaque = self.get_object()
        data = PlaqueRemovalSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        plaque = services.village_plaque_remove(
            user=request.user,
            plaque_id=plaque.pk,
            removed_on=data.validated_data.get("removed_on"),
            note=data.validated_data.get("note", ""),
            photo=request.FILES.get("photo"),
        )
        return Response(VillagePlaqueSerializer(plaque).data)


class RectificationViewSet(ServiceErrors, ScopedReadOnlyViewSet):
    """Rectification items from the compliance check (opened and resolved by the services, never by hand)."""

    queryset = Rectification.objects.order_by("due_on", "id")
    serializer_class = RectificationSerializer
    filterset_class = RectificationFilterSet


class MechanismViewSet(ServiceErrors, ScopedModelViewSet):
    """Village-level working mechanisms and dedicated posts: inventory, new requests, provincial decision, clean-up."""

    http_method_names = ["get", "post", "head", "options"]
    queryset = WorkingMechanism.objects.order_by("village_id", "id")
    serializer_class = MechanismSerializer
    filterset_class = MechanismFilterSet
    restrict_action_map = {**ScopedModelViewSet.restrict_action_map, "decide": "view", "cleanup": "view"}

    def perform_create(self, serializer):
        d = dict(serializer.validated_data)
        village = d.pop("village_id", "")
        is_new = d.pop("is_new", False)
        serializer.instance = services.mechanism_create(
            user=self.request.user, village=village, data=d, is_new=is_new
        )

    @extend_schema(request=MechanismDecideSerializer, responses=MechanismSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """Provincial admins approve (with the approval reference) or reject a new mechanism."""
        m = self.get_object()
        data = MechanismDecideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        m = services.mechanism_decide(user=request.user, mechanism_id=m.pk, **data.validated_data)
        return Response(MechanismSerializer(m).data)

    @extend_schema(request=MechanismCleanupSerializer, responses=MechanismSerializer)
    @action(detail=True, methods=["post"])
    def cleanup(self, request, pk=None):
        """Keep, merge or abolish, with a reason."""
        m = self.get_object()
        data = MechanismCleanupSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        m = services.mechanism_cleanup(user=request.user, mechanism_id=m.pk, **data.validated_data)
        return Response(MechanismSerializer(m).data)
