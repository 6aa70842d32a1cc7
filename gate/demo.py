"""Demo access requests in every state for 达尔罕茂明安联合旗 (called by ``manage.py seed_demo``).

Safe to re-run: a demo request (found by its department and title) is never
created twice. Everything goes through the services, so the demo has the
screening, opinions, decisions, audit events and notifications a real run has.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from divisions.models import Division
from organisations.models import User

from . import services
from .models import AccessRequest, VillageTask

COUNTY = "150223000000"
TOWNSHIP_A = "150223104000"  # 百灵庙镇
TOWNSHIP_B = "150223107000"  # 明安镇
REVIEWERS = ("reviewer_org", "reviewer_civil", "reviewer_agri")

# (title, description, village role, frequency, target state, scope townships)
DEMO = [
    (
        "应急广播终端日常维护",
        "各嘎查村协助旗应急管理局做好村级应急广播终端的日常开机检查，发现故障及时报告，"
        "维修由应急管理局负责。",
        "assist",
        "monthly",
        "dispatched",
        [TOWNSHIP_A],
    ),
    (
        "协助开展应急避难场所日常巡查",
        "协助应急管理局对嘎查村应急避难场所标识、物资进行季度巡查登记，应急管理局每村每年补助800元。",
        "assist",
        "standing",
        "approved",
        [TOWNSHIP_A, TOWNSHIP_B],
    ),
    (
        "森林草原防灭火隐患排查宣传",
        "村委会配合应急管理局开展草原防火和安全生产隐患排查宣传，发现隐患及时报告苏木镇，不作为责任主体。",
        "assist",
        "quarterly",
        "in_review",
        [],
    ),
    (
        "灾害信息员队伍建设",
        "协助建立村级灾害信息员队伍，每村确定1名灾害信息员，负责灾情信息报送，应急管理局负责培训和补贴。",
        "assist",
        "yearly",
        "awaiting_decision",
        [],
    ),
    (
        "违法建筑拆除专项行动",
        "由嘎查村委会负责本村违法建筑摸排和拆除，年底前完成。",
        "responsible",
        "once",
        "blocked",
        [],
    ),
    (
        "家庭应急物资储备调查",
        "协助入户调查家庭应急物资储备情况并填写调查表。",
        "assist",
        "once",
        "rejected",
        [],
    ),
    (
        "应急演练组织",
        "协助苏木镇组织村民参加地震应急疏散演练。",
        "assist",
        "yearly",
        "returned",
        [],
    ),
    (
        "防汛物资台账",
        "协助每月更新嘎查村防汛物资台账。",
        "assist",
        "monthly",
        "withdrawn",
        [],
    ),
    (
        "冬季取暖一氧化碳中毒防范宣传",
        "协助入户发放防范一氧化碳中毒宣传单。",
        "inform",
        "once",
        "expired",
        [],
    ),
    (
        "安全应急科普进村活动",
        "协助组织村民参加应急科普讲座，应急管理局提供讲师和资料。",
        "assist",
        "once",
        "draft",
        [],
    ),
]


def _users() -> dict[str, User] | None:
    names = ("submitter", "approver", "township", "township2", *REVIEWERS)
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    return users if len(users) == len(names) else None


def seed(stdout) -> None:
    county = Division.objects.filter(pk=COUNTY).first()
    users = _users()
    if county is None or users is None:
        stdout.write("gate: demo county or demo users missing; skipped")
        return
    created = 0
    for spec in DEMO:
        if AccessRequest.objects.filter(organisation=users["submitter"].organisation, title=spec[0]).exists():
            continue
        with transaction.atomic():
            _create(spec, county, users)
        created += 1
    services.access_requests_expire(today=timezone.localdate() + timedelta(days=1))
    stdout.write(
        f"gate: {created} demo access requests created, "
        f"{AccessRequest.objects.filter(division=county).count()} in the county, "
        f"{VillageTask.objects.filter(county=county).count()} village tasks"
    )


def _create(spec, county: Division, users: dict[str, User]) -> None:
    title, description, role, frequency, state, townships = spec
    today = timezone.localdate()
    ends = today if state == "expired" else today + timedelta(days=180 if frequency == "once" else 365)
    data = {
        "title": title,
        "description": description,
        "village_role": role,
        "legal_basis": "《中华人民共和国突发事件应对法》第五十五条",
        "scope_kind": "townships" if townships else "county",
        "starts_on": today,
        "ends_on": ends,
        "frequency": frequency,
        "materials": "巡查登记表（每季度一张）" if frequency != "once" else "",
        "provides_funding": "每村每年800元" if state in ("approved", "dispatched") else "",
        "provides_staff": "应急管理局联络员",
        "provides_equipment": "",
        "hours_per_village": 6,
    }
    scope = list(Division.objects.filter(pk__in=townships))
    submitter, approver = users["submitter"], users["approver"]
    req = services.access_request_create(user=submitter, county=county, data=data, scope=scope)
    if state == "draft":
        return
    req = services.access_request_submit(user=submitter, request_id=req.pk)
    if state == "blocked":
        return
    if state == "withdrawn":
        services.access_request_withdraw(
            user=submitter, request_id=req.pk, reason="已纳入年度统一部署，不再单独申请"
        )
        return
    opinions = {
        "reviewer_org": ("agree", "符合村级组织工作事务清单管理要求", ""),
        "reviewer_civil": ("conditional", "同意，须落实费随事转", "经费按每村每年800元拨付到村"),
        "reviewer_agri": ("agree", "不增加牧区嘎查额外负担", ""),
    }
    for name in REVIEWERS[: 1 if state == "in_review" else 3]:
        opinion, reason, conditions = opinions[name]
        services.access_request_review(
            user=users[name], request_id=req.pk, opinion=opinion, reason=reason, conditions=conditions
        )
    if state in ("in_review", "awaiting_decision"):
        return
    outcome, reason = {
        "rejected": ("reject", "可通过部门数据共享获取，不得要求嘎查村填报"),
        "returned": ("return", "请补充演练所需经费和人员保障"),
    }.get(state, ("approve", "同意准入，按审核意见落实保障"))
    services.access_request_decide(user=approver, request_id=req.pk, outcome=outcome, reason=reason)
    if state == "dispatched":
        services.access_request_dispatch(user=submitter, request_id=req.pk)
        tasks = list(VillageTask.objects.restrict(users["township"]).filter(access_request=req)[:4])
        for i, task in enumerate(tasks):
            services.village_task_progress(
                user=users["township"],
                task_id=task.pk,
                status="done" if i < 2 else "in_progress",
                progress=100 if i < 2 else 50,
                note="已检查",
            )
