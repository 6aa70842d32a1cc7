"""Issue numbered documents: one number per series under a lock, the HTML kept, audited."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from audit.services import record_event

from .models import READERS, Document, DocumentSequence
from .render import html_to_pdf

if TYPE_CHECKING:
    from divisions.models import Division
    from organisations.models import User


# Personal data is never kept in a document's stored HTML: an app that must
# print it (a certificate carries the applicant's full ID number) registers a
# filler for its kind, run only when the PDF is made.
FILLERS: dict[str, Callable[[Document, str], str]] = {}


def register_filler(kind: str, filler: Callable[[Document, str], str]) -> None:
    FILLERS[kind] = filler


def register_readers(kind: str, target: type[models.Model], action: str) -> None:
    """Documents of ``kind`` are read only by those who may do ``action`` on their target (``target``'s restrict)."""
    READERS[kind] = (target._meta.label_lower, action)


def next_number(series: str) -> int:
    """The next number of ``series``; must run inside the caller's transaction."""
    seq, _created = DocumentSequence.objects.get_or_create(key=series)
    # The row lock makes two clerks issuing at once get different numbers.
    seq = DocumentSequence.objects.select_for_update().get(pk=seq.pk)
    seq.last_number += 1
    seq.save(update_fields=["last_number"])
    return seq.last_number


@transaction.atomic
def document_issue(
    *,
    kind: str,
    title: str,
    template: str,
    context: dict[str, Any],
    target: models.Model,
    division: Division,
    user: User | None,
    number_format: str,
    public: bool = False,
) -> Document:
    """Number and render a document about ``target``.

    ``number_format`` names the series and the number's shape, e.g.
    ``"达茂证〔{year}〕{n}号"``: the series is the format with the year filled in.
    ``user`` None: issued by the system on a schedule (no person issued it); the
    document has no author, its audit event names the system, and the template
    gets ``issued_by_system`` to say "系统自动生成" on the document.
    """
    year = timezone.localdate().year
    series = number_format.replace("{year}", str(year))
    n = next_number(series)
    number = series.replace("{n}", str(n))
    html = render_to_string(
        template,
        {
            **context,
            "number": number,
            "title": title,
            "issued_on": timezone.localdate(),
            "issued_by_system": user is None,
        },
    )
    document = Document.objects.create(
        kind=kind,
        number=number,
        title=title,
        division=division,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        html=html,
        public=public,
        created_by=user,
    )
    record_event(user, "documents.issue", obj=document, division=division, summary=f"{number} {title}")
    return document


def document_pdf(*, document: Document) -> bytes:
    """The PDF of an issued document (raises RendererUnavailable when it cannot be made here)."""
    html = document.html
    filler = FILLERS.get(document.kind)
    if filler is not None:
        html = filler(document, html)
    return html_to_pdf(html)


def documents_about(target: models.Model):
    return Document.objects.filter(target_type=target._meta.label_lower, target_id=str(target.pk))
