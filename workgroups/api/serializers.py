"""Serializers of the registry API: shapes only; every write calls a service."""

from __future__ import annotations

from rest_framework import serializers

from ..choices import ChannelKind, CleanupOutcome
from ..models import ChannelVillage, CleanupDecision, WorkChannel


class ReachSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChannelVillage
        fields = ["village", "members"]
        read_only_fields = fields


class CleanupDecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = CleanupDecision
        fields = ["id", "outcome", "merge_into", "effective_on", "reason", "created"]
        read_only_fields = fields


class WorkChannelSerializer(serializers.ModelSerializer):
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    reach = ReachSerializer(many=True, read_only=True)
    decisions = CleanupDecisionSerializer(many=True, read_only=True)

    class Meta:
        model = WorkChannel
        fields = [
            "id",
            "county",
            "kind",
            "name",
            "owner",
            "owner_name",
            "purpose",
            "demands_checkin",
            "demands_screenshots",
            "demands_ranking",
            "status",
            "ended_on",
            "merged_into",
            "reach",
            "decisions",
        ]
        read_only_fields = fields


class ChannelRegisterSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ChannelKind.choices)
    name = serializers.CharField(max_length=120)
    owner_name = serializers.CharField(max_length=120)
    purpose = serializers.CharField(max_length=300)
    demands_checkin = serializers.BooleanField(default=False)
    demands_screenshots = serializers.BooleanField(default=False)
    demands_ranking = serializers.BooleanField(default=False)
    villages = serializers.DictField(
        child=serializers.IntegerField(min_value=0, max_value=100000),
        help_text="Village code → members or users there.",
    )


class DecideSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=CleanupOutcome.choices)
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    effective_on = serializers.DateField()
    merge_into = serializers.IntegerField(min_value=1, max_value=2**62, required=False, allow_null=True)
