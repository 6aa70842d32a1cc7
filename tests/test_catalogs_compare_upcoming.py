"""Version compare shows old → new values; the adopt page shows the province's upcoming changes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from catalogs import services

pytestmark = pytest.mark.django_db


def test_compare_shows_old_and_new_values(login, world, guidance, county_catalogue):
    keeper = world.user("keeper")
    draft = services.draft_get_or_create(catalogue=county_catalogue, user=keeper)
    services.item_update(
        item=draft.items.get(code="XZ-50"), data={"responsible_department": "应急管理局"}, user=keeper
    )
    page = login("keeper").get(f"/catalogs/{county_catalogue.pk}/compare/").content.decode()
    changes = page[page.index('data-testid="compare-changes"') :]
    assert "林草局" in changes and "应急管理局" in changes and "→" in changes


def test_adopt_page_shows_a_future_provincial_change_and_its_date(login, world, guidance, county_catalogue):
    admin = world.user("provadmin")
    draft = services.draft_get_or_create(catalogue=guidance, user=admin)
    services.item_update(item=draft.items.get(code="ZZ-01"), data={"hours_per_year": "80"}, user=admin)
    takes_effect = timezone.localdate() + timedelta(days=30)
    services.version_publish(version=draft, effective_from=takes_effect, user=admin)
    page = login("keeper").get(f"/catalogs/{county_catalogue.pk}/adopt/").content.decode()
    assert 'data-testid="upcoming-guidance"' in page
    upcoming = page[page.index('data-testid="upcoming-guidance"') :]
    assert f"{takes_effect:%Y-%m-%d}" in upcoming and "ZZ-01" in upcoming and "每村每年估计工时" in upcoming
