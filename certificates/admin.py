"""The admin shows the certificate lists and register; every change is a service with its audit event."""

from django.contrib import admin

from villageburden.admin_base import ReadOnlyScopedAdmin

from .models import CertificateItem, CertificateList, CertificateRequest, DemandAction


@admin.register(CertificateList)
class CertificateListAdmin(ReadOnlyScopedAdmin):
    list_display = ["name", "division", "guidance"]


@admin.register(CertificateItem)
class CertificateItemAdmin(ReadOnlyScopedAdmin):
    list_display = ["code", "name", "kind", "division", "version", "basis_missing"]
    list_filter = ["kind", "basis_missing"]


@admin.register(CertificateRequest)
class CertificateRequestAdmin(ReadOnlyScopedAdmin):
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
class DemandActionAdmin(ReadOnlyScopedAdmin):
    list_display = ["created", "county", "institution", "kind", "refusals"]
