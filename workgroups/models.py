"""The registry of WeChat work groups and government apps aimed at villages (减微信群、减APP).

Seed 000 §4 / seed 002 §3(5): "以旗县为单位，清理整合面向村级组织的微信工作群、政务APP，
不得简单以上传工作场景截图或者录制视频等作为评价村级组织是否落实工作的依据。"

Each ``WorkChannel`` (a group or an app) names its owner institution, its
purpose, the villages it reaches with their members or users, and whether it
demands check-ins, screenshots or rankings. The county decides to keep, merge
or close each (``CleanupDecision``, with its date and reason); the counts
before and after the clean-up follow from the decisions' dates.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from divisions.scoping import CountyWideQuerySet
from organisations.choices import Role
from spreadsheets.models import ImportJobBase
from villageburden.decisions import DecisionBase
from villageburden.models import BaseModel

from .choices import ChannelKind, ChannelStatus, CleanupOutcome

# Townships know the groups their villages sit in; the county's organisation
# and civil-affairs departments keep the registry; the county decides.
REGISTRARS = {Role.TOWNSHIP_STAFF, Role.COUNTY_REVIEWER, Role.CATALOGUE_KEEPER}
DECIDERS = {Role.COUNTY_APPROVER, Role.COUNTY_REVIEWER}


class WorkChannelQuerySet(CountyWideQuerySet):
    write_roles = {"add": REGISTRARS, "decide": DECIDERS}


class WorkChannel(BaseModel):
    """A WeChat work group or a government app aimed at villages."""

    county = models.ForeignKey(
        "divisions.Division", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=ChannelKind.choices)
    name = models.CharField(_("name"), max_length=120)
    owner = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("owner institution"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    purpose = models.CharField(_("purpose"), max_length=300)
    demands_checkin = models.BooleanField(_("demands check-ins"), default=False)
    demands_screenshots = models.BooleanField(_("demands screenshots or videos as proof"), default=False)
    demands_ranking = models.BooleanField(_("ranks villages"), default=False)
    status = models.CharField(
        _("status"), max_length=8, choices=ChannelStatus.choices, default=ChannelStatus.ACTIVE
    )
    ended_on = models.DateField(_("merged or closed on"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registered by"), on_delete=models.PROTECT, related_name="+"
    )

    objects = WorkChannelQuerySet.as_manager()

    class Meta:
        verbose_name = _("work group or app")
        verbose_name_plural = _("work groups and apps")
        ordering = ["kind", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["county", "kind", "name"], name="workgroups_channel_once"),
            models.CheckConstraint(
                condition=models.Q(status__in=["active", "kept"], ended_on__isnull=True)
                | models.Q(status__in=["merged", "closed"], ended_on__isnull=False),
                name="workgroups_ended_has_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="merged") | models.Q(merged_into__isnull=False),
                name="workgroups_merged_names_target",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("workgroups:detail", args=[self.pk])

    @property
    def demands(self) -> list[str]:
        flags = [
            (self.demands_checkin, _("check-ins")),
            (self.demands_screenshots, _("screenshots")),
            (self.demands_ranking, _("rankings")),
        ]
        return [str(label) for on, label in flags if on]


class ChannelVillage(models.Model):
    """A village a group or app reaches, with its members or users there."""

    channel = models.ForeignKey(
        WorkChannel, verbose_name=_("group or app"), on_delete=models.CASCADE, related_name="reach"
    )
    village = models.ForeignKey(
        "divisions.Division", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    members = models.PositiveIntegerField(_("members or users"), default=0)

    class Meta:
        verbose_name = _("village reached")
        verbose_name_plural = _("villages reached")
        ordering = ["channel_id", "village_id"]
        constraints = [models.UniqueConstraint(fields=["channel", "village"], name="workgroups_village_once")]

    def __str__(self) -> str:
        return f"{self.channel_id} {self.village_id}"


class CleanupDecisionQuerySet(CountyWideQuerySet):
    scope_field = "channel__county"


class CleanupDecision(DecisionBase):
    """The county's decision on one group or app: keep, merge into another, or close; from a date."""

    channel = models.ForeignKey(
        WorkChannel, verbose_name=_("group or app"), on_delete=models.PROTECT, related_name="decisions"
    )
    outcome = models.CharField(_("decision"), max_length=8, choices=CleanupOutcome.choices)
    merge_into = models.ForeignKey(
        WorkChannel,
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    effective_on = models.DateField(_("effective on"))

    objects = CleanupDecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("clean-up decision")
        verbose_name_plural = _("clean-up decisions")
        ordering = ["-created", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(outcome="merge") | models.Q(merge_into__isnull=False),
                name="workgroups_merge_names_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel}: {self.outcome}"


class ChannelImportJobQuerySet(CountyWideQuerySet):
    scope_field = "division"
    write_roles = {"add": REGISTRARS, "change": REGISTRARS}


class ChannelImportJob(ImportJobBase):
    """One spreadsheet of groups and apps imported into a county's registry (the shared checked import)."""

    division = models.ForeignKey(
        "divisions.Division", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("file"), upload_to="workgroups-imports/%Y/%m/")

    objects = ChannelImportJobQuerySet.as_manager()

    class Meta(ImportJobBase.Meta):
        verbose_name = _("work group import")
        verbose_name_plural = _("work group imports")
