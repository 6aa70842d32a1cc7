"""API shapes. Input serializers convert types; the rules are checked in signage.services."""

from __future__ import annotations

from rest_framework import serializers

from ..choices import Cleanup, Language, MechanismBasis
from ..models import PlaqueRule, Rectification, RuleSet, VillagePlaque, WorkingMechanism


class RuleSetSerializer(serializers.ModelSerializer):
    class Meta:
        model = RuleSet
        fields = [
            "id", "division", "number", "status", "effective_from", "title", "languages", "language_source",
            "others_allowed", "others_source", "one_room_one_plaque", "one_room_source", "note", "published_at",
        ]  # fmt: skip
        read_only_fields = fields


class PlaqueRuleSerializer(serializers.ModelSerializer):
    ruleset_number = serializers.IntegerField(source="ruleset.number", read_only=True)
    effective_from = serializers.DateField(source="ruleset.effective_from", read_only=True)
    shapes = serializers.JSONField(required=False)

    class Meta:
        model = PlaqueRule
        fields = [
            "id", "ruleset", "ruleset_number", "effective_from", "division", "placement", "kind", "order", "name",
            "organ", "required", "ground_colour", "text_colour", "typeface", "shapes", "size", "material", "note",
            "source",
        ]  # fmt: skip
        read_only_fields = ["id", "ruleset_number", "effective_from", "division"]
        extra_kwargs = {"ruleset": {"required": False}}


class VillagePlaqueSerializer(serializers.ModelSerializer):
    village = serializers.CharField(source="village_id", help_text="12-digit code of the village")
    village_name = serializers.CharField(source="village.name", read_only=True)
    languages = serializers.ListField(
        child=serializers.ChoiceField(Language.choices), required=False, help_text='e.g. ["zh", "mn"]'
    )
    photo = serializers.ImageField(
        required=False, write_only=True, help_text="JPEG, PNG or WebP, at most 10 MB"
    )
    has_photo = serializers.SerializerMethodField()
    open_rectifications = serializers.SerializerMethodField()

    class Meta:
        model = VillagePlaque
        fields = [
            "id", "village", "village_name", "rule_name", "text", "placement", "kind", "room", "owner_department",
            "shape", "width_cm", "height_cm", "ground_colour", "text_colour", "typeface", "material", "languages",
            "photo", "has_photo", "status", "removed_on", "removal_note", "version", "open_rectifications",
        ]  # fmt: skip
        read_only_fields = ["id", "village_name", "status", "removed_on", "removal_note", "version"]

    def get_has_photo(self, obj) -> bool:
        return bool(obj.photo)

    def get_open_rectifications(self, obj) -> list[dict]:
        return [
            {"kind": r.kind, "message": r.message, "source": r.source, "due_on": r.due_on.isoformat()}
            for r in obj.rectifications.all()
            if r.status == "open"
        ]


class PlaqueRemovalSerializer(serializers.Serializer):
    removed_on = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)
    photo = serializers.ImageField(required=False)


class RuleSetPublishSerializer(serializers.Serializer):
    effective_from = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class RuleSetDraftSerializer(serializers.Serializer):
    province = serializers.CharField(max_length=12)


class RectificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rectification
        fields = [
            "id", "village", "plaque", "kind", "rule_name", "message", "source", "status", "due_on",
            "owner_department", "escalated_on", "resolved_on", "resolution",
        ]  # fmt: skip
        read_only_fields = fields


class MechanismSerializer(serializers.ModelSerializer):
    village = serializers.CharField(source="village_id", help_text="12-digit code of the village")
    is_new = serializers.BooleanField(required=False, default=False)
    basis = serializers.ChoiceField(MechanismBasis.choices, required=False, default=MechanismBasis.NONE)

    class Meta:
        model = WorkingMechanism
        fields = [
            "id", "village", "name", "kind", "set_up_by", "basis", "basis_reference", "provides_staff",
            "provides_funding", "is_new", "status", "decision_reason", "cleanup", "cleanup_reason", "merged_into",
            "cleaned_on",
        ]  # fmt: skip
        read_only_fields = [
            "id",
            "status",
            "decision_reason",
            "cleanup",
            "cleanup_reason",
            "merged_into",
            "cleaned_on",
        ]


class MechanismDecideSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    reason = serializers.CharField(max_length=2000)
    reference = serializers.CharField(required=False, allow_blank=True, max_length=300)


class MechanismCleanupSerializer(serializers.Serializer):
    decision = serializers.ChoiceField([c for c in Cleanup.values if c])
    reason = serializers.CharField(max_length=300)
    merged_into = serializers.CharField(required=False, allow_blank=True, max_length=120)
