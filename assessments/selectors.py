"""Reading assessments: the list in force, the check "is this assessment listed?", survey figures, results."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache

from django.db.models import Q, QuerySet
from django.utils import timezone

from certificates import matching
from divisions.models import Division, Level
from villageburden import versioning
from villageburden.sources import cite
from villageburden.versioning import VersionStatus

from .choices import AppliesTo, ItemStatus, PlanStatus, applies_to_for
from .models import AssessmentItem, AssessmentList, AssessmentListVersion, IntegratedAssessment, Survey, Tally
from .services.surveys import MIN_RESPONSES

# What the rules say about an assessment that is not on the list (seed 004 task 13, seed 002 §(五)).
UNLISTED_RULE = cite(
    "未列入考核评比项目清单的考核、评比、排名和“一票否决”事项，不得面向村（社区）开展：全面梳理面向村（社区）"
    "考核和“一票否决”事项，规范督导检查考核，由乡镇统一对村（社区）进行综合考评（种子004第13项、种子002第三部分（五））。"
    "可由负担监测员作为负担情况上报（种子002第四部分（三））。"
)


def _kinds(applies_to: str) -> list[str]:
    return [applies_to, AppliesTo.BOTH] if applies_to != AppliesTo.BOTH else [AppliesTo.BOTH]


def list_for(division: Division, applies_to: str | None = None) -> AssessmentList | None:
    """The list governing a division (its county's, else its province's) for its settlement kind."""
    kind = applies_to or applies_to_for(division.settlement_kind)
    lists = AssessmentList.objects.filter(applies_to__in=_kinds(kind))
    return versioning.governing(lists, division)


def version_in_force(division: Division, on: date | None = None, applies_to: str | None = None):
    found = list_for(division, applies_to)
    return versioning.version_in_force(found.versions.all(), on) if found else None


def items_in_force(
    division: Division, on: date | None = None, applies_to: str | None = None
) -> QuerySet[AssessmentItem]:
    version = version_in_force(division, on, applies_to)
    if version is None:
        return AssessmentItem.objects.none()
    return version.items.filter(status=ItemStatus.ACTIVE)


def published_list_exists(county: Division, applies_to: str, on: date | None = None) -> bool:
    """Has this county a published assessment items list in force on ``on`` for villages or communities?

    For the community coverage figure (seed 002 end: 社区综合考核评比项目清单): a list
    "for both" counts for either.
    """
    on = on or timezone.localdate()
    return AssessmentListVersion.objects.filter(
        assessment_list__division=county,
        assessment_list__applies_to__in=_kinds(applies_to),
        status=VersionStatus.PUBLISHED,
        effective_from__lte=on,
    ).exists()


@lru_cache(maxsize=64)
def _entries(version_id: int, published_at: str) -> tuple[tuple[int, tuple[str, ...]], ...]:
    # A published version never changes: its names are read once per process.
    items = AssessmentItem.objects.filter(version_id=version_id, status=ItemStatus.ACTIVE)
    return tuple((item.pk, tuple(item.names())) for item in items)


@dataclass
class ListedAnswer:
    """Whether an assessment placed on villages is on the county's list (``item`` None: unauthorised)."""

    listed: bool
    item: AssessmentItem | None
    matched_name: str
    score: float
    version: AssessmentListVersion | None
    rule: str = field(default=UNLISTED_RULE)


def listed_assessment(
    county: Division, text: str, on: date | None = None, applies_to: str | None = None
) -> ListedAnswer:
    """Is this assessment on the list in force? Matched the way the certificate check matches names.

    The seam for monitors' burden reports: an assessment that is not listed is an
    unauthorised demand on the village.
    """
    version = version_in_force(county, on, applies_to or AppliesTo.VILLAGES)
    if version is None:
        return ListedAnswer(False, None, "", 0.0, None)
    # A negative key keeps this list's names apart from the certificate lists' in the matcher's cache.
    match = matching.best_match(text, (-version.pk,), _entries(version.pk, str(version.published_at)))
    if match is None:
        return ListedAnswer(False, None, "", 0.0, version)
    item = AssessmentItem.objects.get(pk=match.item_id)
    return ListedAnswer(True, item, match.name, round(match.score, 3), version, rule="")


# --- surveys and results ---------------------------------------------------------------------


@dataclass
class SurveyFigure:
    responses: int
    shown: bool
    satisfaction: float | None  # 0–100
    questions: list[tuple[str, float | None]]


def _percent(total: int, points: int) -> float:
    # 1 (very dissatisfied) → 0, 5 (very satisfied) → 100, linear in between.
    return round((points - total) / (4 * total) * 100, 1)


def survey_figure(survey: Survey) -> SurveyFigure:
    """A village's aggregate; nothing but the number of answers below ``MIN_RESPONSES``."""
    responses = survey.ballots.count()
    shown = responses >= MIN_RESPONSES
    if not shown:
        return SurveyFigure(responses, False, None, [])
    questions: list[tuple[str, float | None]] = []
    all_total = all_points = 0
    cells = (
        Tally.objects.filter(survey=survey)
        .select_related("question")
        .order_by("question__order", "question_id")
    )
    per: dict[int, list] = {}
    for cell in cells:
        entry = per.setdefault(cell.question_id, [cell.question.text, 0, 0])
        entry[1] += cell.count
        entry[2] += cell.count * cell.value
    for text, total, points in per.values():
        questions.append((text, _percent(total, points) if total else None))
        all_total += total
        all_points += points
    return SurveyFigure(responses, True, _percent(all_total, all_points) if all_total else None, questions)


@dataclass
class VillageResult:
    village: Division
    scores: list[tuple[str, int, Decimal | None]]  # criterion, weight, score
    satisfaction: SurveyFigure | None
    total: Decimal | None  # None while a score is missing


def results(assessment: IntegratedAssessment) -> list[VillageResult]:
    """Each village's scores, its satisfaction figure in the satisfaction criterion, and the weighted total."""
    criteria = list(assessment.criteria.all())
    villages = Division.objects.filter(parent_id=assessment.township_id, level=Level.VILLAGE).order_by("code")
    scores = {(s.criterion_id, s.village_id): s.value for c in criteria for s in c.scores.all()}
    surveys = {s.village_id: s for s in assessment.surveys.all()}
    rows = []
    for village in villages:
        survey = surveys.get(village.pk)
        figure = survey_figure(survey) if survey else None
        line: list[tuple[str, int, Decimal | None]] = []
        total: Decimal | None = Decimal(0)
        for c in criteria:
            if c.is_satisfaction:
                value = (
                    Decimal(str(figure.satisfaction)) if figure and figure.satisfaction is not None else None
                )
            else:
                value = scores.get((c.pk, village.pk))
            line.append((c.name, c.weight, value))
            if value is None or total is None:
                total = None
            else:
                total += value * c.weight / 100
        rows.append(
            VillageResult(
                village, line, figure, total.quantize(Decimal("0.1")) if total is not None else None
            )
        )
    return rows


def published_assessments(division: Division) -> QuerySet[IntegratedAssessment]:
    """Public: the published integrated assessments of a township, or of the township of a village."""
    township = division if division.level == Level.TOWNSHIP else division.parent
    return IntegratedAssessment.objects.filter(
        Q(township=township), status=PlanStatus.PUBLISHED
    ).select_related("township")
