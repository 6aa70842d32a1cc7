from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignageConfig(AppConfig):
    name = "signage"
    verbose_name = _("Plaques and working mechanisms")

    def ready(self) -> None:
        from gate.choices import RequestLevel
        from gate.services import on_request_closed

        from .services import mechanism_request_closed

        on_request_closed(RequestLevel.PROVINCE, mechanism_request_closed)
