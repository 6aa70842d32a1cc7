from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Division


@admin.register(Division)
class DivisionAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "level", "settlement_kind", "area_type"]
    list_filter = ["level", "settlement_kind", "area_type"]
    search_fields = ["code", "name"]
    readonly_fields = ["code", "name", "level", "parent"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False  # divisions come from the statistical codes (import_divisions)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).restrict(request.user)
