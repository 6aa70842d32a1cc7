"""Pages of the burden account: the dashboard of a division, its live account, and the rows behind a figure."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache as shared_cache
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from divisions.models import Division, Level
from villageburden.charts import Chart, Series, chart_download
from villageburden.params import date_param

from . import dashboards, registry, selectors


def _division(request, code: str) -> Division:
    """A division inside the user's jurisdiction (township, county, prefecture, province or village); else 404."""
    return get_object_or_404(Division.objects.restrict(request.user), code=code)


@login_required
def home(request):
    """The dashboard of the user's own jurisdiction (a superuser: the first province)."""
    home = request.user.jurisdiction or Division.objects.filter(level=Level.PROVINCE).order_by("code").first()
    if home is None:
        raise Http404
    return _dashboard(request, home)


def _charts(board: dashboards.Dashboard) -> list[Chart]:
    charts = []
    if board.trend:
        charts.append(
            Chart(
                slug="burden-trend",
                title=_("Burden over time"),
                label_header=_("date"),
                labels=[d.isoformat() for d, _n, _h in board.trend],
                kind="line",
                series=[
                    Series(_("items"), [n for _d, n, _h in board.trend]),
                    Series(_("hours a year"), [h for _d, _n, h in board.trend], axis="y1"),
                ],
            )
        )
    recorded = [line for line in board.lines if line.recorded]
    if recorded:
        charts.append(
            Chart(
                slug="burden-lines",
                title=_("Burden by kind"),
                label_header=_("kind"),
                labels=[str(line.label) for line in recorded],
                series=[
                    Series(_("items"), [line.count or 0 for line in recorded]),
                    Series(_("hours a year"), [line.hours or 0 for line in recorded], axis="y1"),
                ],
            )
        )
    if board.division.level in (Level.COUNTY, Level.TOWNSHIP):
        statuses = [("pending", _("not started")), ("in_progress", _("in progress")), ("done", _("done")),
                    ("overdue", _("overdue"))]  # fmt: skip
        charts.append(
            Chart(
                slug="tasks-status",
                title=_("Village tasks by status"),
                label_header=_("status"),
                labels=[label for _k, label in statuses],
                series=[Series(_("tasks"), [board.figures.get(f"tasks:{k}", 0) for k, _l in statuses])],
            )
        )
    for prefix, slug, title, header in (
        ("approvals:age:", "approvals-age", _("Requests awaiting review or decision, by age"), _("days")),
        ("approvals:dept:", "approvals-dept", _("Requests awaiting review or decision, by department"),
         _("department")),
        ("push:", "pushers", _("Departments pushing most work to villages (tasks in force)"), _("department")),
        ("refusals:", "refusals", _("Institutions demanding refused certificates (past year)"), _("institution")),
    ):  # fmt: skip
        got = board.prefixed(prefix)
        if prefix == "approvals:age:":
            order = [label for _lo, _hi, label in _age_buckets()]
            got = sorted(got, key=lambda kv: order.index(kv[0]) if kv[0] in order else 99)
        if got or prefix == "approvals:age:":
            charts.append(
                Chart(
                    slug=slug,
                    title=title,
                    label_header=header,
                    labels=[k for k, _n in got],
                    series=[Series(_("count"), [n for _k, n in got])],
                )
            )
    return charts


def _age_buckets():
    from gate.burden_sources import AGE_BUCKETS

    return AGE_BUCKETS


def _children_chart(rows: list[dict], level: int) -> Chart:
    titles = {
        Level.VILLAGE: (_("Villages ranked by burden"), _("village")),
        Level.TOWNSHIP: (_("Townships ranked by burden"), _("township")),
        Level.COUNTY: (_("Counties side by side"), _("county")),
    }
    return Chart(
        slug="children",
        title=titles[level][0],
        label_header=titles[level][1],
        labels=[r["name"] for r in rows],
        series=[
            Series(_("hours a year"), [r["hours"] for r in rows]),
            Series(_("overdue tasks"), [r["overdue"] for r in rows], axis="y1"),
        ],
    )


@login_required
def dashboard(request, code: str):
    return _dashboard(request, _division(request, code))


# What the cached body is made from besides the summaries: a deploy that changes any of it starts new keys.
BODY_SOURCES = (
    "burden/templates/burden/_dashboard_body.html",
    "burden/templates/burden/_lines.html",
    "burden/templatetags/burden_tags.py",
    "burden/views.py",
    "burden/dashboards.py",
    "templates/includes/chart.html",
    "villageburden/charts.py",
)
BODY_SECONDS = 2 * 24 * 3600  # a key never goes stale (see dashboards.Kept); this only frees memory


@cache
def _body_version() -> str:
    digest = hashlib.sha256()
    for name in BODY_SOURCES:
        digest.update(Path(settings.BASE_DIR, name).read_bytes())
    return digest.hexdigest()[:16]


def _body_key(division: Division, state: dashboards.Kept, baseline) -> str:
    base = baseline.isoformat() if baseline else "-"
    return f"burden:dash:{_body_version()}:{get_language()}:{division.code}:{base}:{state.generation}"


def _board(
    division: Division, asked, state: dashboards.Kept
) -> tuple[dashboards.Dashboard, list, list[dict]]:
    """The figures, charts and ranked children of the page, from the summary tables."""
    board = dashboards.dashboard(division, asked, state=state)
    charts = _charts(board)
    children: list[dict] = []
    level = dashboards.CHILD_LEVEL.get(division.level)
    if board.on and level is not None:
        children = dashboards.children(division, board.on, board.baseline, level)
        charts.append(_children_chart(children[:30], level))
    return board, charts, children


def _dashboard(request, division: Division):
    asked = date_param(request, "baseline")
    state = dashboards.kept(division, asked)
    baseline = state.baseline_for(asked) if state.trend else None
    wanted = request.GET.get("download")
    if wanted:
        charts = _board(division, asked, state)[1]
        chart = next((c for c in charts if c.slug == wanted), None)
        if chart is None:
            raise Http404
        return chart_download(chart, request.GET.get("format", "csv"))
    # The body (account, ranking, charts with their tables) is the same for everyone who may see the
    # division: rendered once per summary generation, then read from the cache.
    key = _body_key(division, state, baseline)
    body = shared_cache.get(key)
    if body is None:
        board, charts, children = _board(division, asked, state)
        context = {
            "division": division,
            "board": board,
            "charts": charts,
            "children": children,
            "child_level": dashboards.CHILD_LEVEL.get(division.level),
            "levels": Level,
        }
        body = render_to_string("burden/_dashboard_body.html", context)
        shared_cache.set(key, body, BODY_SECONDS)
    county = division.level == Level.COUNTY
    user = request.user
    context = {
        "division": division,
        "body": mark_safe(body),  # rendered by our own template above, escaped there
        "on": state.dates[-1] if state.trend else None,
        "baseline": baseline,
        "computed": state.computed,
        "reports_url": f"{reverse('reports:index')}?county={division.code[:6]}" if county else "",
        "ledger_url": reverse("reports:ledger") if _may_ledger(user) else "",
    }
    return render(request, "burden/dashboard.html", context)


def _may_ledger(user) -> bool:
    from reports.ledger import may_download

    return may_download(user)


@login_required
def account(request, code: str):
    """The live account: any date, any baseline, computed from the records now."""
    division = _division(request, code)
    on = date_param(request, "on") or timezone.localdate()
    baseline = date_param(request, "baseline")
    result = selectors.account(division, on, baseline)
    return render(request, "burden/account.html", {"division": division, "account": result})


@login_required
def rows(request, code: str, key: str):
    """The rows behind one figure ("why is this 52%?"): at the date, at the baseline, added and removed."""
    division = _division(request, code)
    if key not in {line.key for line in registry.lines()}:
        raise Http404
    on = date_param(request, "on") or timezone.localdate()
    baseline = date_param(request, "baseline")
    drill = selectors.links_for(selectors.drilldown(division, key, on, baseline), request.user)
    context = {"division": division, "drill": drill, "on": on, "baseline": baseline}
    return render(request, "burden/rows.html", context)
