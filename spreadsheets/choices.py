from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    """Where an import job is: checked first (a preview), applied only when confirmed."""

    PENDING = "pending", _("waiting")
    CHECKING = "checking", _("checking")
    CHECKED = "checked", _("checked, waiting for confirmation")
    INVALID = "invalid", _("has errors")
    APPLYING = "applying", _("importing")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")
    CANCELLED = "cancelled", _("cancelled")


RUNNING = (ImportStatus.PENDING, ImportStatus.CHECKING, ImportStatus.APPLYING)
