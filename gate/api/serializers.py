"""Serializers of the gate's API: output shapes, and one input serializer per workflow action."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from divisions.models import Division, Level

from ..choices import Frequency, Opinion, Outcome, ScopeKind, TaskStatus, Verdict, VillageRole
from ..models import AccessRequest, Decision, ReviewOpinion, VillageTask
from ..services import TEXT_LIMITS


def pad_code(code: str) -> str:
    code = (code or "").strip()
    return code.ljust(12, "0") if code.isdigit() and len(code) <= 12 else code


@extend_schema_field(OpenApiTypes.STR)
class DivisionCodeField(serializers.Field):
    """A division by its statistical code (``150223`` or ``150223000000``)."""

    default_error_messages = {"unknown": _("No division with code {code}.")}

    def __init__(self, *args, level: int | None = None, **kwargs):
        self.level = level
        super().__init__(*args, **kwargs)

    def to_internal_value(self, data):
        code = pad_code(str(data))
        division = Division.objects.filter(pk=code).first()
        if division is None or (self.level and division.level != self.level):
            self.fail("unknown", code=code)
        return division

    def to_representation(self, value):
        return value.code if isinstance(value, Division) else value


class HitSerializer(serializers.Serializer):
    item_code = serializers.CharField(
        help_text="Code of the list item (empty for a national negative matter)."
    )
    kind = serializers.ChoiceField(choices=["autonomy", "assist", "negative"])
    name = serializers.CharField()
    matched = serializers.ListField(child=serializers.CharField(), help_text="The words that matched.")
    score = serializers.FloatField(
        allow_null=True, help_text="The match score: null unless the caller is a county reviewer or approver."
    )
    clause = serializers.CharField(required=False, help_text="The policy clause of a negative matter.")


class ScreeningInputSerializer(serializers.Serializer):
    division = DivisionCodeField(level=Level.COUNTY, help_text="The county's code.")
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(allow_blank=True, default="", max_length=TEXT_LIMITS["description"])
    village_role = serializers.ChoiceField(choices=VillageRole.choices)
    materials = serializers.CharField(
        allow_blank=True, required=False, default="", max_length=TEXT_LIMITS["materials"]
    )


class ScreeningOutputSerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=["block", "flag", "listed", "review"])
    hits = HitSerializer(many=True)
    village_role = serializers.CharField()
    effective_role = serializers.CharField(
        help_text="responsible when the text itself makes the village the responsible subject."
    )
    responsible_phrases = serializers.ListField(child=serializers.CharField())


class OpinionSerializer(serializers.ModelSerializer):
    reviewer = serializers.StringRelatedField()
    organisation = serializers.StringRelatedField()

    class Meta:
        model = ReviewOpinion
        fields = [
            "round",
            "reviewer_kind",
            "organisation",
            "reviewer",
            "opinion",
            "reason",
            "conditions",
            "created",
        ]


class DecisionSerializer(serializers.ModelSerializer):
    decided_by = serializers.StringRelatedField()

    class Meta:
        model = Decision
        fields = ["round", "outcome", "reason", "decided_by", "valid_until", "created"]


class NullableVerdictField(serializers.ChoiceField):
    """The screening verdict, or null while the request has not been screened.

    The column keeps "" for "not screened yet"; the API says null, as its
    schema does (one of the verdicts, or null), never an empty string.
    """

    def __init__(self, **kwargs):
        super().__init__(choices=Verdict.choices, allow_null=True, read_only=True, **kwargs)

    def to_representation(self, value):
        return value or None


class AccessRequestSerializer(serializers.ModelSerializer):
    verdict = NullableVerdictField()
    division = serializers.CharField(source="division_id", read_only=True)
    division_name = serializers.CharField(source="division.name", read_only=True)
    organisation = serializers.StringRelatedField()
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    scope_divisions = serializers.SerializerMethodField()
    opinions = OpinionSerializer(many=True, read_only=True)
    decisions = DecisionSerializer(many=True, read_only=True)

    class Meta:
        model = AccessRequest
        fields = [
            "id",
            "number",
            "division",
            "division_name",
            "organisation",
            "status",
            "status_display",
            "version",
            "title",
            "description",
            "village_role",
            "legal_basis",
            "scope_kind",
            "scope_divisions",
            "starts_on",
            "ends_on",
            "frequency",
            "materials",
            "provides_funding",
            "provides_staff",
            "provides_equipment",
            "hours_per_village",
            "verdict",
            "screening",
            "round",
            "submitted_at",
            "review_due",
            "decision_due",
            "decided_at",
            "approved_until",
            "renews",
            "listing_proposed_at",
            "opinions",
            "decisions",
            "created",
            "updated",
        ]
        read_only_fields = fields

    def get_scope_divisions(self, obj) -> list[str]:
        return [d.code for d in obj.scope_divisions.all()]


class AccessRequestInputSerializer(serializers.Serializer):
    """Fields of a draft. ``division`` only on create."""

    division = DivisionCodeField(level=Level.COUNTY, required=False, help_text="The county's code.")
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=TEXT_LIMITS["description"])
    village_role = serializers.ChoiceField(choices=VillageRole.choices)
    legal_basis = serializers.CharField(
        allow_blank=True, required=False, default="", max_length=TEXT_LIMITS["legal_basis"]
    )
    scope_kind = serializers.ChoiceField(choices=ScopeKind.choices, default=ScopeKind.COUNTY)
    scope_divisions = serializers.ListField(
        child=DivisionCodeField(), required=False, help_text="Township or village codes (for those scopes)."
    )
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    frequency = serializers.ChoiceField(choices=Frequency.choices)
    materials = serializers.CharField(
        allow_blank=True, required=False, default="", max_length=TEXT_LIMITS["materials"]
    )
    provides_funding = serializers.CharField(allow_blank=True, required=False, default="", max_length=200)
    provides_staff = serializers.CharField(allow_blank=True, required=False, default="", max_length=200)
    provides_equipment = serializers.CharField(allow_blank=True, required=False, default="", max_length=200)
    hours_per_village = serializers.DecimalField(max_digits=7, decimal_places=1, min_value=0, default=0)


class ReviewInputSerializer(serializers.Serializer):
    opinion = serializers.ChoiceField(choices=Opinion.choices)
    reason = serializers.CharField(max_length=TEXT_LIMITS["reason"])
    conditions = serializers.CharField(
        allow_blank=True, required=False, default="", max_length=TEXT_LIMITS["conditions"]
    )


class DecideInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    reason = serializers.CharField(max_length=TEXT_LIMITS["reason"])
    valid_until = serializers.DateField(
        required=False, allow_null=True, help_text="Defaults to the task's end."
    )


class WithdrawInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        allow_blank=True, required=False, default="", max_length=TEXT_LIMITS["reason"]
    )


class DispatchInputSerializer(serializers.Serializer):
    due_on = serializers.DateField(
        required=False, allow_null=True, help_text="Defaults to the approval's end."
    )
    villages = serializers.ListField(
        child=DivisionCodeField(level=Level.VILLAGE), required=False, help_text="A part of the scope (codes)."
    )


class DispatchOutputSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    already = serializers.IntegerField()
    villages = serializers.IntegerField()


class ItemDispatchInputSerializer(serializers.Serializer):
    division = DivisionCodeField(level=Level.COUNTY, help_text="The county's code.")
    item = serializers.CharField(
        help_text="The list item's code in the county's lists in force (e.g. XZ-01)."
    )
    due_on = serializers.DateField()
    title = serializers.CharField(allow_blank=True, required=False, default="", max_length=200)
    townships = serializers.ListField(
        child=DivisionCodeField(level=Level.TOWNSHIP), required=False, default=list
    )
    villages = serializers.ListField(
        child=DivisionCodeField(level=Level.VILLAGE), required=False, default=list
    )


class ProposeListingInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=TEXT_LIMITS["reason"])


class TaskSourceRequestSerializer(serializers.ModelSerializer):
    """What an approved request asks of the village, as the village sees it."""

    organisation = serializers.StringRelatedField()
    frequency_display = serializers.CharField(source="get_frequency_display", read_only=True)

    class Meta:
        model = AccessRequest
        fields = [
            "id",
            "number",
            "organisation",
            "title",
            "description",
            "legal_basis",
            "starts_on",
            "ends_on",
            "frequency",
            "frequency_display",
            "materials",
            "provides_funding",
            "provides_staff",
            "provides_equipment",
            "hours_per_village",
            "approved_until",
        ]
        read_only_fields = fields


class VillageTaskSerializer(serializers.ModelSerializer):
    village_name = serializers.CharField(source="village.name", read_only=True)
    township = serializers.SerializerMethodField()
    organisation = serializers.StringRelatedField()
    source = serializers.SerializerMethodField()
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    # What the village is asked to do: the approved request's content, or the list item's.
    request = TaskSourceRequestSerializer(source="access_request", read_only=True, allow_null=True)
    item = serializers.SerializerMethodField()
    page = serializers.SerializerMethodField()

    class Meta:
        model = VillageTask
        fields = [
            "id",
            "village",
            "village_name",
            "township",
            "county",
            "title",
            "village_role",
            "organisation",
            "source",
            "starts_on",
            "due_on",
            "status",
            "status_display",
            "progress",
            "note",
            "version",
            "created",
            "updated",
            "request",
            "item",
            "page",
        ]
        read_only_fields = fields

    def get_item(self, obj) -> dict | None:
        item = obj.catalogue_item
        if item is None:
            return None
        return {
            "code": item.code,
            "name": item.name,
            "kind": item.kind,
            "content": item.content,
            "materials": item.materials,
            "frequency": item.frequency,
            "responsible_department": item.responsible_department,
        }

    def get_page(self, obj) -> str:
        return reverse("gate:task_detail", args=[obj.pk])

    def get_township(self, obj) -> str:
        return obj.village_id[:9] + "000"

    def get_source(self, obj) -> dict:
        if obj.access_request_id:
            return {"type": "request", "id": obj.access_request_id, "ref": obj.access_request.number}
        return {"type": "item", "id": obj.catalogue_item_id, "ref": obj.catalogue_item.code}


class ProgressInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[c for c in TaskStatus.choices if c[0] != TaskStatus.CANCELLED])
    progress = serializers.IntegerField(min_value=0, max_value=100, required=False)
    note = serializers.CharField(allow_blank=True, required=False, default="", max_length=500)


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()
