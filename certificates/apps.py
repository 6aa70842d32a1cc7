from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self):
        from documents.services import register_filler, register_readers

        from .models import CertificateRequest
        from .services import fill_certificate_id

        register_filler("certificate", fill_certificate_id)
        # The certificate carries the applicant's full ID number: only the township staff who
        # handle its request read it; the slips (ID masked) are read by the register's readers.
        register_readers("certificate", CertificateRequest, "change")
        register_readers("refusal", CertificateRequest, "view")
        register_readers("commitment", CertificateRequest, "view")
