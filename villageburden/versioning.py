"""Versioned lists, shared by every list the system keeps (work-affairs catalogue, certificate lists).

A list is a series of versions: at most one draft being edited, and published
versions that never change, each with the date it takes effect (DESIGN §3.5).
The list "as it stood on a day" is the published version with the latest
effective date on or before that day; a new version never takes effect before
the one in force.
"""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from divisions.scoping import ScopedQuerySet
from organisations.choices import Role

from .models import BaseModel

KEEPERS = {Role.PROVINCIAL_ADMIN, Role.CATALOGUE_KEEPER}

# Which lists a keeper writes: a provincial admin the guidance of the
# province, a county keeper the county's own lists (a province does not edit a
# county's lists; it changes its guidance and the county adopts).
KEEPER_LEVEL: dict[str, int] = {Role.PROVINCIAL_ADMIN: 1, Role.CATALOGUE_KEEPER: 3}


def covers(user, division) -> bool:
    """The user's jurisdiction holds ``division`` (a superuser's holds every one)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    prefix = user.jurisdiction_prefix
    return bool(prefix) and division.code.startswith(prefix)


def keeper_write(qs: ScopedQuerySet, user, action: str, level_field: str) -> ScopedQuerySet:
    """Writing a list: a keeper of the list's level, inside their jurisdiction."""
    qs = ScopedQuerySet.restrict(qs, user, action)
    if user is None or not user.is_authenticated or user.is_superuser:
        return qs
    level = KEEPER_LEVEL.get(user.role)
    return qs.filter(**{level_field: level}) if level else qs.none()


def published_or_own(qs: ScopedQuerySet, user, action: str, published: models.Q) -> ScopedQuerySet:
    """Published lists are public (seed 000 §2: they bind every department and
    are read by villagers); drafts stay inside the keepers' jurisdiction."""
    if action != "view":
        return keeper_write(qs, user, action, getattr(qs, "level_field", "division__level"))
    if user is None or not user.is_authenticated or not user.is_active:
        return qs.filter(published)
    if user.is_superuser:
        return qs
    own = ScopedQuerySet.restrict(qs, user, action)
    return qs.filter(published | models.Q(pk__in=own.values("pk")))


class VersionStatus(models.TextChoices):
    DRAFT = "draft", gettext_lazy("draft")
    PUBLISHED = "published", gettext_lazy("published")


# --- the querysets of a versioned list, its versions and their items --------------------

# Who writes a versioned list (within ``keeper_write``'s jurisdiction rule).
LIST_WRITE_ROLES: dict[str, set[str]] = {"add": set(KEEPERS), "change": set(KEEPERS), "publish": set(KEEPERS)}


class ListQuerySet(ScopedQuerySet):
    """Versioned lists, one per division: read in the jurisdiction once a version is published."""

    level_field = "division__level"
    write_roles = LIST_WRITE_ROLES

    def restrict(self, user, action: str = "view"):
        return published_or_own(
            self, user, action, models.Q(versions__status=VersionStatus.PUBLISHED)
        ).distinct()


class ListVersionQuerySet(ScopedQuerySet):
    """A list's versions: subclasses name the way to the list's division (``scope_field``, ``level_field``)."""

    write_roles = LIST_WRITE_ROLES

    def restrict(self, user, action: str = "view"):
        return published_or_own(self, user, action, models.Q(status=VersionStatus.PUBLISHED))


class ListItemQuerySet(ScopedQuerySet):
    """The items of a list's versions (each carries its list's division)."""

    level_field = "division__level"
    write_roles = LIST_WRITE_ROLES

    def active(self):
        return self.filter(status="active")

    def restrict(self, user, action: str = "view"):
        return published_or_own(self, user, action, models.Q(version__status=VersionStatus.PUBLISHED))


class PublishedVersion(BaseModel):
    """One edition of a list. Published versions are frozen (the services never write them)."""

    number = models.PositiveIntegerField(gettext_lazy("version"))
    status = models.CharField(
        gettext_lazy("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    effective_from = models.DateField(gettext_lazy("effective from"), null=True, blank=True)
    published_at = models.DateTimeField(gettext_lazy("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(gettext_lazy("note"), blank=True)

    class Meta:
        abstract = True

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT


V = TypeVar("V", bound=PublishedVersion)


def version_constraints(list_field: str, prefix: str) -> list[models.BaseConstraint]:
    """Every versioned list's rules: numbers unique, at most one draft, a published version has its dates."""
    return [
        models.UniqueConstraint(fields=[list_field, "number"], name=f"{prefix}_version_number"),
        models.UniqueConstraint(
            fields=[list_field], condition=models.Q(status="draft"), name=f"{prefix}_one_draft"
        ),
        models.CheckConstraint(
            condition=models.Q(status="draft")
            | models.Q(effective_from__isnull=False, published_at__isnull=False),
            name=f"{prefix}_published_has_dates",
        ),
    ]


class FrozenWhenPublished:
    """For a list item model with a ``version`` foreign key: refuse to save or delete it once published.

    A guard, not a rule: services never write to a published version; this
    stops anything else (a shell, a stray script) from doing so.
    """

    version_id: int | None

    def _refuse_if_published(self) -> None:
        versions = self._meta.get_field("version").related_model  # type: ignore[attr-defined]
        if (
            self.version_id
            and versions.objects.filter(pk=self.version_id, status=VersionStatus.PUBLISHED).exists()
        ):
            raise ValueError(f"items of a published {versions._meta.verbose_name} never change")

    def save(self, *args, **kwargs):
        self._refuse_if_published()
        super().save(*args, **kwargs)  # type: ignore[misc]

    def delete(self, *args, **kwargs):
        self._refuse_if_published()
        return super().delete(*args, **kwargs)  # type: ignore[misc]


def lock_draft(versions: models.QuerySet[V], pk: int) -> V:
    """Lock a version for writing; only a draft may change."""
    version = versions.select_for_update().get(pk=pk)
    if version.status != VersionStatus.DRAFT:
        raise ValidationError(_("Published versions never change; edit the draft."))
    return version


def governing(lists: models.QuerySet, division) -> Any:
    """The lists governing a division: its county's, else its province's (``lists`` have a ``division``)."""
    from divisions.models import Level

    codes = []
    if division.level >= Level.COUNTY:
        codes.append(division.ancestor_at(Level.COUNTY))
    codes.append(division.ancestor_at(Level.PROVINCE))
    found = {x.division_id: x for x in lists.filter(division_id__in=codes)}
    return next((found[c] for c in codes if c in found), None)


def latest_published(versions: models.QuerySet[V]) -> V | None:
    """The published version with the latest effective date (whether or not in force yet)."""
    return versions.filter(status=VersionStatus.PUBLISHED).order_by("-effective_from", "-number").first()


def version_in_force(versions: models.QuerySet[V], on: date | None = None) -> V | None:
    """The published version with the latest effective date on or before ``on`` (default today)."""
    on = on or timezone.localdate()
    return (
        versions.filter(status=VersionStatus.PUBLISHED, effective_from__lte=on)
        .order_by("-effective_from", "-number")
        .first()
    )


def check_effective_from(previous: PublishedVersion | None, effective_from: date | None) -> date:
    """A version to publish takes effect on a date, never before the version it follows."""
    if effective_from is None:
        raise ValidationError({"effective_from": _("A published list takes effect on a date.")})
    if previous is not None:
        # A published version always has its date (each model's constraint says so).
        previous_from = cast(date, previous.effective_from)
        if effective_from < previous_from:
            raise ValidationError(
                {
                    "effective_from": _("It cannot take effect before the version in force (%(d)s).")
                    % {"d": previous_from.isoformat()}
                }
            )
    return effective_from


def mark_published(version: PublishedVersion, *, effective_from: date, user, note: str = "") -> None:
    """Set the publication fields of a (locked) draft and save it."""
    version.status = VersionStatus.PUBLISHED
    version.effective_from = effective_from
    version.published_at = timezone.now()
    version.published_by = user
    version.note = note.strip() or version.note
    version.save()


def next_code(version: PublishedVersion, prefix: str) -> str:
    """The next free code of one list in a version: ``<prefix>-01``, ``<prefix>-02``, …"""
    prefix += "-"
    items = version.items  # type: ignore[attr-defined]
    used = set(items.filter(code__startswith=prefix).values_list("code", flat=True))
    n = len(used) + 1
    while f"{prefix}{n:02d}" in used:
        n += 1
    return f"{prefix}{n:02d}"


def item_for_code(version: PublishedVersion, code: str, item: Any = None) -> Any:
    """The draft's item being written: ``item``, else the one holding ``code`` (or None).

    Refuses an item of another version, and a code another item of the draft holds.
    """
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    items = version.items  # type: ignore[attr-defined]
    if item is None:
        item = items.filter(code=code).first()
    if item is not None and item.version_id != version.pk:
        raise ValidationError(_("This item belongs to another version."))
    same_code = items.filter(code=code)
    if item is not None:
        same_code = same_code.exclude(pk=item.pk)
    if same_code.exists():
        raise ValidationError({"code": _("The code %(code)s is already used in this list.") % {"code": code}})
    return item


def publish(
    owner: models.Model,
    version: V,
    *,
    effective_from: date | None,
    user,
    note: str,
    event: str,
) -> V:
    """Publish ``owner``'s locked draft (the caller checked the user may): audited.

    From ``effective_from`` (after the version in force starts) it is the list
    in force, unchangeable; an empty draft is refused.
    """
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from audit.services import record_event

    versions = owner.versions  # type: ignore[attr-defined]
    effective = check_effective_from(latest_published(versions.all()), effective_from)
    count = version.items.count()  # type: ignore[attr-defined]
    if count == 0:
        raise ValidationError(_("An empty list cannot be published."))
    mark_published(version, effective_from=effective, user=user, note=note)
    record_event(
        user,
        event,
        obj=version,
        division=owner.division_id,  # type: ignore[attr-defined]
        summary=_("Version %(number)s, %(count)s items, effective %(date)s")
        % {"number": version.number, "count": count, "date": effective.isoformat()},
    )
    return version


def items_copy(
    source: PublishedVersion,
    target: PublishedVersion,
    *,
    division_id: str,
    inherit: bool,
    fields: tuple[str, ...],
) -> int:
    """Copy ``source``'s items into the draft ``target`` (one bulk insert).

    ``inherit``: copying a province's list in force into a county's first
    draft — only items in force are taken, each remembering the one it came
    from; otherwise (a list's own next draft) every item is copied as it stands.
    """
    item_model = source.items.model  # type: ignore[attr-defined]
    items = [
        item_model(
            version=target,
            division_id=division_id,
            inherited_from_id=item.pk if inherit else item.inherited_from_id,
            **{f: getattr(item, f) for f in fields},
        )
        for item in source.items.all()  # type: ignore[attr-defined]
        if not (inherit and item.status != "active")
    ]
    item_model.objects.bulk_create(items)
    return len(items)


def draft_open(owner: models.Model, *, user, event: str, fields: tuple[str, ...]) -> Any:
    """The list's draft; a new one is a complete copy of its latest published version
    (or, for a county with nothing published, of its province's list in force) — audited.

    ``owner`` is a list (certificate lists, seal-use lists, assessment lists…)
    whose versions are ``owner.versions`` and whose province list is
    ``owner.guidance``; the caller has checked the user may keep it.
    """
    from django.db.models import Max
    from django.utils.translation import gettext as _

    from audit.services import record_event

    type(owner)._default_manager.select_for_update().get(pk=owner.pk)  # one draft at a time
    versions = owner.versions  # type: ignore[attr-defined]
    draft = versions.filter(status=VersionStatus.DRAFT).first()
    if draft is not None:
        return draft
    number = (versions.aggregate(n=Max("number"))["n"] or 0) + 1
    draft = versions.create(number=number)
    base = latest_published(versions.all())
    guidance = owner.guidance  # type: ignore[attr-defined]
    if base is not None:
        copied = items_copy(base, draft, division_id=owner.division_id, inherit=False, fields=fields)  # type: ignore[attr-defined]
    elif guidance is not None and (in_force := version_in_force(guidance.versions.all())):
        copied = items_copy(in_force, draft, division_id=owner.division_id, inherit=True, fields=fields)  # type: ignore[attr-defined]
    else:
        copied = 0
    record_event(
        user,
        event,
        obj=draft,
        division=owner.division_id,  # type: ignore[attr-defined]
        summary=_("Version %(number)s: %(copied)s items copied") % {"number": number, "copied": copied},
    )
    return draft
