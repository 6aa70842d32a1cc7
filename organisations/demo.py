"""The demo organisations and the cast of demo users, one per role."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from .choices import STAFF_ROLES, OrgKind, Role
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
    DemoLogin("sysadmin", "旗政府 系统管理员 何平", Role.SYSTEM_ADMIN, "dm-leadership"),
    DemoLogin("secadmin", "旗政府 安全管理员 吴刚", Role.SECURITY_ADMIN, "dm-leadership"),
]


def _save_if_changed(obj, **fields) -> bool:
    """Set fields and save only when one differs: a re-run writes no history rows."""
    changed = obj.pk is None or any(getattr(obj, k) != v for k, v in fields.items())
    for key, value in fields.items():
        setattr(obj, key, value)
    return changed


@transaction.atomic
def seed_people() -> dict[str, Organisation]:
    """Create or refresh the demo organisations and users (safe to re-run: a re-run writes nothing)."""
    orgs = {}
    for code, name, kind, division in ORGANISATIONS:
        org = Organisation.objects.filter(code=code).first() or Organisation(code=code)
        if _save_if_changed(org, name=name, kind=kind, division_id=division):
            org.full_clean()
            org.save()
        orgs[code] = org
    for login in LOGINS:
        user = User.objects.filter(username=login.username).first() or User(username=login.username)
        changed = _save_if_changed(
            user,
            display_name=login.display_name,
            role=login.role,
            organisation_id=orgs[login.org].pk,
            is_active=True,
            is_staff=login.role in STAFF_ROLES,
        )
        if changed or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.full_clean()
            user.save()
    admin = User.objects.filter(username="admin").first() or User(username="admin")
    if _save_if_changed(admin, is_staff=True, is_superuser=True, is_active=True) or not admin.check_password(
        DEMO_PASSWORD
    ):
        admin.set_password(DEMO_PASSWORD)
        admin.save()
    return orgs


# The second factor for the demo: each demo login that needs one gets an
# enrolled authenticator, its key kept in var/ (readable by this user only) so
# a new user can try every role; `manage.py two_factor_code <login>` prints the
# code of the moment. Nothing of this runs outside `seed_demo`.
TWO_FACTOR_FILE = "demo-two-factor.txt"


def seed_two_factor(var_dir) -> list[tuple[str, str]]:
    """Give each demo login that needs a second factor a confirmed device; write their keys to var/."""
    from base64 import b32encode
    from pathlib import Path

    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .twofactor import DEVICE_NAME, needs_two_factor

    rows = []
    for user in User.objects.filter(username__in=[*(login.username for login in LOGINS), "admin"]).order_by(
        "username"
    ):
        if not needs_two_factor(user):
            continue
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True)
        rows.append((user.username, b32encode(device.bin_key).decode()))
    path = Path(var_dir) / TWO_FACTOR_FILE
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)
    lines = [f"{username}\t{secret}" for username, secret in rows]
    path.write_text(
        "# demo logins with a second factor: login, TOTP key (base32)\n" + "\n".join(lines) + "\n"
    )
    return rows
