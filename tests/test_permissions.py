"""Run the whole cast over every registered scoped endpoint (see tests/permissions.py)."""

import importlib
from pathlib import Path

import pytest

from .permissions import REGISTRY

# Each app registers its endpoints in tests/endpoints_<app>.py.
for module in sorted(Path(__file__).parent.glob("endpoints_*.py")):
    importlib.import_module(f"tests.{module.stem}")

HOME_COUNTY_CAST = [
    "township",
    "submitter",
    "reviewer_org",
    "reviewer_civil",
    "reviewer_agri",
    "approver",
    "keeper",
    "monitor",
    "auditor",
    "portal",
]


def foreign_objects(name, inside, outside, county_wide=False):
    """Objects outside this cast member's jurisdiction."""
    if name == "outsider":
        return [inside]
    if name == "township_b":
        return [outside] if county_wide else [inside, outside]  # inside sits in township A
    if name == "provadmin":
        return []
    return [outside]


def _ids_in(response, endpoint):
    if endpoint.api:
        data = response.json()
        rows = data["results"] if isinstance(data, dict) and "results" in data else data
        # A row is known by its id or by its text (number, code, name): other numbers in it
        # (a count, a version, a foreign key) would make a foreign row's id look seen.
        return {str(v) for row in rows for k, v in row.items() if k == "id" or isinstance(v, str)}
    return response.content.decode()


@pytest.fixture(params=REGISTRY, ids=lambda e: e.name)
def endpoint(request):
    return request.param


@pytest.mark.parametrize("name", [*HOME_COUNTY_CAST, "township_b", "outsider", "provadmin"])
def test_lists_hold_no_foreign_rows_and_foreign_details_are_404(endpoint, world, client, name):
    inside, outside = endpoint.make(world)
    client.force_login(world.user(name))
    response = client.get(endpoint.list_url(world))
    assert response.status_code == 200, response.content[:300]
    seen = _ids_in(response, endpoint)
    foreign = foreign_objects(name, inside, outside, endpoint.county_wide)
    if name in endpoint.hidden_from and inside not in foreign:
        foreign.append(inside)
    for obj in foreign:
        assert endpoint.row_id(obj) not in seen, f"{name} sees a foreign row in {endpoint.name}"
        if endpoint.detail_url:
            assert client.get(endpoint.detail_url(obj)).status_code == 404
    if name in endpoint.visible_to:
        assert endpoint.row_id(inside) in seen, f"{name} should see its own row in {endpoint.name}"
        if endpoint.detail_url:
            assert client.get(endpoint.detail_url(inside)).status_code == 200


def test_anonymous_gets_nothing(endpoint, world, client):
    inside, _outside = endpoint.make(world)
    if endpoint.anonymous_allowed:
        pytest.skip("public endpoint")
    response = client.get(endpoint.list_url(world))
    assert response.status_code in (401, 403, 302)
    if endpoint.detail_url:
        assert client.get(endpoint.detail_url(inside)).status_code in (401, 403, 302, 404)


ALL_CAST = [*HOME_COUNTY_CAST, "township_b", "outsider", "provadmin"]


def snapshot(obj):
    from django.forms.models import model_to_dict

    fresh = type(obj).objects.get(pk=obj.pk)
    return model_to_dict(fresh)


@pytest.mark.parametrize("name", ALL_CAST)
def test_refused_writes_change_nothing(endpoint, world, client, name):
    if endpoint.write is None:
        pytest.skip("read-only endpoint")
    inside, outside = endpoint.make(world)
    client.force_login(world.user(name))
    targets = [outside] if name in endpoint.writers else [inside, outside]
    if name == "outsider" and name in endpoint.writers:
        targets = [inside]
    for obj in targets:
        before = snapshot(obj)
        response = endpoint.write(client, obj)
        assert response.status_code in (403, 404, 405), (name, response.status_code)
        assert snapshot(obj) == before
