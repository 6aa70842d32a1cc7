"""Plaque rules: which plaques and emblems a village's service facilities may hang.

Seed 000 §8 (Inner Mongolia) and seed 002's annex (Shandong) list them by
name, with colours, typeface, size and material; anything not listed may not
be hung ("除上述4个标牌和2个标识外，一般不得悬挂其他标牌、标识").
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from divisions.scoping import ScopedQuerySet
from organisations.choices import Role
from villageburden.models import BaseModel


class Placement(models.TextChoices):
    OUTSIDE = "outside", _("outside the service centre")
    INSIDE = "inside", _("inside the service centre")


class SignKind(models.TextChoices):
    PLAQUE = "plaque", _("plaque")
    EMBLEM = "emblem", _("emblem")


class PlaqueRuleQuerySet(ScopedQuerySet):
    write_roles = {"add": {Role.PROVINCIAL_ADMIN}, "change": {Role.PROVINCIAL_ADMIN}}


class PlaqueRule(BaseModel):
    """One plaque or emblem a province allows, as its policy text describes it."""

    division = models.ForeignKey(
        "divisions.Division", verbose_name=_("province"), on_delete=models.PROTECT, related_name="+"
    )
    placement = models.CharField(_("placement"), max_length=10, choices=Placement.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=SignKind.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=100)
    ground_colour = models.CharField(_("ground colour"), max_length=10, blank=True)
    text_colour = models.CharField(_("text colour"), max_length=10, blank=True)
    typeface = models.CharField(_("typeface"), max_length=20, blank=True)
    size = models.CharField(_("size"), max_length=120, blank=True)
    material = models.CharField(_("material"), max_length=60, blank=True)
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(_("source"), max_length=200)

    objects = PlaqueRuleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plaque rule")
        verbose_name_plural = _("plaque rules")
        ordering = ["division_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["division", "placement", "name"], name="plaque_rule_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name
