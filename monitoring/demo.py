"""Demo monitoring points and reports in 百灵庙镇 (called by ``manage.py seed_demo``).

The organisation department's reviewer designates three villages as points and
the demo ``monitor`` user as their monitor; the monitor files a few reports
and the department closes two of them. Everything goes through the services.
Safe to re-run: once the demo monitor has filed a report, nothing more is added.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from divisions.models import Division
from organisations.models import User

from . import services
from .choices import Finding, ReportKind
from .models import BurdenReport

POINTS = ["150223104200", "150223104201", "150223104202"]

# kind, institution, description, extra fields, closed with (finding, reason, correction) or None
REPORTS = [
    (
        ReportKind.INSPECTION,
        "旗农牧和科技局",
        "检查组来村检查春季防疫工作，要求村干部全程陪同并准备汇报材料。",
        {
            "visitors": "旗农牧和科技局检查组",
            "visitor_count": 6,
            "asked": "汇报材料、防疫台账、现场陪同",
            "hours": 6,
        },
        (
            Finding.SUBSTANTIATED,
            "核实：检查未经统筹，重复检查。",
            "已要求该局将检查纳入全旗统一督查计划，不再单独来村检查。",
        ),
    ),
    (
        ReportKind.UNPLANNED_FORM,
        "旗应急管理局",
        "通过微信群要求村里三天内填报《自然灾害风险隐患排查表》。",
        {"form_name": "自然灾害风险隐患排查表", "hours": 3},
        (
            Finding.SUBSTANTIATED,
            "核实：该表不在年度表格填报计划内。",
            "已责令停止向村级组织直接下发表格，改由部门自行采集。",
        ),
    ),
    (
        ReportKind.PROOF,
        "旗应急管理局",
        "要求每天在工作群上传巡查照片作为工作落实依据。",
        {},
        None,
    ),
    (
        ReportKind.CERTIFICATE,
        "某商业银行百灵庙支行",
        "要求村委会为贷款人出具收入证明。",
        {},
        (Finding.NOT_SUBSTANTIATED, "核实：系村民自行要求，银行未提出该要求。", ""),
    ),
]


def seed(stdout) -> None:
    handler = User.objects.filter(username="reviewer_org").first()
    monitor = User.objects.filter(username="monitor").first()
    if handler is None or monitor is None or not Division.objects.filter(pk__in=POINTS).exists():
        return
    for code in POINTS:
        if Division.objects.filter(pk=code).exists():
            point = services.point_designate(user=handler, village=code)
            services.monitor_assign(user=handler, point_id=point.pk, monitor=monitor)
    # The monitor's name and a made-up mobile number, recorded as the department does: the points'
    # export then carries them (masked) and re-imports unchanged.
    services.monitor_contact_record(user=handler, monitor=monitor, name="乌云其木格", phone="13904720000")
    if BurdenReport.objects.filter(reporter=monitor).exists():
        stdout.write("monitoring: demo reports already there")
        return
    today = timezone.localdate()
    villages = [c for c in POINTS if Division.objects.filter(pk=c).exists()]
    for i, (kind, institution, description, extra, closed) in enumerate(REPORTS):
        report = services.report_file(
            user=monitor,
            village=villages[i % len(villages)],
            data={
                "kind": kind,
                "description": description,
                "seen_on": today - timedelta(days=3 + i),
                **extra,
            },
            institution_name=institution,
        )
        if closed:
            finding, reason, correction = closed
            services.report_close(
                user=handler, report_id=report.pk, outcome=finding, reason=reason, correction=correction
            )
    stdout.write(f"monitoring: {len(villages)} points, {len(REPORTS)} reports")
