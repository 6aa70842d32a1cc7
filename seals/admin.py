"""The admin shows the seal-use scope lists; every change is a service with its audit event."""

from django.contrib import admin

from villageburden.admin_base import ReadOnlyScopedAdmin

from .models import SealList, SealListVersion, SealUseItem


@admin.register(SealList)
class SealListAdmin(ReadOnlyScopedAdmin):
    list_display = ["name", "division", "guidance"]


@admin.register(SealListVersion)
class SealListVersionAdmin(ReadOnlyScopedAdmin):
    list_display = ["seal_list", "number", "status", "effective_from"]
    list_filter = ["status"]


@admin.register(SealUseItem)
class SealUseItemAdmin(ReadOnlyScopedAdmin):
    list_display = ["code", "name", "kind", "basis_missing", "division"]
    list_filter = ["kind", "basis_missing"]
    search_fields = ["name", "common_names"]
