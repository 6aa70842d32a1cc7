from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..models import SealUseItem


class SealCheckQuerySerializer(serializers.Serializer):
    division = serializers.RegexField(
        r"^\d{2,12}$",
        help_text="A county or community statistical code.",
        error_messages={
            "invalid": _("Give a division code of 2 to 12 digits, such as 150223."),
            "required": _("Give the county or community code."),
            "blank": _("Give the county or community code."),
        },
    )
    q = serializers.CharField(
        max_length=100,
        help_text="What the community seal would be put on, as people say it.",
        error_messages={
            "required": _("Say what the seal would be put on."),
            "blank": _("Say what the seal would be put on."),
            "max_length": _("At most 100 characters."),
        },
    )


class SealCheckItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    list = serializers.ChoiceField(choices=["may", "may_not", "certificate"])


class SealCheckVersionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    effective_from = serializers.DateField()


class SealCheckDivisionSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class SealCheckAnswerSerializer(serializers.Serializer):
    answer = serializers.ChoiceField(choices=["may", "may_not", "unlisted"])
    query = serializers.CharField()
    division = SealCheckDivisionSerializer()
    item = SealCheckItemSerializer(allow_null=True)
    reason = serializers.CharField()
    conditions = serializers.CharField()
    basis = serializers.CharField()
    basis_missing = serializers.BooleanField()
    source = serializers.CharField()
    matched_name = serializers.CharField()
    score = serializers.FloatField()
    via = serializers.ChoiceField(choices=["seal_list", "certificate_list"])
    version = SealCheckVersionSerializer(allow_null=True)


class SealUseItemSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(source="version.number", read_only=True)
    effective_from = serializers.DateField(source="version.effective_from", read_only=True)

    class Meta:
        model = SealUseItem
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
            "conditions",
            "legal_basis",
            "basis_missing",
            "status",
            "source",
        ]
        read_only_fields = fields
