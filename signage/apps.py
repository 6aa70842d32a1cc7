from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignageConfig(AppConfig):
    name = "signage"
    verbose_name = _("Plaques and working mechanisms")
