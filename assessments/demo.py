"""Demo assessments for 达尔罕茂明安联合旗 (150223).

- The county's assessment items list for villages (``fixtures/assessments/demo_150223.json``):
  the seeds order the list (seed 004 task 13) but name no items, so the items
  are written for the demo and every basis not in the seeds is flagged 缺依据.
- 百灵庙镇's 2026 integrated assessment, a draft: the satisfaction criterion
  and the template's questions, a result criterion and one that measures a
  trace (台账资料), so the warning shows.
- The survey of the township's first village, open for answers.

Called by ``manage.py seed_demo``; safe to re-run.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from divisions.models import Division, Level
from organisations.models import User

from . import services
from .choices import AppliesTo
from .models import AssessmentList, IntegratedAssessment, Survey

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "assessments" / "demo_150223.json"
COUNTY, TOWNSHIP = "150223000000", "150223104000"
EFFECTIVE = date(2025, 1, 1)
YEAR = 2026
CRITERIA = [
    {**services.plans.DEFAULT_SATISFACTION, "weight": 50, "is_satisfaction": True},
    {"name": "群众反映问题解决率", "measures": "村民反映的问题中按期解决的比例", "weight": 30},
    {"name": "台账资料完整规范", "measures": "工作台账、会议记录是否齐全留痕", "weight": 20},
]


def _list(stdout, keeper: User) -> None:
    county = Division.objects.get(pk=COUNTY)
    found = AssessmentList.objects.filter(division=county, applies_to=AppliesTo.VILLAGES).first()
    if found is None:
        found = services.assessment_list_create(
            division=county,
            applies_to=AppliesTo.VILLAGES,
            name="达尔罕茂明安联合旗村级考核评比项目清单",
            user=keeper,
        )
    if found.versions.filter(status="published").exists():
        stdout.write("assessments: county list unchanged")
        return
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    draft = services.draft_get_or_create(assessment_list=found, user=keeper)
    for item in data["items"]:
        services.item_save(version=draft, data={**item, "source": data["source"][:300]}, user=keeper)
    services.version_publish(
        version=draft, effective_from=EFFECTIVE, user=keeper, note="演示数据，缺依据待补"
    )
    stdout.write(f"assessments: county list published with {draft.items.count()} items")


def _plan(stdout, township_user: User) -> None:
    township = Division.objects.get(pk=TOWNSHIP)
    assessment = IntegratedAssessment.objects.filter(township=township, year=YEAR).first()
    if assessment is None:
        assessment = services.plan_create(
            township=township,
            year=YEAR,
            method="每年12月由镇党委统一组织，对各嘎查（村）进行一次综合考评；群众满意度由村民匿名问卷测评。",
            user=township_user,
        )
        services.criteria_save(
            assessment=assessment,
            method=assessment.method,
            criteria=CRITERIA,
            questions=list(services.SURVEY_TEMPLATE),
            user=township_user,
        )
        stdout.write(f"assessments: {township.name} {YEAR} integrated assessment drafted")
    village = Division.objects.filter(parent=township, level=Level.VILLAGE).order_by("code").first()
    if village is not None and not Survey.objects.filter(assessment=assessment, village=village).exists():
        survey = services.survey_open(
            assessment=assessment,
            village=village,
            closes_on=timezone.localdate() + timedelta(days=60),
            user=township_user,
        )
        stdout.write(f"assessments: survey of {village.name} open at /assessments/survey/{survey.pk}/")


@transaction.atomic
def seed(stdout) -> None:
    _list(stdout, User.objects.get(username="keeper"))
    _plan(stdout, User.objects.get(username="township"))
