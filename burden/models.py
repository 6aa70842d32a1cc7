"""Summary tables the dashboards read: the account's figures kept per division, key and date.

Kept up to date by ``burden.summaries.summaries_refresh`` (nightly from beat,
or ``manage.py burden_refresh``), never written by a page. The account itself
is always computable live (``burden.selectors.account``); these rows hold the
same figures so a county dashboard is a few index lookups at national scale.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from divisions.scoping import ScopedQuerySet


class SummaryQuerySet(ScopedQuerySet):
    scope_field = "division"


class Summary(models.Model):
    """One figure for one division on one date.

    ``key`` is an account line (``catalog_autonomy``…), ``_total`` (all lines
    recorded), or a dashboard figure: ``tasks:<status>``, ``tasks:overdue``,
    ``approvals:age:<bucket>``, ``approvals:dept:<name>``, ``push:<name>``,
    ``refusals:<institution>``. Villages keep only ``_total`` and
    ``tasks:overdue``, and only for the latest date (the ranking of a township).
    """

    division = models.ForeignKey(
        "divisions.Division", verbose_name=_("division"), on_delete=models.CASCADE, related_name="+"
    )
    level = models.PositiveSmallIntegerField(_("level"))
    on = models.DateField(_("date"))
    key = models.CharField(_("figure"), max_length=160)
    count = models.IntegerField(_("count"), default=0)
    hours = models.FloatField(_("hours a year"), default=0)
    estimated = models.BooleanField(_("estimated"), default=False)
    recorded = models.BooleanField(_("recorded"), default=True)
    refreshed = models.DateTimeField(_("refreshed"), auto_now=True)

    objects = SummaryQuerySet.as_manager()

    class Meta:
        verbose_name = _("burden summary")
        verbose_name_plural = _("burden summaries")
        constraints = [
            models.UniqueConstraint(fields=["division", "on", "key"], name="burden_summary_once"),
        ]
        indexes = [models.Index(fields=["level", "on", "key", "division"], name="burden_summary_level_on")]

    def __str__(self) -> str:
        return f"{self.division_id} {self.on} {self.key}"
