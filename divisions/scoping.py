"""Jurisdiction scoping: the one place that decides what a user may see or change.

A division's subtree is a range of 12-digit codes (all of Guangdong is
``440000000000``..``449999999999``), so scoping is an index range scan, never a
``LIKE`` (30x slower over 665k rows). Every view and viewset calls
``Model.objects.restrict(user, action)``; nothing reaches a template or a
serializer unscoped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from organisations.models import User

# Digits of the statistical code that are significant at each level.
LEVEL_DIGITS = {1: 2, 2: 4, 3: 6, 4: 9, 5: 12}
CODE_LENGTH = 12


def code_range(prefix: str) -> tuple[str, str]:
    """The inclusive range of 12-digit codes below a code prefix."""
    return prefix.ljust(CODE_LENGTH, "0"), prefix.ljust(CODE_LENGTH, "9")


def significant_prefix(code: str, level: int) -> str:
    return code[: LEVEL_DIGITS[level]]


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows where its rows sit in the division tree.

    ``scope_field`` names the path to a division code (``"code"`` on Division
    itself, ``"division"`` on rows that hang on one). ``write_roles`` maps an
    action (add, change, delete, or a workflow verb) to the roles allowed to
    do it; viewing is allowed to every role inside its jurisdiction.
    Subclasses override ``restrict`` only to widen it (e.g. published lists
    readable by all), never to skip it.
    """

    scope_field = "division"
    write_roles: dict[str, set[str]] = {}

    def in_subtree(self, prefix: str) -> ScopedQuerySet:
        # gte/lte rather than range: related lookups (division, catalogue__division)
        # support them and compare the stored code, with no join to Division.
        lo, hi = code_range(prefix)
        return self.filter(**{f"{self.scope_field}__gte": lo, f"{self.scope_field}__lte": hi})

    def restrict(self, user: User | AnonymousUser | None, action: str = "view") -> ScopedQuerySet:
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        if action != "view" and user.role not in self.write_roles.get(action, set()):
            return self.none()
        prefix = user.jurisdiction_prefix
        if not prefix:
            return self.none()
        return self.within_jurisdiction(prefix)

    def within_jurisdiction(self, prefix: str) -> ScopedQuerySet:
        """The rows a user whose jurisdiction is ``prefix`` may see: by default, its subtree."""
        return self.in_subtree(prefix)


class CountyWideQuerySet(ScopedQuerySet):
    """Rows hung on a county (``scope_field``), readable by the county's townships too.

    A forms plan or a work-group registry hangs on the county, yet its
    townships must read it (they assign its forms, their villages sit in its
    groups): a user below the county reads the rows of their own county; a
    user at or above it, the rows inside their subtree.
    """

    scope_field = "county"

    def restrict(self, user, action: str = "view"):  # untyped: each model's selectors read it as their own
        return super().restrict(user, action)

    def within_jurisdiction(self, prefix: str) -> ScopedQuerySet:
        county_digits = LEVEL_DIGITS[3]
        if len(prefix) > county_digits:
            lo, _hi = code_range(prefix[:county_digits])
            return self.filter(**{f"{self.scope_field}_id": lo})
        return self.in_subtree(prefix)
