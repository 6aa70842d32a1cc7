from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FormsplanConfig(AppConfig):
    name = "formsplan"
    verbose_name = _("Annual forms plan")
