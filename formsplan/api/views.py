"""REST endpoints of the forms plan: plans (open, approve), forms (register, merge), assignments, unplanned demands.

Every list is scoped with ``restrict`` and cursor-paginated, with the rows'
relations joined or prefetched so a page costs a constant number of queries.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from divisions.models import Division, Level
from villageburden.api import ScopedReadOnlyViewSet, ServiceErrors

from .. import selectors, services
from ..models import FormAssignment, FormsPlan, PlanForm, UnplannedDemand
from . import serializers as s


class FormsPlanViewSet(ServiceErrors, ScopedReadOnlyViewSet):
    """The counties' annual forms plans; a county approver approves one with a reason."""

    queryset = FormsPlan.objects.select_related("county")
    serializer_class = s.FormsPlanSerializer
    filterset_fields = ["year", "status", "county"]
    restrict_action_map = {
        **ScopedReadOnlyViewSet.restrict_action_map,
        "approve": "approve",
        "create": "view",
    }

    @extend_schema(request=s.PlanOpenSerializer, responses={201: s.FormsPlanSerializer})
    def create(self, request):
        """Open (or return) the plan of the caller's county for a year."""
        data = s.PlanOpenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        division = request.user.jurisdiction
        if division is None or division.level != Level.COUNTY:
            raise PermissionDenied("Only a county's users open its plan.")
        plan = services.plan_get_or_create(
            county=division, year=data.validated_data["year"], user=request.user
        )
        return Response(self.get_serializer(plan).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ApproveSerializer, responses=s.FormsPlanSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve the year's plan (a reason is required); it is then fixed for the year."""
        data = s.ApproveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        plan = self.get_object()
        services.plan_approve(user=request.user, plan=plan, reason=data.validated_data["reason"])
        return Response(self.get_serializer(FormsPlan.objects.get(pk=plan.pk)).data)


class PlanFormViewSet(ServiceErrors, ScopedReadOnlyViewSet):
    """The forms of the plans, with their fields; departments register, the county merges."""

    queryset = PlanForm.objects.select_related("owner").prefetch_related("fields")
    serializer_class = s.PlanFormSerializer
    filterset_fields = ["plan", "status", "owner"]
    restrict_action_map = {**ScopedReadOnlyViewSet.restrict_action_map, "create": "view", "merge": "view"}

    @extend_schema(request=s.FormRegisterSerializer, responses={201: s.FormRegisteredSerializer})
    def create(self, request):
        """Register a form; the answer names the fields other forms of the plan already collect."""
        data = s.FormRegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        plan = get_object_or_404(FormsPlan.objects.restrict(request.user), pk=v["plan"])
        form = services.form_register(
            user=request.user,
            plan=plan,
            name=v["name"],
            fields=[dict(f) for f in v["fields"]],
            frequency=v["frequency"],
            basis=v["basis"],
            minutes=v.get("minutes"),
        )
        form = self.get_queryset().get(pk=form.pk)
        return Response(
            {"form": self.get_serializer(form).data, "already_collected": selectors.duplicates_of(form)},
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=s.MergeSerializer, responses=s.PlanFormSerializer)
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        """The county merges this form into another form of the same plan."""
        data = s.MergeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        form = self.get_object()
        into = get_object_or_404(self.get_queryset(), pk=data.validated_data["into"])
        services.form_merge(user=request.user, form=form, into=into)
        return Response(self.get_serializer(self.get_queryset().get(pk=form.pk)).data)


class FormAssignmentViewSet(ServiceErrors, ScopedReadOnlyViewSet):
    """Planned forms given to villages by their townships."""

    queryset = FormAssignment.objects.select_related("form", "village")
    serializer_class = s.FormAssignmentSerializer
    filterset_fields = ["form", "village"]
    restrict_action_map = {**ScopedReadOnlyViewSet.restrict_action_map, "create": "view"}

    @extend_schema(request=s.AssignSerializer, responses={201: s.AssignedSerializer})
    def create(self, request):
        data = s.AssignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        form = get_object_or_404(PlanForm.objects.restrict(request.user), pk=v["form"])
        villages = list(Division.objects.filter(pk__in=v["villages"], level=Level.VILLAGE))
        if len(villages) != len(set(v["villages"])):
            raise serializers.ValidationError({"villages": ["没有这个编码的村。"]})
        n = services.forms_assign(user=request.user, form=form, villages=villages)
        return Response({"assigned": n}, status=status.HTTP_201_CREATED)


class UnplannedDemandViewSet(ServiceErrors, ScopedReadOnlyViewSet):
    """Forms demanded of villages outside the approved plan; each counts against its institution."""

    queryset = UnplannedDemand.objects.select_related("village", "institution")
    serializer_class = s.UnplannedDemandSerializer
    filterset_fields = ["village", "institution"]
    restrict_action_map = {**ScopedReadOnlyViewSet.restrict_action_map, "create": "view"}

    @extend_schema(request=s.UnplannedRecordSerializer, responses={201: s.UnplannedDemandSerializer})
    def create(self, request):
        data = s.UnplannedRecordSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        village = Division.objects.filter(pk=v.pop("village"), level=Level.VILLAGE).first()
        if village is None:
            raise serializers.ValidationError({"village": ["没有这个编码的村。"]})
        demand = services.unplanned_demand_record(user=request.user, village=village, **v)
        return Response(self.get_serializer(demand).data, status=status.HTTP_201_CREATED)
