"""What the burden-account endpoints answer (documented in the OpenAPI schema)."""

from __future__ import annotations

from rest_framework import serializers

from villageburden.params import date_in_range


class QuerySerializer(serializers.Serializer):
    division = serializers.RegexField(
        r"^\d{12}$", required=False, help_text="12-digit division code; default: yours."
    )
    on = serializers.DateField(
        required=False, validators=[date_in_range], help_text="The date of the account (default today)."
    )
    baseline = serializers.DateField(
        required=False, validators=[date_in_range], help_text="The date to compare with."
    )


class RowsQuerySerializer(QuerySerializer):
    key = serializers.CharField(max_length=40, help_text="The line, e.g. catalog_autonomy.")


class ChangeSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    hours = serializers.FloatField()
    count_pct = serializers.FloatField(allow_null=True)
    hours_pct = serializers.FloatField(allow_null=True)


class LineSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    method = serializers.CharField()
    recorded = serializers.BooleanField(
        help_text="False: no record of this kind exists here (not the same as 0)."
    )
    count = serializers.IntegerField(allow_null=True)
    hours = serializers.FloatField(allow_null=True, help_text="Estimated hours a year (Standard Cost Model).")
    estimated = serializers.BooleanField(
        help_text="True when a documented default stood in for missing hours."
    )
    baseline_recorded = serializers.BooleanField()
    baseline_count = serializers.IntegerField(allow_null=True)
    baseline_hours = serializers.FloatField(allow_null=True)
    change = ChangeSerializer(allow_null=True)


class DivisionRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.IntegerField()


class AccountSerializer(serializers.Serializer):
    division = DivisionRefSerializer()
    on = serializers.DateField()
    baseline = serializers.DateField(allow_null=True)
    villages = serializers.IntegerField()
    lines = LineSerializer(many=True)
    totals = LineSerializer()


class RowSerializer(serializers.Serializer):
    village = serializers.CharField(allow_blank=True)
    village_name = serializers.CharField()
    what = serializers.CharField()
    count = serializers.IntegerField()
    hours = serializers.FloatField()
    estimated = serializers.BooleanField()
    basis = serializers.CharField()
    url = serializers.CharField(allow_blank=True)


class DrilldownSerializer(serializers.Serializer):
    division = DivisionRefSerializer()
    key = serializers.CharField()
    label = serializers.CharField()
    method = serializers.CharField()
    recorded = serializers.BooleanField()
    rows = RowSerializer(many=True)
    baseline_rows = RowSerializer(many=True)
    added = RowSerializer(many=True)
    removed = RowSerializer(many=True)
    truncated = serializers.BooleanField()
