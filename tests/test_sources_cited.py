"""Readers see the policy documents by their titles, never the registry's own numbering of its sources."""

from __future__ import annotations

import re

import pytest

from villageburden.sources import DOCUMENTS, cite

pytestmark = pytest.mark.django_db


def test_each_numbering_becomes_the_document_s_title_and_other_text_is_left_alone():
    assert (
        cite("种子002第三部分第（九）项、种子003第7条")
        == f"{DOCUMENTS['002']}第三部分第（九）项、{DOCUMENTS['003']}第7条"
    )
    assert cite("中办国办《意见》二(一)1（seed 003）") == f"中办国办《意见》二(一)1（{DOCUMENTS['003']}）"
    assert cite("种子文件004附件") == f"{DOCUMENTS['004']}附件"
    assert cite("GB 11643-1999；2003年") == "GB 11643-1999；2003年"
    assert cite("") == "" and cite("种子0051") == "种子0051"


def test_public_pages_and_a_refusal_slip_cite_titles(world, client, cert_lists):
    from certificates import services

    from .test_certificates_register import record

    pages = [
        client.get(f"/certificates/lists/{world.county.code}/"),
        client.get("/certificates/check/?q=在世证明"),
    ]
    for page in pages:
        text = page.content.decode()
        assert page.status_code == 200 and not re.search(r"种子\d|seed \d", text)
    req = record(world)
    req = services.request_refuse(request=req, user=world.user("township"), item=req.item)
    assert "种子" not in req.document.html and "清单依据" in req.document.html
