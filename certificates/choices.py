"""Lists, outcomes and kinds of the certificate registry (证明事项)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from notifications.models import register_kinds


class ListKind(models.TextChoices):
    """The two certificate lists (seed 000 §9–10, seed 001, seed 002 §3(9))."""

    NEGATIVE = "negative", _("negative list (not to be issued by the village)")
    RETAINED = "retained", _("retained list (issued by law)")


KIND_CODE_PREFIX = {ListKind.NEGATIVE: "FM", ListKind.RETAINED: "BL"}


class AlternativeRoute(models.TextChoices):
    """Where a villager goes instead (seed 000 §10, seed 002 §3(9), seed 003 §7)."""

    INSTITUTION_VERIFIES = "institution", _("the institution verifies it itself")
    ONLINE = "online", _("online verification")
    DATA_SHARING = "data_sharing", _("government data sharing")
    COMMITMENT = "commitment", _("the applicant's written commitment (告知承诺)")
    OTHER_AUTHORITY = "authority", _("issued by the competent authority")


class ItemStatus(models.TextChoices):
    ACTIVE = "active", _("in force")
    NOT_APPLICABLE = "not_applicable", _("not applicable here")


class RequestStatus(models.TextChoices):
    RECORDED = "recorded", _("recorded, not yet handled")
    ISSUED = "issued", _("issued")
    REFUSED = "refused", _("refused (negative list)")
    COMMITTED = "committed", _("commitment signed instead")
    REFERRED = "referred", _("referred to the township")


OPEN_STATUSES = {RequestStatus.RECORDED}


class MeetingType(models.TextChoices):
    """Villager deliberation for a matter of major consequence (seed 000 §10, seed 003 §8)."""

    DELIBERATION = "deliberation", _("villagers' deliberation (村民议事协商)")
    VILLAGERS_MEETING = "villagers_meeting", _("villagers' meeting (村民会议)")
    REPRESENTATIVES = "representatives", _("villagers' representatives' meeting (村民代表会议)")


class DemandActionKind(models.TextChoices):
    """What civil affairs does about an institution that demands unreasonable certificates (seed 002 §3(9))."""

    LETTER = "letter", _("reminder letter (发函提醒)")
    NOTICE = "notice", _("public notice (通报)")


class NotificationKind(models.TextChoices):
    OVERDUE = "cert_overdue", _("certificate overdue")
    DUE_SOON = "cert_due", _("certificate due")


register_kinds(NotificationKind)
