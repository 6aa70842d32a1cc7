from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "organisations"
    verbose_name = _("Organisations and people")

    def ready(self):
        from . import schema  # noqa: F401  (registers the OpenAPI auth extension)
