"""The REST API: public reading of published lists, scoped writing, filters by date."""

from datetime import date

from catalogs import services

from .fixtures_catalogs import ASSIST


def _codes(response):
    return {row["code"] for row in response.json()["results"]}


def test_public_reads_published_lists_of_a_county_by_date(world, api, county_catalogue):
    api.as_user(None)
    response = api.get(f"/api/v1/catalogue-items/?division={world.village_a1.code}&as_of=2026-03-01")
    assert response.status_code == 200
    assert _codes(response) == {"FM-01", "ZZ-01", "XZ-01", "XZ-50"}
    assert (
        api.get(f"/api/v1/catalogue-items/?division={world.county.code}&as_of=2026-01-15").json()["results"]
        == []
    )
    negative = api.get(
        f"/api/v1/catalogue-items/?division={world.county.code}&kind=negative&as_of=2026-03-01"
    )
    assert _codes(negative) == {"FM-01"}
    found = api.get(f"/api/v1/catalogue-items/?division={world.county.code}&q=违建&as_of=2026-03-01")
    assert _codes(found) == {"FM-01"}


def test_anonymous_never_sees_drafts(world, api, county_catalogue):
    keeper = world.user("keeper")
    draft = services.draft_get_or_create(catalogue=county_catalogue, user=keeper)
    item = draft.items.first()
    api.as_user(None)
    assert api.get(f"/api/v1/catalogue-items/{item.pk}/").status_code == 404
    assert api.get("/api/v1/catalogue-items/?version_status=draft").json()["results"] == []
    assert api.post("/api/v1/catalogue-items/", {}, format="json").status_code in (401, 403)
    api.as_user("keeper")
    assert api.get(f"/api/v1/catalogue-items/{item.pk}/").status_code == 200


def test_keeper_edits_the_draft_and_published_items_are_refused(world, api, guidance):
    admin = api.as_user("provadmin")
    published = guidance.versions.get().items.get(code="XZ-01")
    response = admin.patch(f"/api/v1/catalogue-items/{published.pk}/", {"name": "改"}, format="json")
    assert response.status_code == 400
    draft = services.draft_get_or_create(catalogue=guidance, user=world.user("provadmin"))
    item = draft.items.get(code="XZ-01")
    response = admin.patch(f"/api/v1/catalogue-items/{item.pk}/", {"hours_per_year": "30"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["hours_per_year"] == "30.0"
    bad = admin.patch(f"/api/v1/catalogue-items/{item.pk}/", {"responsible_department": ""}, format="json")
    assert bad.status_code == 400 and "responsible_department" in bad.json()


def test_item_create_through_the_api_uses_the_same_rules(world, api):
    admin = api.as_user("provadmin")
    cat = services.catalogue_create(division=world.province, name="指导目录", user=world.user("provadmin"))
    response = admin.post(
        "/api/v1/catalogue-items/", {**ASSIST, "catalogue": cat.pk, "code": "ZZ-09"}, format="json"
    )
    assert response.status_code == 400 and "code" in response.json()
    response = admin.post("/api/v1/catalogue-items/", {**ASSIST, "catalogue": cat.pk}, format="json")
    assert response.status_code == 201, response.content
    keeper = api.as_user("keeper")
    assert keeper.post(
        "/api/v1/catalogue-items/", {**ASSIST, "catalogue": cat.pk}, format="json"
    ).status_code in (
        403,
        404,
    )


def test_publish_and_compare_through_the_api(world, api, guidance):
    admin = api.as_user("provadmin")
    draft = services.draft_get_or_create(catalogue=guidance, user=world.user("provadmin"))
    services.item_update(
        item=draft.items.get(code="ZZ-01"), data={"name": "调解纠纷"}, user=world.user("provadmin")
    )
    response = admin.post(f"/api/v1/catalogues/{guidance.pk}/publish/", {"effective_from": "2026-05-01"})
    assert response.status_code == 200, response.content
    rows = admin.get(f"/api/v1/catalogues/{guidance.pk}/compare/?a=1&b=2").json()
    assert {r["code"]: r["change"] for r in rows}["ZZ-01"] == "changed"
    assert (
        admin.post(f"/api/v1/catalogues/{guidance.pk}/publish/", {"effective_from": "2026-05-01"}).status_code
        == 404
    )
    keeper = api.as_user("keeper")
    assert keeper.post(
        f"/api/v1/catalogues/{guidance.pk}/publish/", {"effective_from": "2026-06-01"}
    ).status_code in (
        403,
        404,
    )


def test_proposal_workflow_through_the_api(world, api, county_catalogue):
    response = api.as_user("submitter").post(
        "/api/v1/catalogue-proposals/",
        {
            "catalogue": county_catalogue.pk,
            "action": "add",
            "item_data": {
                "kind": "assist",
                "name": "协助开展森林防火巡查",
                "responsible_department": "林草局",
            },
            "reason": "常态化协助事项",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert (
        api.as_user("keeper")
        .post(f"/api/v1/catalogue-proposals/{pk}/consult/", {"opinion": "已协商"})
        .status_code
        == 200
    )
    assert api.as_user("township").post(
        f"/api/v1/catalogue-proposals/{pk}/assess/", {"opinion": "x"}
    ).status_code in (
        403,
        404,
    )
    assert (
        api.as_user("reviewer_agri")
        .post(f"/api/v1/catalogue-proposals/{pk}/assess/", {"opinion": "通过"})
        .status_code
        == 200
    )
    done = api.as_user("approver").post(f"/api/v1/catalogue-proposals/{pk}/approve/", {"opinion": "同意"})
    assert done.status_code == 200 and done.json()["status"] == "approved"
    assert [s["step"] for s in done.json()["steps"]] == ["proposal", "consultation", "assessment", "approval"]
    assert date.today()  # the change waits in the draft until published


def test_lost_updates_are_refused_with_412(world, api, guidance):
    admin = api.as_user("provadmin")
    draft = services.draft_get_or_create(catalogue=guidance, user=world.user("provadmin"))
    item = draft.items.get(code="ZZ-01")
    url = f"/api/v1/catalogue-items/{item.pk}/"
    etag = admin.get(url)["ETag"]
    first = admin.patch(url, {"hours_per_year": "41"}, format="json", HTTP_IF_MATCH=etag)
    assert first.status_code == 200 and first["ETag"] != etag
    stale = admin.patch(url, {"hours_per_year": "42"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    item.refresh_from_db()
    assert item.hours_per_year == 41


def test_catalogues_are_opened_by_their_keepers(world, api, guidance):
    keeper = api.as_user("keeper")
    response = keeper.post(
        "/api/v1/catalogues/", {"division": world.county.code, "name": "达茂旗清单"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["guidance"] == guidance.pk
    other = keeper.post(
        "/api/v1/catalogues/", {"division": world.other_county.code, "name": "x"}, format="json"
    )
    assert other.status_code == 403
    assert api.as_user("provadmin").post(f"/api/v1/catalogues/{guidance.pk}/", {}).status_code == 405


def test_catalogue_list_reads_versions_in_one_query_whatever_the_page(world, api, county_catalogue):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api.as_user("provadmin")

    def queries(page_size):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"/api/v1/catalogues/?page_size={page_size}")
        assert response.status_code == 200
        return len(ctx.captured_queries), len(response.json()["results"])

    one, n_one = queries(1)
    both, n_both = queries(2)
    assert (n_one, n_both) == (1, 2)
    assert one == both
