"""Browser pages of the gate: file and follow requests, review and decide, township tasks.

Every queryset goes through ``restrict(user, action)``; every change is a service
call (the services re-check role, jurisdiction, state and version).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from divisions.models import Division, Level
from organisations.choices import Role
from villageburden.params import code_param, int_param, posted_id
from villageburden.uploads import content_type_for

from . import selectors, services
from .choices import EDITABLE_STATUSES, RequestStatus, ScopeKind, TaskStatus
from .exceptions import GateError
from .forms import (
    AccessRequestForm,
    DecideForm,
    DispatchForm,
    ItemDispatchForm,
    ProgressForm,
    ReasonForm,
    ReviewForm,
)
from .models import SUBMITTERS, AccessRequest, Attachment, VillageTask
from .screening import screen_draft


def _counties(user):
    return Division.objects.restrict(user).filter(level=Level.COUNTY).order_by("code")


def _requests(user):
    return AccessRequest.objects.restrict(user).select_related("division", "organisation")


def _error_text(exc: GateError) -> str:
    text = str(exc.message)
    fields = exc.details.get("fields")
    if fields:
        text += " " + "；".join(f"{k}: {v}" for k, v in fields.items())
    return text


def _service_post(view: Callable) -> Callable:
    """POST views: a refused service call becomes a message on the request's page, no rows written."""

    @wraps(view)
    def wrapper(request, pk, *args, **kwargs):
        try:
            return view(request, pk, *args, **kwargs)
        except GateError as exc:
            services.refusal_record(user=request.user, action=view.__name__, request_id=pk, error=exc)
            messages.error(request, _error_text(exc))
        except ObjectDoesNotExist:
            raise Http404 from None
        return redirect("gate:detail", pk=pk)

    return require_POST(login_required(wrapper))


# --- lists ---------------------------------------------------------------------------------


@login_required
def index(request):
    user = request.user
    qs = _requests(user)
    queue = selectors.queue_for(user)
    status = request.GET.get("status", "")
    if status in RequestStatus.values:
        qs = qs.filter(status=status)
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(number__icontains=q))
    page = Paginator(qs.order_by("-updated", "-id"), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "gate/index.html",
        {
            "page": page,
            "queue": queue,
            "status": status,
            "q": q,
            "statuses": RequestStatus.choices,
            "can_file": user.is_superuser or user.role in SUBMITTERS,
        },
    )


# --- filing ---------------------------------------------------------------------------------


def _save_attachment(user, req: AccessRequest, upload) -> None:
    if upload:
        services.access_request_attach(user=user, request_id=req.pk, upload=upload)


@login_required
def create(request):
    user = request.user
    if not (user.is_superuser or user.role in SUBMITTERS):
        messages.error(request, _("Only department submitters file access requests."))
        return redirect("gate:index")
    counties = _counties(user)
    form = AccessRequestForm(request.POST or None, request.FILES or None, counties=counties)
    if request.method == "POST" and form.is_valid():
        data, scope = form.service_data()
        try:
            req = services.access_request_create(
                user=user, county=form.cleaned_data["division"], data=data, scope=scope
            )
            _save_attachment(user, req, form.cleaned_data.get("attachment"))
            if "submit" in request.POST:
                req = services.access_request_submit(user=user, request_id=req.pk)
                _submitted_message(request, req)
            else:
                messages.success(request, _("Draft %(number)s saved.") % {"number": req.number})
            return redirect("gate:detail", pk=req.pk)
        except GateError as exc:
            messages.error(request, _error_text(exc))
    return render(request, "gate/form.html", {"form": form, "req": None})


def _submitted_message(request, req: AccessRequest) -> None:
    if req.status == RequestStatus.BLOCKED:
        messages.error(
            request,
            _(
                "Blocked: the village would be the responsible subject of a negative-list matter. "
                "It cannot be approved; see the clause below."
            ),
        )
    else:
        messages.success(request, _("%(number)s submitted for joint review.") % {"number": req.number})


@login_required
def edit(request, pk):
    user = request.user
    req = get_object_or_404(_requests(user), pk=pk)
    if req.status not in EDITABLE_STATUSES or not AccessRequest.objects.restrict(user, "change").filter(
        pk=pk
    ):
        messages.error(request, _("This request cannot be edited."))
        return redirect("gate:detail", pk=pk)
    initial = {f: getattr(req, f) for f in services.EDITABLE_FIELDS}
    initial["division"] = req.division
    scope = list(req.scope_divisions.all())
    initial["townships"] = [d for d in scope if d.level == Level.TOWNSHIP]
    initial["villages"] = [d for d in scope if d.level == Level.VILLAGE]
    form = AccessRequestForm(
        request.POST or None,
        request.FILES or None,
        counties=_counties(user).filter(pk=req.division_id),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data, scope = form.service_data()
        try:
            req = services.access_request_update(
                user=user,
                request_id=pk,
                data=data,
                scope=scope,
                expected_version=posted_id(request, "version")
                if request.POST.get("version")
                else req.version,
            )
            _save_attachment(user, req, form.cleaned_data.get("attachment"))
            if "submit" in request.POST:
                req = services.access_request_submit(user=user, request_id=req.pk)
                _submitted_message(request, req)
            else:
                messages.success(request, _("Draft %(number)s saved.") % {"number": req.number})
            return redirect("gate:detail", pk=req.pk)
        except GateError as exc:
            messages.error(request, _error_text(exc))
    return render(request, "gate/form.html", {"form": form, "req": req})


# The most divisions a live preview reads from the form (a county has fewer townships or villages).
MAX_SCOPE_CODES = {"townships": 200, "villages": 5000}


@login_required
@require_POST
def screen_preview(request):
    """Live screening of the form as it is typed (htmx)."""
    county = _counties(request.user).filter(pk=request.POST.get("division")).first()
    title = request.POST.get("title", "").strip()
    description = request.POST.get("description", "").strip()
    if county is None or not (title or description):
        return render(request, "gate/_screening.html", {"result": None})
    # The scope as the form has it now: a community's request is screened against the community list.
    scope_kind = request.POST.get("scope_kind", "county")
    most = MAX_SCOPE_CODES.get(scope_kind, 0)
    chosen = request.POST.getlist(scope_kind)[:most] if most else []
    result = screen_draft(
        county=county,
        title=title,
        description=description,
        village_role=request.POST.get("village_role") or "assist",
        materials=request.POST.get("materials", ""),
        legal_basis=request.POST.get("legal_basis", ""),
        scope_kind=scope_kind,
        scope_codes=[c for c in chosen if c.isascii() and c.isdigit()],
    )
    return render(request, "gate/_screening.html", {"result": result.as_dict(), "live": True, "title": title})


# --- one request ------------------------------------------------------------------------------


@login_required
def detail(request, pk):
    user = request.user
    req = get_object_or_404(_requests(user).prefetch_related("scope_divisions", "attachments"), pk=pk)
    opinions = req.opinions.select_related("reviewer", "organisation").order_by("-round", "created")
    decisions = req.decisions.select_related("decided_by").order_by("-round")
    current = [o for o in opinions if o.round == req.round]
    can = selectors.allowed_actions(user, req, current)
    context = {
        "req": req,
        "opinions": opinions,
        "current_opinions": current,
        "decisions": decisions,
        "can": can,
        "review_form": ReviewForm(initial={"version": req.version}),
        "decide_form": DecideForm(initial={"version": req.version, "valid_until": req.ends_on}),
        "reason_form": ReasonForm(initial={"version": req.version}),
        "dispatch_form": DispatchForm(initial={"version": req.version, "due_on": req.approved_until}),
        "task_summary": selectors.task_summary(user, req),
        "scope": list(req.scope_divisions.all()) if req.scope_kind != ScopeKind.COUNTY else [],
    }
    return render(request, "gate/detail.html", context)


@_service_post
def submit(request, pk):
    req = services.access_request_submit(user=request.user, request_id=pk, expected_version=_version(request))
    _submitted_message(request, req)
    return redirect("gate:detail", pk=pk)


def _version(request) -> int | None:
    raw = request.POST.get("version")
    return int(raw) if raw and raw.isdigit() else None


@_service_post
def review(request, pk):
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give an opinion and a reason."))
        return redirect("gate:detail", pk=pk)
    d = form.cleaned_data
    services.access_request_review(
        user=request.user,
        request_id=pk,
        opinion=d["opinion"],
        reason=d["reason"],
        conditions=d["conditions"],
        expected_version=d["version"],
    )
    messages.success(request, _("Your opinion was recorded."))
    return redirect("gate:detail", pk=pk)


@_service_post
def decide(request, pk):
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision and give a reason."))
        return redirect("gate:detail", pk=pk)
    d = form.cleaned_data
    services.access_request_decide(
        user=request.user,
        request_id=pk,
        outcome=d["outcome"],
        reason=d["reason"],
        valid_until=d["valid_until"],
        expected_version=d["version"],
    )
    messages.success(request, _("The decision was recorded."))
    return redirect("gate:detail", pk=pk)


@_service_post
def withdraw(request, pk):
    form = ReasonForm(request.POST)
    form.is_valid()
    services.access_request_withdraw(
        user=request.user,
        request_id=pk,
        reason=form.cleaned_data.get("reason", ""),
        expected_version=form.cleaned_data.get("version"),
    )
    messages.success(request, _("The request was withdrawn."))
    return redirect("gate:detail", pk=pk)


@_service_post
def dispatch(request, pk):
    form = DispatchForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a valid due date."))
        return redirect("gate:detail", pk=pk)
    result = services.access_request_dispatch(
        user=request.user,
        request_id=pk,
        due_on=form.cleaned_data["due_on"],
        expected_version=form.cleaned_data["version"],
    )
    messages.success(
        request,
        _("%(created)s village tasks created (%(already)s villages already had it).")
        % {"created": result.created, "already": result.already},
    )
    return redirect("gate:progress", pk=pk)


@_service_post
def renew(request, pk):
    new = services.access_request_renew(user=request.user, request_id=pk)
    messages.success(
        request, _("Renewal draft %(number)s created; check it and submit.") % {"number": new.number}
    )
    return redirect("gate:edit", pk=new.pk)


@_service_post
def propose_listing(request, pk):
    form = ReasonForm(request.POST)
    form.is_valid()
    services.access_request_propose_listing(
        user=request.user, request_id=pk, reason=form.cleaned_data.get("reason", "")
    )
    messages.success(request, _("Proposed for the county's assist list (dynamic management)."))
    return redirect("gate:detail", pk=pk)


@login_required
def attachment(request, pk):
    """An attachment, only for those who may see its request (media files are not served publicly)."""
    att = get_object_or_404(Attachment.objects.restrict(request.user).select_related("request"), pk=pk)
    response = FileResponse(
        att.file.open("rb"), as_attachment=True, filename=att.name, content_type=content_type_for(att.name)
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- progress and tasks ------------------------------------------------------------------------


@login_required
def progress(request, pk):
    """The department's view of one request across its villages."""
    req = get_object_or_404(_requests(request.user), pk=pk)
    tasks = VillageTask.objects.restrict(request.user).filter(access_request=req)
    rows = selectors.progress_by_township(tasks)
    chart = {
        "labels": [r["name"] for r in rows],
        "series": [
            {"key": s, "label": str(TaskStatus(s).label), "data": [r[s] for r in rows]}
            for s in (TaskStatus.DONE, TaskStatus.IN_PROGRESS, TaskStatus.PENDING)
        ],
    }
    overdue = tasks.filter(due_on__lt=timezone.localdate()).exclude(status=TaskStatus.DONE).count()
    return render(
        request,
        "gate/progress.html",
        {"req": req, "rows": rows, "chart": chart, "total": tasks.count(), "overdue": overdue},
    )


@login_required
def tasks(request):
    """The township workbench: every task that reached the user's villages."""
    user = request.user
    qs = VillageTask.objects.restrict(user).select_related(
        "village", "access_request", "catalogue_item", "organisation"
    )
    status = request.GET.get("status", "")
    if status in TaskStatus.values:
        qs = qs.filter(status=status)
    village = code_param(request, "village")
    if village:
        qs = qs.filter(village_id=village)
    from_request = int_param(request, "request")
    if from_request is not None:
        qs = qs.filter(access_request_id=from_request)
    villages = Division.objects.restrict(user).filter(level=Level.VILLAGE).order_by("code")[:500]
    page = Paginator(qs.order_by("due_on", "village_id", "id"), 50).get_page(request.GET.get("page"))
    can_update = user.role == Role.TOWNSHIP_STAFF
    return render(
        request,
        "gate/tasks.html",
        {
            "page": page,
            "status": status,
            "village": village,
            "from_request": from_request,
            "villages": villages,
            "statuses": TaskStatus.choices,
            "can_update": can_update,
            "today": timezone.localdate(),
        },
    )


@login_required
def task_detail(request, pk):
    """One village task with everything the village is asked to do (read-only for the township)."""
    task = selectors.task_for(request.user, pk)
    if task is None:
        raise Http404
    can_update = request.user.role == Role.TOWNSHIP_STAFF and task.status != TaskStatus.CANCELLED
    return render(
        request,
        "gate/task_detail.html",
        {
            "t": task,
            "req": task.access_request,
            "item": task.catalogue_item,
            "attachments": list(task.access_request.attachments.all()) if task.access_request_id else [],
            "request_visible": bool(
                task.access_request_id and _requests(request.user).filter(pk=task.access_request_id).exists()
            ),
            "can_update": can_update,
            "today": timezone.localdate(),
        },
    )


def _field_errors(exc: GateError) -> dict[str, str]:
    field = exc.details.get("field")
    return {field: str(exc.message)} if field else {"form": _error_text(exc)}


@login_required
@require_POST
def task_progress(request, pk):
    """Inline progress update: on any error the row keeps what was typed, with a message per field."""
    form = ProgressForm(request.POST)
    task = get_object_or_404(VillageTask.objects.restrict(request.user), pk=pk)
    errors: dict[str, str] = {}
    if form.is_valid():
        d = form.cleaned_data
        try:
            task = services.village_task_progress(
                user=request.user,
                task_id=pk,
                status=d["status"],
                progress=d["progress"],
                note=d["note"],
                expected_version=d["version"],
            )
        except GateError as exc:
            errors = _field_errors(exc)
        except ObjectDoesNotExist:
            raise Http404 from None
    else:
        errors = {
            ("form" if field == "__all__" else field): " ".join(str(m) for m in msgs)
            for field, msgs in form.errors.items()
        }
    task = selectors.task_for(request.user, task.pk)
    if request.htmx:
        return render(
            request,
            "gate/_task_row.html",
            {
                "t": task,
                "can_update": True,
                "errors": errors,
                # What was typed stays in the row when it was refused.
                "typed": request.POST if errors else None,
                "saved": not errors,
                "today": timezone.localdate(),
            },
        )
    for message in errors.values():
        messages.error(request, message)
    if not errors:
        messages.success(request, _("Saved."))
    return (
        redirect("gate:task_detail", pk=pk)
        if request.POST.get("from") == "detail"
        else redirect("gate:tasks")
    )


@login_required
def item_dispatch(request):
    """Send work under an active autonomy or assist item: no new approval needed."""
    user = request.user
    county = _counties(user).first()
    if county is None or not (user.is_superuser or user.role in SUBMITTERS | {Role.COUNTY_APPROVER}):
        raise Http404
    items = selectors.dispatchable_items(county)
    # From a screening that found the item (清单之内必执行): the item and title filled in.
    initial = {
        "item": items.filter(code=request.GET.get("item", "")).first(),
        "title": request.GET.get("title", ""),
    }
    form = ItemDispatchForm(request.POST or None, items=items, county=county, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            result = services.catalogue_item_dispatch(
                user=user,
                item_id=d["item"].pk,
                county=county,
                title=d["title"],
                due_on=d["due_on"],
                townships=list(d["townships"]),
            )
            messages.success(
                request,
                _("%(created)s village tasks created under %(code)s.")
                % {"created": result.created, "code": d["item"].code},
            )
            return redirect("gate:tasks")
        except GateError as exc:
            messages.error(request, _error_text(exc))
    return render(request, "gate/item_dispatch.html", {"form": form, "county": county})


# --- public -----------------------------------------------------------------------------------


def public(request, code):
    """A county's decided requests and their reasons, for everyone (no login)."""
    county = get_object_or_404(Division, pk=code.ljust(12, "0"), level=Level.COUNTY)
    rows = selectors.public_decisions(county)
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    return render(request, "gate/public.html", {"county": county, "page": page})
