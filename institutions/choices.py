from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeSource(models.TextChoices):
    """Which door the demands a notice counts came by."""

    CERTIFICATES = "certificates", _("unreasonable certificate demands")
    MONITORING = "monitoring", _("substantiated burden reports")
