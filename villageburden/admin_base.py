"""The admin base for records that change only through services: read-only and scoped.

Changes go through each app's services (one set of rules for pages, API,
admin and imports), so the admin shows rows but never adds, edits or deletes
them, and lists only what ``restrict(user, "view")`` lets the user see.
"""

from django.contrib import admin


class ReadOnlyScopedAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).restrict(request.user, "view")
