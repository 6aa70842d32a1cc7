"""The villagers' satisfaction survey: public, anonymous, one answer per phone via a one-time code.

Threat model (README, "Assessments"): someone who wants a village's figure higher
or lower answers many times, or a clerk who wants to know who answered what.

- One answer per phone and survey: a one-time code is sent to the number; the
  answer is counted only with that code, and a ballot (survey, phone hash) is
  unique. The phone is kept only as a keyed hash (``villageburden/personaldata.py``), the code only
  as a keyed hash; codes are single-use, expire after ``CODE_TTL``, allow
  ``MAX_ATTEMPTS`` tries; sends are limited per phone and per address, tries
  per address.
- Anonymity: no row per respondent holds answers. The answers go into tallies
  (question × value → count); the ballot holds no time and no answers, so
  nothing joins a phone to what it answered. A village's figure is shown only
  from ``MIN_RESPONSES`` answers on.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from divisions.models import Division, Level
from villageburden import personaldata
from villageburden.versioning import covers

from .. import sms
from ..choices import PlanStatus, SurveyStatus
from ..models import TOWNSHIP_ROLES, Ballot, IntegratedAssessment, PhoneCode, Survey, Tally
from .plans import SURVEY_TEMPLATE

if TYPE_CHECKING:
    from organisations.models import User

__all__ = [
    "MIN_RESPONSES",
    "SURVEY_TEMPLATE",
    "survey_answer",
    "survey_close",
    "survey_code_send",
    "survey_open",
]

# A village's figure is shown from this many answers on: below it, a figure could
# tell a clerk how a handful of known neighbours answered (README, "Assessments").
MIN_RESPONSES = 10
CODE_TTL = timedelta(minutes=10)
MAX_ATTEMPTS = 5
SENDS_PER_PHONE_PER_HOUR = 3
SENDS_PER_ADDRESS_PER_HOUR = 20
TRIES_PER_ADDRESS_PER_HOUR = 30
SCALE = range(1, 6)


def _address_hash(address: str) -> str:
    return personaldata.phone_hash("ip:" + (address or ""))


def _code_hash(token: str, code: str) -> str:
    key = hashlib.sha256(b"survey-code:" + str(settings.PERSONAL_DATA_KEY).encode()).digest()
    return hmac.new(key, f"{token}:{code}".encode(), hashlib.sha256).hexdigest()


def tallies_create(survey: Survey) -> None:
    """One tally cell per question and value (answers are counted into them, never stored)."""
    Tally.objects.bulk_create(
        [Tally(survey=survey, question=q, value=v) for q in survey.assessment.questions.all() for v in SCALE],
        ignore_conflicts=True,
    )


@transaction.atomic
def survey_open(
    *, assessment: IntegratedAssessment, village: Division, closes_on: date, user: User
) -> Survey:
    """Open a village's survey (the township's questions), public until ``closes_on``."""
    assessment = IntegratedAssessment.objects.select_for_update().get(pk=assessment.pk)
    if not (user.is_superuser or (user.role in TOWNSHIP_ROLES and covers(user, assessment.township))):
        raise PermissionDenied(_("You may not open a survey here."))
    if assessment.status == PlanStatus.PUBLISHED:
        raise ValidationError(_("The results are published; the survey is over."))
    if village.level != Level.VILLAGE or village.parent_id != assessment.township_id:
        raise ValidationError({"village": [_("Choose a village of this township.")]})
    if closes_on < timezone.localdate():
        raise ValidationError({"closes_on": [_("The closing date cannot be in the past.")]})
    if Survey.objects.filter(assessment=assessment, village=village).exists():
        raise ValidationError({"village": [_("This village's survey is already open.")]})
    survey = Survey.objects.create(assessment=assessment, village=village, closes_on=closes_on)
    tallies_create(survey)
    record_event(user, "assessments.survey_open", obj=survey, division=village.pk, summary=str(survey))
    return survey


@transaction.atomic
def survey_close(*, survey: Survey, user: User) -> Survey:
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if not Survey.objects.restrict(user, "change").filter(pk=survey.pk).exists():
        raise PermissionDenied(_("You may not close this survey."))
    survey.status = SurveyStatus.CLOSED
    survey.save(update_fields=["status", "updated"])
    record_event(user, "assessments.survey_close", obj=survey, division=survey.village_id)
    return survey


def _require_open(survey: Survey) -> None:
    if survey.status != SurveyStatus.OPEN or survey.closes_on < timezone.localdate():
        raise ValidationError(_("This survey is closed."))


@transaction.atomic
def survey_code_send(*, survey: Survey, phone: str, address: str) -> str:
    """Send a one-time code to a phone for this survey; returns the token the answer page carries."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    _require_open(survey)
    try:
        number = personaldata.phone_validate(phone)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from None
    digest, where = personaldata.phone_hash(number), _address_hash(address)
    if Ballot.objects.filter(survey=survey, phone_hash=digest).exists():
        raise ValidationError({"phone": [_("This phone number has already answered this survey.")]})
    hour_ago = timezone.now() - timedelta(hours=1)
    recent = PhoneCode.objects.filter(created__gte=hour_ago)
    if recent.filter(phone_hash=digest).count() >= SENDS_PER_PHONE_PER_HOUR:
        raise ValidationError({"phone": [_("Too many codes for this number; try again in an hour.")]})
    if recent.filter(ip_hash=where).count() >= SENDS_PER_ADDRESS_PER_HOUR:
        raise ValidationError({"phone": [_("Too many codes from this network; try again in an hour.")]})
    token = secrets.token_urlsafe(32)
    code = f"{secrets.randbelow(10**6):06d}"
    PhoneCode.objects.create(
        survey=survey,
        token=token,
        phone_hash=digest,
        ip_hash=where,
        code_hash=_code_hash(token, code),
        expires_at=timezone.now() + CODE_TTL,
    )
    text = _("%(code)s is your code for the satisfaction survey of %(village)s; valid 10 minutes.") % {
        "code": code,
        "village": survey.village.name,
    }
    # Slow I/O after commit, and the number travels to the sender only, never to a queue or a log.
    transaction.on_commit(lambda: sms.sender().send(number, text))
    return token


def answers_clean(survey: Survey, answers: dict[Any, Any]) -> dict[int, int]:
    """Every question answered with a whole number from 1 to 5."""
    questions = list(survey.assessment.questions.all())
    clean: dict[int, int] = {}
    errors: dict[str, list[str]] = {}
    for i, question in enumerate(questions, start=1):
        raw = answers.get(question.pk, answers.get(str(question.pk)))
        try:
            value = int(str(raw).strip())
            if value not in SCALE:
                raise ValueError
        except (TypeError, ValueError):
            errors[f"q{question.pk}"] = [
                _("Question %(n)s: choose a rating from 1 (very dissatisfied) to 5 (very satisfied).")
                % {"n": i}
            ]
            continue
        clean[question.pk] = value
    if errors:
        raise ValidationError(errors)
    return clean


class _Refused(Exception):
    def __init__(self, field: str, message: str) -> None:
        self.field, self.message = field, message


def _check_code(token: str, code: str, address: str) -> PhoneCode:
    """Under the code's lock: the code's state; a wrong code counts an attempt (kept, the answer is not)."""
    found = PhoneCode.objects.select_for_update().filter(token=token).first()
    if found is None:
        raise _Refused("code", _("This code is unknown; ask for a new one."))
    if found.used_at is not None:
        raise _Refused("code", _("This code has already been used; a code counts once."))
    if found.expires_at < timezone.now():
        raise _Refused("code", _("This code has expired; ask for a new one."))
    hour_ago = timezone.now() - timedelta(hours=1)
    tries = (
        PhoneCode.objects.filter(ip_hash=_address_hash(address), created__gte=hour_ago).aggregate(
            n=Sum("attempts")
        )["n"]
        or 0
    )
    if found.attempts >= MAX_ATTEMPTS or tries >= TRIES_PER_ADDRESS_PER_HOUR:
        raise _Refused("code", _("Too many wrong codes; ask for a new one later."))
    if not hmac.compare_digest(found.code_hash, _code_hash(token, (code or "").strip())):
        PhoneCode.objects.filter(pk=found.pk).update(attempts=F("attempts") + 1)
        raise _Refused("code", _("The code is wrong; check the text message."))
    return found


def survey_answer(*, survey: Survey, token: str, code: str, answers: dict[Any, Any], address: str) -> None:
    """Count one villager's answers, once per phone; or a Chinese error per field and nothing counted.

    A wrong code's attempt is counted (and committed) so guessing is limited; the
    answers are not. No audit event per answer: it would carry the respondent's
    address and time beside the survey (the survey's opening and closing are audited).
    """
    clean = answers_clean(survey, answers)
    refused: _Refused | None = None
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        _require_open(survey)
        try:
            found = _check_code(token, code, address)
        except _Refused as exc:
            refused = exc
        else:
            if found.survey_id != survey.pk:
                raise ValidationError({"code": [_("This code is for another survey.")]})
            try:
                with transaction.atomic():
                    Ballot.objects.create(survey=survey, phone_hash=found.phone_hash)
            except IntegrityError:
                raise ValidationError(
                    {"code": [_("This phone number has already answered this survey.")]}
                ) from None
            found.used_at = timezone.now()
            found.save(update_fields=["used_at"])
            for question_id, value in clean.items():
                Tally.objects.filter(survey=survey, question_id=question_id, value=value).update(
                    count=F("count") + 1
                )
    if refused is not None:
        raise ValidationError({refused.field: [refused.message]})
