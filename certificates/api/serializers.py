"""Serializers of the certificate API: output shapes, and input checked by the services."""

from __future__ import annotations

from django.utils import timezone
from rest_framework import serializers

from ..choices import DemandActionKind
from ..models import CertificateItem, CertificateRequest


class CheckQuerySerializer(serializers.Serializer):
    division = serializers.RegexField(r"^\d{2,12}$", help_text="A county or village statistical code.")
    q = serializers.CharField(max_length=100, help_text="The certificate as people say it.")


class CheckItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    list = serializers.ChoiceField(choices=["negative", "retained"])
    source = serializers.CharField()


class CheckVersionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    effective_from = serializers.DateField()


class CheckDivisionSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class CheckAnswerSerializer(serializers.Serializer):
    answer = serializers.ChoiceField(choices=["no", "yes", "unlisted"])
    query = serializers.CharField()
    division = CheckDivisionSerializer()
    item = CheckItemSerializer(allow_null=True)
    reason = serializers.CharField()
    alternative = serializers.CharField()
    alternative_route = serializers.CharField()
    basis = serializers.CharField()
    basis_missing = serializers.BooleanField()
    materials = serializers.CharField()
    procedure = serializers.CharField()
    time_limit = serializers.CharField()
    matched_name = serializers.CharField()
    score = serializers.FloatField()
    version = CheckVersionSerializer(allow_null=True)


class CertificateItemSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(source="version.number", read_only=True)
    effective_from = serializers.DateField(source="version.effective_from", read_only=True)

    class Meta:
        model = CertificateItem
        fields = [
            "id",
            "division",
            "version",
            "effective_from",
            "code",
            "kind",
            "name",
            "common_names",
            "reason",
            "alternative_route",
            "alternative",
            "legal_basis",
            "basis_missing",
            "purpose",
            "conditions",
            "materials",
            "procedure",
            "time_limit_days",
            "status",
            "source",
        ]
        read_only_fields = fields


class CertificateRequestSerializer(serializers.ModelSerializer):
    """A register row: the ID number only ever masked."""

    village_name = serializers.CharField(source="village.name", read_only=True)
    institution = serializers.CharField(source="institution.name", read_only=True)
    item_code = serializers.CharField(source="item.code", read_only=True, default=None)
    document_number = serializers.CharField(source="document.number", read_only=True, default=None)
    document_url = serializers.SerializerMethodField()

    COLUMNS = (
        "id",
        "created",
        "village__name",
        "applicant_name",
        "id_masked",
        "certificate_name",
        "item__code",
        "purpose",
        "institution__name",
        "status",
        "due_on",
        "handled_at",
        "document__number",
        "village_id",
        "county_id",
        "recorded_by_id",
        "handled_by_id",
    )

    class Meta:
        model = CertificateRequest
        fields = [
            "id",
            "created",
            "village",
            "village_name",
            "applicant_name",
            "id_masked",
            "certificate_name",
            "item_code",
            "purpose",
            "institution",
            "status",
            "due_on",
            "handled_at",
            "document_number",
            "document_url",
        ]
        read_only_fields = fields

    def get_document_url(self, obj) -> str | None:
        return f"/documents/{obj.document_id}.pdf" if obj.document_id else None


# The list endpoint reads these columns as values and builds the serializer's shape directly.
VALUE_COLUMNS = (
    "id",
    "created",
    "village_id",
    "village__name",
    "applicant_name",
    "id_masked",
    "certificate_name",
    "item__code",
    "purpose",
    "institution__name",
    "status",
    "due_on",
    "handled_at",
    "document__number",
    "document_id",
)


def _dt(value):
    return timezone.localtime(value).isoformat() if value is not None else None


def row_from_values(row: dict) -> dict:
    return {
        "id": row["id"],
        "created": _dt(row["created"]),
        "village": row["village_id"],
        "village_name": row["village__name"],
        "applicant_name": row["applicant_name"],
        "id_masked": row["id_masked"],
        "certificate_name": row["certificate_name"],
        "item_code": row["item__code"],
        "purpose": row["purpose"],
        "institution": row["institution__name"],
        "status": row["status"],
        "due_on": row["due_on"].isoformat() if row["due_on"] else None,
        "handled_at": _dt(row["handled_at"]),
        "document_number": row["document__number"],
        "document_url": f"/documents/{row['document_id']}.pdf" if row["document_id"] else None,
    }


class RequestCreateSerializer(serializers.Serializer):
    village = serializers.RegexField(r"^\d{12}$")
    applicant_name = serializers.CharField(max_length=60)
    id_number = serializers.CharField(max_length=30, write_only=True)
    certificate_name = serializers.CharField(max_length=100)
    purpose = serializers.CharField(max_length=200)
    institution_name = serializers.CharField(max_length=120)
    item_code = serializers.CharField(max_length=20, required=False, allow_blank=True)
    due_on = serializers.DateField(required=False, allow_null=True)


class IssueSerializer(serializers.Serializer):
    facts = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class RefuseSerializer(serializers.Serializer):
    item_code = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")


class CommitSerializer(serializers.Serializer):
    statement = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class DemandActionSerializer(serializers.Serializer):
    institution = serializers.IntegerField(min_value=1, max_value=2**62)
    kind = serializers.ChoiceField(choices=DemandActionKind.choices)
    period_from = serializers.DateField()
    period_to = serializers.DateField()
    text = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
