"""Malformed input is a clear 4xx, never a server error (cases first found by fuzzing the OpenAPI schema)."""

import pytest


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/catalogue-items/?version=-1.63e%2B220", "version"),
        ("/api/v1/catalogue-items/?version=99999999999999999999999", "version"),
        ("/api/v1/catalogue-items/?version=1.5", "version"),
        ("/api/v1/catalogues/{catalogue}/compare/?a=null&b=[]", "a, b"),
        ("/api/v1/village-tasks/?township=%C3%85U", "township"),
        ("/api/v1/divisions/?parent=%00", "parent"),
        ("/api/v1/divisions/?page_size=null", "page_size"),
        ("/api/v1/access-requests/?page_size=10&page_size=20", "page_size"),
        ("/api/v1/village-tasks/?page_size=0", "page_size"),
    ],
)
def test_bad_query_values_are_client_errors(api, world, url, field):
    from tests.fixtures_gate import make_lists

    catalogue = make_lists(world.county)["FM-01"].version.catalogue
    response = api.as_user("provadmin").get(
        url.format(catalogue=catalogue.pk), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 400, response.content[:300]
    message = response.json()[field]
    message = message[0] if isinstance(message, list) else message
    # A message a person can act on, in Chinese, naming nothing of the server's insides.
    assert message and any("\u4e00" <= ch <= "\u9fff" for ch in message), message


@pytest.mark.parametrize("pk", ["null,null", "false", "%C3%85"])
@pytest.mark.parametrize("step", ["consult", "assess", "approve", "reject"])
def test_proposal_steps_on_a_malformed_id_are_404(api, world, pk, step):
    response = api.as_user("keeper").post(
        f"/api/v1/catalogue-proposals/{pk}/{step}/", {"opinion": "同意"}, format="json"
    )
    assert response.status_code == 404


def test_village_tasks_filter_by_township(api, world):
    response = api.as_user("approver").get(f"/api/v1/village-tasks/?township={world.township_a.code[:9]}")
    assert response.status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/village-tasks/?catalogue_item=325639652356317090086010224640",
        "/api/v1/village-tasks/?access_request=-3",
        "/api/v1/catalogues/?guidance=1e400",
        "/api/v1/catalogue-proposals/?catalogue=99999999999999999999",
    ],
)
def test_out_of_range_related_ids_are_client_errors(api, world, url):
    response = api.as_user("keeper").get(url)
    assert response.status_code == 400, response.content[:300]
