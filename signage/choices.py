"""Statuses and kinds of the plaque rules, village plaques, rectifications and working mechanisms."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from notifications.models import register_kinds


class Placement(models.TextChoices):
    OUTSIDE = "outside", _("outside the service centre")
    INSIDE = "inside", _("inside the service centre")


class SignKind(models.TextChoices):
    PLAQUE = "plaque", _("plaque")
    EMBLEM = "emblem", _("emblem")


class Colour(models.TextChoices):
    WHITE = "white", _("white")
    RED = "red", _("red")
    BLACK = "black", _("black")
    GOLD = "gold", _("gold")
    BLUE = "blue", _("blue")
    OTHER = "other", _("other colour")


# The fixtures name colours as the policy text does (白底红字).
COLOUR_FROM_CHINESE = {"白": Colour.WHITE, "红": Colour.RED, "黑": Colour.BLACK, "": ""}
COLOUR_HEX = {Colour.WHITE: "#ffffff", Colour.RED: "#c8102e", Colour.BLACK: "#111111", Colour.GOLD: "#c9a227"}


class Shape(models.TextChoices):
    STRIP = "strip", _("vertical strip (条牌)")
    PANEL = "panel", _("horizontal panel (匾牌)")
    OTHER = "other", _("other shape")


class Typeface(models.TextChoices):
    SONG = "song", _("Song (宋体)")
    HEI = "hei", _("Hei (黑体)")
    KAI = "kai", _("Kai (楷体)")
    OTHER = "other", _("other typeface")


class Language(models.TextChoices):
    CHINESE = "zh", _("national common language (Chinese)")
    MONGOLIAN = "mn", _("Mongolian")
    OTHER = "other", _("other language")


class RuleSetStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")


class AppliesTo(models.TextChoices):
    """Which villages a floor-area standard applies to (seed 000 §7, seed 002 §3(7))."""

    FARMING = "farming", _("villages in farming areas")
    PASTORAL = "pastoral", _("villages in pastoral areas")
    CENTRAL = "central", _("central villages")
    NON_CENTRAL = "non_central", _("villages that are not central villages")


class PlaqueStatus(models.TextChoices):
    HANGING = "hanging", _("hanging")
    REMOVED = "removed", _("removed")


class ViolationKind(models.TextChoices):
    NOT_ALLOWED = "not_allowed", _("not allowed to hang")
    COLOURS = "colours", _("wrong colours")
    SIZE = "size", _("wrong shape or size")
    TYPEFACE = "typeface", _("wrong typeface")
    MISSING = "missing", _("required plaque missing")
    NAME = "name", _("not the full standard name")
    LANGUAGE = "language", _("required language missing")
    ONE_ROOM = "one_room", _("more than one plaque in one room")


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("open")
    RESOLVED = "resolved", _("resolved")


class Resolution(models.TextChoices):
    REMOVED = "removed", _("plaque removed")
    CORRECTED = "corrected", _("plaque corrected")
    HUNG = "hung", _("required plaque hung")
    RULE_CHANGED = "rule_changed", _("no longer a violation under the rules in force")


class MechanismKind(models.TextChoices):
    """Seed 000 §6: "村级工作机制（含各类分支机构和中心、站、所等）" and 专人专岗."""

    BRANCH = "branch", _("branch organisation")
    CENTRE = "centre", _("centre, station or office")
    LEADING_GROUP = "leading_group", _("leading group or committee")
    POST = "post", _("dedicated post (专人专岗)")


class MechanismBasis(models.TextChoices):
    """What allows a village-level mechanism to exist (seed 000 §6, seed 002 §3(6))."""

    CENTRAL = "central", _("explicitly required by the Party Central Committee and the State Council")
    LAW = "law", _("explicitly required by law or regulation")
    PROVINCIAL = "provincial", _("approved by the provincial Party committee and government")
    NONE = "none", _("no basis")


class MechanismStatus(models.TextChoices):
    PENDING = "pending", _("awaiting provincial approval")
    ACTIVE = "active", _("active")
    REJECTED = "rejected", _("rejected by the province")
    WITHDRAWN = "withdrawn", _("request withdrawn")
    MERGED = "merged", _("merged")
    ABOLISHED = "abolished", _("abolished")


class Cleanup(models.TextChoices):
    UNDECIDED = "", _("not yet reviewed")
    KEEP = "keep", _("keep")
    MERGE = "merge", _("merge")
    ABOLISH = "abolish", _("abolish")


class NotificationKind(models.TextChoices):
    """What the plaque registry tells people (the shared outbox, ``notifications``)."""

    RECTIFY_DUE = "rectify_due", _("plaque rectification due")
    RECTIFY_LATE = "rectify_late", _("plaque rectification overdue")


register_kinds(NotificationKind)
