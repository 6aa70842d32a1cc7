from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail is kept, not edited."""

    list_display = ["created", "actor_name", "action", "object_type", "object_repr", "division"]
    list_filter = ["action"]
    search_fields = ["actor_name", "object_repr", "summary", "object_id"]
    date_hierarchy = "created"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
