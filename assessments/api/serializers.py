"""Serializers of the assessments API: the list, the township assessments, survey aggregates (never answers)."""

from __future__ import annotations

from rest_framework import serializers

from listchanges.api import proposal_serializer

from .. import selectors
from ..models import (
    AssessmentChangeProposal,
    AssessmentItem,
    AssessmentProposalStep,
    Criterion,
    IntegratedAssessment,
    Survey,
)


class AssessmentItemSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(source="version.number", read_only=True)
    effective_from = serializers.DateField(source="version.effective_from", read_only=True)
    applies_to = serializers.CharField(source="version.assessment_list.applies_to", read_only=True)

    class Meta:
        model = AssessmentItem
        fields = [
            "id",
            "division",
            "applies_to",
            "version",
            "effective_from",
            "code",
            "kind",
            "name",
            "common_names",
            "owner",
            "basis",
            "basis_missing",
            "frequency",
            "measures",
            "hours_per_occurrence",
            "status",
            "source",
        ]
        read_only_fields = fields


class TraceWarningSerializer(serializers.Serializer):
    word = serializers.CharField()
    what = serializers.CharField()
    rule = serializers.CharField()


class CriterionSerializer(serializers.ModelSerializer):
    trace_warnings = serializers.SerializerMethodField()

    class Meta:
        model = Criterion
        fields = ["id", "order", "name", "measures", "weight", "is_satisfaction", "trace_warnings"]
        read_only_fields = fields

    def get_trace_warnings(self, obj) -> list[dict[str, str]]:
        return TraceWarningSerializer(obj.warnings(), many=True).data


class IntegratedAssessmentSerializer(serializers.ModelSerializer):
    criteria = CriterionSerializer(many=True, read_only=True)
    questions = serializers.SlugRelatedField(many=True, read_only=True, slug_field="text")

    class Meta:
        model = IntegratedAssessment
        fields = [
            "id",
            "township",
            "county",
            "year",
            "method",
            "status",
            "published_at",
            "criteria",
            "questions",
        ]
        read_only_fields = fields


class SurveyResultSerializer(serializers.ModelSerializer):
    """A village's survey as aggregates only; nothing below the minimum group size."""

    responses = serializers.SerializerMethodField()
    shown = serializers.SerializerMethodField()
    satisfaction = serializers.SerializerMethodField()

    class Meta:
        model = Survey
        fields = ["id", "assessment", "village", "status", "closes_on", "responses", "shown", "satisfaction"]
        read_only_fields = fields

    def _figure(self, obj):
        cache = self.context.setdefault("figures", {})
        if obj.pk not in cache:
            cache[obj.pk] = selectors.survey_figure(obj)
        return cache[obj.pk]

    def get_responses(self, obj) -> int:
        return self._figure(obj).responses

    def get_shown(self, obj) -> bool:
        return self._figure(obj).shown

    def get_satisfaction(self, obj) -> float | None:
        return self._figure(obj).satisfaction


class ListedQuerySerializer(serializers.Serializer):
    division = serializers.RegexField(r"^\d{6}(\d{6})?$", help_text="A county's code (6 or 12 digits).")
    q = serializers.CharField(
        max_length=200, help_text="The assessment, evaluation or ranking as people say it."
    )


class ListedAnswerSerializer(serializers.Serializer):
    listed = serializers.BooleanField()
    item = AssessmentItemSerializer(allow_null=True)
    matched_name = serializers.CharField()
    score = serializers.FloatField()
    rule = serializers.CharField()


AssessmentProposalSerializer = proposal_serializer(
    AssessmentChangeProposal, AssessmentProposalStep, "assessment_list", "AssessmentProposal"
)
