"""Accounts as MLPS 2.0 level 3 asks: complex passwords, a strong secret key, only the OAuth2 endpoints meant."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import translation

from organisations.demo import DEMO_PASSWORD

from .factories import PASSWORD
from .test_settings import PROD, manage


@pytest.mark.parametrize("password", ["zzzzzzzzzzzz", "zzzzzzzz2026", "ZHANGSANFENG", "zhangsan-feng"])
def test_a_password_of_fewer_than_three_character_classes_is_refused(password, db):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        validate_password(password)
    assert "大写字母、小写字母、数字和符号" in " ".join(refused.value.messages)


@pytest.mark.parametrize(
    "password", [DEMO_PASSWORD, PASSWORD, "Zhang-san-feng", "zhangsan-2026!", "ZHANGSAN#2026"]
)
def test_passwords_of_three_classes_pass(password, db):
    validate_password(password)


def test_the_password_change_form_says_why_in_chinese(client, world):
    client.force_login(world.user("township"))
    response = client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": "zzzzzzzzzzzz", "new_password2": "zzzzzzzzzzzz"},
    )
    assert response.status_code == 200
    assert "至少使用以下四类中的 3 类" in response.content.decode()
    world.user("township").refresh_from_db()
    assert world.user("township").check_password(PASSWORD)


@pytest.mark.parametrize(
    "key",
    [
        "short-secret",
        "a" * 64,
        "insecure-development-key-change-me-in-production",
        "change-me-to-a-long-random-string",
    ],
)
def test_production_refuses_to_start_with_a_weak_secret_key(key):
    result = manage("check", **{**PROD, "SECRET_KEY": key})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "SECRET_KEY is too weak" in result.stderr


@pytest.mark.parametrize(
    "path",
    [
        "/o/authorize/",
        "/o/device-authorization/",
        "/o/device/",
        "/o/device-confirm/abc/def",
        "/o/device-grant-status/abc/def",
        "/o/applications/",
        "/o/authorized_tokens/",
        "/.well-known/oauth-authorization-server",
    ],
)
def test_only_token_revoke_and_introspect_are_mounted(client, db, path):
    assert client.get(path).status_code == 404
    assert client.post(path).status_code == 404


def test_the_token_endpoints_are_there(client, db):
    # Without credentials: refused by the OAuth2 server, not missing.
    assert client.post("/o/token/", {"grant_type": "client_credentials"}).status_code == 401
    assert client.post("/o/revoke_token/", {"token": "x"}).status_code in (400, 401)
    assert client.post("/o/introspect/", {"token": "x"}).status_code in (401, 403)
