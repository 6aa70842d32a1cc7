"""The admin reads the registry; every change goes through the services (read-only, scoped)."""

from django.contrib import admin

from villageburden.admin_base import ReadOnlyScopedAdmin

from .models import CleanupDecision, WorkChannel


@admin.register(WorkChannel)
class WorkChannelAdmin(ReadOnlyScopedAdmin):
    list_display = ["name", "kind", "owner", "status", "ended_on"]
    list_filter = ["kind", "status"]
    search_fields = ["name"]


@admin.register(CleanupDecision)
class CleanupDecisionAdmin(ReadOnlyScopedAdmin):
    list_display = ["channel", "outcome", "effective_on", "decided_by"]
