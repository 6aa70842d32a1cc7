"""Reading monitoring points and reports (every read scoped by ``restrict``)."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, QuerySet

from divisions.models import Division, Level
from institutions.models import Institution
from organisations.choices import Role

from .choices import HANDLING, Finding, ReportKind
from .models import BurdenReport, MonitorContact, MonitoringPoint, ReportRevision, is_handler


def points_of(user) -> QuerySet[Division]:
    """The villages that are ``user``'s monitoring points (as village divisions).

    For a monitor: the active points they are designated for — the only
    villages they may report about (or record an unplanned demand for). For
    the organisation department, provincial admins and auditors: the active
    points of their jurisdiction. Nobody else has points.
    """
    points = MonitoringPoint.objects.restrict(user).filter(active=True)
    return Division.objects.filter(level=Level.VILLAGE, pk__in=points.values("village_id")).order_by("code")


def point_list(user) -> QuerySet[MonitoringPoint]:
    return (
        MonitoringPoint.objects.restrict(user)
        .select_related("village", "county")
        .annotate(monitors=Count("assignments", filter=Q(assignments__active=True)))
        .order_by("village_id")
    )


def report_list(user) -> QuerySet[BurdenReport]:
    """The reports a user may read, with what a list shows in the same query."""
    return (
        BurdenReport.objects.restrict(user)
        .select_related("village", "institution", "decision")
        .order_by("-created", "-id")
    )


def reports_waiting(user) -> QuerySet[BurdenReport]:
    """Reports still in hand (waiting to be taken up, or taken up) for a handler, oldest deadline first."""
    if not (user.is_superuser or is_handler(user)):
        return BurdenReport.objects.none()
    return report_list(user).filter(status__in=HANDLING).order_by("due_on", "id")


def revisions_of(user, report: BurdenReport) -> list[dict]:
    """A report's edits by its reporter, each change with the field's name and the values before and after."""
    from django.utils.translation import gettext as _

    labels = {f.name: f.verbose_name for f in BurdenReport._meta.fields}
    kinds = dict(ReportKind.choices)
    words = {"yes": _("yes"), "no": _("no")}

    def shown(field: str, value: str) -> str:
        if field == "kind":
            return str(kinds.get(value, value))
        if field == "anonymous":
            return str(words.get(value, value))
        return value

    rows = []
    for revision in ReportRevision.objects.restrict(user).filter(report=report).order_by("created", "id"):
        rows.append(
            {
                "at": revision.created,
                "changes": [
                    {
                        "label": labels.get(c["field"], c["field"]),
                        "before": shown(c["field"], c["before"]),
                        "after": shown(c["field"], c["after"]),
                    }
                    for c in revision.changes
                ],
            }
        )
    return rows


def contacts_by_monitor(user, monitor_ids) -> dict[int, MonitorContact]:
    """The recorded contact details of these monitors that ``user`` may read (phones shown per ``phone_shown_to``)."""
    return {c.monitor_id: c for c in MonitorContact.objects.restrict(user).filter(monitor_id__in=monitor_ids)}


def substantiated_by_institution(
    county: Division | str, period_from: date, period_to: date
) -> QuerySet[Institution]:
    """The county's institutions by substantiated reports closed in the period (never who reported)."""
    county_id = county.pk if isinstance(county, Division) else county
    window = Q(
        burden_reports__decision__outcome=Finding.SUBSTANTIATED,
        burden_reports__decision__created__date__gte=period_from,
        burden_reports__decision__created__date__lte=period_to,
    )
    return (
        Institution.objects.filter(division_id=county_id)
        .annotate(
            substantiated=Count("burden_reports", filter=window, distinct=True),
            reported=Count("burden_reports", distinct=True),
            monitoring_notices=Count(
                "public_notices", filter=Q(public_notices__source="monitoring"), distinct=True
            ),
        )
        .filter(substantiated__gt=0)
        .order_by("-substantiated", "name")
    )


def substantiated_kinds(
    institution: Institution, period_from: date, period_to: date
) -> list[tuple[str, int]]:
    """What the institution's substantiated reports in the period were about, by kind."""
    from .choices import ReportKind

    rows = (
        BurdenReport.objects.filter(
            institution=institution,
            decision__outcome=Finding.SUBSTANTIATED,
            decision__created__date__gte=period_from,
            decision__created__date__lte=period_to,
        )
        .values("kind")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    return [(str(ReportKind(r["kind"]).label), r["n"]) for r in rows]


def monitors_of(county_id: str) -> QuerySet:
    from organisations.models import User

    return User.objects.filter(
        role=Role.MONITOR, is_active=True, organisation__division__code__startswith=county_id[:6]
    ).order_by("username")


def assessment_listing(report: BurdenReport):
    """For a reported assessment, ranking or one-vote veto: is it on the county's assessment items list?

    ``None`` for other kinds. An unlisted one is an unauthorised demand on the
    village (seed 004 task 13); the answer carries the rule to cite.
    """
    if report.kind != ReportKind.ASSESSMENT:
        return None
    from assessments.selectors import listed_assessment

    return listed_assessment(report.county, report.description, on=report.seen_on)
