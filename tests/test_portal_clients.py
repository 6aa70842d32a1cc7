"""Government portals: OAuth2 client credentials, scopes, and jurisdiction."""

import base64
from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def create_client(org_code, *scopes):
    out = StringIO()
    call_command("create_portal_client", "--org", org_code, "--scopes", *scopes, stdout=out)
    fields = dict(line.split(":", 1) for line in out.getvalue().splitlines() if ":" in line)
    return fields["client_id"].strip(), fields["client_secret"].split()[0]


def token(client, client_id, secret, scope):
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return client.post(
        "/o/token/",
        {"grant_type": "client_credentials", "scope": scope},
        HTTP_AUTHORIZATION=f"Basic {basic}",
    )


def test_portal_gets_a_token_and_reads_its_county_only(client, world):
    client_id, secret = create_client(world.orgs["portal"].code, "read", "screen")
    response = token(client, client_id, secret, "read")
    assert response.status_code == 200, response.content
    access = response.json()["access_token"]
    rows = client.get("/api/v1/divisions/?level=5", HTTP_AUTHORIZATION=f"Bearer {access}").json()["results"]
    assert {r["code"] for r in rows} == {world.village_a1.code, world.village_a2.code, world.village_b1.code}


def test_portal_cannot_request_scopes_it_was_not_given(client, world):
    client_id, secret = create_client(world.orgs["portal"].code, "read")
    response = token(client, client_id, secret, "submit")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_scope"


def test_wrong_secret_and_bad_token_are_refused(client, world):
    client_id, _secret = create_client(world.orgs["portal"].code, "read")
    assert token(client, client_id, "not-the-secret", "read").status_code == 401
    assert client.get("/api/v1/divisions/", HTTP_AUTHORIZATION="Bearer nonsense").status_code == 401


@pytest.mark.django_db
def test_command_rejects_unknown_org_and_scope(world):
    with pytest.raises(CommandError, match="no organisation"):
        create_client("no-such-org", "read")
    with pytest.raises(CommandError, match="unknown scopes"):
        create_client(world.orgs["portal"].code, "admin")


def test_no_self_service_oauth_application_pages(client, world):
    client.force_login(world.user("township"))
    assert client.get("/o/applications/").status_code == 404
    assert client.get("/o/applications/register/").status_code == 404
