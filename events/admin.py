"""Read-only admin for webhooks: endpoints change through the API's services, deliveries are a log."""

from django.contrib import admin

from villageburden.admin_base import ReadOnlyScopedAdmin

from .models import WebhookAttempt, WebhookDelivery, WebhookEndpoint


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ReadOnlyScopedAdmin):
    list_display = ["url", "owner", "active", "disabled_at", "created"]
    list_filter = ["active"]
    exclude = ["secret_encrypted"]


class AttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyScopedAdmin):
    list_display = ["pk", "endpoint", "event_type", "status", "attempts", "next_attempt_at", "delivered_at"]
    list_filter = ["status", "event_type"]
    inlines = [AttemptInline]
