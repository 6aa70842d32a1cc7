"""The gate's REST API: access requests and their workflow actions, village tasks, screening.

Reads are scoped by ``restrict(user, action)``; every write is a service call
that re-checks jurisdiction and state inside its transaction. POSTs accept an
``Idempotency-Key``; changes accept ``If-Match`` with the ETag of the last read
(412 when stale); an action the request's state does not allow is 409.
"""

from __future__ import annotations

import django_filters
from django.core.validators import RegexValidator
from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from divisions.models import Division, Level
from villageburden.api import ScopedViewSetMixin
from villageburden.filters import FilterSet, IdFilter

from .. import services
from ..models import AccessRequest, ReviewOpinion, VillageTask
from ..screening import screen
from ..selectors import sees_screening_scores
from . import serializers as s
from .support import PortalScope, idempotent, if_match_version, run_service, with_etag

IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description='ETag of the last read, e.g. "12-3".',
)
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="Retry-safe POST: same key, same result.",
)
ERRORS = {
    403: OpenApiResponse(s.ErrorSerializer, description="Your role may not do this."),
    404: OpenApiResponse(description="Not in your jurisdiction."),
    409: OpenApiResponse(s.ErrorSerializer, description="The request's state does not allow this."),
    412: OpenApiResponse(
        s.ErrorSerializer, description="Stale If-Match: the request changed since you read it."
    ),
    422: OpenApiResponse(
        s.ErrorSerializer, description="Refused by the gate (negative list, scope, dates...)."
    ),
}


class AccessRequestFilter(FilterSet):
    status = django_filters.CharFilter()
    verdict = django_filters.CharFilter()
    division = django_filters.CharFilter(field_name="division_id")

    class Meta:
        model = AccessRequest
        fields = ["status", "verdict", "division"]


@extend_schema_view(
    list=extend_schema(summary="Access requests in your jurisdiction (departments: their own)"),
    retrieve=extend_schema(summary="One access request with its screening, opinions and decisions"),
)
class AccessRequestViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    queryset = AccessRequest.objects.select_related("division", "organisation").prefetch_related(
        "scope_divisions",
        Prefetch("opinions", queryset=ReviewOpinion.objects.select_related("reviewer", "organisation")),
        "decisions__decided_by",
    )
    serializer_class = s.AccessRequestSerializer
    filterset_class = AccessRequestFilter
    permission_classes = [IsAuthenticated, PortalScope]
    required_scopes = {"safe": ["submit"], "write": ["submit"]}
    # Workflow actions read the row in the user's view scope; the service checks the role.
    restrict_action_map = {**ScopedViewSetMixin.restrict_action_map, "partial_update": "view"}

    def get_queryset(self):
        if self.action not in ScopedViewSetMixin.restrict_action_map:
            return self.queryset.restrict(self.request.user, "view")
        return super().get_queryset()

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        return with_etag(Response(self.get_serializer(obj).data), obj)

    def _respond(self, pk, code=status.HTTP_200_OK) -> Response:
        obj = self.get_queryset().get(pk=pk)
        return with_etag(
            Response(s.AccessRequestSerializer(obj, context={"request": self.request}).data, status=code), obj
        )

    @extend_schema(
        summary="File a draft access request",
        request=s.AccessRequestInputSerializer,
        responses={201: s.AccessRequestSerializer, **ERRORS},
        parameters=[IDEMPOTENCY_KEY],
    )
    def create(self, request):
        def handler():
            data = s.AccessRequestInputSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            values = dict(data.validated_data)
            county = values.pop("division", None)
            if county is None:
                return Response({"division": ["This field is required."]}, status=400)
            scope = values.pop("scope_divisions", [])

            def act():
                req = services.access_request_create(
                    user=request.user, county=county, data=values, scope=scope
                )
                return self._respond(req.pk, status.HTTP_201_CREATED)

            return run_service(act, request=request, action="create")

        return idempotent(request, handler)

    @extend_schema(
        summary="Edit a draft (or a returned or blocked request)",
        request=s.AccessRequestInputSerializer(partial=True),
        responses={200: s.AccessRequestSerializer, **ERRORS},
        parameters=[IF_MATCH],
    )
    def partial_update(self, request, pk=None):
        obj = self.get_object()
        data = s.AccessRequestInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.pop("division", None)
        scope = values.pop("scope_divisions", None)

        def act():
            services.access_request_update(
                user=request.user,
                request_id=obj.pk,
                data=values,
                scope=scope,
                expected_version=if_match_version(request),
            )
            return self._respond(obj.pk)

        return run_service(act, request=request, action="update", pk=obj.pk)

    def _action(self, request, input_class, call):
        obj = self.get_object()

        def handler():
            data = input_class(data=request.data) if input_class else None
            if data is not None:
                data.is_valid(raise_exception=True)
            values = dict(data.validated_data) if data is not None else {}
            return run_service(
                lambda: call(obj, values, if_match_version(request)),
                request=request,
                action=self.action,
                pk=obj.pk,
            )

        return idempotent(request, handler)

    @extend_schema(
        summary="Submit: screen against the county's lists and start joint review (or stop at a block)",
        request=None,
        responses={200: s.AccessRequestSerializer, **ERRORS},
        parameters=[IF_MATCH, IDEMPOTENCY_KEY],
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        def call(obj, values, version):
            services.access_request_submit(user=request.user, request_id=obj.pk, expected_version=version)
            return self._respond(obj.pk)

        return self._action(request, None, call)

    @extend_schema(
        summary="Record the reviewing department's opinion",
        request=s.ReviewInputSerializer,
        responses={200: s.AccessRequestSerializer, **ERRORS},
        parameters=[IF_MATCH, IDEMPOTENCY_KEY],
    )
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        def call(obj, values, version):
            services.access_request_review(
                user=request.user, request_id=obj.pk, expected_version=version, **values
            )
            return self._respond(obj.pk)

        return self._action(request, s.ReviewInputSerializer, call)

    @extend_schema(
        summary="The county approves, rejects or returns the request",
        request=s.DecideInputSerializer,
        responses={200: s.AccessRequestSerializer, **ERRORS},
        parameters=[IF_MATCH, IDEMPOTENCY_KEY],
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        def call(obj, values, version):
            services.access_request_decide(
                user=request.user, request_id=obj.pk, expected_version=version, **values
            )
            return self._respond(obj.pk)

        return self._action(request, s.DecideInputSerializer, call)

    @extend_schema(
        summary="Withdraw a draft or a request under review",
        request=s.WithdrawInputSerializer,
        responses={200: s.AccessRequestSerializer, **ERRORS},
        parameters=[IF_MATCH, IDEMPOTENCY_KEY],
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        def call(obj, values, version):
            services.access_request_withdraw(
                user=request.user, request_id=obj.pk, expected_version=version, **values
            )
            return self._respond(obj.pk)

        return self._action(request, s.WithdrawInputSerializer, call)

    @extend_schema(
        summary="Dispatch an approved request: one task per village in scope",
        request=s.DispatchInputSerializer,
        responses={200: s.DispatchOutputSerializer, **ERRORS},
        parameters=[IF_MATCH, IDEMPOTENCY_KEY],
    )
    @action(detail=True, methods=["post"], url_path="dispatch", url_name="dispatch")
    def dispatch_tasks(self, request, pk=None):
        def call(obj, values, version):
            result = services.access_request_dispatch(
                user=request.user, request_id=obj.pk, expected_version=version, **values
            )
            return Response(s.DispatchOutputSerializer(result).data)

        return self._action(request, s.DispatchInputSerializer, call)

    @extend_schema(
        summary="Renew an approval that is about to lapse: a new linked draft",
        request=None,
        responses={201: s.AccessRequestSerializer, **ERRORS},
        parameters=[IDEMPOTENCY_KEY],
    )
    @action(detail=True, methods=["post"])
    def renew(self, request, pk=None):
        def call(obj, values, version):
            new = services.access_request_renew(user=request.user, request_id=obj.pk)
            return self._respond(new.pk, status.HTTP_201_CREATED)

        return self._action(request, None, call)

    @extend_schema(
        summary="Propose an approved standing assist task for the county's assist list",
        request=s.ProposeListingInputSerializer,
        responses={200: s.AccessRequestSerializer, **ERRORS},
        parameters=[IDEMPOTENCY_KEY],
    )
    @action(detail=True, methods=["post"], url_path="propose-listing")
    def propose_listing(self, request, pk=None):
        def call(obj, values, version):
            services.access_request_propose_listing(user=request.user, request_id=obj.pk, **values)
            return self._respond(obj.pk)

        return self._action(request, s.ProposeListingInputSerializer, call)


class VillageTaskFilter(FilterSet):
    status = django_filters.CharFilter()
    village = django_filters.CharFilter(field_name="village_id")
    access_request = IdFilter()
    catalogue_item = IdFilter()
    township = django_filters.CharFilter(
        method="in_township",
        help_text="A township's code (9 or 12 digits).",
        # A code that cannot be a township's is a 400, not an empty page.
        validators=[RegexValidator(r"^\d{9}(\d{3})?$")],
    )

    class Meta:
        model = VillageTask
        fields = ["status", "village", "access_request", "catalogue_item"]

    def in_township(self, queryset, name, value):
        prefix = value[:9]
        if not prefix.isdigit():
            return queryset.none()
        # gte/lte, not range: a foreign key supports only the comparison lookups.
        return queryset.filter(village__gte=prefix + "000", village__lte=prefix + "999")


@extend_schema_view(
    list=extend_schema(summary="Village tasks in your jurisdiction (departments: the ones they sent)"),
    retrieve=extend_schema(
        summary="One village task, with what its approved request or list item asks of the village"
    ),
)
class VillageTaskViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Read-only: tasks are created only by dispatching an approved request or a list item."""

    queryset = VillageTask.objects.select_related(
        "village", "organisation", "access_request__organisation", "catalogue_item"
    )
    serializer_class = s.VillageTaskSerializer
    filterset_class = VillageTaskFilter
    permission_classes = [IsAuthenticated, PortalScope]
    required_scopes = {"safe": ["submit"], "write": ["submit"]}
    restrict_action_map = {**ScopedViewSetMixin.restrict_action_map, "progress": "view"}

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        return with_etag(Response(self.get_serializer(obj).data), obj)

    @extend_schema(
        summary="Township staff record a village's progress",
        request=s.ProgressInputSerializer,
        responses={200: s.VillageTaskSerializer, **ERRORS},
        parameters=[IF_MATCH, IDEMPOTENCY_KEY],
    )
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        obj = self.get_object()

        def handler():
            data = s.ProgressInputSerializer(data=request.data)
            data.is_valid(raise_exception=True)

            def act():
                task = services.village_task_progress(
                    user=request.user,
                    task_id=obj.pk,
                    expected_version=if_match_version(request),
                    **data.validated_data,
                )
                task = self.get_queryset().get(pk=task.pk)
                return with_etag(Response(s.VillageTaskSerializer(task).data), task)

            return run_service(act)

        return idempotent(request, handler)


class ScreeningView(APIView):
    """Screen a task against a county's lists before (or without) filing it."""

    permission_classes = [IsAuthenticated, PortalScope]
    required_scopes = ["screen"]

    @extend_schema(
        summary="Screen a task: block, flag, listed or review, with the hits that explain it",
        request=s.ScreeningInputSerializer,
        responses={
            200: s.ScreeningOutputSerializer,
            404: OpenApiResponse(description="County not in scope."),
        },
    )
    def post(self, request):
        data = s.ScreeningInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        county = (
            Division.objects.restrict(request.user).filter(pk=v["division"].pk, level=Level.COUNTY).first()
        )
        if county is None:
            raise NotFound("No such county in your jurisdiction.")
        result = screen(
            county=county,
            title=v["title"],
            description=v["description"],
            village_role=v["village_role"],
            extra=v.get("materials", ""),
        )
        out = result.as_dict()
        if not sees_screening_scores(request.user):
            for hit in out["hits"]:
                hit["score"] = None
        return Response(out)


class ItemDispatchView(APIView):
    """Send work that is an active autonomy or assist item of the county's lists: no new approval."""

    permission_classes = [IsAuthenticated, PortalScope]
    required_scopes = ["submit"]

    @extend_schema(
        summary="Dispatch under a list item: one task per village of the county (or chosen townships/villages)",
        request=s.ItemDispatchInputSerializer,
        responses={200: s.DispatchOutputSerializer, **ERRORS},
        parameters=[IDEMPOTENCY_KEY],
    )
    def post(self, request):
        from catalogs.selectors import items_in_force

        def handler():
            data = s.ItemDispatchInputSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            v = data.validated_data
            county = (
                Division.objects.restrict(request.user)
                .filter(pk=v["division"].pk, level=Level.COUNTY)
                .first()
            )
            if county is None:
                raise NotFound("No such county in your jurisdiction.")
            item = items_in_force(county).filter(code=v["item"].strip().upper()).first()
            if item is None:
                return Response(
                    {
                        "code": "gate_refused",
                        "detail": "No active item with this code in the county's lists.",
                    },
                    status=422,
                )

            def act():
                result = services.catalogue_item_dispatch(
                    user=request.user,
                    item_id=item.pk,
                    county=county,
                    title=v["title"],
                    due_on=v["due_on"],
                    townships=v["townships"],
                    villages=v["villages"],
                )
                return Response(s.DispatchOutputSerializer(result).data)

            return run_service(act, request=request, action="item_dispatch")

        return idempotent(request, handler)
