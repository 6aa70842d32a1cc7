"""The auditor's page: every event of the jurisdiction in words, filtered, one time zone, masked where the role has no need."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from audit import context
from audit.models import AuditEvent
from audit.services import record_event
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return list(csv.reader(io.StringIO(body)))


def test_logins_are_attributed_and_the_auditor_sees_them(client, world):
    client.post("/accounts/login/", {"username": "township", "password": PASSWORD})
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"username": "township", "password": "wrong-password"})
    login = AuditEvent.objects.get(action="auth.login")
    assert login.division_id == world.township_a.code
    failed = AuditEvent.objects.get(action="auth.login_failed")
    assert failed.division_id == world.township_a.code
    client.force_login(world.user("auditor"))
    page = client.get("/audit/").content.decode()
    table = page[page.index('data-testid="audit-table"') :]
    assert ">登录<" in table and ">登录失败<" in table
    assert ">auth." not in table  # the code is only a tooltip


def test_actions_are_words_and_filters_narrow(client, world, make_request):
    req = make_request("in_review")
    client.force_login(world.user("auditor"))
    page = client.get("/audit/?action=gate.request.submit").content.decode()
    assert "准入申请已提交" in page and req.number in page
    assert "准入申请已填报" not in page
    assert req.number not in client.get("/audit/?action=auth.").content.decode()
    assert req.number in client.get(f"/audit/?actor=submitter&object={req.number}").content.decode()
    org = world.orgs["emergency"].pk
    assert req.number in client.get(f"/audit/?organisation={org}").content.decode()
    assert req.number not in client.get(f"/audit/?organisation={world.orgs['civil'].pk}").content.decode()
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert req.number not in client.get(f"/audit/?date_from={tomorrow:%Y-%m-%d}").content.decode()
    assert req.number in client.get(f"/audit/?date_to={timezone.localdate():%Y-%m-%d}").content.decode()
    assert client.get("/audit/?date_from=2026-13-40").status_code == 400


def test_page_and_csv_agree_in_beijing_time(client, world):
    event = record_event(world.user("approver"), "gate.request.submit", division=world.county, summary="x")
    client.force_login(world.user("auditor"))
    local = timezone.localtime(event.created).strftime("%Y-%m-%d %H:%M:%S")
    page = client.get("/audit/").content.decode()
    assert local in page
    rows = _csv(client.get("/audit/?format=csv&action=gate.request.submit"))
    assert rows[0][0] == "时间"
    assert rows[1][0] == local and rows[1][3] == "准入申请已提交"


def test_audit_page_is_paginated_and_keeps_its_filters(client, world):
    for n in range(55):
        record_event(world.user("approver"), "gate.request.update", division=world.county, summary=f"n{n}")
    client.force_login(world.user("auditor"))
    page = client.get("/audit/?action=gate.request.update").content.decode()
    assert "action=gate.request.update&page=2" in page
    assert "n54" in page and "n0<" not in page
    assert "n0<" in client.get("/audit/?action=gate.request.update&page=2").content.decode()


def test_out_of_jurisdiction_attempts_are_recorded(client, world, make_request):
    req = make_request("approved")
    client.force_login(world.user("township_b"))
    assert client.get(f"/gate/requests/{req.pk}/").status_code == 404
    event = AuditEvent.objects.get(action="access.not_found")
    assert event.actor == world.user("township_b") and event.division_id == world.township_b.code
    client.force_login(world.user("auditor"))
    assert f"/gate/requests/{req.pk}/" in client.get("/audit/?action=access.").content.decode()


def test_ip_addresses_and_failed_usernames_are_masked_for_the_auditor(client, world, admin_user):
    token = context.client_ip.set("10.20.30.40")
    try:
        record_event(None, "auth.login_failed", division=world.county, summary="username=zhangsan-Secret1")
        record_event(world.user("approver"), "gate.request.submit", division=world.county)
    finally:
        context.client_ip.reset(token)
    client.force_login(world.user("auditor"))
    page = client.get("/audit/").content.decode()
    exported = "\n".join(",".join(r) for r in _csv(client.get("/audit/?format=csv")))
    for shown in (page, exported):
        assert "10.20.30.40" not in shown and "zhangsan-Secret1" not in shown
        assert "10.20.*.*" in shown and "username=z***" in shown
    client.force_login(admin_user)
    page = client.get("/audit/").content.decode()
    exported = "\n".join(",".join(r) for r in _csv(client.get("/audit/?format=csv")))
    for shown in (page, exported):
        assert "10.20.30.40" in shown and "zhangsan-Secret1" in shown


def test_import_events_name_the_file_not_a_stale_state(world):
    from catalogs.models import ImportJob

    assert "(" + str(ImportJob._meta.get_field("status").choices[0][1]) + ")" not in str(
        ImportJob(original_name="清单.xlsx", pk=3)
    )


def test_every_action_the_registry_records_reads_in_words():
    """The audit trail's actions: each code the services write has its words (an app's own, or its step's)."""
    import ast
    import pathlib

    from django.utils import translation

    from audit.labels import action_label

    root = pathlib.Path(__file__).resolve().parent.parent
    codes = set()
    for path in root.glob("*/**/*.py"):
        if {".venv", "tests", "migrations"} & set(path.relative_to(root).parts):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            called = getattr(node, "func", None)
            if (
                isinstance(node, ast.Call)
                and getattr(called, "id", getattr(called, "attr", "")) == "record_event"
            ):
                if len(node.args) > 1 and isinstance(node.args[1], ast.Constant):
                    codes.add(node.args[1].value)
    assert len(codes) > 100
    with translation.override("zh-hans"):
        unlabelled = sorted(c for c in codes if action_label(c) == c)
        assert unlabelled == []
        assert action_label("monitoring.report.file") == "负担情况已上报"
        assert action_label("seals.item_save") == "印章使用：事项已保存"
        # Codes built from a step or an outcome
        assert action_label("assessments.proposal_consultation").startswith("考核评比：")
        assert action_label("assessments.plan_return") == "综合考评已退回"
        assert action_label("catalogs.proposal_approval").startswith("工作事务清单：")
