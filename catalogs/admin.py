"""The admin reads the lists; it never edits them.

Every change to a catalogue goes through the services (and so through the
dynamic-management procedure and the audit trail); the admin is for looking
things up, and links to the pages where keepers make changes.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from listchanges.admin import PROPOSAL_LIST_DISPLAY, PROPOSAL_LIST_FILTER, steps_inline

from .models import (
    Catalogue,
    CatalogueItem,
    CatalogueVersion,
    ChangeProposal,
    ChangeProposalStepRecord,
    ImportJob,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).restrict(request.user)


@admin.register(Catalogue)
class CatalogueAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["name", "division", "guidance"]
    search_fields = ["name", "division__name", "division__code"]
    view_on_site = True


@admin.register(CatalogueVersion)
class CatalogueVersionAdmin(ReadOnlyAdmin):
    list_display = ["catalogue", "number", "status", "effective_from", "published_at", "published_by"]
    list_filter = ["status"]
    search_fields = ["catalogue__name"]


@admin.register(CatalogueItem)
class CatalogueItemAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["code", "name", "kind", "status", "version", "basis_missing"]
    list_filter = ["kind", "status", "basis_missing", "version__status"]
    search_fields = ["code", "name", "keywords"]
    list_select_related = ["version__catalogue"]
    show_full_result_count = False


@admin.register(ChangeProposal)
class ChangeProposalAdmin(ReadOnlyAdmin):
    list_display = [*PROPOSAL_LIST_DISPLAY, "catalogue"]
    list_filter = PROPOSAL_LIST_FILTER
    inlines = [steps_inline(ChangeProposalStepRecord)]


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    list_display = [
        "original_name",
        "catalogue",
        "status",
        "total_rows",
        "error_count",
        "created_by",
        "created",
    ]
    list_filter = ["status"]
