"""Every URL, every query parameter it reads, bad values: a clear 4xx, never a 5xx.

The sweep learns which parameters each page or endpoint reads by recording the
keys looked up in ``request.GET`` on a plain visit, then sends each of them the
values people and scripts actually mistype: impossible dates, words, huge and
negative numbers, NUL bytes, JSON literals.
"""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
from django.http import QueryDict
from django.urls import URLPattern, URLResolver, get_resolver

from gate import services as gate_services
from tests import factories as f

pytestmark = pytest.mark.django_db

BAD_VALUES = ["2099-99-99", "abc", "-1", "1.5", "1e400", "99999999999999999999999", "%00", "null", "%C3%85U"]
SKIP_PREFIXES = ("admin/", "o/", "api/schema/", "api/docs/", "jsi18n/", "i18n/", "accounts/", "static/")


def _routes(patterns, prefix=""):
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from _routes(p.url_patterns, route)
        elif isinstance(p, URLPattern):
            yield route


@contextmanager
def recording_reads():
    """Record every key a view looks up in a QueryDict."""
    seen: set[str] = set()
    originals = {name: getattr(QueryDict, name) for name in ("get", "getlist", "__getitem__", "__contains__")}

    def wrap(name):
        def reader(self, key, *args, **kwargs):
            seen.add(key)
            return originals[name](self, key, *args, **kwargs)

        return reader

    for name in originals:
        setattr(QueryDict, name, wrap(name))
    try:
        yield seen
    finally:
        for name, fn in originals.items():
            setattr(QueryDict, name, fn)


@pytest.fixture
def populated(world, make_request):
    req = make_request("approved")
    gate_services.access_request_dispatch(user=world.user("submitter"), request_id=req.pk)
    return req


def _concrete(route: str, ids: dict[str, list[str]]) -> list[str]:
    """Fill a route's converters with the ids of real objects (all of them that exist)."""
    route = route.replace("^", "").replace("$", "")
    names = re.findall(r"<(?:(\w+):)?(\w+)>", route)
    if not names:
        return ["/" + route]
    urls = []
    for candidate in ids["int"] if any(c in ("int", "") and n == "pk" for c, n in names) else [""]:
        for code in ids["str"] if any(n == "code" for _c, n in names) else [""]:
            url = re.sub(r"<(?:int:)?pk>", candidate, route)
            url = re.sub(r"<(?:str:)?code>", code, url)
            url = re.sub(r"<[^>]+>", "1", url)
            urls.append("/" + url)
    return urls


def test_every_url_answers_bad_parameters_without_a_server_error(world, populated, client):
    admin = f.UserFactory(
        username="sweep-admin", is_superuser=True, is_staff=True, role="", organisation=None
    )
    ids = {
        "int": [str(n) for n in range(1, 6)] + [str(populated.pk)],
        "str": [world.county.code, world.province.code[:2], world.county.code[:6], "abc"],
    }
    routes = [r for r in _routes(get_resolver().url_patterns) if not r.startswith(SKIP_PREFIXES)]
    assert len(routes) > 40
    failures, walked, probed = [], 0, 0
    for who in (admin, None):
        client.logout()
        if who:
            client.force_login(who)
        for route in routes:
            for url in _concrete(route, ids):
                with recording_reads() as keys:
                    plain = client.get(url)
                if plain.status_code >= 500:
                    failures.append((url, "", plain.status_code))
                walked += 1
                if plain.status_code != 200:
                    continue
                for key in sorted(keys - {"format"}):
                    for value in BAD_VALUES:
                        probed += 1
                        response = client.get(f"{url}?{key}={value}")
                        if response.status_code >= 500:
                            failures.append((url, f"{key}={value}", response.status_code))
    assert not failures, failures
    assert walked > 80 and probed > 300, (walked, probed)


@pytest.mark.parametrize(
    "query",
    ["as_of=2099-99-99", "as_of=abc", "as_of=%00"],
)
def test_public_catalogue_bad_date_is_a_clear_400(world, gate_lists, client, query):
    response = client.get(f"/catalogs/public/{world.county.code[:6]}/?{query}")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-testid="error-page"' in page and ("日期" in page or "NUL" in page)


@pytest.mark.parametrize(
    "url",
    [
        "/catalogs/{pk}/?as_of=2026-02-30",
        "/catalogs/{pk}/?v=99999999999999999999999",
        "/divisions/?parent=abc",
        "/gate/tasks/?village=%00",
    ],
)
def test_bad_numbers_and_codes_on_pages_are_400(world, gate_lists, login, url):
    from catalogs.models import Catalogue

    catalogue = Catalogue.objects.get(division=world.county)
    response = login("provadmin").get(url.format(pk=catalogue.pk))
    assert response.status_code == 400, response.status_code
