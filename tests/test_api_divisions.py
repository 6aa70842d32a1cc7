"""The divisions API: filters, cursor pages, and a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from divisions.models import Level

from . import factories as f


def codes(response):
    return [row["code"] for row in response.json()["results"]]


def test_filters_by_level_parent_prefix_and_name(api, world):
    client = api.as_user("approver")
    assert codes(client.get("/api/v1/divisions/?level=4")) == ["150223104000", "150223107000"]
    assert codes(client.get("/api/v1/divisions/?parent=150223104000")) == ["150223104200", "150223104201"]
    assert codes(client.get("/api/v1/divisions/?code_prefix=150223107")) == ["150223107000", "150223107200"]
    assert codes(client.get("/api/v1/divisions/?q=苏吉")) == ["150223104201"]
    assert codes(client.get("/api/v1/divisions/?code_prefix=abc")) == []


def test_township_user_sees_only_its_township(api, world):
    rows = codes(api.as_user("township").get("/api/v1/divisions/?page_size=1000"))
    assert rows == ["150223104000", "150223104200", "150223104201"]


@pytest.mark.django_db
def test_query_count_does_not_grow_with_page_size(api, world):
    for i in range(60):
        f.village(f"150223107{300 + i}", f"新村{i}", world.township_b)
    client = api.as_user("approver")

    def count(page_size):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"/api/v1/divisions/?level={Level.VILLAGE}&page_size={page_size}")
        assert response.status_code == 200
        return len(ctx.captured_queries), len(response.json()["results"])

    small, n_small = count(5)
    large, n_large = count(60)
    assert (n_small, n_large) == (5, 60)
    assert small == large


def test_cursor_pagination_walks_every_row_once(api, world):
    client = api.as_user("provadmin")
    seen, url = [], "/api/v1/divisions/?page_size=3"
    while url:
        data = client.get(url).json()
        seen += [r["code"] for r in data["results"]]
        url = data["next"]
    assert len(seen) == len(set(seen)) == 11


def test_divisions_are_read_only_over_the_api(api, world):
    client = api.as_user("provadmin")
    response = client.patch(f"/api/v1/divisions/{world.village_a1.code}/", {"households": 5}, format="json")
    assert response.status_code == 405
    world.village_a1.refresh_from_db()
    assert world.village_a1.households is None


def test_list_rows_are_byte_identical_to_the_serializer(api, world):
    """The list reads .values() rows for speed; what it renders is exactly DivisionSerializer's."""
    from decimal import Decimal

    from rest_framework.renderers import JSONRenderer

    from divisions.api.serializers import DivisionSerializer
    from divisions.models import Division

    world.village_a1.households = 120
    world.village_a1.service_floor_area = Decimal("350.5")
    world.village_a1.is_central_village = True
    world.village_a1.save()
    world.village_b1.service_floor_area = Decimal("80")
    world.village_b1.save()
    response = api.as_user("provadmin").get("/api/v1/divisions/?page_size=1000")
    from django.utils import translation

    with translation.override(response.headers["Content-Language"]):
        expected = DivisionSerializer(Division.objects.order_by("code"), many=True).data
        rendered = JSONRenderer().render(expected)
    body = response.content
    assert body[body.index(b'"results":') + len(b'"results":') : -1] == rendered
    assert b'"350.5"' in body and b'"80.0"' in body
