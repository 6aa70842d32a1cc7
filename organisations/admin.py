from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .duties import DutyUserAdminMixin
from .models import Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "kind", "division"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    raw_id_fields = ["division"]

    def get_queryset(self, request):
        return super().get_queryset(request).restrict(request.user)


@admin.register(User)
class UserAdmin(DutyUserAdminMixin, DjangoUserAdmin, SimpleHistoryAdmin):
    list_display = ["username", "display_name", "role", "organisation", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "display_name"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Registry"), {"fields": ("organisation", "role", "display_name", "phone", "api_scopes")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Registry"), {"fields": ("organisation", "role", "display_name")}),
    )
    raw_id_fields = ["organisation"]

    def get_queryset(self, request):
        return super().get_queryset(request).restrict(request.user)
