from django.db import models
from django.utils.translation import gettext_lazy as _


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    SENDING = "sending", _("sending")
    SUCCEEDED = "succeeded", _("delivered")
    FAILED = "failed", _("failed")
