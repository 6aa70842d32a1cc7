"""Each role walks its day in headless Chromium, at phone width and at desktop width.

On every page: no server error, no horizontal scroll, no untranslated English.
"""

from __future__ import annotations

import re

import pytest

from gate import services as gate_services
from gate.models import VillageTask

from .browser import log_in
from .conftest import CAST
from .factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"phone": 390, "desktop": 1280}
# Words that are names, not untranslated interface: the cast's logins, file formats, the English language's own name.
ALLOWED = {name for name, _role, _org in CAST} | {"English", "OAuth", "xlsx", "JPEG", "Word", "Excel"}


def _day(world, ids) -> dict[str, list[str]]:
    county = world.county.code[:6]
    return {
        "township": [
            "/",
            "/gate/tasks/",
            f"/gate/tasks/{ids['task']}/",
            "/gate/notifications/",
            "/divisions/",
            "/catalogs/",
        ],
        "submitter": [
            "/",
            "/gate/",
            "/gate/requests/new/",
            f"/gate/requests/{ids['approved']}/",
            f"/gate/requests/{ids['approved']}/progress/",
            f"/gate/requests/{ids['blocked']}/",
            "/gate/items/dispatch/",
            "/gate/notifications/",
        ],
        "reviewer_org": ["/", "/gate/", f"/gate/requests/{ids['in_review']}/"],
        "approver": ["/", "/gate/", f"/gate/requests/{ids['awaiting']}/", "/gate/tasks/"],
        "keeper": [
            "/",
            "/catalogs/",
            f"/catalogs/{ids['catalogue']}/",
            f"/catalogs/{ids['catalogue']}/adopt/",
            f"/catalogs/{ids['catalogue']}/proposals/",
            f"/catalogs/{ids['catalogue']}/import/",
        ],
        "provadmin": ["/", "/catalogs/", "/divisions/"],
        "monitor": ["/", "/gate/tasks/"],
        "auditor": ["/", "/audit/", "/gate/"],
        "public": [
            "/public/",
            f"/catalogs/public/{county}/",
            f"/gate/public/{county}/",
            "/plaques/15/",
            "/accounts/login/",
            "/no-such-page/",
            f"/catalogs/public/{county}/?as_of=2099-99-99",
        ],
    }


@pytest.fixture
def ids(world, make_request):
    from catalogs.models import Catalogue

    approved = make_request("approved")
    gate_services.access_request_dispatch(user=world.user("submitter"), request_id=approved.pk)
    blocked = make_request(
        "blocked",
        title="由村委会负责本村违法建筑拆除",
        description="村委会负责拆除违法建筑",
        village_role="responsible",
    )
    # A long approval reason (one unbroken run of digits): the public page must hold its layout.
    long_reason = make_request("awaiting_decision", title="长理由的申请")
    gate_services.access_request_decide(
        user=world.user("approver"), request_id=long_reason.pk, outcome="approve", reason="同意" + "0" * 1500
    )
    awaiting = make_request("awaiting_decision")
    return {
        "approved": approved.pk,
        "blocked": blocked.pk,
        "in_review": make_request("in_review").pk,
        "awaiting": awaiting.pk,
        "task": VillageTask.objects.filter(village=world.village_a1).first().pk,
        "catalogue": Catalogue.objects.get(division=world.county).pk,
    }


def _english(text: str) -> set[str]:
    return {w for w in re.findall(r"[A-Za-z][A-Za-z_]{3,}", text) if w not in ALLOWED}


@pytest.mark.parametrize("width", sorted(WIDTHS))
@pytest.mark.parametrize(
    "username",
    [
        "township",
        "submitter",
        "reviewer_org",
        "approver",
        "keeper",
        "provadmin",
        "monitor",
        "auditor",
        "public",
    ],
)
def test_each_role_walks_its_day(browser, live_server, world, ids, username, width):
    context = browser.new_context(locale="en-US", viewport={"width": WIDTHS[width], "height": 900})
    page = context.new_page()
    page.base_url = live_server.url
    problems = []
    try:
        if username != "public":
            log_in(page, username, PASSWORD)
        for url in _day(world, ids)[username]:
            response = page.goto(live_server.url + url)
            if response is None or response.status >= 500:
                problems.append((url, "status", response.status if response else None))
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if overflow > 1:
                problems.append((url, "horizontal scroll", overflow))
            english = _english(page.inner_text("body"))
            if english:
                problems.append((url, "English", sorted(english)))
    finally:
        context.close()
    assert not problems, problems
