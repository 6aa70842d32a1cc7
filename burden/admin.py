from django.contrib import admin

from villageburden.admin_base import ReadOnlyScopedAdmin

from .models import Summary


@admin.register(Summary)
class SummaryAdmin(ReadOnlyScopedAdmin):
    list_display = ("division", "on", "key", "count", "hours", "estimated", "recorded")
    list_filter = ("level", "on")
    search_fields = ("division__code", "key")
