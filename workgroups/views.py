"""Pages of the registry of work groups and apps. Views collect input and show results; rules are in services.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from divisions.models import Division, Level
from spreadsheets import views as spreadsheets_views
from spreadsheets.reading import SpreadsheetError
from villageburden.charts import Chart, Series, chart_download
from villageburden.forms import form_add_errors

from . import selectors, services
from .choices import ChannelKind, ChannelStatus
from .forms import ChannelForm, DecisionForm
from .models import DECIDERS, REGISTRARS, ChannelImportJob, WorkChannel


def _county_of(user) -> Division | None:
    division = user.jurisdiction
    if division is None or division.level < Level.COUNTY:
        return None
    return Division.objects.get(pk=division.ancestor_at(Level.COUNTY))


def _chart(county: Division) -> Chart:
    rows = selectors.counts_by_township(county, timezone.localdate())
    return Chart(
        slug="work-groups-cleanup",
        title=_("Work groups and apps before and after the clean-up"),
        label_header=_("township / county"),
        labels=[r["name"] for r in rows],
        series=[
            Series(_("groups before"), [r["groups"][0] for r in rows]),
            Series(_("groups after"), [r["groups"][1] for r in rows]),
            Series(_("apps before"), [r["apps"][0] for r in rows]),
            Series(_("apps after"), [r["apps"][1] for r in rows]),
        ],
    )


@login_required
def index(request):
    user = request.user
    county = _county_of(user)
    chart = _chart(county) if county else None
    if chart and request.GET.get("download") == chart.slug:
        return chart_download(chart, request.GET.get("format", "csv"))
    qs = selectors.channels_visible_to(user)
    kind = request.GET.get("kind", "")
    if kind in ChannelKind.values:
        qs = qs.filter(kind=kind)
    status = request.GET.get("status", "")
    if status in ChannelStatus.values:
        qs = qs.filter(status=status)
    if request.GET.get("export") in ("csv", "xlsx"):
        from .spreadsheets import export_response

        return export_response(qs.prefetch_related("reach__village"), request.GET["export"])
    page = Paginator(qs.order_by("county_id", "name", "pk"), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "workgroups/index.html",
        {
            "page": page,
            "chart": chart,
            "kind": kind,
            "status": status,
            "kinds": ChannelKind.choices,
            "statuses": ChannelStatus.choices,
            "can_register": user.is_superuser or user.role in REGISTRARS,
        },
    )


@login_required
def new(request):
    user = request.user
    if not (user.is_superuser or user.role in REGISTRARS):
        raise PermissionDenied
    villages = services.registrable_villages(user).order_by("code")
    form = ChannelForm(request.POST or None, villages=villages)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        members = data.pop("members")
        data["villages"] = {v.pk: members for v in data["villages"]}
        try:
            channel = services.channel_register(user=user, data=data)
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, _("Registered."))
            return redirect(channel)
    return render(request, "workgroups/new.html", {"form": form})


def _channel(request, pk: int) -> WorkChannel:
    return get_object_or_404(selectors.channels_visible_to(request.user), pk=pk)


def _targets(channel: WorkChannel):
    others = WorkChannel.objects.filter(county=channel.county, kind=channel.kind).exclude(pk=channel.pk)
    return [(o.pk, o.name) for o in others.exclude(status__in=[ChannelStatus.MERGED, ChannelStatus.CLOSED])]


@login_required
def detail(request, pk: int):
    channel = _channel(request, pk)
    user = request.user
    can_decide = (user.is_superuser or user.role in DECIDERS) and channel.status not in (
        ChannelStatus.MERGED,
        ChannelStatus.CLOSED,
    )
    form = DecisionForm(request.POST or None, targets=_targets(channel))
    if request.method == "POST":
        if not can_decide:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            into = WorkChannel.objects.filter(pk=data["merge_into"]).first() if data["merge_into"] else None
            try:
                services.cleanup_decide(
                    user=user,
                    channel=channel,
                    outcome=data["outcome"],
                    reason=data["reason"],
                    effective_on=data["effective_on"],
                    merge_into=into,
                )
            except (ValidationError, PermissionDenied) as exc:
                if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
                    for field, errors in exc.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, getattr(exc, "messages", [str(exc)]))
            else:
                messages.success(request, _("Decision recorded."))
                return redirect(channel)
    return render(
        request,
        "workgroups/detail.html",
        {
            "channel": channel,
            "reach": channel.reach.select_related("village").order_by("village_id"),
            "decisions": channel.decisions.select_related("decided_by", "merge_into"),
            "form": form,
            "can_decide": can_decide,
        },
    )


# --- spreadsheets --------------------------------------------------------------------------


@login_required
def channels_import(request):

    from .spreadsheets import COLUMNS, import_job_create

    user = request.user
    county = _county_of(user)
    if county is None or not (user.is_superuser or user.role in REGISTRARS):
        raise PermissionDenied
    form, job = spreadsheets_views.upload_job(
        request,
        lambda file: import_job_create(county=county, upload=file, user=user),
        refusals=(SpreadsheetError, PermissionDenied),
    )
    if job is not None:
        return redirect("workgroups:import_job", pk=job.pk)
    jobs = ChannelImportJob.objects.restrict(user).filter(created_by=user)[:10]
    return render(request, "workgroups/import.html", {"form": form, "jobs": jobs, "columns": COLUMNS})


class _JobPage:
    namespace = "workgroups"
    job_model = ChannelImportJob
    own_only = True


class ImportJobView(_JobPage, spreadsheets_views.ImportJobView):
    nav_template = "workgroups/_nav.html"
    confirm_label = gettext_lazy("Confirm and register them")
    counts_changed = False

    def back_url(self, job) -> str:
        return reverse("workgroups:import")


class ImportConfirmView(_JobPage, spreadsheets_views.ImportConfirmView):
    refusals = (SpreadsheetError, PermissionDenied)

    def confirm(self, job) -> None:
        from .spreadsheets import import_job_confirm

        import_job_confirm(job=job, user=self.request.user)


import_job = ImportJobView.as_view()
import_confirm = ImportConfirmView.as_view()
