from rest_framework import serializers

from divisions.models import Division


class DivisionSerializer(serializers.ModelSerializer):
    level_display = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = Division
        fields = [
            "code",
            "name",
            "level",
            "level_display",
            "parent",
            "settlement_kind",
            "area_type",
            "is_central_village",
            "households",
            "service_floor_area",
        ]
        read_only_fields = ["code", "name", "level", "parent"]
