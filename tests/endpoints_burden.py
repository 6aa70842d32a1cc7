"""The burden account's pages and endpoints in the reusable permission suite (tests/permissions.py).

Each list URL answers the caller's own jurisdiction (a township's dashboard
ranks its villages; the API's account is of the caller's division); a foreign
division's dashboard, account or rows is a 404.
"""

from __future__ import annotations

from .permissions import ScopedEndpoint, register


def _village_totals(world):
    """Kept figures for a village of township A and one of the next county."""
    from django.utils import timezone

    from burden.models import Summary

    today = timezone.localdate()
    for division in (world.township_a, world.other_township):
        Summary.objects.create(division=division, level=4, on=today, key="_total", count=1, hours=1)
    for village in (world.village_a1, world.village_c1):
        Summary.objects.create(division=village, level=5, on=today, key="_total", count=1, hours=1)
    return world.village_a1, world.village_c1


def _townships(world):
    return world.township_a, world.other_township


register(
    ScopedEndpoint(
        name="page-burden-dashboard",
        make=_village_totals,
        list_url=lambda w: "/burden/",
        detail_url=lambda v: f"/burden/{v.code}/account/",
        row_id=lambda v: v.name,
        api=False,
        visible_to=("township", "monitor"),
    )
)


register(
    ScopedEndpoint(
        name="api-burden-accounts",
        make=_townships,
        list_url=lambda w: "/api/v1/burden-accounts/",
        detail_url=lambda t: f"/api/v1/burden-accounts/?division={t.code}",
        row_id=lambda t: t.code,
        api=False,  # one account object, not a list: its text is searched
        visible_to=("township", "monitor"),
    )
)

register(
    ScopedEndpoint(
        name="api-burden-account-rows",
        make=_townships,
        list_url=lambda w: "/api/v1/burden-accounts/rows/?key=gate_tasks",
        detail_url=lambda t: f"/api/v1/burden-accounts/rows/?division={t.code}&key=catalog_autonomy",
        row_id=lambda t: t.code,
        api=False,
        visible_to=("township", "monitor"),
    )
)

register(
    ScopedEndpoint(
        name="page-burden-rows",
        make=_townships,
        list_url=lambda w: "/burden/",
        detail_url=lambda t: f"/burden/{t.code}/account/gate_tasks/",
        row_id=lambda t: f"/burden/{t.code}/",
        api=False,
        visible_to=(),
    )
)
