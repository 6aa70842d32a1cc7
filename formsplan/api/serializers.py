"""Serializers of the forms-plan API: shapes only; every write calls a service."""

from __future__ import annotations

from rest_framework import serializers

from ..choices import FieldKind
from ..models import FormAssignment, FormField, FormsPlan, PlanForm, UnplannedDemand


class FormsPlanSerializer(serializers.ModelSerializer):
    county_name = serializers.CharField(source="county.name", read_only=True)

    class Meta:
        model = FormsPlan
        fields = ["id", "county", "county_name", "year", "status", "approved_at"]
        read_only_fields = fields


class PlanOpenSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class ApproveSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class FormFieldSerializer(serializers.ModelSerializer):
    class Meta:
        model = FormField
        fields = ["id", "name", "kind", "key", "merged_into"]
        read_only_fields = fields


class PlanFormSerializer(serializers.ModelSerializer):
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    fields = FormFieldSerializer(many=True, read_only=True)

    class Meta:
        model = PlanForm
        fields = [
            "id",
            "plan",
            "name",
            "owner",
            "owner_name",
            "frequency",
            "minutes",
            "basis",
            "basis_missing",
            "status",
            "merged_into",
            "merged_at",
            "fields",
        ]
        read_only_fields = fields


class FieldInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=60)
    kind = serializers.ChoiceField(choices=FieldKind.choices, default=FieldKind.TEXT)


class FormRegisterSerializer(serializers.Serializer):
    plan = serializers.IntegerField(min_value=1, max_value=2**62)
    name = serializers.CharField(max_length=120)
    fields = FieldInputSerializer(many=True, allow_empty=True)
    frequency = serializers.IntegerField(min_value=1, max_value=366)
    minutes = serializers.IntegerField(min_value=1, max_value=1440, required=False, allow_null=True)
    basis = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class CollectedSerializer(serializers.Serializer):
    field_id = serializers.IntegerField()
    form = serializers.CharField()
    form_id = serializers.IntegerField()
    owner = serializers.CharField()
    field = serializers.CharField()


class DuplicateSerializer(serializers.Serializer):
    asked = serializers.CharField()
    key = serializers.CharField()
    label = serializers.CharField()
    collected = CollectedSerializer(many=True)


class FormRegisteredSerializer(serializers.Serializer):
    form = PlanFormSerializer()
    already_collected = DuplicateSerializer(many=True)


class MergeSerializer(serializers.Serializer):
    into = serializers.IntegerField(min_value=1, max_value=2**62)


class FormAssignmentSerializer(serializers.ModelSerializer):
    form_name = serializers.CharField(source="form.name", read_only=True)
    village_name = serializers.CharField(source="village.name", read_only=True)

    class Meta:
        model = FormAssignment
        fields = ["id", "form", "form_name", "village", "village_name", "frequency", "created"]
        read_only_fields = fields


class AssignSerializer(serializers.Serializer):
    form = serializers.IntegerField(min_value=1, max_value=2**62)
    villages = serializers.ListField(child=serializers.RegexField(r"^\d{12}$"), min_length=1, max_length=1000)


class AssignedSerializer(serializers.Serializer):
    assigned = serializers.IntegerField()


class UnplannedDemandSerializer(serializers.ModelSerializer):
    village_name = serializers.CharField(source="village.name", read_only=True)
    institution_name = serializers.CharField(source="institution.name", read_only=True)

    class Meta:
        model = UnplannedDemand
        fields = [
            "id",
            "village",
            "village_name",
            "form_name",
            "institution",
            "institution_name",
            "demanded_on",
            "note",
            "withdrawn_at",
            "withdrawal_reason",
            "created",
        ]
        read_only_fields = fields


class UnplannedRecordSerializer(serializers.Serializer):
    village = serializers.RegexField(r"^\d{12}$")
    form_name = serializers.CharField(max_length=120)
    institution_name = serializers.CharField(max_length=120)
    demanded_on = serializers.DateField()
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
