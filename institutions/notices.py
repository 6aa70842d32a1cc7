"""Public notices (通报) about institutions: one way to issue them, one page per county to read them.

An app that counts an institution's demands decides *whether* a notice is due
(the certificate register after an unheeded reminder letter, seed 002 §3(9);
the monitoring points after repeated substantiated reports, seed 004 §2(5))
and words it; this module numbers it as a public document, records it and
audits it, so every notice about an institution is on the same public page.
The caller checks who may issue it and locks what it counts.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import QuerySet

from audit.services import record_event
from divisions.models import Division
from documents.services import document_issue

from .choices import NoticeSource
from .models import Institution, Notice

if TYPE_CHECKING:
    from organisations.models import User


@transaction.atomic
def notice_issue(
    *,
    institution: Institution,
    source: str,
    title: str,
    paragraphs: list[str],
    rows: list[tuple[str, str]],
    period_from: date,
    period_to: date,
    count: int,
    number_word: str,
    user: User,
) -> Notice:
    """Number, render and record a public notice about ``institution``.

    ``number_word`` is the series word of the issuing department (民通 for civil
    affairs, 组通 for the organisation department): numbers read
    ``150223民通〔2026〕1号``.
    """
    county = Division.objects.get(pk=institution.division_id)
    sender = user.organisation.name if user.organisation else ""
    doc = document_issue(
        kind=f"notice_{source}",
        title=title,
        template="documents/letter.html",
        context={"recipient": "", "paragraphs": paragraphs, "rows": rows, "sender": sender},
        target=institution,
        division=county,
        user=user,
        number_format=f"{county.pk[:6]}{number_word}〔{{year}}〕{{n}}号",
        public=True,
    )
    notice = Notice.objects.create(
        county=county,
        institution=institution,
        source=NoticeSource(source),
        period_from=period_from,
        period_to=period_to,
        count=count,
        text="\n".join(paragraphs),
        document=doc,
        created_by=user,
    )
    record_event(
        user,
        "institutions.notice",
        obj=notice,
        division=county.pk,
        summary=f"{doc.number} {institution.name}: {count}",
    )
    return notice


def notices_of(county: Division | str) -> QuerySet[Notice]:
    """Every public notice about the county's institutions, newest first (public by policy)."""
    county_id = county.pk if isinstance(county, Division) else county
    return Notice.objects.filter(county_id=county_id).select_related("institution", "document")
