from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats
from simple_history.admin import SimpleHistoryAdmin

from spreadsheets import admin_formats
from spreadsheets.reading import SpreadsheetError

from . import services
from .duties import DutyUserAdminMixin
from .models import Organisation, User
from .resources import OrganisationResource, UserResource


class SpreadsheetAdminMixin(ImportExportMixin):
    """Bulk import and export through the resources (and so the services), the shared reader's limits,
    scoped to the person's jurisdiction; only those who may create the records one by one may import them."""

    import_formats = [admin_formats.XLSX, admin_formats.CSV]
    export_formats = [base_formats.XLSX, base_formats.CSV]
    to_encoding = "utf-8-sig"  # Excel opens a UTF-8 CSV with a BOM as Chinese

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {"actor": request.user}

    def has_import_permission(self, request):
        return services.may_administer(request.user) and self.has_add_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def add_data_read_fail_error_to_form(self, form, e):
        # The reader's own message (Chinese, with row and column); never an exception's name.
        message = (
            str(e) if isinstance(e, SpreadsheetError) else _("The file cannot be read as a spreadsheet.")
        )
        form.add_error("import_file", message)


@admin.register(Organisation)
class OrganisationAdmin(SpreadsheetAdminMixin, SimpleHistoryAdmin):
    resource_classes = [OrganisationResource]
    list_display = ["name", "code", "kind", "division"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    raw_id_fields = ["division"]

    def get_queryset(self, request):
        return super().get_queryset(request).restrict(request.user)


@admin.register(User)
class UserAdmin(DutyUserAdminMixin, SpreadsheetAdminMixin, DjangoUserAdmin, SimpleHistoryAdmin):
    resource_classes = [UserResource]
    list_display = ["username", "display_name", "role", "organisation", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "display_name"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (
            gettext_lazy("Registry"),
            {"fields": ("organisation", "role", "display_name", "phone", "api_scopes")},
        ),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (gettext_lazy("Registry"), {"fields": ("organisation", "role", "display_name")}),
    )
    raw_id_fields = ["organisation"]

    def get_queryset(self, request):
        return super().get_queryset(request).restrict(request.user)
