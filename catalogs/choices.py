from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemKind(models.TextChoices):
    """The three lists (seed 000 §2, seed 001, seed 002 §3(1))."""

    AUTONOMY = "autonomy", _("autonomy (duties by law)")
    ASSIST = "assist", _("assist")
    NEGATIVE = "negative", _("negative")


# Stable code prefixes (分类赋码, seed 004 §2(2)): ZZ-01, XZ-12, FM-03.
KIND_CODE_PREFIX = {ItemKind.AUTONOMY: "ZZ", ItemKind.ASSIST: "XZ", ItemKind.NEGATIVE: "FM"}


class ItemStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    CANCELLED = "cancelled", _("cancelled")
    NOT_APPLICABLE = "not_applicable", _("not applicable here")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
