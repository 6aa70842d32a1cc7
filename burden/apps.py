from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class BurdenConfig(AppConfig):
    name = "burden"
    verbose_name = _("Burden account")

    def ready(self) -> None:
        from .refresh import on_audit_event

        # A change to a county's records (its audit event) refreshes the county's summaries soon after.
        post_save.connect(on_audit_event, sender="audit.AuditEvent", dispatch_uid="burden-refresh")
