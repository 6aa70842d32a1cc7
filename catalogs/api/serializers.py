"""Serializers: shapes only. Every write calls a service."""

from __future__ import annotations

from rest_framework import serializers

from listchanges.api import proposal_serializer

from ..models import Catalogue, CatalogueItem, CatalogueVersion, ChangeProposal, ChangeProposalStepRecord
from ..validation import ITEM_FIELDS, item_clean


class VersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = CatalogueVersion
        fields = ["id", "number", "status", "effective_from", "published_at", "note", "guidance_version"]
        read_only_fields = fields


class CatalogueSerializer(serializers.ModelSerializer):
    division_name = serializers.CharField(source="division.name", read_only=True)
    versions = serializers.SerializerMethodField()

    class Meta:
        model = Catalogue
        fields = ["id", "division", "division_name", "applies_to", "name", "guidance", "versions"]
        read_only_fields = ["id", "division_name", "versions"]

    def get_versions(self, obj) -> list[dict]:
        versions = getattr(obj, "visible_versions", None)
        if versions is None:  # a single catalogue (after create or publish), not from the viewset's list
            request = self.context.get("request")
            user = getattr(request, "user", None)
            versions = CatalogueVersion.objects.restrict(user).filter(catalogue=obj).order_by("-number")
        return VersionSerializer(versions, many=True).data


class CatalogueItemSerializer(serializers.ModelSerializer):
    """An item; written into its catalogue's draft through the services."""

    catalogue = serializers.IntegerField(
        source="version.catalogue_id",
        required=False,
        help_text="On create: the catalogue whose draft gets the item.",
    )
    version_number = serializers.IntegerField(source="version.number", read_only=True)
    version_status = serializers.CharField(source="version.status", read_only=True)
    legal_basis = serializers.JSONField(required=False)
    department_provides = serializers.JSONField(required=False)
    hours_per_year = serializers.DecimalField(max_digits=7, decimal_places=1, required=False)

    class Meta:
        model = CatalogueItem
        fields = [
            "id",
            "catalogue",
            "version",
            "version_number",
            "version_status",
            "division",
            *ITEM_FIELDS,
            "basis_missing",
            "inherited_from",
            "updated",
        ]
        read_only_fields = [
            "id",
            "version",
            "version_number",
            "version_status",
            "division",
            "basis_missing",
            "inherited_from",
            "updated",
        ]
        extra_kwargs = {"code": {"required": False}}

    def validate(self, attrs):
        # The same rules as the form and the import (catalogs.validation).
        merged = {f: getattr(self.instance, f) for f in ITEM_FIELDS} if self.instance else {}
        merged.update({k: v for k, v in attrs.items() if k in ITEM_FIELDS})
        _values, errors = item_clean(merged, require_code=self.instance is not None)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class PublishSerializer(serializers.Serializer):
    effective_from = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class AdoptSerializer(serializers.Serializer):
    codes = serializers.ListField(
        child=serializers.CharField(), required=False, allow_null=True, default=None
    )


ChangeProposalSerializer = proposal_serializer(
    ChangeProposal, ChangeProposalStepRecord, "catalogue", "ChangeProposal"
)
