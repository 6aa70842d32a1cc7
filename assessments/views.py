"""Pages of assessments: the public list, check, survey and results; the township's assessment for staff.

Views collect input and show results; every rule is in services/.
"""

from __future__ import annotations

import io
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from divisions.models import Division, Level
from divisions.selectors import division_for_code
from listchanges import views as listchange_views
from spreadsheets import list_views
from villageburden import versioning
from villageburden.forms import form_add_errors
from villageburden.params import posted_count

from . import selectors, services, spreadsheets
from .choices import AppliesTo, AssessmentKind, Frequency, PlanStatus, SurveyStatus
from .forms import (
    AnswerForm,
    CheckForm,
    DecisionForm,
    ItemForm,
    PhoneForm,
    PlanForm,
    ProposalForm,
    PublishForm,
    SurveyOpenForm,
)
from .models import COUNTY_REVIEWERS, TOWNSHIP_ROLES, AssessmentList, IntegratedAssessment, Survey
from .traces import CUES

DEMO_COUNTY = "150223"


def _address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


# --- public: the list, the check, results -----------------------------------------------------


def index(request):
    lists = AssessmentList.objects.restrict(request.user).select_related("division")
    return render(
        request,
        "assessments/index.html",
        {"lists": lists, "form": CheckForm(initial={"division": DEMO_COUNTY})},
    )


def _list_or_404(request, code: str, applies_to: str) -> tuple[Division, AssessmentList]:
    division = division_for_code(code)
    if division is None or applies_to not in AppliesTo.values:
        raise Http404
    found = (
        AssessmentList.objects.restrict(request.user).filter(division=division, applies_to=applies_to).first()
    )
    if found is None:
        raise Http404
    return division, found


def list_page(request, code: str, applies_to: str):
    """Public: a county's (or province's) assessment items list as it stood on a day, with its versions."""
    division, found = _list_or_404(request, code, applies_to)
    on = timezone.localdate()
    if request.GET.get("on"):
        try:
            on = date.fromisoformat(request.GET["on"])
        except ValueError:
            messages.error(request, _("Give the date as YYYY-MM-DD."))
    version = versioning.version_in_force(found.versions.all(), on)
    items = version.items.filter(status="active") if version else []
    return render(
        request,
        "assessments/list.html",
        {
            "division": division,
            "assessment_list": found,
            "version": version,
            "items": items,
            "on": on,
            "versions": found.versions.restrict(request.user).order_by("-number"),
            "can_manage": AssessmentList.objects.restrict(request.user, "change")
            .filter(pk=found.pk)
            .exists(),
            "can_propose": versioning.covers(request.user, found.division),
            "open_proposals": found.proposals.open().count(),
        },
    )


def list_export(request, code: str, applies_to: str, fmt: str):
    """The list in force (or a keeper's draft with ?draft=1) as CSV or xlsx, cells neutralised."""
    found = _list_or_404(request, code, applies_to)[1]
    version = versioning.version_in_force(found.versions.all())
    if (
        request.GET.get("draft")
        and AssessmentList.objects.restrict(request.user, "change").filter(pk=found.pk).exists()
    ):
        version = found.versions.filter(status="draft").first() or version
    items = version.items.all() if version else []
    name = f"assessment-list-{found.division_id[:6]}-{applies_to}"
    if fmt == "csv":
        out = io.StringIO()
        spreadsheets.write_csv(items, out)
        response = HttpResponse(out.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        out_b = io.BytesIO()
        spreadsheets.write_xlsx(items, out_b)
        response = HttpResponse(
            out_b.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _keepers_list_or_404(request, code: str, applies_to: str) -> AssessmentList:
    division = division_for_code(code)
    if division is None or applies_to not in AppliesTo.values:
        raise Http404
    found = (
        AssessmentList.objects.restrict(request.user, "change")
        .filter(division=division, applies_to=applies_to)
        .select_related("division")
        .first()
    )
    if found is None:
        raise Http404
    return found


@login_required
def list_manage(request, code: str, applies_to: str):
    """Keepers: edit the draft item by item, publish it with an effective date."""
    found = _keepers_list_or_404(request, code, applies_to)
    division = found.division
    draft = found.versions.filter(status="draft").first()
    item_form, publish_form = ItemForm(prefix="item"), PublishForm(prefix="pub")
    if request.method == "POST":
        try:
            draft = draft or services.draft_get_or_create(assessment_list=found, user=request.user)
            if "item-name" in request.POST:
                item_form = ItemForm(request.POST, prefix="item")
                if item_form.is_valid():
                    services.item_save(version=draft, data=item_form.cleaned_data, user=request.user)
                    messages.success(request, _("Saved to the draft."))
                    return redirect("assessments:manage", code, applies_to)
            elif "pub-effective_from" in request.POST:
                publish_form = PublishForm(request.POST, prefix="pub")
                if publish_form.is_valid():
                    services.version_publish(
                        version=draft,
                        effective_from=publish_form.cleaned_data["effective_from"],
                        note=publish_form.cleaned_data["note"],
                        user=request.user,
                    )
                    messages.success(request, _("Published."))
                    return redirect("assessments:list", code, applies_to)
        except ValidationError as exc:
            form_add_errors(item_form if "item-name" in request.POST else publish_form, exc)
    return render(
        request,
        "assessments/manage.html",
        {
            "division": division,
            "assessment_list": found,
            "draft": draft,
            "items": draft.items.all() if draft else [],
            "published": services.has_published(found),
            "item_form": item_form,
            "publish_form": publish_form,
        },
    )


# --- spreadsheet import (the shared checked import of versioned lists) ---------------------


@login_required
def list_import(request, code: str, applies_to: str):
    found = _keepers_list_or_404(request, code, applies_to)
    return list_views.upload(
        request,
        spec=spreadsheets.IMPORT,
        owner=found,
        back_url=reverse("assessments:manage", args=[code, applies_to]),
    )


def _manage_url(owner) -> str:
    return reverse("assessments:manage", args=[owner.division_id[:6], owner.applies_to])


@login_required
def import_job(request, pk: int):
    return list_views.job(request, spec=spreadsheets.IMPORT, pk=pk, back_url=_manage_url)


@login_required
@require_POST
def import_confirm(request, pk: int):
    return list_views.confirm(request, spec=spreadsheets.IMPORT, pk=pk)


# --- dynamic management: adding or cancelling an item of a published list ------------------


@login_required
def proposals(request, code: str, applies_to: str):
    """The list's change proposals (those in the user's jurisdiction), and the form to propose
    adding or cancelling an assessment; proposing on another county's list is a 404."""
    found = _list_or_404(request, code, applies_to)[1]
    can_propose = versioning.covers(request.user, found.division)
    if request.method == "POST" and not can_propose:
        raise Http404
    return listchange_views.proposals_page(
        request,
        procedure=services.PROCEDURE,
        owner=found,
        form_class=ProposalForm,
        list_url=found.get_absolute_url(),
        can_propose=can_propose,
    )


def _proposal_fields(proposal) -> list[tuple[str, str]]:
    data = proposal.item_data
    kind, frequency = data.get("kind", ""), data.get("frequency", "")
    return [
        (_("Kind"), AssessmentKind(kind).label if kind in AssessmentKind.values else kind),
        (_("Owner department"), data.get("owner", "")),
        (_("Frequency"), Frequency(frequency).label if frequency in Frequency.values else frequency),
        (_("What it measures"), data.get("measures", "")),
        (_("Basis"), data.get("basis", "") or (_("to be supplied") if data.get("basis_missing") else "")),
    ]


@login_required
def proposal(request, pk: int):
    return listchange_views.proposal_page(
        request,
        procedure=services.PROCEDURE,
        pk=pk,
        list_url=lambda owner: owner.get_absolute_url(),
        proposals_url=lambda owner: reverse(
            "assessments:proposals", args=[owner.division_id[:6], owner.applies_to]
        ),
        fields=_proposal_fields,
        version_url=lambda v: (
            reverse(
                "assessments:manage", args=[v.assessment_list.division_id[:6], v.assessment_list.applies_to]
            )
            if v.is_draft
            else v.assessment_list.get_absolute_url()
        ),
    )


def check(request):
    """Public: is this assessment on the county's list? One that is not is an unauthorised demand."""
    form = CheckForm(request.GET or None, initial={"division": DEMO_COUNTY})
    answer = None
    if form.is_valid():
        division = division_for_code(form.cleaned_data["division"] or DEMO_COUNTY)
        if division is None:
            form.add_error("division", _("No division has this code."))
        else:
            answer = selectors.listed_assessment(division, form.cleaned_data["q"])
    return render(request, "assessments/check.html", {"form": form, "answer": answer})


def results(request, code: str):
    """Public: the published results of a township's integrated assessments (or a village's township)."""
    division = division_for_code(code)
    if division is None or division.level not in (Level.TOWNSHIP, Level.VILLAGE):
        raise Http404
    rows = []
    for assessment in selectors.published_assessments(division):
        lines = selectors.results(assessment)
        if division.level == Level.VILLAGE:
            lines = [r for r in lines if r.village.pk == division.pk]
        rows.append((assessment, list(assessment.criteria.all()), lines))
    return render(request, "assessments/results.html", {"division": division, "rows": rows})


# --- public: the survey ------------------------------------------------------------------------


def _open_survey(pk: int) -> Survey:
    return get_object_or_404(Survey.objects.select_related("village", "assessment__township"), pk=pk)


@sensitive_post_parameters("phone")
def survey(request, pk: int):
    """Public, phone-first: the survey's questions, and a one-time code to the respondent's phone."""
    item = _open_survey(pk)
    form = PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token = services.survey_code_send(
                survey=item, phone=form.cleaned_data["phone"], address=_address(request)
            )
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            return redirect(f"{item.get_absolute_url()}answer/?t={token}")
    return render(
        request,
        "assessments/survey.html",
        {
            "survey": item,
            "form": form,
            "questions": item.assessment.questions.all(),
            "is_open": item.status == SurveyStatus.OPEN and item.closes_on >= timezone.localdate(),
            "console_sender": _console_sender(),
        },
    )


def _console_sender() -> bool:
    from django.conf import settings

    return getattr(settings, "ASSESSMENTS_SMS_SENDER", "assessments.sms.ConsoleSender").endswith(
        "ConsoleSender"
    )


@sensitive_post_parameters("code")
def survey_answer(request, pk: int):
    item = _open_survey(pk)
    token = (request.POST.get("t") or request.GET.get("t") or "")[:64]
    questions = list(item.assessment.questions.all())
    form = AnswerForm(request.POST or None)
    errors: dict[str, list[str]] = {}
    chosen = {q.pk: request.POST.get(f"q{q.pk}", "") for q in questions}
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_answer(
                survey=item,
                token=token,
                code=form.cleaned_data["code"],
                answers=chosen,
                address=_address(request),
            )
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            if "code" in errors:
                form.add_error("code", errors.pop("code"))
        else:
            return redirect("assessments:survey_thanks", item.pk)
    return render(
        request,
        "assessments/survey_answer.html",
        {
            "survey": item,
            "form": form,
            "token": token,
            "questions": [(q, chosen.get(q.pk, ""), errors.get(f"q{q.pk}", [])) for q in questions],
            "other_errors": errors.get("__all__", []),
            "scale": [
                (1, _("very dissatisfied")),
                (2, _("dissatisfied")),
                (3, _("neutral")),
                (4, _("satisfied")),
                (5, _("very satisfied")),
            ],
            "console_sender": _console_sender(),
        },
    )


def survey_thanks(request, pk: int):
    item = _open_survey(pk)
    return render(
        request, "assessments/survey_thanks.html", {"survey": item, "min_responses": services.MIN_RESPONSES}
    )


# --- staff: the township's integrated assessment -----------------------------------------------


def _plan(request, pk: int, action: str = "view") -> IntegratedAssessment:
    return get_object_or_404(
        IntegratedAssessment.objects.restrict(request.user, action).select_related("township", "county"),
        pk=pk,
    )


@login_required
def plans(request):
    qs = IntegratedAssessment.objects.restrict(request.user).select_related("township")
    form = None
    township = request.user.jurisdiction if request.user.role in TOWNSHIP_ROLES else None
    if township is not None and township.level == Level.TOWNSHIP:
        form = PlanForm(request.POST or None, initial={"year": timezone.localdate().year})
        if request.method == "POST" and form.is_valid():
            try:
                created = services.plan_create(
                    township=township,
                    year=form.cleaned_data["year"],
                    method=form.cleaned_data["method"],
                    user=request.user,
                )
            except ValidationError as exc:
                form_add_errors(form, exc)
            else:
                return redirect(created)
    return render(request, "assessments/plans.html", {"plans": qs, "form": form})


@login_required
def plan(request, pk: int):
    assessment = _plan(request, pk)
    can_change = IntegratedAssessment.objects.restrict(request.user, "change").filter(pk=pk).exists()
    can_review = IntegratedAssessment.objects.restrict(request.user, "review").filter(pk=pk).exists() and (
        request.user.is_superuser or request.user.role in COUNTY_REVIEWERS
    )
    opened = {s.village_id for s in assessment.surveys.all()}
    villages = Division.objects.filter(parent_id=assessment.township_id, level=Level.VILLAGE).order_by("code")
    return render(
        request,
        "assessments/plan.html",
        {
            "assessment": assessment,
            "criteria": assessment.criteria.all(),
            "questions": assessment.questions.all(),
            "decisions": assessment.decisions.select_related("decided_by"),
            "surveys": [
                (s, selectors.survey_figure(s)) for s in assessment.surveys.select_related("village")
            ],
            "results": selectors.results(assessment),
            "unsurveyed": [v for v in villages if v.pk not in opened],
            "can_change": can_change,
            "can_review": can_review and assessment.status == PlanStatus.SUBMITTED,
            "decision_form": DecisionForm(),
            "survey_form": SurveyOpenForm(initial={"closes_on": timezone.localdate() + timedelta(days=30)}),
            "min_responses": services.MIN_RESPONSES,
        },
    )


def _rows_from_post(request) -> list[dict]:
    post = request.POST
    rows = []
    # Up to one more row than a plan holds, so that too many are refused by the service, not cut here.
    for i in range(posted_count(request, "rows", maximum=services.MAX_CRITERIA + 1)):
        rows.append(
            {
                "name": post.get(f"name-{i}", ""),
                "measures": post.get(f"measures-{i}", ""),
                "weight": post.get(f"weight-{i}", ""),
                "is_satisfaction": post.get("satisfaction") == str(i),
            }
        )
    return rows


@login_required
def plan_criteria(request, pk: int):
    """The township sets method, criteria with weights and the survey's questions; trace criteria are warned."""
    assessment = _plan(request, pk, "change")
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        rows = _rows_from_post(request)
        method = request.POST.get("method", "")
        questions = request.POST.get("questions", "").splitlines()
        try:
            services.criteria_save(
                assessment=assessment, method=method, criteria=rows, questions=questions, user=request.user
            )
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"criteria": exc.messages}
        else:
            warned = [c for c in assessment.criteria.all() if c.warnings()]
            if warned:
                messages.warning(
                    request, _("Some criteria measure traces rather than results; see the warnings below.")
                )
            else:
                messages.success(request, _("Criteria saved."))
            return redirect(assessment)
        question_text = request.POST.get("questions", "")
    else:
        rows = list(assessment.criteria.values("name", "measures", "weight", "is_satisfaction"))
        method = assessment.method
        question_text = "\n".join(assessment.questions.values_list("text", flat=True))
    rows = rows + [{"name": "", "measures": "", "weight": "", "is_satisfaction": False}] * max(
        0, 8 - len(rows)
    )
    return render(
        request,
        "assessments/criteria.html",
        {
            "assessment": assessment,
            "rows": list(enumerate(rows)),
            "method": method,
            "questions": question_text,
            "errors": errors,
            "cues": CUES,
        },
    )


@login_required
def plan_scores(request, pk: int, village: str):
    assessment = _plan(request, pk, "change")
    target = get_object_or_404(Division, pk=village, parent_id=assessment.township_id, level=Level.VILLAGE)
    criteria = list(assessment.criteria.filter(is_satisfaction=False))
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        values = {c.pk: request.POST.get(f"score_{c.pk}", "") for c in criteria}
        try:
            services.scores_save(assessment=assessment, village=target, values=values, user=request.user)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        else:
            messages.success(request, _("Scores saved."))
            return redirect(assessment)
    current = {s.criterion_id: s.value for s in target_scores(criteria, target)}
    return render(
        request,
        "assessments/scores.html",
        {
            "assessment": assessment,
            "village": target,
            "rows": [
                (c, request.POST.get(f"score_{c.pk}", current.get(c.pk, "")), errors.get(f"score_{c.pk}", []))
                for c in criteria
            ],
            "other_errors": errors.get("__all__", []) + errors.get("scores", []),
        },
    )


def target_scores(criteria, village):
    from .models import Score

    return Score.objects.filter(criterion__in=criteria, village=village)


@login_required
@require_POST
def plan_action(request, pk: int, action: str):
    assessment = _plan(request, pk)
    try:
        if action == "submit":
            services.plan_submit(assessment=assessment, user=request.user)
            messages.success(request, _("Sent to the county for review."))
        elif action == "decide":
            form = DecisionForm(request.POST)
            services.plan_decide(
                assessment=assessment,
                outcome=request.POST.get("outcome", ""),
                reason=request.POST.get("reason", "") if form else "",
                user=request.user,
            )
            messages.success(request, _("Decision recorded."))
        elif action == "survey":
            village = get_object_or_404(Division, pk=request.POST.get("village", ""))
            try:
                closes_on = date.fromisoformat(request.POST.get("closes_on", ""))
            except ValueError:
                raise ValidationError({"closes_on": [_("Give the date as YYYY-MM-DD.")]}) from None
            services.survey_open(
                assessment=assessment, village=village, closes_on=closes_on, user=request.user
            )
            messages.success(request, _("The village's survey is open."))
        elif action == "publish":
            services.plan_publish(assessment=assessment, user=request.user)
            messages.success(request, _("Results published to the villages."))
        else:
            raise Http404
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    except PermissionDenied as exc:
        raise Http404 from exc
    return redirect(assessment)
