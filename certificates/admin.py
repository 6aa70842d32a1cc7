"""The admin shows the certificate lists and register; every change is a service with its audit event."""

from django.contrib import admin

from .models import CertificateItem, CertificateList, CertificateRequest, DemandAction


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).restrict(request.user)


@admin.register(CertificateList)
class CertificateListAdmin(ReadOnly):
    list_display = ["name", "division", "guidance"]


@admin.register(CertificateItem)
class CertificateItemAdmin(ReadOnly):
    list_display = ["code", "name", "kind", "division", "version", "basis_missing"]
    list_filter = ["kind", "basis_missing"]


@admin.register(CertificateRequest)
class CertificateRequestAdmin(ReadOnly):
    # Only the masked ID number is ever shown; the hash and the encrypted value are not fields here.
    list_display = [
        "created",
        "village",
        "applicant_name",
        "id_masked",
        "certificate_name",
        "institution",
        "status",
    ]
    exclude = ["id_hash", "id_encrypted"]
    list_filter = ["status"]


@admin.register(DemandAction)
class DemandActionAdmin(ReadOnly):
    list_display = ["created", "county", "institution", "kind", "refusals"]
