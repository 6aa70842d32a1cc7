"""The village register: record, issue, refuse, verify, commit — and bad input that writes nothing."""

from __future__ import annotations

import io
import logging
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone
from pypdf import PdfReader

from audit.models import AuditEvent
from certificates import identity, services
from certificates.models import CertificateRequest
from documents.services import document_pdf
from notifications.models import Notification

from .fixtures_certificates import VALID_ID, VALID_ID_X

pytestmark = pytest.mark.django_db


def pdf_text(document) -> str:
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(document_pdf(document=document))).pages)
    return "".join(text.split())  # lines wrap and titles are letter-spaced


def record(world, **kw):
    data = {
        "user": world.user("township"),
        "village": world.village_a1,
        "applicant_name": "其木格",
        "id_number": VALID_ID,
        "certificate_name": "在世證明",
        "purpose": "领取养老金",
        "institution_name": "某商业银行百灵庙支行",
    }
    data.update(kw)
    return services.request_record(**data)


def test_gb11643_check_digit():
    assert identity.validate(VALID_ID) == VALID_ID
    assert identity.validate(VALID_ID_X.lower()) == VALID_ID_X
    for bad, word in [
        ("150223199003150021", "校验码"),
        ("15022319900315002", "18"),
        ("150223199002300020", "出生日期"),
    ]:
        with pytest.raises(ValidationError) as exc:
            identity.validate(bad)
        assert word in exc.value.messages[0]


def test_a_colloquial_traditional_name_is_matched_and_the_deadline_set(world, cert_lists):
    req = record(world)
    assert req.item.name == "健在证明" and req.item.kind == "negative"
    land = record(world, certificate_name="村里让开承包地证明", purpose="申请草原保险")
    assert land.item.code == "BL-02" and land.due_on == timezone.localdate()  # on the spot
    home = record(world, certificate_name="居住证明", purpose="子女入学")
    assert home.item.time_limit_days == 3 and home.due_on > timezone.localdate()


def test_the_id_number_is_never_stored_in_clear(world, cert_lists):
    req = record(world)
    assert req.id_masked == "150223********0020"
    assert identity.decrypt(req.id_encrypted) == VALID_ID
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM certificates_certificaterequest")
        row = " ".join(str(v) for v in cursor.fetchone())
    assert VALID_ID not in row and VALID_ID[6:14] not in row
    # the keyed hash finds the person's requests
    assert CertificateRequest.objects.filter(id_hash=identity.lookup_hash(VALID_ID)).count() == 1


@pytest.mark.parametrize(
    "change, field, chinese",
    [
        ({"id_number": "150223199003150021"}, "id_number", "校验码"),
        ({"certificate_name": ""}, "certificate_name", "证明"),
        ({"due_on": date.today() - timedelta(days=1)}, "due_on", "期限"),
        ({"institution_name": " "}, "institution", "单位"),
    ],
)
def test_bad_input_gets_a_chinese_message_and_writes_nothing(world, cert_lists, change, field, chinese):
    before = (CertificateRequest.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as exc:
        record(world, **change)
    assert chinese in " ".join(exc.value.message_dict[field])
    assert (CertificateRequest.objects.count(), AuditEvent.objects.count()) == before


def test_another_township_may_not_record_for_this_village(world, cert_lists):
    with pytest.raises(PermissionDenied):
        record(world, user=world.user("township_b"))


@pytest.mark.pdf
def test_issue_a_retained_certificate_as_a_numbered_pdf_with_chinese_text(world, cert_lists):
    req = record(world, certificate_name="草场承包证明", purpose="申请草原保险")
    req = services.request_issue(
        request=req, user=world.user("township"), facts="系哈达图嘎查村民，承包经营本嘎查草场"
    )
    assert req.status == "issued" and req.document.number.startswith("150223证〔")
    text = pdf_text(req.document)
    assert "草场（土地）承包经营情况证明" in text and "哈达图嘎查" in text and "特此证明" in text
    assert VALID_ID in text  # the printed certificate carries the number ...
    assert (
        VALID_ID not in req.document.html and req.id_masked in req.document.html
    )  # ... its stored copy does not
    with pytest.raises(ValidationError):
        services.request_issue(request=req, user=world.user("township"))  # already handled


@pytest.mark.pdf
def test_refuse_a_negative_list_certificate_with_a_slip_citing_the_item(world, cert_lists):
    req = record(world)
    with pytest.raises(ValidationError) as exc:
        services.request_refuse(request=req, user=world.user("township"), item=None)
    assert "清单" in " ".join(exc.value.message_dict["item"])
    assert CertificateRequest.objects.get(pk=req.pk).status == "recorded"
    req = services.request_refuse(request=req, user=world.user("township"), item=req.item)
    text = pdf_text(req.document)
    assert (
        "健在证明" in text and req.item.code in text and "社会保险" in text and "某商业银行百灵庙支行" in text
    )
    assert VALID_ID not in text  # a slip carries only the masked number


def test_a_retained_item_cannot_be_cited_for_a_refusal(world, cert_lists):
    req = record(world, certificate_name="草场承包证明")
    with pytest.raises(ValidationError):
        services.request_refuse(request=req, user=world.user("township"), item=req.item)


@pytest.mark.pdf
def test_an_unlisted_matter_of_major_consequence_needs_investigation_and_deliberation(world, cert_lists):
    req = record(world, certificate_name="房屋翻建邻里无异议证明", purpose="翻建房屋")
    assert req.item is None
    with pytest.raises(ValidationError) as exc:
        services.request_verify_issue(
            request=req, user=world.user("township"), facts="四邻无异议", major_matter=True
        )
    assert {
        "investigation_note",
        "meeting_type",
        "meeting_date",
        "meeting_participants",
        "meeting_outcome",
    } <= set(exc.value.message_dict)
    req = services.request_verify_issue(
        request=req,
        user=world.user("township"),
        facts="经入户走访，四邻对翻建无异议",
        major_matter=True,
        investigation_note="走访四邻",
        meeting_type="representatives",
        meeting_date=timezone.localdate(),
        meeting_participants="村民代表12人",
        meeting_outcome="同意出具",
    )
    assert req.status == "issued" and "四邻对翻建无异议" in pdf_text(req.document)


@pytest.mark.pdf
def test_a_commitment_instead_of_a_certificate(world, cert_lists):
    req = record(world, certificate_name="单身证明", purpose="登记")
    req = services.request_commit(request=req, user=world.user("township"))
    assert req.status == "committed"
    assert "告知承诺" in pdf_text(req.document)


def test_overdue_certificates_are_reminded_once(world, cert_lists):
    req = record(world, certificate_name="居住证明", purpose="子女入学")
    later = req.due_on + timedelta(days=1)
    assert services.request_reminders(today=later) == 1
    assert services.request_reminders(today=later) == 0
    n = Notification.objects.about(req).get()
    assert n.user == world.user("township") and n.target_url == req.get_absolute_url()


def test_no_full_id_number_in_logs_audit_or_exports(world, cert_lists, client, caplog):
    caplog.set_level(logging.DEBUG)
    client.force_login(world.user("township"))
    response = client.post(
        "/certificates/register/new/",
        {
            "village": world.village_a1.pk,
            "applicant_name": "巴图",
            "id_number": VALID_ID_X,
            "certificate_name": "健在证明",
            "purpose": "领取养老金",
            "institution_name": "某银行",
        },
    )
    assert response.status_code == 302
    req = CertificateRequest.objects.get(applicant_name="巴图")
    client.post(f"/certificates/register/{req.pk}/refuse/", {"item": req.item_id})
    export = b"".join(client.get("/certificates/register/?export=csv").streaming_content).decode()
    api = client.get("/api/v1/certificate-requests/").content.decode()
    page = client.get(f"/certificates/register/{req.pk}/").content.decode()
    audit = " ".join(f"{e.summary} {e.before} {e.after} {e.object_repr}" for e in AuditEvent.objects.all())
    assert "150222********001X" in export and "巴图" in export
    for where, text in {
        "logs": caplog.text,
        "export": export,
        "api": api,
        "page": page,
        "audit": audit,
    }.items():
        assert VALID_ID_X not in text and VALID_ID_X.lower() not in text, where


def test_a_certificate_is_read_only_by_the_staff_who_handle_it_and_its_slips_by_the_register_s_readers(
    world, cert_lists, client
):
    """The certificate's PDF carries the full ID number: everyone else in the county gets a 404."""
    from documents.models import Document

    issued = services.request_issue(
        request=record(world, certificate_name="草场承包证明", purpose="申请草原保险"),
        user=world.user("township"),
        facts="系哈达图嘎查村民",
    )
    refused = record(world)
    refused = services.request_refuse(request=refused, user=world.user("township"), item=refused.item)

    def readable(name: str) -> set[str]:
        return set(Document.objects.restrict(world.user(name)).values_list("kind", flat=True))

    assert readable("township") == {"certificate", "refusal"}
    for name in ("reviewer_civil", "reviewer_org", "approver", "keeper", "auditor", "provadmin"):
        assert readable(name) == {"refusal"}, name  # the slip's number is masked
    for name in ("submitter", "monitor", "township_b", "outsider", "portal"):
        assert readable(name) == set(), name
    for name, status in (("township", 200), ("reviewer_civil", 404), ("submitter", 404), ("monitor", 404)):
        client.force_login(world.user(name))
        assert client.get(f"/documents/{issued.document.pk}/").status_code == status, name
    client.force_login(world.user("monitor"))
    assert client.get(f"/documents/{refused.document.pk}/").status_code == 404
    client.logout()
    assert client.get(f"/documents/{issued.document.pk}.pdf").status_code == 404
