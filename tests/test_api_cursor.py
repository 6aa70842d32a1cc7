"""A hand-made cursor is refused as an invalid cursor (404), never a server error."""

from __future__ import annotations

import base64

import pytest

pytestmark = pytest.mark.django_db


def _cursor(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@pytest.mark.parametrize(
    "url, user",
    [
        ("/api/v1/access-requests/", "submitter"),  # ordered by id
        ("/api/v1/certificate-requests/", "township"),  # ordered by the date written
        ("/api/v1/divisions/", "submitter"),  # ordered by code
    ],
)
@pytest.mark.parametrize("position", ["p=zz'", "p=2026-13-45", "o=1&p=%00", "p=" + "9" * 40])
def test_a_forged_cursor_position_is_an_invalid_cursor(api, world, url, user, position):
    response = api.as_user(user).get(url, {"cursor": _cursor(position)})
    assert response.status_code in (200, 404), response.content[:300]
    if response.status_code == 404:
        assert "cursor" in str(response.json()).lower() or "游标" in str(response.json())


def test_a_real_cursor_still_pages(api, world):
    client = api.as_user("submitter")
    first = client.get("/api/v1/divisions/", {"page_size": 2}).json()
    assert first["next"], first
    second = client.get(first["next"])
    assert second.status_code == 200
    assert not {d["code"] for d in first["results"]} & {d["code"] for d in second.json()["results"]}
