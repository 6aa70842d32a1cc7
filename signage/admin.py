"""Admin: read-only views of the rules and inventories; every change goes through signage.services."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from villageburden.admin_base import ReadOnlyScopedAdmin

from .models import PlaqueRule, Rectification, RuleSet, VillagePlaque, WorkingMechanism


class ReadOnlyHistoryAdmin(ReadOnlyScopedAdmin, SimpleHistoryAdmin):
    """Read-only and scoped, with each row's history."""


@admin.register(RuleSet)
class RuleSetAdmin(ReadOnlyHistoryAdmin):
    list_display = ["title", "division", "number", "status", "effective_from"]
    list_filter = ["status"]


@admin.register(PlaqueRule)
class PlaqueRuleAdmin(ReadOnlyHistoryAdmin):
    list_display = ["name", "ruleset", "placement", "kind", "ground_colour", "text_colour", "order"]
    list_filter = ["placement", "kind"]
    search_fields = ["name"]


@admin.register(VillagePlaque)
class VillagePlaqueAdmin(ReadOnlyHistoryAdmin):
    list_display = ["text", "village", "placement", "status", "removed_on"]
    list_filter = ["status", "placement"]
    search_fields = ["text", "village__name"]


@admin.register(Rectification)
class RectificationAdmin(ReadOnlyHistoryAdmin):
    list_display = ["message", "village", "kind", "status", "due_on"]
    list_filter = ["status", "kind"]


@admin.register(WorkingMechanism)
class WorkingMechanismAdmin(ReadOnlyHistoryAdmin):
    list_display = ["name", "village", "kind", "basis", "status", "cleanup"]
    list_filter = ["status", "basis", "kind"]
