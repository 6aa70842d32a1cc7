"""The public entrance: no login, links to each county's lists, decisions and plaque rules."""

from catalogs import services
from signage.services import plaque_rules_load


def test_public_entrance_links_published_counties_only(client, world):
    keeper = world.user("keeper")
    catalogue = services.catalogue_create(
        division=world.county, name="达茂旗村级组织工作事务清单", user=keeper
    )
    page = client.get("/public/").content.decode()
    assert "达茂旗村级组织工作事务清单" not in page  # not published yet
    draft = services.draft_get_or_create(catalogue=catalogue, user=keeper)
    services.item_create(
        version=draft,
        user=keeper,
        data={"code": "FM-01", "kind": "negative", "name": "招商引资", "negative_matter": "招商引资"},
    )
    from django.utils import timezone

    services.version_publish(version=draft, user=keeper, effective_from=timezone.localdate())
    plaque_rules_load()
    page = client.get("/public/").content.decode()
    assert 'href="/catalogs/public/150223/"' in page and 'href="/gate/public/150223/"' in page
    assert 'href="/plaques/15/"' in page
    assert client.get("/catalogs/public/150223/").status_code == 200
