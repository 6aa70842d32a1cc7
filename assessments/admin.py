"""Read-only admin views of assessments; every change goes through the services (and their audit)."""

from django.contrib import admin

from listchanges.admin import PROPOSAL_LIST_DISPLAY, PROPOSAL_LIST_FILTER, steps_inline

# The read-only, jurisdiction-scoped admin base the certificate lists use (one shape for both).
from villageburden.admin_base import ReadOnlyScopedAdmin

from .models import (
    AssessmentChangeProposal,
    AssessmentItem,
    AssessmentList,
    AssessmentProposalStep,
    IntegratedAssessment,
)


@admin.register(AssessmentList)
class AssessmentListAdmin(ReadOnlyScopedAdmin):
    list_display = ["name", "division", "applies_to"]


@admin.register(AssessmentItem)
class AssessmentItemAdmin(ReadOnlyScopedAdmin):
    list_display = ["code", "name", "kind", "owner", "frequency", "status", "version"]
    list_filter = ["kind", "status"]


@admin.register(IntegratedAssessment)
class IntegratedAssessmentAdmin(ReadOnlyScopedAdmin):
    list_display = ["township", "year", "status"]


@admin.register(AssessmentChangeProposal)
class AssessmentChangeProposalAdmin(ReadOnlyScopedAdmin):
    list_display = [*PROPOSAL_LIST_DISPLAY, "assessment_list"]
    list_filter = PROPOSAL_LIST_FILTER
    inlines = [steps_inline(AssessmentProposalStep)]
