"""The admin reads the forms plan; every change goes through the services (read-only, scoped)."""

from django.contrib import admin

from villageburden.admin_base import ReadOnlyScopedAdmin

from .models import FormAssignment, FormsPlan, PlanForm, UnplannedDemand


@admin.register(FormsPlan)
class FormsPlanAdmin(ReadOnlyScopedAdmin):
    list_display = ["county", "year", "status", "approved_at"]
    list_filter = ["status", "year"]


@admin.register(PlanForm)
class PlanFormAdmin(ReadOnlyScopedAdmin):
    list_display = ["name", "owner", "plan", "frequency", "minutes", "status"]
    list_filter = ["status"]
    search_fields = ["name"]


@admin.register(FormAssignment)
class FormAssignmentAdmin(ReadOnlyScopedAdmin):
    list_display = ["form", "village", "frequency", "created"]


@admin.register(UnplannedDemand)
class UnplannedDemandAdmin(ReadOnlyScopedAdmin):
    list_display = ["form_name", "village", "institution", "demanded_on"]
    search_fields = ["form_name"]
