"""The plaque registry's REST API: public rules, township inventories with photos, mechanisms, OpenAPI."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from signage.models import Rectification, VillagePlaque

from .fixtures_signage import jpeg, plaque_data


def test_rules_in_force_are_public_and_drafts_are_not(api, world, rules):
    api.as_user("provadmin").post("/api/v1/plaque-rulesets/draft/", {"province": "15"}, format="json")
    anon = api.as_user(None)
    rows = anon.get("/api/v1/plaque-rules/?province=15").json()["results"]
    assert {r["ruleset_number"] for r in rows} == {1} and len(rows) == 7
    assert anon.get("/api/v1/plaque-rules/?ruleset_status=draft").json()["results"] == []
    assert [r["status"] for r in anon.get("/api/v1/plaque-rulesets/").json()["results"]] == ["published"] * 2
    own = api.as_user("provadmin").get("/api/v1/plaque-rules/?ruleset_status=draft").json()["results"]
    assert len(own) == 7


def test_provincial_admin_publishes_a_future_version_through_the_api(api, world, rules):
    client = api.as_user("provadmin")
    draft = client.post("/api/v1/plaque-rulesets/draft/", {"province": "150000000000"}, format="json").json()
    rule = next(
        r
        for r in client.get(f"/api/v1/plaque-rules/?ruleset={draft['id']}").json()["results"]
        if r["name"] == "嘎查村民委员会"
    )
    r = client.patch(f"/api/v1/plaque-rules/{rule['id']}/", {"ground_colour": "gold"}, format="json")
    assert r.status_code == 200 and r.json()["ground_colour"] == "gold"
    bad = client.patch(f"/api/v1/plaque-rules/{rule['id']}/", {"shapes": "abc"}, format="json")
    assert bad.status_code == 400 and "shapes" in bad.json()
    soon = (timezone.localdate() + timedelta(days=10)).isoformat()
    assert (
        client.post(
            f"/api/v1/plaque-rulesets/{draft['id']}/publish/", {"effective_from": soon}, format="json"
        ).status_code
        == 200
    )
    today = client.get("/api/v1/plaque-rules/?province=15").json()["results"]
    assert next(r for r in today if r["name"] == "嘎查村民委员会")["ground_colour"] == "white"
    later = client.get(f"/api/v1/plaque-rules/?province=15&as_of={soon}").json()["results"]
    assert next(r for r in later if r["name"] == "嘎查村民委员会")["ground_colour"] == "gold"
    assert (
        api.as_user("township")
        .post("/api/v1/plaque-rulesets/draft/", {"province": "15"}, format="json")
        .status_code
        == 404
    )


def test_township_records_with_a_photo_over_multipart(api, world, rules):
    client = api.as_user("township")
    data = plaque_data(village=world.village_a1.code, languages="zh")
    data.pop("languages")
    r = client.post(
        "/api/v1/village-plaques/", {**data, "languages": ["zh"], "photo": jpeg()}, format="multipart"
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["has_photo"] and [i["kind"] for i in body["open_rectifications"]] == ["language"]
    removed = client.post(
        f"/api/v1/village-plaques/{body['id']}/remove/", {"note": "换新牌"}, format="multipart"
    )
    assert removed.status_code == 200 and removed.json()["status"] == "removed"


def test_bad_input_over_the_api_is_a_400_in_chinese_and_writes_nothing(api, world, rules):
    client = api.as_user("township")
    cases = [
        ({**plaque_data(village=world.village_a1.code), "width_cm": "abc"}, "width_cm"),
        (plaque_data(village=world.village_c1.code), "village"),
        (plaque_data(village=world.village_b1.code), "village"),
    ]
    for body, field in cases:
        r = client.post("/api/v1/village-plaques/", body, format="json")
        assert r.status_code == 400 and field in r.json(), r.content
    fake = SimpleUploadedFile("plaque.jpg", b"<html>not an image</html>", content_type="image/jpeg")
    r = client.post(
        "/api/v1/village-plaques/",
        {**plaque_data(village=world.village_a1.code), "languages": ["zh"], "photo": fake},
        format="multipart",
    )
    assert r.status_code == 400 and "photo" in r.json()
    assert "没有这个村" in str(client.post("/api/v1/village-plaques/", cases[1][0], format="json").json())
    assert not VillagePlaque.objects.exists() and not Rectification.objects.exists()


def test_mechanism_request_and_provincial_decision(api, world, rules):
    r = api.as_user("submitter").post(
        "/api/v1/mechanisms/",
        {
            "village": world.village_a1.code,
            "name": "网格站",
            "kind": "centre",
            "set_up_by": "政法委",
            "is_new": True,
        },
        format="json",
    )
    assert r.status_code == 201 and r.json()["status"] == "pending"
    pk = r.json()["id"]
    assert (
        api.as_user("township")
        .post(f"/api/v1/mechanisms/{pk}/decide/", {"approve": True, "reason": "x"}, format="json")
        .status_code
        == 403
    )
    d = api.as_user("provadmin").post(
        f"/api/v1/mechanisms/{pk}/decide/",
        {"approve": True, "reason": "确需设立", "reference": "内党办〔2026〕1号"},
        format="json",
    )
    assert (
        d.status_code == 200
        and d.json()["status"] == "active"
        and d.json()["basis_reference"] == "内党办〔2026〕1号"
    )


def test_openapi_documents_the_endpoints(api, world):
    schema = api.as_user("provadmin").get("/api/schema/?format=json").json()
    for path in (
        "/api/v1/plaque-rules/",
        "/api/v1/village-plaques/",
        "/api/v1/mechanisms/",
        "/api/v1/village-plaques/{id}/remove/",
    ):
        assert path in schema["paths"], path
