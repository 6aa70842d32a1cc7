from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ListchangesConfig(AppConfig):
    name = "listchanges"
    verbose_name = _("Dynamic management of lists")
