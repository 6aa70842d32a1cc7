"""The certificate API: the public check's answer shape, the register (cursor pages, constant queries), demands."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certificates import evaluation, services
from certificates.models import CertificateRequest, DemandAction
from certificates.selectors import refusals_by_institution

from .figures import record
from .fixtures_certificates import VALID_ID, VALID_ID_X

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "q, answer, code",
    [
        ("在世證明", "no", "FM-10"),
        ("开个单身证明", "no", "FM-08"),
        ("草场承包证明", "yes", "BL-02"),
        ("房屋翻建邻里无异议证明", "unlisted", None),
    ],
)
def test_the_public_check_answers_without_login(client, world, cert_lists, q, answer, code):
    response = client.get("/api/v1/certificate-checks/", {"division": "150223", "q": q})
    assert response.status_code == 200
    data = response.json()
    assert data["answer"] == answer
    assert (data["item"] or {}).get("code") == code
    if answer == "no":
        assert data["item"]["list"] == "negative" and data["alternative"] and data["reason"]
    elif answer == "yes":
        assert data["item"]["list"] == "retained" and data["materials"] and data["procedure"]
        assert data["time_limit"] == "当场办结" and data["basis_missing"] is True
    else:
        assert "据实出具" in data["reason"]


def test_the_check_refuses_bad_input_with_field_errors(client, world, cert_lists):
    assert client.get("/api/v1/certificate-checks/", {"division": "abc", "q": "x"}).status_code == 400
    assert client.get("/api/v1/certificate-checks/", {"division": "150223"}).status_code == 400
    assert client.get("/api/v1/certificate-checks/", {"division": "990000", "q": "健在"}).status_code == 404


def test_the_check_page(client, world, cert_lists):
    page = client.get("/certificates/check/", {"division": "150223", "q": "活着证明"}).content.decode()
    assert 'data-answer="no"' in page and "健在证明" in page and "网上认证" in page


def test_precision_and_recall_on_the_evaluation_set(world, cert_lists):
    score = evaluation.evaluate(world.county)
    record("certificate check precision", f"{score.precision:.3f}")
    record("certificate check recall", f"{score.recall:.3f}")
    assert score.total >= 100
    assert score.precision >= 0.95 and score.recall >= 0.9, score.misses


def _record(api, world, **kw):
    data = {
        "village": world.village_a1.pk,
        "applicant_name": "甲",
        "id_number": VALID_ID,
        "certificate_name": "健在证明",
        "purpose": "领取养老金",
        "institution_name": "某银行",
        **kw,
    }
    return api.as_user("township").post("/api/v1/certificate-requests/", data, format="json")


def test_record_and_refuse_through_the_api(api, world, cert_lists):
    response = _record(api, world)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (
        body["id_masked"] == "150223********0020" and "id_number" not in body and body["item_code"] == "FM-10"
    )
    refused = api.post(
        f"/api/v1/certificate-requests/{body['id']}/refuse/", {"item_code": "FM-10"}, format="json"
    )
    assert refused.status_code == 200 and refused.json()["status"] == "refused"
    assert refused.json()["document_url"].endswith(".pdf")


@pytest.mark.parametrize(
    "change, field",
    [
        ({"id_number": "150223199003150021"}, "id_number"),
        ({"item_code": "FM-99"}, "item_code"),
        ({"due_on": "2000-01-01"}, "due_on"),
    ],
)
def test_bad_input_through_the_api_writes_nothing(api, world, cert_lists, change, field):
    response = _record(api, world, **change)
    assert response.status_code == 400 and field in response.json()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(response.json()[field]))  # a Chinese message
    assert not CertificateRequest.objects.exists()


def test_a_refusal_without_an_item_is_refused(api, world, cert_lists):
    pk = _record(api, world, certificate_name="房屋翻建邻里无异议证明").json()["id"]
    response = api.post(f"/api/v1/certificate-requests/{pk}/refuse/", {}, format="json")
    assert response.status_code == 400 and "负面清单" in str(response.json())
    assert CertificateRequest.objects.get(pk=pk).status == "recorded"


def test_register_pages_by_cursor_with_a_constant_number_of_queries(api, world, cert_lists):
    clerk = world.user("township")
    client = api.as_user("township")

    def make(n):
        for i in range(n):
            req = services.request_record(
                user=clerk,
                village=world.village_a1,
                applicant_name=f"人{i}",
                id_number=VALID_ID,
                certificate_name="健在证明",
                purpose="领取养老金",
                institution_name=f"单位{i % 3}",
            )
            services.request_refuse(request=req, user=clerk, item=req.item)

    def page_queries(size):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/api/v1/certificate-requests/", {"page_size": size})
        assert response.status_code == 200
        return len(ctx.captured_queries), response.json()

    make(3)
    small, _first = page_queries(3)
    make(13)
    large, page = page_queries(15)
    assert small == large, "queries per page must not grow with the page"
    record("certificate register API queries per page", large)
    assert len(page["results"]) == 15 and page["next"] and "cursor=" in page["next"]
    seen = {r["id"] for r in page["results"]}
    nxt = client.get(page["next"]).json()
    assert not seen & {r["id"] for r in nxt["results"]}


@pytest.mark.pdf
def test_civil_affairs_sends_a_letter_then_a_notice(api, world, cert_lists, client):
    refused = _record(api, world).json()
    api.post(f"/api/v1/certificate-requests/{refused['id']}/refuse/", {"item_code": "FM-10"}, format="json")
    institution = CertificateRequest.objects.get(pk=refused["id"]).institution_id
    body = {
        "institution": institution,
        "kind": "notice",
        "period_from": "2026-01-01",
        "period_to": "2030-12-31",
    }
    civil = api.as_user("reviewer_civil")
    assert (
        civil.post("/api/v1/certificate-demand-actions/", body, format="json").status_code == 400
    )  # letter first
    assert (
        api.as_user("reviewer_org")
        .post("/api/v1/certificate-demand-actions/", {**body, "kind": "letter"}, format="json")
        .status_code
        == 403
    )  # not civil affairs
    civil = api.as_user("reviewer_civil")
    letter = civil.post("/api/v1/certificate-demand-actions/", {**body, "kind": "letter"}, format="json")
    assert letter.status_code == 201 and letter.json()["refusals"] == 1 and "民函" in letter.json()["number"]
    # A notice says the institution went on after the letter: nothing since, nothing to notify.
    early = civil.post("/api/v1/certificate-demand-actions/", body, format="json")
    assert early.status_code == 400 and "不予通报" in str(early.json())
    again = _record(api, world, applicant_name="乙", id_number=VALID_ID_X).json()
    api.as_user("township").post(
        f"/api/v1/certificate-requests/{again['id']}/refuse/", {"item_code": "FM-10"}, format="json"
    )
    civil = api.as_user("reviewer_civil")  # one client: signed in again as civil affairs
    notice = civil.post("/api/v1/certificate-demand-actions/", body, format="json")
    assert notice.status_code == 201 and notice.json()["refusals"] == 1  # the one after the letter
    assert DemandAction.objects.filter(kind="notice").count() == 1
    said = DemandAction.objects.get(kind="notice").text
    assert f"在收到提醒函（{letter.json()['number']}）后" in said and "1次" in said
    # The ranking counts each refusal once, however many letters and notices it is joined with.
    ranked = refusals_by_institution(world.county, date(2026, 1, 1), date(2030, 12, 31)).get(pk=institution)
    assert (ranked.refusals, ranked.letters, ranked.notices) == (2, 1, 1)
    public = client.get("/certificates/notices/150223/", follow=True).content.decode()
    assert "某银行" in public and notice.json()["number"] in public
    assert client.get(notice.json()["document_url"]).status_code == 200  # a notice is public
    assert client.get(letter.json()["document_url"]).status_code == 404  # a letter is not


@pytest.mark.parametrize("code", ["15", "150223"])
def test_the_lists_page_links_to_notices_that_exist(client, world, cert_lists, code):
    """The public notices are a county's: a province's lists page offers no link that answers 404."""
    import re

    body = client.get(f"/certificates/lists/{code}/").content.decode()
    links = re.findall(r'href="(/institutions/notices/[^"]*)"', body)
    assert bool(links) == (code == "150223")
    for link in links:
        assert client.get(link).status_code == 200
