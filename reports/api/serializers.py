"""API shapes. Input serializers convert types; the rules are checked in reports.services."""

from __future__ import annotations

from rest_framework import serializers

from ..models import PlanTask, Report


class PlanTaskSerializer(serializers.ModelSerializer):
    county = serializers.CharField(source="division_id", help_text="12-digit code of the county")
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = PlanTask
        fields = [
            "id", "county", "number", "task", "measure", "lead_units", "responsible_units", "deadline_text",
            "deadline", "status", "status_display", "progress", "source", "version", "updated",
        ]  # fmt: skip
        read_only_fields = ["id", "version", "updated", "status_display"]
        # The rules (required fields, lengths, a number once per county) live in services.plan_task_clean.
        extra_kwargs = {
            "number": {"validators": []},
            "task": {"required": False},
            "measure": {"required": False},
            "lead_units": {"required": False},
        }

    def get_validators(self):
        return []  # the unique number is checked by the service, in its transaction


class PlanTaskUpdateSerializer(PlanTaskSerializer):
    county = serializers.CharField(source="division_id", read_only=True)
    expected_version = serializers.IntegerField(
        required=False, write_only=True, help_text="The version you read; a stale edit is refused."
    )

    class Meta(PlanTaskSerializer.Meta):
        fields = [*PlanTaskSerializer.Meta.fields, "expected_version"]


class ReportSerializer(serializers.ModelSerializer):
    county = serializers.CharField(source="division_id")
    county_name = serializers.CharField(source="division.name")
    kind_display = serializers.CharField(source="get_kind_display")
    number = serializers.CharField(source="document.number", default="")
    pdf_url = serializers.SerializerMethodField()
    xlsx_url = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = [
            "id", "county", "county_name", "kind", "kind_display", "period_start", "period_end", "number",
            "figures", "pdf_url", "xlsx_url", "emailed_at", "created",
        ]  # fmt: skip
        read_only_fields = fields

    def get_pdf_url(self, obj: Report) -> str:
        return f"/api/v1/reports/{obj.pk}/pdf/"

    def get_xlsx_url(self, obj: Report) -> str:
        return f"/api/v1/reports/{obj.pk}/xlsx/"
