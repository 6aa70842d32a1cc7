"""Demo forms plan for 达尔罕茂明安联合旗 (150223).

- The 2027 plan, a draft, holds two departments' forms that share fields with
  what a department would register next: civil affairs' 困难群众基本情况摸底表
  asks for 身份证号, agriculture's 草场承包经营情况统计表 for 联系电话. A new
  form asking for 公民身份号码 and 手机号 is shown both as already collected.
  No seed cites a legal basis for either form, so both are flagged 缺依据.
- Two unplanned demands recorded by 百灵庙镇 against one institution, so the
  ranking has something to show.

Called by ``manage.py seed_demo``; safe to re-run (a second run creates nothing).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from divisions.models import Division, Level
from organisations.models import Organisation, User

from . import services
from .models import PlanForm, UnplannedDemand

COUNTY = "150223000000"
YEAR = 2027

# owner organisation, form, fields, fillings a year, minutes per filling
DEMO_FORMS = [
    (
        "dm-civil",
        "困难群众基本情况摸底表",
        [("姓名", "text"), ("身份证号", "id_number"), ("家庭住址", "text"), ("家庭人口数", "number")],
        4,
        30,
    ),
    (
        "dm-agri",
        "草场承包经营情况统计表",
        [("户主姓名", "text"), ("联系电话", "phone"), ("草场面积（亩）", "number")],
        2,
        20,
    ),
]
DEMO_DEMANDS = [
    ("150223104", "牲畜存栏情况日报表", "达茂旗某局", 20),
    ("150223104", "村级活动开展情况统计表", "达茂旗某局", 45),
]


@transaction.atomic
def seed(stdout) -> None:
    county = Division.objects.get(pk=COUNTY)
    keeper = User.objects.get(username="reviewer_org")
    plan = services.plan_get_or_create(county=county, year=YEAR, user=keeper)
    created = 0
    for org_code, name, fields, frequency, minutes in DEMO_FORMS:
        owner = Organisation.objects.get(code=org_code)
        if PlanForm.objects.filter(plan=plan, owner=owner, name=name).exists():
            continue
        services.form_register(
            user=keeper,
            plan=plan,
            name=name,
            fields=[{"name": n, "kind": k} for n, k in fields],
            frequency=frequency,
            minutes=minutes,
            owner=owner,
        )
        created += 1
    clerk = User.objects.get(username="township")
    today = timezone.localdate()
    for township, form_name, institution, days_ago in DEMO_DEMANDS:
        if UnplannedDemand.objects.filter(form_name=form_name, village__code__startswith=township).exists():
            continue
        village = (
            Division.objects.filter(code__startswith=township, level=Level.VILLAGE).order_by("code").first()
        )
        if village is None:
            continue
        services.unplanned_demand_record(
            user=clerk,
            village=village,
            form_name=form_name,
            institution_name=institution,
            demanded_on=max(date(today.year, 1, 1), today - timedelta(days=days_ago)),
        )
        created += 1
    stdout.write(f"forms plan: {plan.year} {plan.get_status_display()}, {created} created")
