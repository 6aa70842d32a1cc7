"""REST: the task-division table (read in jurisdiction, the working team writes) and the reports (read, download)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.decorators import action

from divisions.models import Division, Level
from villageburden.api import ScopedModelViewSet, ScopedReadOnlyViewSet

from .. import services
from ..filtersets import PlanTaskFilterSet, ReportFilterSet
from ..models import PlanTask, Report
from .serializers import PlanTaskSerializer, PlanTaskUpdateSerializer, ReportSerializer


def _call(service, **kwargs):
    """Run a service: its ValidationError is a 400 by field, PermissionDenied a 403."""
    try:
        return service(**kwargs)
    except ValidationError as exc:
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        raise serializers.ValidationError(detail) from exc
    except PermissionDenied as exc:
        raise exceptions.PermissionDenied(str(exc)) from exc


class PlanTaskViewSet(ScopedModelViewSet):
    """The county's task-division table (任务分工一览表, seed 004 annex): tasks with status and progress."""

    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = PlanTask.objects.select_related("division").order_by("division_id", "number")
    serializer_class = PlanTaskSerializer
    filterset_class = PlanTaskFilterSet

    def get_serializer_class(self):
        return PlanTaskUpdateSerializer if self.action == "partial_update" else PlanTaskSerializer

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        code = str(data.pop("division_id", "")).ljust(12, "0")
        county = Division.objects.restrict(self.request.user).filter(code=code, level=Level.COUNTY).first()
        if county is None:
            raise serializers.ValidationError({"county": ["未找到该县（旗）。"]})
        serializer.instance = _call(
            services.plan_task_create, user=self.request.user, county=county, data=data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        version = data.pop("expected_version", None)
        serializer.instance = _call(
            services.plan_task_update,
            user=self.request.user,
            task_id=serializer.instance.pk,
            data=data,
            version=version,
        )


class ReportViewSet(ScopedReadOnlyViewSet):
    """Weekly reports (周报告) and monthly summaries (月小结) of the counties in jurisdiction."""

    queryset = Report.objects.select_related("division", "document").order_by("-period_end", "kind", "-id")
    serializer_class = ReportSerializer
    filterset_class = ReportFilterSet
    restrict_action_map = {**ScopedReadOnlyViewSet.restrict_action_map, "pdf": "view", "xlsx": "view"}

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        """The report as a PDF (Chinese fonts embedded)."""
        from documents.render import RendererUnavailable
        from documents.services import document_pdf

        report = self.get_object()
        if report.document is None:
            raise Http404
        try:
            content = document_pdf(document=report.document)
        except RendererUnavailable as exc:
            raise exceptions.APIException(str(exc)) from exc
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="report-{report.pk}.pdf"'
        return response

    @extend_schema(
        responses={
            (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiTypes.BINARY
        }
    )
    @action(detail=True, methods=["get"])
    def xlsx(self, request, pk=None):
        """The report's figures and the task-division table as an .xlsx."""
        report = self.get_object()
        if not report.xlsx:
            raise Http404
        return FileResponse(report.xlsx.open("rb"), as_attachment=True, filename=f"report-{report.pk}.xlsx")
