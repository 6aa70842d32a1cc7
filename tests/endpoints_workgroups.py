"""The registry of work groups and apps in the reusable permission suite.

The registry is the county's: its townships read it, the next county's is foreign.
"""

from __future__ import annotations

from .permissions import ScopedEndpoint, register


def _channels(w):
    from workgroups import services
    from workgroups.models import WorkChannel

    existing = list(WorkChannel.objects.order_by("county_id"))
    if len(existing) == 2:
        return existing[1], existing[0]
    from organisations.models import User

    root = User.objects.filter(username="wg-root").first() or User.objects.create_superuser(
        "wg-root", password=None
    )
    inside = services.channel_register(
        user=w.user("township"),
        data={
            "kind": "group",
            "name": "百灵庙镇工作群",
            "owner_name": "百灵庙镇人民政府",
            "purpose": "通知",
            "villages": {w.village_a1.pk: 3},
        },
    )
    outside = services.channel_register(
        user=root,
        data={
            "kind": "group",
            "name": "金山镇工作群",
            "owner_name": "金山镇人民政府",
            "purpose": "通知",
            "villages": {w.village_c1.pk: 3},
        },
    )
    return inside, outside


register(
    ScopedEndpoint(
        name="api-work-channels",
        county_wide=True,
        make=_channels,
        list_url=lambda w: "/api/v1/work-channels/",
        detail_url=lambda obj: f"/api/v1/work-channels/{obj.pk}/",
        row_id=lambda obj: str(obj.pk),
        visible_to=("township", "township_b", "approver", "reviewer_org", "provadmin"),
        write=lambda client, obj: client.post(
            f"/api/v1/work-channels/{obj.pk}/decide/",
            {"outcome": "close", "reason": "清理", "effective_on": "2026-06-30"},
            content_type="application/json",
        ),
        writers=("approver", "reviewer_org", "reviewer_civil", "reviewer_agri"),
    )
)
register(
    ScopedEndpoint(
        name="page-work-channels",
        county_wide=True,
        make=_channels,
        list_url=lambda w: "/workgroups/",
        detail_url=lambda obj: f"/workgroups/{obj.pk}/",
        row_id=lambda obj: f'href="/workgroups/{obj.pk}/"',
        api=False,
        visible_to=("township", "township_b", "approver", "provadmin"),
    )
)
