"""Certificate lists for tests: the province's negative list (the MCA 2020 batch) and the county's retained list."""

from __future__ import annotations

from datetime import date

import pytest

from certificates import demo, services

# Made-up numbers with valid GB 11643 check digits.
VALID_ID = "150223199003150020"
VALID_ID_X = "15022219851207001X"


@pytest.fixture
def cert_lists(world):
    provadmin, keeper = world.user("provadmin"), world.user("keeper")
    province = services.certificate_list_create(
        division=world.province, name="自治区证明清单", user=provadmin
    )
    draft = services.draft_get_or_create(certificate_list=province, user=provadmin)
    for data in demo.load("negative_mca_2020.json"):
        services.item_save(version=draft, data=data, user=provadmin)
    services.version_publish(version=draft, effective_from=date(2024, 1, 1), user=provadmin)
    county = services.certificate_list_create(division=world.county, name="达茂旗证明清单", user=keeper)
    draft = services.draft_get_or_create(certificate_list=county, user=keeper)
    for data in demo.load("retained_demo_150223.json"):
        services.item_save(version=draft, data=data, user=keeper)
    services.version_publish(version=draft, effective_from=date(2024, 3, 1), user=keeper)
    return {"province": province, "county": county, "version": draft}
