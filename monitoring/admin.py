"""Admin: read-only, scoped views; every change goes through monitoring.services."""

from django.contrib import admin

from villageburden.admin_base import ReadOnlyScopedAdmin

from .models import BurdenReport, MonitorAssignment, MonitoringPoint


@admin.register(MonitoringPoint)
class MonitoringPointAdmin(ReadOnlyScopedAdmin):
    list_display = ["village", "county", "active", "created"]
    list_filter = ["active"]


@admin.register(MonitorAssignment)
class MonitorAssignmentAdmin(ReadOnlyScopedAdmin):
    list_display = ["point", "monitor", "active"]


@admin.register(BurdenReport)
class BurdenReportAdmin(ReadOnlyScopedAdmin):
    # No reporter column: the admin is reachable by people who need not know who reported.
    list_display = ["pk", "kind", "village", "institution", "status", "seen_on", "due_on"]
    list_filter = ["kind", "status"]
    exclude = ["reporter"]
