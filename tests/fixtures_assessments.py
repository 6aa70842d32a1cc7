"""Assessments for tests: the county's published assessment items list and 百灵庙镇's integrated assessment."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from assessments import demo, services
from assessments.choices import AppliesTo


@pytest.fixture
def assessment_list(world):
    keeper = world.user("keeper")
    found = services.assessment_list_create(
        division=world.county, applies_to=AppliesTo.VILLAGES, name="达茂旗村级考核评比项目清单", user=keeper
    )
    draft = services.draft_get_or_create(assessment_list=found, user=keeper)
    import json

    for item in json.loads(demo.FIXTURE.read_text(encoding="utf-8"))["items"]:
        services.item_save(version=draft, data=item, user=keeper)
    services.version_publish(version=draft, effective_from=date(2025, 1, 1), user=keeper)
    return found


@pytest.fixture
def plan(world):
    """百灵庙镇's 2026 integrated assessment: satisfaction 50, a result 30, a trace 20 (draft)."""
    township = world.user("township")
    assessment = services.plan_create(
        township=world.township_a, year=2026, method="年底统一考评", user=township
    )
    return services.criteria_save(
        assessment=assessment,
        method=assessment.method,
        criteria=demo.CRITERIA,
        questions=list(services.SURVEY_TEMPLATE[:2]),
        user=township,
    )


@pytest.fixture
def survey(world, plan):
    return services.survey_open(
        assessment=plan,
        village=world.village_a1,
        closes_on=timezone.localdate() + timedelta(days=30),
        user=world.user("township"),
    )
