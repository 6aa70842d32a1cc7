"""Signage fixtures: both provinces' rules loaded, a Shandong village, a plaque factory."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from divisions.models import Level

from . import factories as f


@pytest.fixture
def shandong(db):
    """A Shandong village (seed 002's rules) with its own township clerk."""
    from organisations.choices import OrgKind, Role

    province = f.division("37", "山东省", Level.PROVINCE)
    city = f.division("3715", "聊城市", Level.PREFECTURE, province)
    county = f.division("371502", "东昌府区", Level.COUNTY, city)
    township = f.division("371502100", "沙镇镇", Level.TOWNSHIP, county)
    village = f.village("371502100201", "前屯村委会", township, area_type="farming")
    org = f.OrganisationFactory(
        code="t-shazhen", name="沙镇镇人民政府", kind=OrgKind.TOWNSHIP, division=township
    )
    clerk = f.UserFactory(username="sd_township", role=Role.TOWNSHIP_STAFF, organisation=org)
    return village, clerk


@pytest.fixture
def rules(world, shandong):
    from signage.services import plaque_rules_load

    plaque_rules_load()


def jpeg(size=(800, 600), colour=(200, 30, 30)) -> SimpleUploadedFile:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, colour).save(buf, format="JPEG")
    return SimpleUploadedFile("plaque.jpg", buf.getvalue(), content_type="image/jpeg")


def plaque_data(**over) -> dict:
    """A compliant Inner Mongolia villagers' committee plaque for 哈达图嘎查, unless overridden."""
    data = {
        "rule_name": "嘎查村民委员会",
        "text": "哈达图嘎查村民委员会",
        "placement": "outside",
        "kind": "plaque",
        "shape": "strip",
        "width_cm": "40",
        "height_cm": "200",
        "ground_colour": "white",
        "text_colour": "black",
        "typeface": "song",
        "material": "木质",
        "languages": ["zh", "mn"],
    }
    data.update(over)
    return data
