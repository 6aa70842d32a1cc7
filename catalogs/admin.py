"""The admin reads the lists; it never edits them.

Every change to a catalogue goes through the services (and so through the
dynamic-management procedure and the audit trail); the admin is for looking
things up, and links to the pages where keepers make changes.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from listchanges.admin import PROPOSAL_LIST_DISPLAY, PROPOSAL_LIST_FILTER, steps_inline
from villageburden.admin_base import ReadOnlyScopedAdmin

from .models import (
    Catalogue,
    CatalogueItem,
    CatalogueVersion,
    ChangeProposal,
    ChangeProposalStepRecord,
    ImportJob,
)


@admin.register(Catalogue)
class CatalogueAdmin(ReadOnlyScopedAdmin, SimpleHistoryAdmin):
    list_display = ["name", "division", "guidance"]
    search_fields = ["name", "division__name", "division__code"]
    view_on_site = True


@admin.register(CatalogueVersion)
class CatalogueVersionAdmin(ReadOnlyScopedAdmin):
    list_display = ["catalogue", "number", "status", "effective_from", "published_at", "published_by"]
    list_filter = ["status"]
    search_fields = ["catalogue__name"]


@admin.register(CatalogueItem)
class CatalogueItemAdmin(ReadOnlyScopedAdmin, SimpleHistoryAdmin):
    list_display = ["code", "name", "kind", "status", "version", "basis_missing"]
    list_filter = ["kind", "status", "basis_missing", "version__status"]
    search_fields = ["code", "name", "keywords"]
    list_select_related = ["version__catalogue"]
    show_full_result_count = False


@admin.register(ChangeProposal)
class ChangeProposalAdmin(ReadOnlyScopedAdmin):
    list_display = [*PROPOSAL_LIST_DISPLAY, "catalogue"]
    list_filter = PROPOSAL_LIST_FILTER
    inlines = [steps_inline(ChangeProposalStepRecord)]


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyScopedAdmin):
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
