"""The township's integrated assessment (综合考评): method and weighted criteria, county review, scores, results.

- One a year per township (seed 004 task 13: 明确每年由乡镇统一对村(社区)进行综合考评);
  the township sets the method and criteria (seed 002 §(五): 以乡镇（街道）为单位，制定
  村级组织考核办法和考核标准) and the county reviews them (approve, or return with the reason).
- Weights are whole percentages that sum to 100; a criterion has a name.
- Villagers' satisfaction is the main measure (seed 004 task 13): every assessment has
  one satisfaction criterion, its score per village is the survey's figure, never typed in.
- A criterion that measures a trace (留痕, screenshots, forms, plaques, meeting counts) is
  warned about with the rule it breaks (``assessments/traces.py``); the warning is shown to
  the township and the county reviewer, it does not block.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from divisions.models import Division, Level
from villageburden.decisions import clean_reason
from villageburden.versioning import covers

from ..choices import DecisionOutcome, PlanStatus, SurveyStatus
from ..models import (
    COUNTY_REVIEWERS,
    TOWNSHIP_ROLES,
    AssessmentDecision,
    Criterion,
    IntegratedAssessment,
    Score,
    SurveyQuestion,
)

if TYPE_CHECKING:
    from organisations.models import User

MAX_CRITERIA = 20
MAX_QUESTIONS = 10
# The questions a township starts from (it may reword, add or drop them). Seed 000 §5(五):
# 以问题解决到位、农牧民群众满意为导向; seed 004 task 13: 以群众满意度为主要衡量标准.
SURVEY_TEMPLATE = (
    "您对本村（社区）“两委”班子为群众办实事、解难题的情况是否满意？",
    "您反映的问题是否得到了及时解决？",
    "您对本村（社区）的村务公开、财务公开情况是否满意？",
    "您对本村（社区）的环境卫生和公共服务是否满意？",
)
DEFAULT_SATISFACTION = {"name": "群众满意度", "measures": "村民满意度测评结果（匿名问卷）", "weight": 40}


def _require_township(user: User, township: Division) -> None:
    if township.level != Level.TOWNSHIP:
        raise ValidationError({"township": _("Choose a township.")})
    if not (user.is_superuser or (user.role in TOWNSHIP_ROLES and covers(user, township))):
        raise PermissionDenied(_("You may not define this township's assessment."))


def _lock(assessment: IntegratedAssessment, user: User, action: str) -> IntegratedAssessment:
    locked = IntegratedAssessment.objects.select_for_update().select_related("township").get(pk=assessment.pk)
    if not IntegratedAssessment.objects.restrict(user, action).filter(pk=locked.pk).exists():
        raise PermissionDenied(_("You may not change this assessment."))
    return locked


def _state(assessment: IntegratedAssessment, *allowed: str) -> None:
    if assessment.status not in allowed:
        raise ValidationError(
            _("This assessment is %(status)s; that step is not possible now.")
            % {"status": assessment.get_status_display()}
        )


@transaction.atomic
def plan_create(*, township: Division, year: int, method: str, user: User) -> IntegratedAssessment:
    """Open the township's integrated assessment for a year, with the satisfaction criterion and template questions."""
    _require_township(user, township)
    errors: dict[str, list[str]] = {}
    if not 2000 <= int(year) <= 2100:
        errors["year"] = [_("Give a year such as 2026.")]
    if not (method or "").strip():
        errors["method"] = [_("Describe the method: when, by whom, how scores are given.")]
    if IntegratedAssessment.objects.filter(township=township, year=year).exists():
        errors["year"] = [
            _("This township already has its integrated assessment for %(year)s.") % {"year": year}
        ]
    if errors:
        raise ValidationError(errors)
    assessment = IntegratedAssessment.objects.create(
        township=township,
        county_id=township.ancestor_at(Level.COUNTY),
        year=year,
        method=method.strip(),
        created_by=user,
    )
    Criterion.objects.create(assessment=assessment, order=0, is_satisfaction=True, **DEFAULT_SATISFACTION)
    SurveyQuestion.objects.bulk_create(
        SurveyQuestion(assessment=assessment, order=i, text=text) for i, text in enumerate(SURVEY_TEMPLATE)
    )
    record_event(
        user, "assessments.plan_create", obj=assessment, division=township.pk, summary=str(assessment)
    )
    return assessment


def criteria_clean(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Checked criteria: each named, weights whole numbers 1–100 summing to 100, one satisfaction criterion."""
    errors: list[str] = []
    cleaned: list[dict[str, Any]] = []
    rows = [r for r in rows if any(str(r.get(k) or "").strip() for k in ("name", "measures", "weight"))]
    if not rows:
        raise ValidationError({"criteria": [_("Give at least one criterion.")]})
    if len(rows) > MAX_CRITERIA:
        errors.append(_("At most %(n)s criteria.") % {"n": MAX_CRITERIA})
    for i, row in enumerate(rows, start=1):
        name = str(row.get("name") or "").strip()
        measures = str(row.get("measures") or "").strip()
        if not name:
            errors.append(_("Criterion %(n)s has no name: every criterion says what is assessed.") % {"n": i})
        if len(name) > 200:
            errors.append(_("Criterion %(n)s: the name has at most 200 characters.") % {"n": i})
        try:
            weight = int(str(row.get("weight") or "").strip())
            if not 1 <= weight <= 100:
                raise ValueError
        except ValueError:
            errors.append(_("Criterion %(n)s: the weight is a whole number from 1 to 100.") % {"n": i})
            weight = 0
        cleaned.append(
            {
                "name": name,
                "measures": measures[:2000],
                "weight": weight,
                "is_satisfaction": bool(row.get("is_satisfaction")),
            }
        )
    total = sum(c["weight"] for c in cleaned)
    if not errors and total != 100:
        errors.append(_("The weights must add up to 100 (they add up to %(total)s).") % {"total": total})
    satisfaction = [c for c in cleaned if c["is_satisfaction"]]
    if len(satisfaction) != 1:
        errors.append(
            _("Exactly one criterion is the villagers' satisfaction, the main measure (seed 004, task 13).")
        )
    if errors:
        raise ValidationError({"criteria": errors})
    return cleaned


def questions_clean(texts: list[str]) -> list[str]:
    texts = [t.strip() for t in texts if t and t.strip()]
    if not texts:
        raise ValidationError({"questions": [_("Ask at least one question.")]})
    if len(texts) > MAX_QUESTIONS or any(len(t) > 200 for t in texts):
        raise ValidationError(
            {"questions": [_("At most %(n)s questions of at most 200 characters.") % {"n": MAX_QUESTIONS}]}
        )
    return texts


@transaction.atomic
def criteria_save(
    *,
    assessment: IntegratedAssessment,
    method: str,
    criteria: list[dict[str, Any]],
    questions: list[str],
    user: User,
) -> IntegratedAssessment:
    """Replace the method, criteria and survey questions of a draft (or returned) assessment."""
    assessment = _lock(assessment, user, "change")
    _state(assessment, PlanStatus.DRAFT, PlanStatus.RETURNED)
    errors: dict[str, list[str]] = {}
    if not (method or "").strip():
        errors["method"] = [_("Describe the method: when, by whom, how scores are given.")]
    try:
        criteria_clean(criteria)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        questions_clean(questions)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    rows, texts = criteria_clean(criteria), questions_clean(questions)
    old_texts = list(assessment.questions.values_list("text", flat=True))
    if texts != old_texts and assessment.surveys.filter(ballots__isnull=False).exists():
        raise ValidationError(
            {"questions": [_("Villagers have already answered these questions; they can no longer change.")]}
        )
    before = {"criteria": [str(c) for c in assessment.criteria.all()]}
    assessment.method = method.strip()
    assessment.save(update_fields=["method", "updated"])
    assessment.criteria.all().delete()
    Criterion.objects.bulk_create(
        Criterion(assessment=assessment, order=i, **row) for i, row in enumerate(rows)
    )
    if texts != old_texts:
        assessment.questions.all().delete()
        SurveyQuestion.objects.bulk_create(
            SurveyQuestion(assessment=assessment, order=i, text=t) for i, t in enumerate(texts)
        )
        from .surveys import tallies_create

        for survey in assessment.surveys.all():
            tallies_create(survey)
    warnings = sum(len(c.warnings()) for c in assessment.criteria.all())
    record_event(
        user,
        "assessments.criteria_save",
        obj=assessment,
        division=assessment.township_id,
        before=before,
        after={"criteria": [str(c) for c in assessment.criteria.all()], "trace_warnings": warnings},
    )
    return assessment


@transaction.atomic
def plan_submit(*, assessment: IntegratedAssessment, user: User) -> IntegratedAssessment:
    """The township sends its method and criteria to the county for review."""
    assessment = _lock(assessment, user, "change")
    _state(assessment, PlanStatus.DRAFT, PlanStatus.RETURNED)
    criteria_clean(
        [dict(row) for row in assessment.criteria.values("name", "measures", "weight", "is_satisfaction")]
    )
    assessment.status = PlanStatus.SUBMITTED
    assessment.save(update_fields=["status", "updated"])
    record_event(user, "assessments.plan_submit", obj=assessment, division=assessment.township_id)
    return assessment


@transaction.atomic
def plan_decide(
    *, assessment: IntegratedAssessment, outcome: str, reason: str, user: User
) -> AssessmentDecision:
    """The county approves the method and criteria, or returns them with the reason."""
    assessment = _lock(assessment, user, "review")
    if not user.is_superuser and user.role not in COUNTY_REVIEWERS:
        raise PermissionDenied(_("You may not review this assessment."))
    _state(assessment, PlanStatus.SUBMITTED)
    if outcome not in DecisionOutcome.values:
        raise ValidationError({"outcome": [_("Approve or return.")]})
    reason = clean_reason(reason)
    decision = AssessmentDecision.objects.create(
        assessment=assessment, outcome=outcome, reason=reason, decided_by=user
    )
    assessment.status = PlanStatus.APPROVED if outcome == DecisionOutcome.APPROVE else PlanStatus.RETURNED
    assessment.save(update_fields=["status", "updated"])
    record_event(
        user,
        f"assessments.plan_{outcome}",
        obj=assessment,
        division=assessment.township_id,
        summary=reason[:500],
        after={"status": assessment.status},
    )
    return decision


@transaction.atomic
def scores_save(
    *, assessment: IntegratedAssessment, village: Division, values: dict[int, Any], user: User
) -> list[Score]:
    """A village's scores (0–100) on the approved criteria; the satisfaction criterion comes from the survey."""
    assessment = _lock(assessment, user, "change")
    _state(assessment, PlanStatus.APPROVED)
    if village.level != Level.VILLAGE or village.parent_id != assessment.township_id:
        raise ValidationError({"village": [_("Choose a village of this township.")]})
    criteria = {c.pk: c for c in assessment.criteria.filter(is_satisfaction=False)}
    errors: dict[str, list[str]] = {}
    clean: dict[int, Decimal] = {}
    for pk, raw in values.items():
        criterion = criteria.get(int(pk))
        if criterion is None:
            errors["scores"] = [_("Scores are given only on this assessment's criteria.")]
            continue
        if raw in ("", None):
            continue
        try:
            value = Decimal(str(raw)).quantize(Decimal("0.1"))
            if not Decimal(0) <= value <= Decimal(100):
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            errors[f"score_{pk}"] = [_("%(name)s: a score from 0 to 100.") % {"name": criterion.name}]
            continue
        clean[criterion.pk] = value
    if errors:
        raise ValidationError(errors)
    saved = []
    for pk, value in clean.items():
        score, _created = Score.objects.update_or_create(
            criterion_id=pk, village=village, defaults={"value": value, "scored_by": user}
        )
        saved.append(score)
    record_event(
        user,
        "assessments.scores_save",
        obj=assessment,
        division=village.pk,
        after={criteria[pk].name: str(v) for pk, v in clean.items()},
    )
    return saved


@transaction.atomic
def plan_publish(*, assessment: IntegratedAssessment, user: User) -> IntegratedAssessment:
    """Publish the results to the villages: every village scored on every criterion; the surveys close."""
    assessment = _lock(assessment, user, "change")
    _state(assessment, PlanStatus.APPROVED)
    villages = Division.objects.filter(parent_id=assessment.township_id, level=Level.VILLAGE).count()
    for criterion in assessment.criteria.filter(is_satisfaction=False):
        if criterion.scores.count() < villages:
            raise ValidationError(
                _("Score every village on “%(name)s” before publishing the results.")
                % {"name": criterion.name}
            )
    assessment.surveys.filter(status=SurveyStatus.OPEN).update(status=SurveyStatus.CLOSED)
    assessment.status = PlanStatus.PUBLISHED
    assessment.published_at = timezone.now()
    assessment.save(update_fields=["status", "published_at", "updated"])
    record_event(user, "assessments.plan_publish", obj=assessment, division=assessment.township_id)
    return assessment
