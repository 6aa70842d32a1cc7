"""Malformed input is a clear 4xx, never a server error (cases first found by fuzzing the OpenAPI schema)."""

import pytest


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/catalogue-items/?version=-1.63e%2B220",
        "/api/v1/catalogue-items/?version=99999999999999999999999",
        "/api/v1/catalogue-items/?version=1.5",
        "/api/v1/catalogues/1/compare/?a=null&b=[]",
        "/api/v1/village-tasks/?township=%C3%85U",
        "/api/v1/divisions/?parent=%00",
    ],
)
def test_bad_query_values_are_client_errors(api, world, url):
    response = api.as_user("provadmin").get(url)
    assert 200 <= response.status_code < 500, response.content[:300]


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
