"""The shared document renderer: numbered, kept as issued, a PDF whose Chinese text is really there."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from documents import render
from documents.services import document_issue

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return "".join(text.split())  # lines wrap


def _letter(world, **extra):
    return document_issue(
        kind="letter",
        title="提醒函",
        template="documents/letter.html",
        context={
            "recipient": "达茂旗某单位",
            "paragraphs": ["请勿要求村级组织出具健在证明。"],
            "sender": "达茂旗民政局",
        },
        target=world.county,
        division=world.county,
        user=world.user("keeper"),
        number_format="达茂民函〔{year}〕{n}号",
        **extra,
    )


@pytest.mark.pdf
def test_numbers_follow_each_other_and_the_pdf_holds_the_chinese(world, client):
    first, second = _letter(world), _letter(world)
    assert first.number.startswith("达茂民函〔") and first.number.endswith("〕1号")
    assert second.number.endswith("〕2号")
    client.force_login(world.user("keeper"))
    response = client.get(first.get_absolute_url())
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "健在证明" in text and "达茂旗民政局" in text and first.number in text
    # outside the jurisdiction the document does not exist
    client.force_login(world.user("outsider"))
    assert client.get(first.get_absolute_url()).status_code == 404


@pytest.mark.pdf
def test_public_documents_are_public(world, client):
    notice = _letter(world, public=True)
    assert client.get(notice.get_absolute_url()).status_code == 200


def test_a_missing_font_is_said_in_chinese_not_a_server_error(world, client, settings):
    settings.DOCUMENT_FONT_FILES = ["/nonexistent/font.ttc"]
    letter = _letter(world)
    client.force_login(world.user("keeper"))
    response = client.get(letter.get_absolute_url())
    assert response.status_code == 503
    body = response.content.decode()
    assert "fonts-noto-cjk" in body and "中文字体" in body
    assert render.RendererUnavailable
