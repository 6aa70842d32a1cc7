"""The demo organisations and the cast of demo users, one per role."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from divisions.models import Division

from .choices import OrgKind, Role
from .models import Organisation, User

DEMO_PASSWORD = "Demo-2026-jianfu"
PROVINCE, COUNTY = "150000000000", "150223000000"
TOWNSHIP_A, TOWNSHIP_B = "150223104000", "150223107000"  # 百灵庙镇, 明安镇

# code, name, kind, division
ORGANISATIONS = [
    ("nm-civil", "内蒙古自治区民政厅", OrgKind.PROVINCIAL_DEPARTMENT, PROVINCE),
    (
        "dm-leadership",
        "中共达尔罕茂明安联合旗委员会、达尔罕茂明安联合旗人民政府",
        OrgKind.COUNTY_LEADERSHIP,
        COUNTY,
    ),
    ("dm-org", "中共达尔罕茂明安联合旗委组织部", OrgKind.ORGANISATION_DEPT, COUNTY),
    ("dm-civil", "达尔罕茂明安联合旗民政局", OrgKind.CIVIL_AFFAIRS, COUNTY),
    ("dm-agri", "达尔罕茂明安联合旗农牧和科技局", OrgKind.AGRICULTURE, COUNTY),
    ("dm-emergency", "达尔罕茂明安联合旗应急管理局", OrgKind.COUNTY_DEPARTMENT, COUNTY),
    ("dm-bailingmiao", "百灵庙镇人民政府", OrgKind.TOWNSHIP, TOWNSHIP_A),
    ("dm-mingan", "明安镇人民政府", OrgKind.TOWNSHIP, TOWNSHIP_B),
    ("dm-portal", "达尔罕茂明安联合旗政务服务平台", OrgKind.PORTAL, COUNTY),
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    display_name: str
    role: str
    org: str


LOGINS = [
    DemoLogin("township", "百灵庙镇 乌云", Role.TOWNSHIP_STAFF, "dm-bailingmiao"),
    DemoLogin("township2", "明安镇 李强", Role.TOWNSHIP_STAFF, "dm-mingan"),
    DemoLogin("submitter", "应急管理局 王磊", Role.DEPT_SUBMITTER, "dm-emergency"),
    DemoLogin("reviewer_org", "组织部 张敏", Role.COUNTY_REVIEWER, "dm-org"),
    DemoLogin("reviewer_civil", "民政局 赵丽", Role.COUNTY_REVIEWER, "dm-civil"),
    DemoLogin("reviewer_agri", "农牧局 巴特尔", Role.COUNTY_REVIEWER, "dm-agri"),
    DemoLogin("approver", "旗政府 刘洋", Role.COUNTY_APPROVER, "dm-leadership"),
    DemoLogin("keeper", "民政局 陈静", Role.CATALOGUE_KEEPER, "dm-civil"),
    DemoLogin("provadmin", "自治区民政厅 孙伟", Role.PROVINCIAL_ADMIN, "nm-civil"),
    DemoLogin("monitor", "百灵庙镇监测员 高娃", Role.MONITOR, "dm-bailingmiao"),
    DemoLogin("auditor", "组织部 审计 周洁", Role.AUDITOR, "dm-org"),
]


@transaction.atomic
def seed_people() -> dict[str, Organisation]:
    """Create or refresh the demo organisations and users (safe to re-run)."""
    orgs = {}
    for code, name, kind, division in ORGANISATIONS:
        orgs[code], _ = Organisation.objects.update_or_create(
            code=code, defaults={"name": name, "kind": kind, "division": Division.objects.get(pk=division)}
        )
    for login in LOGINS:
        user = User.objects.filter(username=login.username).first() or User(username=login.username)
        user.display_name = login.display_name
        user.role = login.role
        user.organisation = orgs[login.org]
        user.is_active = True
        user.set_password(DEMO_PASSWORD)
        user.full_clean()
        user.save()
    admin = User.objects.filter(username="admin").first() or User(username="admin")
    admin.is_staff = admin.is_superuser = True
    admin.set_password(DEMO_PASSWORD)
    admin.save()
    return orgs
