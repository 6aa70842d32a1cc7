"""API shapes. Input serializers convert types; the rules are checked in monitoring.services."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..choices import Finding, ReportKind
from ..models import BurdenReport, Evidence, MonitorAssignment, MonitoringPoint, ReportRevision


class MonitoringPointSerializer(serializers.ModelSerializer):
    village = serializers.CharField(source="village_id", help_text="12-digit code of the village")
    village_name = serializers.CharField(source="village.name", read_only=True)
    monitors = serializers.SerializerMethodField()

    class Meta:
        model = MonitoringPoint
        fields = ["id", "village", "village_name", "county", "active", "note", "monitors", "created"]
        read_only_fields = ["id", "village_name", "county", "active", "monitors", "created"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_monitors(self, obj) -> list[str]:
        return [a.monitor.username for a in obj.active_assignments]


class MonitorAssignSerializer(serializers.Serializer):
    monitor = serializers.CharField(help_text="username of a user with the monitor role")


class AssignmentSerializer(serializers.ModelSerializer):
    monitor = serializers.CharField(source="monitor.username")

    class Meta:
        model = MonitorAssignment
        fields = ["id", "point", "monitor", "active"]


class EvidenceSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = ["id", "kind", "name", "content_type", "url"]

    def get_url(self, obj) -> str:
        from django.urls import reverse

        return reverse("monitoring:evidence", args=[obj.pk])


class ReportChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    before = serializers.CharField()
    after = serializers.CharField()


class RevisionSerializer(serializers.ModelSerializer):
    """One correction by the reporter (who made it is not repeated: the reporter is shown as on the report)."""

    changes = ReportChangeSerializer(many=True, read_only=True)

    class Meta:
        model = ReportRevision
        fields = ["id", "created", "changes"]


class BurdenReportSerializer(serializers.ModelSerializer):
    """A report. ``reporter`` is filled only for the reporter and, when not anonymous, the handlers."""

    village = serializers.CharField(
        source="village_id", help_text="12-digit code of one of your monitoring points"
    )
    village_name = serializers.CharField(source="village.name", read_only=True)
    kind = serializers.ChoiceField(ReportKind.choices)
    institution_name = serializers.CharField(
        write_only=True,
        max_length=120,
        help_text="the institution that placed the burden (named in the register)",
    )
    institution = serializers.CharField(source="institution.name", read_only=True)
    institution_id = serializers.IntegerField(read_only=True)
    photos = serializers.ListField(
        child=serializers.ImageField(),
        required=False,
        write_only=True,
        help_text="JPEG, PNG or WebP, ≤ 10 MB each",
    )
    files = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        write_only=True,
        help_text="PDF, OFD, Word, Excel, WPS, JPEG, PNG",
    )
    # Anonymous unless the monitor says otherwise, in JSON and in multipart alike (DRF reads a
    # missing multipart checkbox as False without an explicit default).
    anonymous = serializers.BooleanField(default=True)
    evidence = EvidenceSerializer(many=True, read_only=True)
    revisions = RevisionSerializer(many=True, read_only=True)
    reporter = serializers.SerializerMethodField()
    finding = serializers.CharField(source="decision.outcome", read_only=True, default=None, allow_null=True)
    reason = serializers.CharField(source="decision.reason", read_only=True, default=None, allow_null=True)
    correction = serializers.CharField(
        source="decision.correction", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = BurdenReport
        fields = [
            "id", "village", "village_name", "kind", "institution_name", "institution", "institution_id",
            "description", "seen_on", "hours", "visitors", "visitor_count", "asked", "form_name", "anonymous",
            "photos", "files", "evidence", "reporter", "status", "due_on", "taken_up_at", "closed_at",
            "withdrawn_at", "withdrawal_reason", "finding", "reason", "correction", "revisions", "created",
        ]  # fmt: skip
        read_only_fields = [
            "id", "village_name", "status", "due_on", "taken_up_at", "closed_at", "withdrawn_at",
            "withdrawal_reason", "created",
        ]  # fmt: skip

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_reporter(self, obj) -> str | None:
        request = self.context.get("request")
        if request is not None and obj.reporter_shown_to(request.user):
            return obj.reporter.username
        return None


class CloseSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(Finding.choices)
    reason = serializers.CharField(allow_blank=True)
    correction = serializers.CharField(required=False, allow_blank=True, default="")


class EditSerializer(serializers.Serializer):
    """A correction: any of the report's fields (left out: unchanged). The rules are the filing's."""

    kind = serializers.CharField(required=False, help_text="one of the report kinds (checked by the service)")
    institution_name = serializers.CharField(required=False, max_length=120)
    description = serializers.CharField(required=False, allow_blank=True)
    seen_on = serializers.DateField(required=False)
    hours = serializers.DecimalField(max_digits=6, decimal_places=1, required=False, allow_null=True)
    form_name = serializers.CharField(required=False, allow_blank=True)
    visitors = serializers.CharField(required=False, allow_blank=True)
    visitor_count = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=999)
    asked = serializers.CharField(required=False, allow_blank=True)
    anonymous = serializers.BooleanField(required=False)


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)


class MonitorContactSerializer(serializers.Serializer):
    """A monitor's name and mobile number (write only: the number is never read back in full)."""

    name = serializers.CharField(allow_blank=True)
    phone = serializers.CharField(allow_blank=True, write_only=True)
    phone_masked = serializers.CharField(read_only=True)
