from django.db import models
from django.utils.translation import gettext_lazy as _

from villageburden.versioning import VersionStatus as VersionStatus  # shared by every versioned list


class UseKind(models.TextChoices):
    """The two halves of the community seal-use scope list (社区印章使用范围清单, seed 002, end)."""

    MAY = "may", _("may be used for")
    MAY_NOT = "may_not", _("may not be used for")


# Stable code prefixes: YY-01 (可用), JY-01 (禁用).
KIND_CODE_PREFIX: dict[str, str] = {UseKind.MAY: "YY", UseKind.MAY_NOT: "JY"}


class ItemStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    CANCELLED = "cancelled", _("cancelled")


class Answer(models.TextChoices):
    """What the public check answers."""

    MAY = "may", _("may")
    MAY_NOT = "may_not", _("may not")
    UNLISTED = "unlisted", _("not listed")
