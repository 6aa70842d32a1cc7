"""Admin: read-only views of the rules and inventories; every change goes through signage.services."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import PlaqueRule, Rectification, RuleSet, VillagePlaque, WorkingMechanism


class ReadOnlyScopedAdmin(SimpleHistoryAdmin):
    def get_queryset(self, request):
        return super().get_queryset(request).restrict(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RuleSet)
class RuleSetAdmin(ReadOnlyScopedAdmin):
    list_display = ["title", "division", "number", "status", "effective_from"]
    list_filter = ["status"]


@admin.register(PlaqueRule)
class PlaqueRuleAdmin(ReadOnlyScopedAdmin):
    list_display = ["name", "ruleset", "placement", "kind", "ground_colour", "text_colour", "order"]
    list_filter = ["placement", "kind"]
    search_fields = ["name"]


@admin.register(VillagePlaque)
class VillagePlaqueAdmin(ReadOnlyScopedAdmin):
    list_display = ["text", "village", "placement", "status", "removed_on"]
    list_filter = ["status", "placement"]
    search_fields = ["text", "village__name"]


@admin.register(Rectification)
class RectificationAdmin(ReadOnlyScopedAdmin):
    list_display = ["message", "village", "kind", "status", "due_on"]
    list_filter = ["status", "kind"]


@admin.register(WorkingMechanism)
class WorkingMechanismAdmin(ReadOnlyScopedAdmin):
    list_display = ["name", "village", "kind", "basis", "status", "cleanup"]
    list_filter = ["status", "basis", "kind"]
