"""County-wide records: the plan and the registry belong to a county and are read by its townships.

``ScopedQuerySet.restrict`` shows a row to users whose jurisdiction contains
the row's division. A forms plan or a work-group registry hangs on the
county, yet its townships must read it (they assign its forms, their
villages sit in its groups): a user below the county reads the rows of
their own county; a user at or above it, the rows inside their subtree.
"""

from __future__ import annotations

from divisions.scoping import ScopedQuerySet, code_range

COUNTY_DIGITS = 6


class CountyWideQuerySet(ScopedQuerySet):
    """Rows hung on a county (``scope_field``), readable by the county's townships too."""

    scope_field = "county"

    def restrict(self, user, action: str = "view"):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        if action != "view" and user.role not in self.write_roles.get(action, set()):
            return self.none()
        prefix = user.jurisdiction_prefix
        if not prefix:
            return self.none()
        if len(prefix) > COUNTY_DIGITS:
            lo, _hi = code_range(prefix[:COUNTY_DIGITS])
            return self.filter(**{f"{self.scope_field}_id": lo})
        return self.in_subtree(prefix)
