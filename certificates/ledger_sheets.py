"""The certificate register's sheet of the ledger (工作台账, seed 000 §11) and its report figures.

Discovered by ``reports.ledger``; no import from ``reports``. ID numbers appear only masked (first 6,
last 4: ``identity.mask``): the register keeps the full number encrypted and no export ever decrypts it.
Only the roles that may read the register get the sheet (``roles``).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from divisions.models import Division

from .choices import RequestStatus
from .models import REGISTER_READERS, CertificateRequest


def _register_of(division: Division) -> QuerySet[CertificateRequest]:
    return CertificateRequest.objects.in_subtree(division.prefix)


class Register:
    key = "certificates_register"
    order = 40
    title = "证明登记"
    header = [
        "登记日期", "村（社区）代码", "村（社区）", "申请人", "身份证号（脱敏）", "所需证明", "用途",
        "索要机构", "办理结果", "办理日期", "应出具日期", "证明编号", "说明",
    ]  # fmt: skip
    roles = frozenset(REGISTER_READERS)

    def rows(self, division: Division, date_from: date, date_to: date) -> Iterator[list[Any]]:
        qs = (
            _register_of(division)
            .filter(created__date__range=(date_from, date_to))
            .select_related("village", "institution", "document")
            .order_by("created", "pk")
        )
        for req in qs.iterator(chunk_size=2000):
            yield [
                timezone.localdate(req.created),
                req.village_id,
                req.village.name,
                req.applicant_name,
                req.id_masked,  # never the number itself
                req.certificate_name,
                req.purpose,
                req.institution.name if req.institution_id else "",
                req.get_status_display(),
                timezone.localdate(req.handled_at) if req.handled_at else None,
                req.due_on,
                req.document.number if req.document_id else "",
                req.note,
            ]


class _Handled:
    key = label = ""
    order = 0
    status = ""

    def count(self, division: Division, date_from: date, date_to: date) -> int:
        return (
            _register_of(division)
            .filter(status=self.status, handled_at__date__range=(date_from, date_to))
            .count()
        )


class Issued(_Handled):
    key, label, order, status = "certificates_issued", "出具证明", 60, RequestStatus.ISSUED


class Refused(_Handled):
    key, label, order, status = "certificates_refused", "拒开证明（负面清单）", 70, RequestStatus.REFUSED


SHEETS = [Register()]
FIGURES = [Issued(), Refused()]
