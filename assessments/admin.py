"""Read-only admin views of assessments; every change goes through the services (and their audit)."""

from django.contrib import admin

from .models import AssessmentItem, AssessmentList, IntegratedAssessment


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).restrict(request.user)


@admin.register(AssessmentList)
class AssessmentListAdmin(ReadOnly):
    list_display = ["name", "division", "applies_to"]


@admin.register(AssessmentItem)
class AssessmentItemAdmin(ReadOnly):
    list_display = ["code", "name", "kind", "owner", "frequency", "status", "version"]
    list_filter = ["kind", "status"]


@admin.register(IntegratedAssessment)
class IntegratedAssessmentAdmin(ReadOnly):
    list_display = ["township", "year", "status"]
