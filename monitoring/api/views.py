"""REST endpoints: monitoring points (designated by the organisation department) and burden reports."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from organisations.models import User
from villageburden.api import ScopedModelViewSet, ServiceErrors

from .. import services
from ..filtersets import BurdenReportFilterSet, MonitoringPointFilterSet
from ..models import BurdenReport, MonitorAssignment, MonitoringPoint
from .serializers import (
    AssignmentSerializer,
    BurdenReportSerializer,
    CloseSerializer,
    EditSerializer,
    MonitorAssignSerializer,
    MonitorContactSerializer,
    MonitoringPointSerializer,
    WithdrawSerializer,
)


class MonitoringPointViewSet(ServiceErrors, ScopedModelViewSet):
    """Monitoring points: villages the county's organisation department designated, with their monitors."""

    http_method_names = ["get", "post", "head", "options"]
    queryset = MonitoringPoint.objects.select_related("village").order_by("village_id")
    serializer_class = MonitoringPointSerializer
    filterset_class = MonitoringPointFilterSet
    restrict_action_map = {
        **ScopedModelViewSet.restrict_action_map,
        "create": "view",
        "assign": "view",
        "end": "view",
        "contact": "view",
    }

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(
                Prefetch(
                    "assignments",
                    MonitorAssignment.objects.filter(active=True).select_related("monitor"),
                    to_attr="active_assignments",
                )
            )
        )

    def perform_create(self, serializer):
        point = services.point_designate(
            user=self.request.user,
            village=serializer.validated_data.get("village_id", ""),
            note=serializer.validated_data.get("note", ""),
        )
        point.active_assignments = []
        serializer.instance = point

    @extend_schema(request=MonitorAssignSerializer, responses=AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """Designate a monitor (by username) for the point."""
        point = self.get_object()
        data = MonitorAssignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        monitor = User.objects.restrict(request.user).filter(username=data.validated_data["monitor"]).first()
        if monitor is None:
            raise serializers.ValidationError({"monitor": [_("No such user in your jurisdiction.")]})
        assignment = services.monitor_assign(user=request.user, point_id=point.pk, monitor=monitor)
        return Response(AssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MonitorContactSerializer, responses=MonitorContactSerializer)
    @action(detail=True, methods=["post"], url_path=r"monitors/(?P<username>[^/]+)/contact")
    def contact(self, request, pk=None, username=None):
        """Record the name and mobile number of one of the point's monitors (stored encrypted; answered masked)."""
        point = self.get_object()
        assignment = (
            MonitorAssignment.objects.filter(point=point, active=True, monitor__username=username)
            .select_related("monitor")
            .first()
        )
        if assignment is None:
            raise Http404
        data = MonitorContactSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        contact = services.monitor_contact_record(
            user=request.user,
            monitor=assignment.monitor,
            name=data.validated_data["name"],
            phone=data.validated_data["phone"],
        )
        return Response({"name": contact.name, "phone_masked": contact.phone_masked})

    @extend_schema(request=None, responses=MonitoringPointSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """The village is no longer a monitoring point."""
        point = services.point_end(user=request.user, point_id=self.get_object().pk)
        return Response(MonitoringPointSerializer(self.get_queryset().get(pk=point.pk)).data)


class BurdenReportViewSet(ServiceErrors, ScopedModelViewSet):
    """Burden reports. Monitors file them (multipart with ``photos`` and ``files``, or JSON) about their points;
    the organisation department closes them with a finding, a reason and the correction made."""

    http_method_names = ["get", "post", "head", "options"]
    queryset = (
        BurdenReport.objects.select_related("village", "institution", "decision", "reporter")
        .prefetch_related("evidence", "revisions")
        .order_by("-created", "-id")
    )
    serializer_class = BurdenReportSerializer
    filterset_class = BurdenReportFilterSet
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    restrict_action_map = {
        **ScopedModelViewSet.restrict_action_map,
        "close": "view",
        "take_up": "view",
        "revise": "view",
        "withdraw": "view",
    }

    def perform_create(self, serializer):
        d = dict(serializer.validated_data)
        village = d.pop("village_id", "")
        institution = d.pop("institution_name", "")
        d.pop("photos", None)
        d.pop("files", None)
        serializer.instance = services.report_file(
            user=self.request.user,
            village=village,
            data=d,
            institution_name=institution,
            photos=self.request.FILES.getlist("photos"),
            files=self.request.FILES.getlist("files"),
        )

    @extend_schema(request=CloseSerializer, responses=BurdenReportSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close with a finding (substantiated or not), the reason and the correction made."""
        report = self.get_object()
        data = CloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.report_close(user=request.user, report_id=report.pk, **data.validated_data)
        report = self.get_queryset().get(pk=report.pk)
        return Response(BurdenReportSerializer(report, context={"request": request}).data)

    def _answer(self, request, report_id: int) -> Response:
        report = self.get_queryset().get(pk=report_id)
        return Response(BurdenReportSerializer(report, context={"request": request}).data)

    @extend_schema(request=None, responses=BurdenReportSerializer)
    @action(detail=True, methods=["post"], url_path="take-up")
    def take_up(self, request, pk=None):
        """The organisation department takes the report up: its reporter can no longer edit or withdraw it."""
        report = services.report_take_up(user=request.user, report_id=self.get_object().pk)
        return self._answer(request, report.pk)

    @extend_schema(request=EditSerializer, responses=BurdenReportSerializer)
    @action(detail=True, methods=["post"])
    def revise(self, request, pk=None):
        """The reporter corrects a report not yet taken up (the fields given; the change kept as a revision)."""
        report = self.get_object()
        data = EditSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        institution = values.pop("institution_name", None)
        services.report_edit(
            user=request.user, report_id=report.pk, data=values, institution_name=institution
        )
        return self._answer(request, report.pk)

    @extend_schema(request=WithdrawSerializer, responses=BurdenReportSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """The reporter withdraws a report not yet taken up, with a reason; the department is told."""
        report = self.get_object()
        data = WithdrawSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.report_withdraw(user=request.user, report_id=report.pk, reason=data.validated_data["reason"])
        return self._answer(request, report.pk)
