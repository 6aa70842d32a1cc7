"""Reading the seal-use scope lists: in force on a day, the public check, and the three lists' coverage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from divisions.models import Division, Level
from villageburden import versioning
from villageburden.namematch import QUESTION_FILLERS, NameMatcher
from villageburden.sources import cite, cite_fields

from .choices import Answer, ItemStatus, UseKind
from .models import SealList, SealListVersion, SealUseItem

# How people ask "may the community stamp this?": the words that say nothing
# about what is to be stamped (the matcher tries the longest first).
MATCHER = NameMatcher(
    fillers=[
        *QUESTION_FILLERS,
        "社区居委会",
        "居民委员会",
        "居委会",
        "社区",
        "街道",
        "盖个章",
        "盖一下章",
        "盖章",
        "盖公章",
        "加盖",
        "用印",
        "印章",
        "公章",
        "盖",
        "章",
        "在",
        "上面",
        "个",
    ],
    threshold=0.55,
)

# What the rules say about a use on neither half of the list (seed 002, end).
UNLISTED_RULE = cite(
    "此用途未列入社区印章使用范围清单。种子002末段要求以县（市区）为单位制定社区印章使用范围清单；"
    "清单未列的用印，本系统不作推定，请向所在街道（乡镇）或县（市区）民政部门确认。"
    "若是要社区开具证明，请用证明事项查询（社区出具证明参照村级组织的规定，种子002末段）。"
)
# A certificate on the negative certificate list: the community may not issue it, so its seal may not go on it.
CERTIFICATE_RULE = "不应由基层群众性自治组织出具的证明事项，社区不得出具，社区印章不得用于此类证明。"


def lists_for(division: Division) -> SealList | None:
    """The list governing a division: its county's, else its province's."""
    return versioning.governing(SealList.objects.all(), division)


def version_in_force(division: Division, on: date | None = None) -> SealListVersion | None:
    seal_list = lists_for(division)
    return versioning.version_in_force(seal_list.versions.all(), on) if seal_list else None


def items_in_force(division: Division, on: date | None = None) -> QuerySet[SealUseItem]:
    version = version_in_force(division, on)
    if version is None:
        return SealUseItem.objects.none()
    return version.items.filter(status=ItemStatus.ACTIVE).order_by("kind", "code")


def published_for(county: Division, on: date | None = None) -> bool:
    """Whether the county has published its own seal-use scope list, in force on ``on``."""
    return SealListVersion.objects.filter(
        seal_list__division=county, status="published", effective_from__lte=on or timezone.localdate()
    ).exists()


@lru_cache(maxsize=64)
def _entries(version_id: int, published_at: str) -> tuple[tuple[int, tuple[str, ...]], ...]:
    # A published version never changes: its wordings are read once per process.
    items = SealUseItem.objects.filter(version_id=version_id, status=ItemStatus.ACTIVE)
    return tuple((item.pk, tuple(item.names())) for item in items)


@dataclass
class SealCheck:
    answer: str
    item: SealUseItem | None
    matched_name: str
    score: float
    version: SealListVersion | None


def check_seal(division: Division, text: str, on: date | None = None) -> SealCheck:
    """May a community seal here be put on this? (the public check)"""
    version = version_in_force(division, on)
    if version is None:
        return SealCheck(Answer.UNLISTED, None, "", 0.0, None)
    entries = _entries(version.pk, str(version.published_at))
    match = MATCHER.best_match(text, (version.pk,), entries)
    if match is None:
        return SealCheck(Answer.UNLISTED, None, "", 0.0, version)
    item = SealUseItem.objects.get(pk=match.item_id)
    answer = Answer.MAY_NOT if item.kind == UseKind.MAY_NOT else Answer.MAY
    return SealCheck(answer, item, match.name, round(match.score, 3), version)


def _certificate_answer(division: Division, text: str, on: date | None) -> dict[str, Any] | None:
    """A certificate the negative certificate list names (民发〔2020〕20号 covers residents' committees too)."""
    from certificates.selectors import check_answer

    if "证明" not in text and "證明" not in text:
        return None
    found = check_answer(division, text, on)
    if found["answer"] != "no":
        return None
    return found


def check_answer(division: Division, text: str, on: date | None = None) -> dict[str, Any]:
    """The public check's answer as data (the page and ``/api/v1/seal-checks/`` share it)."""
    result = check_seal(division, text, on)
    data: dict[str, Any] = {
        "answer": str(result.answer),
        "query": text,
        "division": {"code": division.code, "name": division.name},
        "item": None,
        "reason": "",
        "conditions": "",
        "basis": "",
        "basis_missing": False,
        "source": "",
        "matched_name": result.matched_name,
        "score": result.score,
        "via": "seal_list",
        "version": (
            {"number": result.version.number, "effective_from": result.version.effective_from}
            if result.version
            else None
        ),
    }
    item = result.item
    if item is None:
        certificate = _certificate_answer(division, text, on)
        if certificate is not None:
            # The certificate lists answer: a certificate the community may not issue carries no seal.
            data.update(
                answer=str(Answer.MAY_NOT),
                item={
                    "code": certificate["item"]["code"],
                    "name": certificate["item"]["name"],
                    "list": "certificate",
                },
                reason=f"{CERTIFICATE_RULE}{certificate['reason']}",
                conditions=certificate["alternative"],
                basis=certificate["basis"],
                source=certificate["item"]["source"],
                matched_name=certificate["matched_name"],
                score=certificate["score"],
                via="certificate_list",
            )
            return data
        data["reason"] = UNLISTED_RULE
        return data
    data.update(
        item={"code": item.code, "name": item.name, "list": item.kind},
        reason=item.reason,
        conditions=item.conditions,
        basis=item.legal_basis,
        basis_missing=item.basis_missing,
        source=item.source,
    )
    return cite_fields(data, "reason", "conditions", "basis", "source")


# --- the three community lists: coverage per province (seed 002, end) -------------------


def assessment_list_published(county: Division, on: date) -> bool | None:
    """Has ``county`` published its community comprehensive assessment items list
    (社区综合考核评比项目清单)? Read through the assessments app's selector."""
    from assessments.selectors import published_list_exists

    return bool(published_list_exists(county, "communities", on))


@dataclass
class CountyLists:
    county: Division
    work_items: bool
    assessment: bool
    seal_use: bool

    @property
    def all_three(self) -> bool:
        return self.work_items and self.assessment and self.seal_use


@dataclass
class Coverage:
    province: Division
    on: date
    counties: list[CountyLists]
    assessments_available: bool

    @property
    def covered(self) -> int:
        return sum(1 for c in self.counties if c.all_three)

    @property
    def percent(self) -> float:
        """The share of the province's counties with all three lists published (target: 100%)."""
        return round(100 * self.covered / len(self.counties), 1) if self.counties else 0.0

    def share(self, attr: str) -> float:
        return (
            round(100 * sum(1 for c in self.counties if getattr(c, attr)) / len(self.counties), 1)
            if self.counties
            else 0.0
        )


def coverage(province: Division, on: date | None = None) -> Coverage:
    """Each county of ``province``: which of the three community lists it has published and in force on ``on``."""
    from catalogs.selectors import published_for as catalogue_published

    on = on or timezone.localdate()
    counties = list(province.subtree().filter(level=Level.COUNTY).order_by("code"))
    available = True
    rows = []
    for county in counties:
        assessment = assessment_list_published(county, on)
        available = available and assessment is not None
        rows.append(
            CountyLists(
                county=county,
                work_items=catalogue_published(county, "communities", on),
                assessment=bool(assessment),
                seal_use=published_for(county, on),
            )
        )
    return Coverage(province=province, on=on, counties=rows, assessments_available=available or not counties)


def coverage_labels() -> dict[str, str]:
    return {
        "work_items": _("community work items list"),
        "assessment": _("community comprehensive assessment items list"),
        "seal_use": _("community seal-use scope list"),
        "all_three": _("all three lists"),
    }
