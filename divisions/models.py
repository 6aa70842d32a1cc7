"""China's administrative divisions, five levels, keyed by the statistical code."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .scoping import LEVEL_DIGITS, ScopedQuerySet, code_range, significant_prefix


class Level(models.IntegerChoices):
    PROVINCE = 1, _("province / autonomous region")
    PREFECTURE = 2, _("prefecture / league")
    COUNTY = 3, _("county / banner / district")
    TOWNSHIP = 4, _("township / sumu / street")
    VILLAGE = 5, _("village / gacha / community")


class SettlementKind(models.TextChoices):
    """Village-level rows only: the rules differ for urban communities (seed 002, end)."""

    VILLAGE = "village", _("village")
    COMMUNITY = "community", _("urban community")


class AreaType(models.TextChoices):
    """Seed 000 §7 sets floor areas by farming or pastoral area."""

    FARMING = "farming", _("farming area")
    PASTORAL = "pastoral", _("pastoral area")
    URBAN = "urban", _("urban")


class DivisionQuerySet(ScopedQuerySet):
    scope_field = "code"
    write_roles = {"change": {"provincial_admin"}}

    def villages(self) -> DivisionQuerySet:
        return self.filter(level=Level.VILLAGE)


code_validator = RegexValidator(r"^\d{12}$", _("A division code has exactly 12 digits."))


class Division(models.Model):
    """One administrative division (统计用区划代码, 2023 edition).

    ``code`` is the 12-digit statistical code, zero-padded for the upper
    levels (Inner Mongolia is ``150000000000``), so that a subtree is a code
    range and a child's code always extends its parent's significant prefix.
    """

    code = models.CharField(_("code"), max_length=12, primary_key=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=100, db_index=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    settlement_kind = models.CharField(
        _("settlement kind"), max_length=10, choices=SettlementKind.choices, blank=True
    )
    area_type = models.CharField(_("area type"), max_length=10, choices=AreaType.choices, blank=True)
    is_central_village = models.BooleanField(_("central village"), default=False)
    households = models.PositiveIntegerField(_("households"), null=True, blank=True)
    service_floor_area = models.DecimalField(
        _("service-centre floor area (m²)"), max_digits=8, decimal_places=1, null=True, blank=True
    )

    objects = DivisionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("division")
        verbose_name_plural = _("divisions")
        ordering = ["code"]
        indexes = [models.Index(fields=["parent", "code"], name="division_parent_code")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=5), name="division_level_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(level=1, parent__isnull=True)
                | models.Q(level__gt=1, parent__isnull=False),
                name="division_parent_iff_not_province",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def prefix(self) -> str:
        return significant_prefix(self.code, self.level)

    def subtree(self) -> DivisionQuerySet:
        lo, hi = code_range(self.prefix)
        return Division.objects.filter(code__range=(lo, hi))

    def contains(self, other: Division | str) -> bool:
        code = other if isinstance(other, str) else other.code
        return code.startswith(self.prefix)

    def ancestor_at(self, level: int) -> str:
        """The padded code of this division's ancestor at ``level``."""
        return self.code[: LEVEL_DIGITS[level]].ljust(12, "0")

    @property
    def county_code(self) -> str | None:
        return self.ancestor_at(Level.COUNTY) if self.level >= Level.COUNTY else None

    def ancestors(self) -> list[Division]:
        codes = [self.ancestor_at(lv) for lv in range(1, self.level)]
        found = {d.code: d for d in Division.objects.filter(code__in=codes)}
        return [found[c] for c in codes if c in found]
