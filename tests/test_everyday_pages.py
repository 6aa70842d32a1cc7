"""What people meet around the workflow: error pages, menus, the admin's Chinese, the demo's start."""

from __future__ import annotations

import re
import stat
from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def _visible_text(html: str) -> str:
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


def _visible_english(html: str) -> set[str]:
    return set(re.findall(r"[A-Za-z]{4,}", _visible_text(html))) - {"admin", "Django", "OAuth", "OAuth2"}


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/no-such-page/", 404),
        ("/gate/requests/999999/", 404),
        ("/gate/tasks/?village=abc", 400),
    ],
)
def test_error_pages_are_chinese_in_the_layout(client, world, url, status):
    client.force_login(world.user("township"))
    response = client.get(url)
    assert response.status_code == status
    page = response.content.decode()
    assert 'data-testid="error-page"' in page and "返回工作台" in page and "registry-nav" in page


def test_get_on_a_post_only_url_is_a_friendly_405(client, world, make_request):
    req = make_request("awaiting_decision")
    client.force_login(world.user("approver"))
    for url in (f"/gate/requests/{req.pk}/decide/", "/gate/tasks/1/progress/"):
        response = client.get(url)
        assert response.status_code == 405
        page = response.content.decode()
        assert "此地址只用于页面上的按钮" in page and "POST" in response["Allow"]


def test_403_and_500_pages(client, world, rf):
    client.force_login(world.user("township"))
    page = client.get("/audit/").content.decode()
    assert "您无权打开此页面" in page
    from villageburden.errors import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500 and "系统出错了" in response.content.decode()


def test_the_demo_serves_with_debug_off_and_static_files():
    text = open("bin/start", encoding="utf-8").read()
    assert 'DEBUG="${DEBUG:-false}"' in text and "--verbosity 0" in text
    assert "pip install --quiet uv" not in text.replace("--user --quiet", "")


def test_static_files_and_favicon_are_served_with_debug_off(client, settings):
    settings.DEBUG = False
    assert client.get("/favicon.ico").status_code in (301, 302)
    assert client.get("/favicon.ico", follow=True).status_code == 200


def test_menu_language_names_and_api_link(login, world):
    township = login("township").get("/").content.decode()
    assert "/api/docs/" not in township
    assert ">English<" in township and ">简体中文<" in township and "英语" not in township
    assert "/api/docs/" in login("submitter").get("/").content.decode()


def test_blocked_request_offers_edit_not_submit_and_no_internals(login, world, make_request):
    req = make_request(
        "blocked",
        title="由村委会负责本村违法建筑拆除",
        description="村委会负责拆除违法建筑",
        village_role="responsible",
    )
    assert req.status == "blocked"
    page = login("submitter").get(f"/gate/requests/{req.pk}/").content.decode()
    assert 'data-testid="submit"' not in page and f"/gate/requests/{req.pk}/edit/" in page
    # What the submitter reads, not attribute values: a CSRF token may hold "v2" by chance.
    text = _visible_text(page)
    assert not re.search(rf"\bv{req.version}\b", text) and "得分" not in text


def test_admin_is_chinese(client, admin_user):
    client.force_login(admin_user)
    page = client.get("/admin/").content.decode()
    assert "登录锁定" in page and "访问令牌" in page
    english = _visible_english(page)
    assert not english, english


def test_seed_demo_keeps_the_portal_secret_in_a_private_file(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    out = StringIO()
    call_command("seed_demo", stdout=out)
    secret_file = tmp_path / "demo-portal-client.txt"
    secret = dict(line.split("=", 1) for line in secret_file.read_text().splitlines())["client_secret"]
    assert secret and secret not in out.getvalue() and str(secret_file) in out.getvalue()
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600


def test_a_form_without_its_token_gets_the_chinese_403_page(world):
    """A villager's survey sent from an expired page: the registry's own page, not Django's bare one."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "township", "password": "x"})
    assert response.status_code == 403
    page = response.content.decode()
    assert 'data-testid="error-page"' in page and "请刷新页面后重新提交" in page
    assert "CSRF验证失败" not in page and "CSRF verification failed" not in page
