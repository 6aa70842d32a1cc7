"""The fixed world every test shares: two counties, townships, villages, and a cast per role.

    内蒙古自治区 15
      包头市 1502
        达尔罕茂明安联合旗 150223            ← the home county
          百灵庙镇 150223104  (township A)   villages A1 A2
          明安镇   150223107  (township B)   village  B1
        固阳县 150222                        ← the next county
          金山镇 150222100                   village  C1

Cast: township (A), township_b (B), submitter (county dept), reviewers of the
organisation, civil-affairs and agriculture departments, approver, keeper,
provincial admin, monitor (A), auditor, portal client, and an outsider
(township staff of the next county).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from divisions.models import Division, Level
from organisations.choices import OrgKind, Role
from organisations.models import Organisation, User

from . import factories as f


@dataclass
class World:
    province: Division
    city: Division
    county: Division
    township_a: Division
    township_b: Division
    village_a1: Division
    village_a2: Division
    village_b1: Division
    other_county: Division
    other_township: Division
    village_c1: Division
    orgs: dict[str, Organisation]
    users: dict[str, User]

    def user(self, name: str) -> User:
        return self.users[name]


CAST = [
    # name, role, organisation key
    ("township", Role.TOWNSHIP_STAFF, "township_a"),
    ("township_b", Role.TOWNSHIP_STAFF, "township_b"),
    ("submitter", Role.DEPT_SUBMITTER, "emergency"),
    ("reviewer_org", Role.COUNTY_REVIEWER, "org_dept"),
    ("reviewer_civil", Role.COUNTY_REVIEWER, "civil"),
    ("reviewer_agri", Role.COUNTY_REVIEWER, "agri"),
    ("approver", Role.COUNTY_APPROVER, "leadership"),
    ("keeper", Role.CATALOGUE_KEEPER, "civil"),
    ("provadmin", Role.PROVINCIAL_ADMIN, "province_civil"),
    ("monitor", Role.MONITOR, "township_a"),
    ("auditor", Role.AUDITOR, "org_dept"),
    ("portal", Role.PORTAL_CLIENT, "portal"),
    ("outsider", Role.TOWNSHIP_STAFF, "other_township"),
]


@pytest.fixture
def world(db) -> World:
    province = f.division("15", "内蒙古自治区", Level.PROVINCE)
    city = f.division("1502", "包头市", Level.PREFECTURE, province)
    county = f.division("150223", "达尔罕茂明安联合旗", Level.COUNTY, city)
    township_a = f.division("150223104", "百灵庙镇", Level.TOWNSHIP, county)
    township_b = f.division("150223107", "明安镇", Level.TOWNSHIP, county)
    village_a1 = f.village("150223104200", "哈达图嘎查", township_a, area_type="pastoral")
    village_a2 = f.village("150223104201", "大苏吉嘎查", township_a, area_type="pastoral")
    village_b1 = f.village("150223107200", "乌兰敖包村", township_b, area_type="farming")
    other_county = f.division("150222", "固阳县", Level.COUNTY, city)
    other_township = f.division("150222100", "金山镇", Level.TOWNSHIP, other_county)
    village_c1 = f.village("150222100200", "东园村", other_township, area_type="farming")
    org_specs = {
        "province_civil": ("内蒙古自治区民政厅", OrgKind.PROVINCIAL_DEPARTMENT, province),
        "leadership": ("达茂旗委旗政府", OrgKind.COUNTY_LEADERSHIP, county),
        "org_dept": ("达茂旗委组织部", OrgKind.ORGANISATION_DEPT, county),
        "civil": ("达茂旗民政局", OrgKind.CIVIL_AFFAIRS, county),
        "agri": ("达茂旗农牧局", OrgKind.AGRICULTURE, county),
        "emergency": ("达茂旗应急管理局", OrgKind.COUNTY_DEPARTMENT, county),
        "township_a": ("百灵庙镇人民政府", OrgKind.TOWNSHIP, township_a),
        "township_b": ("明安镇人民政府", OrgKind.TOWNSHIP, township_b),
        "portal": ("达茂旗政务服务平台", OrgKind.PORTAL, county),
        "other_township": ("金山镇人民政府", OrgKind.TOWNSHIP, other_township),
    }
    orgs = {
        key: f.OrganisationFactory(code=f"t-{key}", name=name, kind=kind, division=div)
        for key, (name, kind, div) in org_specs.items()
    }
    users = {
        name: f.UserFactory(username=name, role=role, organisation=orgs[org], display_name=name)
        for name, role, org in CAST
    }
    return World(
        province,
        city,
        county,
        township_a,
        township_b,
        village_a1,
        village_a2,
        village_b1,
        other_county,
        other_township,
        village_c1,
        orgs,
        users,
    )


@pytest.fixture
def api(world):
    """An API client; ``api.as_user(name)`` authenticates as one of the cast."""
    client = APIClient()

    def as_user(name: str | None) -> APIClient:
        client.force_authenticate(world.user(name) if name else None)
        return client

    client.as_user = as_user
    return client


@pytest.fixture
def login(client, world):
    """A browser-session client logged in as one of the cast."""

    def _login(name: str):
        client.force_login(world.user(name))
        return client

    return _login
