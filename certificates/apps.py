from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self):
        from documents.services import register_filler

        from .services import fill_certificate_id

        register_filler("certificate", fill_certificate_id)
