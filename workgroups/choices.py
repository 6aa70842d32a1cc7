"""Kinds and outcomes of the registry of work groups and apps (减微信群、减APP, seed 000 §4, seed 002 §3(5))."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChannelKind(models.TextChoices):
    WECHAT_GROUP = "group", _("WeChat work group")
    APP = "app", _("government app")


KIND_INPUT = {
    "微信群": ChannelKind.WECHAT_GROUP,
    "工作群": ChannelKind.WECHAT_GROUP,
    "群": ChannelKind.WECHAT_GROUP,
    "APP": ChannelKind.APP,
    "app": ChannelKind.APP,
    "政务APP": ChannelKind.APP,
    "应用": ChannelKind.APP,
}
KIND_LABEL = {ChannelKind.WECHAT_GROUP: "微信群", ChannelKind.APP: "政务APP"}


class CleanupOutcome(models.TextChoices):
    """The county's clean-up decision (以旗县为单位，清理整合面向村级组织的微信工作群、政务APP)."""

    KEEP = "keep", _("keep")
    MERGE = "merge", _("merge into another")
    CLOSE = "close", _("close")


class ChannelStatus(models.TextChoices):
    ACTIVE = "active", _("in use, not yet decided")
    KEPT = "kept", _("kept")
    MERGED = "merged", _("merged into another")
    CLOSED = "closed", _("closed")


GONE = {ChannelStatus.MERGED, ChannelStatus.CLOSED}
