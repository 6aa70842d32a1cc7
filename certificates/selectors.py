"""Reading the certificate lists and the register: in force on a day, the public check, figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from divisions.models import Division
from institutions.models import Institution
from villageburden import versioning
from villageburden.sources import cite, cite_fields

from . import matching
from .choices import ItemStatus, ListKind, RequestStatus
from .models import CertificateItem, CertificateList, CertificateListVersion, CertificateRequest

# What the rules say about a certificate on neither list (seed 000 §10, seed 002 §3(9), seed 003 §8).
UNLISTED_RULE = cite(
    "未列入清单的证明事项：凡缺乏法律法规或者国务院决定等依据的，党政群机构一律不得要求村级组织出具"
    "（种子000第九条）。关系群众切身利益、村级组织能够核实的，据实出具；涉及重大问题或者存在法律风险的，"
    "调查核实并组织村民议事协商，必要时召开村民会议、村民代表会议讨论决定（种子000第十条、种子003第8条）。"
    "也可以通过告知承诺、网上核验、数据共享等方式办理（种子002第三部分第（九）项）。"
)


def lists_for(division: Division) -> CertificateList | None:
    """The lists governing a division: its county's, else its province's.

    Villages and urban communities alike: communities follow the villages'
    certificate rules by reference (seed 002, end: "证明事项相关工作，参照本方案执行"),
    and the negative list (民发〔2020〕20号) is written for every 基层群众性自治组织,
    residents' committees included. What a community's seal may go on is the
    seal-use scope list (``seals``), which consults this check for certificates.
    """
    return versioning.governing(CertificateList.objects.all(), division)


def version_in_force(division: Division, on: date | None = None) -> CertificateListVersion | None:
    lists = lists_for(division)
    return versioning.version_in_force(lists.versions.all(), on) if lists else None


def items_in_force(division: Division, on: date | None = None) -> QuerySet[CertificateItem]:
    version = version_in_force(division, on)
    if version is None:
        return CertificateItem.objects.none()
    return version.items.filter(status=ItemStatus.ACTIVE)


@lru_cache(maxsize=64)
def _entries(version_id: int, published_at: str) -> tuple[tuple[int, tuple[str, ...]], ...]:
    # A published version never changes: its names are read once per process.
    items = CertificateItem.objects.filter(version_id=version_id, status=ItemStatus.ACTIVE)
    return tuple((item.pk, tuple(item.names())) for item in items)


@dataclass
class CheckResult:
    answer: str  # "no" | "yes" | "unlisted"
    item: CertificateItem | None
    matched_name: str
    score: float
    version: CertificateListVersion | None


def check_certificate(division: Division, text: str, on: date | None = None) -> CheckResult:
    """May a village organisation here be asked for this certificate? (the public check)"""
    version = version_in_force(division, on)
    if version is None:
        return CheckResult("unlisted", None, "", 0.0, None)
    entries = _entries(version.pk, str(version.published_at))
    match = matching.best_match(text, (version.pk,), entries)
    if match is None:
        return CheckResult("unlisted", None, "", 0.0, version)
    item = CertificateItem.objects.get(pk=match.item_id)
    answer = "no" if item.kind == ListKind.NEGATIVE else "yes"
    return CheckResult(answer, item, match.name, round(match.score, 3), version)


def time_limit_text(item: CertificateItem) -> str:
    if item.time_limit_days == 0:
        return _("on the spot")
    return _("within %(n)s working days") % {"n": item.time_limit_days}


def check_answer(division: Division, text: str, on: date | None = None) -> dict[str, Any]:
    """The public check's answer as data (the page and ``/api/v1/certificate-checks/`` share it)."""
    result = check_certificate(division, text, on)
    item = result.item
    data: dict[str, Any] = {
        "answer": result.answer,
        "query": text,
        "division": {"code": division.code, "name": division.name},
        "item": None,
        "reason": "",
        "alternative": "",
        "alternative_route": "",
        "basis": "",
        "basis_missing": False,
        "materials": "",
        "procedure": "",
        "time_limit": "",
        "matched_name": result.matched_name,
        "score": result.score,
        "version": (
            {"number": result.version.number, "effective_from": result.version.effective_from}
            if result.version
            else None
        ),
    }
    if item is None:
        data["reason"] = UNLISTED_RULE
        return data
    data["item"] = {"code": item.code, "name": item.name, "list": item.kind, "source": cite(item.source)}
    if item.kind == ListKind.NEGATIVE:
        data.update(
            reason=item.reason,
            alternative=item.alternative,
            alternative_route=item.alternative_route,
            basis=item.source,
        )
    else:
        data.update(
            basis=item.legal_basis,
            basis_missing=item.basis_missing,
            reason=item.purpose,
            materials=item.materials,
            procedure=item.procedure,
            time_limit=time_limit_text(item),
        )
    return cite_fields(data, "reason", "basis", "alternative")


# --- unreasonable demands and figures -----------------------------------------


def refusals_by_institution(
    county: Division,
    period_from: date,
    period_to: date,
    items_of: Institution | None = None,
    after: datetime | None = None,
):
    """Institutions ranked by refused (negative-list) demands in the period; or one institution's items.

    ``after``: only the demands refused after that moment (a notice counts those after the letter).
    """
    refused = CertificateRequest.objects.filter(
        county=county,
        status=RequestStatus.REFUSED,
        handled_at__date__gte=period_from,
        handled_at__date__lte=period_to,
    )
    later = Q()
    if after is not None:
        refused = refused.filter(handled_at__gt=after)
        later = Q(requests__handled_at__gt=after)
    if items_of is not None:
        return (
            refused.filter(institution=items_of).values("item__name").annotate(n=Count("id")).order_by("-n")
        )
    return (
        Institution.objects.filter(division=county)
        .annotate(
            refusals=Count(
                "requests",
                filter=Q(
                    requests__status=RequestStatus.REFUSED,
                    requests__handled_at__date__gte=period_from,
                    requests__handled_at__date__lte=period_to,
                )
                & later,
                # distinct: the letters and notices joined below would count each refusal again.
                distinct=True,
            ),
            letters=Count("actions", filter=Q(actions__kind="letter"), distinct=True),
            notices=Count("actions", filter=Q(actions__kind="notice"), distinct=True),
        )
        .filter(refusals__gt=0)
        .order_by("-refusals", "name")
    )


def figures(requests: QuerySet[CertificateRequest], level: int, period_from: date, period_to: date):
    """Issued, refused, referred, committed per division at ``level`` in the period; median days to issue."""
    digits = {3: 6, 4: 9, 5: 12}[level]
    rows: dict[str, dict[str, Any]] = {}
    qs = requests.filter(created__date__gte=period_from, created__date__lte=period_to)
    for req in qs.values("village_id", "status", "created", "handled_at").iterator():
        key = req["village_id"][:digits].ljust(12, "0")
        row = rows.setdefault(
            key,
            {
                "code": key,
                "recorded": 0,
                "issued": 0,
                "refused": 0,
                "referred": 0,
                "committed": 0,
                "days": [],
            },
        )
        row["recorded"] += 1
        if req["status"] in row and req["status"] != "recorded":
            row[req["status"]] += 1
        if req["status"] == RequestStatus.ISSUED and req["handled_at"]:
            row["days"].append((req["handled_at"] - req["created"]).total_seconds() / 86400)
    names = dict(Division.objects.filter(pk__in=rows).values_list("code", "name"))
    result = []
    for key in sorted(rows):
        row = rows[key]
        days = sorted(row.pop("days"))
        row["median_days_to_issue"] = round(days[len(days) // 2], 1) if days else None
        row["name"] = names.get(key, key)
        result.append(row)
    return result


def register_page_queryset(user, action: str = "view") -> QuerySet[CertificateRequest]:
    """The register as a caller may read it, with what a page shows in the same query."""
    return (
        CertificateRequest.objects.restrict(user, action)
        .select_related("village", "institution", "item", "document")
        .order_by("-created", "-id")
    )


def due_soon(user) -> QuerySet[CertificateRequest]:
    today = timezone.localdate()
    return (
        register_page_queryset(user)
        .filter(status=RequestStatus.RECORDED, due_on__lte=today)
        .order_by(F("due_on").asc(nulls_last=True))
    )
