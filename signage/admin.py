from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import PlaqueRule


@admin.register(PlaqueRule)
class PlaqueRuleAdmin(SimpleHistoryAdmin):
    list_display = ["name", "division", "placement", "kind", "ground_colour", "text_colour", "order"]
    list_filter = ["placement", "kind"]
    search_fields = ["name"]
    raw_id_fields = ["division"]

    def get_queryset(self, request):
        return super().get_queryset(request).restrict(request.user)
