"""Monitoring fixtures: village A1 a monitoring point with the cast's monitor designated for it."""

from __future__ import annotations

import pytest


@pytest.fixture
def points(world):
    """A1 is the monitor's point; A2 is a point without them; B1 is no point."""
    from monitoring import services

    handler = world.user("reviewer_org")
    a1 = services.point_designate(user=handler, village=world.village_a1)
    services.monitor_assign(user=handler, point_id=a1.pk, monitor=world.user("monitor"))
    a2 = services.point_designate(user=handler, village=world.village_a2)
    return a1, a2


def report_data(**over) -> dict:
    from django.utils import timezone

    data = {
        "kind": "inspection",
        "description": "检查组来村检查，要求准备汇报材料",
        "seen_on": timezone.localdate(),
        "visitors": "旗农牧局检查组",
        "visitor_count": 5,
        "asked": "汇报材料、台账",
    }
    data.update(over)
    return data


@pytest.fixture
def file_report(world, points):
    """File a report as the monitor about A1 (overrides as keyword arguments)."""
    from monitoring import services

    def _file(institution="旗农牧局", **over):
        return services.report_file(
            user=world.user("monitor"),
            village=world.village_a1,
            data=report_data(**over),
            institution_name=institution,
        )

    return _file
