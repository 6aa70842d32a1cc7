"""The admin shows the gate; it never changes it (every change is a service with its audit event)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import AccessRequest, Decision, IdempotencyRecord, ReviewOpinion, VillageTask


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OpinionInline(ReadOnlyMixin, admin.TabularInline):
    model = ReviewOpinion
    extra = 0
    fields = ["round", "reviewer_kind", "reviewer", "opinion", "reason", "conditions", "created"]
    readonly_fields = fields


class DecisionInline(ReadOnlyMixin, admin.TabularInline):
    model = Decision
    extra = 0
    fields = ["round", "outcome", "reason", "decided_by", "valid_until", "created"]
    readonly_fields = fields


@admin.register(AccessRequest)
class AccessRequestAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["number", "title", "organisation", "division", "status", "verdict", "updated"]
    list_filter = ["status", "verdict", "village_role"]
    search_fields = ["number", "title"]
    inlines = [OpinionInline, DecisionInline]
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).restrict(request.user).select_related("organisation", "division")


@admin.register(VillageTask)
class VillageTaskAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Read-only: village tasks are created only by dispatching an approved request or a list item."""

    list_display = ["title", "village", "access_request", "catalogue_item", "due_on", "status", "progress"]
    list_filter = ["status"]
    search_fields = ["title", "village__name", "village__code"]
    raw_id_fields = ["village", "county", "access_request", "catalogue_item"]
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).restrict(request.user).select_related("village")


@admin.register(IdempotencyRecord)
class IdempotencyRecordAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["created", "user", "key", "status_code"]
