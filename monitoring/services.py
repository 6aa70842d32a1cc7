"""Every change to monitoring points and burden reports goes through here, audited.

The contract (as in ``gate.services``): each function is one transaction that
checks the user's role and jurisdiction inside it, locks what it changes,
checks its state, writes the change and an audit event together, and queues
notifications in the shared outbox (e-mail goes after commit).

- The county's organisation department designates villages as monitoring
  points and users with the ``monitor`` role as their monitors (seed 004 §2(5)).
- A monitor reports a burden seen at one of their points, naming the
  institution (the shared register, ``institutions.services.institution_for``)
  with photos and files as evidence; the report goes to the organisation
  department, due in ``HANDLE_WORKING_DAYS`` working days.
- The department closes it with a finding, a reason and the correction made
  (``villageburden.decisions``); the reporter is told the outcome.
- Overdue reports are reminded before and escalated after the deadline
  (``villageburden.deadlines.deadline_notify``), swept by Celery beat.
- An institution with repeated substantiated reports can be given a public
  notice (通报) on the institutions' shared notice page.
- Until the department takes a report up (``report_take_up``, or closing it),
  its reporter may edit it (each edit kept as a revision the department
  reads) or withdraw it with a reason; after that both are refused in words.
- Monitors' names and mobile numbers are recorded by the department
  (``monitor_contact_record``), the number encrypted with a keyed hash and a
  masked form (``MonitorContact``); spreadsheets of points and monitors go
  through ``monitoring.spreadsheets``.

Nothing written here for an institution's eyes (audit summaries, notices)
names the reporter.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit.services import record_event
from divisions.models import Division, Level
from institutions.choices import NoticeSource
from institutions.models import Institution, Notice
from institutions.notices import notice_issue
from institutions.services import institution_for
from notifications.services import notify
from organisations.choices import Role
from villageburden.deadlines import deadline_notify
from villageburden.decisions import clean_reason
from villageburden.sources import cite
from villageburden.uploads import attachment_check, photo_clean
from villageburden.workdays import add_working_days

from .choices import HANDLING, EvidenceKind, Finding, NotificationKind, ReportKind, ReportStatus
from .models import (
    BurdenReport,
    Evidence,
    MonitorAssignment,
    MonitorContact,
    MonitoringPoint,
    ReportDecision,
    ReportRevision,
    is_handler,
)

if TYPE_CHECKING:
    from organisations.models import User

# No seed sets a time limit for handling a report: ten working days is the
# registry's default (the gate's review takes five, a plaque correction ten).
HANDLE_WORKING_DAYS = 10
# "Repeated" substantiated reports (issue 10: 通报 for repeated ones): at least two in the period.
NOTICE_THRESHOLD = 2
MAX_EVIDENCE = 6
TEXT_LIMITS = {"description": 2000, "asked": 2000, "visitors": 200, "form_name": 200, "correction": 2000}


def _county_of(village: Division) -> Division:
    return Division.objects.get(pk=village.ancestor_at(Level.COUNTY))


def _require_handler(user: User, county: Division) -> None:
    ok = user.is_superuser or (
        is_handler(user) and user.organisation is not None and user.organisation.division_id == county.pk
    )
    if not ok:
        raise PermissionDenied(_("Only the county's organisation department handles burden reports."))


def handlers_of(county_id: str):
    from organisations.models import User as UserModel

    from .models import HANDLER_ROLES

    return UserModel.objects.filter(
        role__in=HANDLER_ROLES,
        organisation__kind="organisation_dept",
        organisation__division_id=county_id,
        is_active=True,
    )


def approvers_of(county_id: str):
    from organisations.models import User as UserModel

    return UserModel.objects.filter(
        role=Role.COUNTY_APPROVER, organisation__division_id=county_id, is_active=True
    )


# --- points and monitors ----------------------------------------------------------------


@transaction.atomic
def point_designate(*, user: User, village: Division | str, note: str = "") -> MonitoringPoint:
    """Make a village a monitoring point (or re-activate it)."""
    code = village.pk if isinstance(village, Division) else str(village or "")
    found = Division.objects.filter(pk=code, level=Level.VILLAGE).first()
    if found is None:
        raise ValidationError({"village": [_("Choose a village.")]})
    county = _county_of(found)
    _require_handler(user, county)
    point = MonitoringPoint.objects.select_for_update().filter(village=found).first()
    if point is None:
        point = MonitoringPoint.objects.create(
            village=found, county=county, designated_by=user, note=note[:200]
        )
    elif not point.active:
        point.active = True
        point.note = note[:200] or point.note
        point.save(update_fields=["active", "note", "updated"])
    elif note and note[:200] != point.note:
        point.note = note[:200]
        point.save(update_fields=["note", "updated"])
        record_event(user, "monitoring.point.note", obj=point, division=found.pk, summary=point.note)
        return point
    else:
        return point
    record_event(user, "monitoring.point.designate", obj=point, division=found.pk, summary=found.name)
    return point


@transaction.atomic
def point_end(*, user: User, point_id: int) -> MonitoringPoint:
    """The village is no longer a monitoring point (its reports stay)."""
    point = MonitoringPoint.objects.select_for_update().get(pk=point_id)
    _require_handler(user, Division.objects.get(pk=point.county_id))
    if point.active:
        point.active = False
        point.save(update_fields=["active", "updated"])
        record_event(user, "monitoring.point.end", obj=point, division=point.village_id)
    return point


@transaction.atomic
def monitor_assign(*, user: User, point_id: int, monitor: User) -> MonitorAssignment:
    """Designate a user with the monitor role for a point of the county."""
    point = MonitoringPoint.objects.select_for_update().get(pk=point_id)
    _require_handler(user, Division.objects.get(pk=point.county_id))
    prefix = monitor.jurisdiction_prefix if monitor.organisation_id else ""
    if monitor.role != Role.MONITOR or not monitor.is_active:
        raise ValidationError({"monitor": [_("Only an active user with the monitor role can be a monitor.")]})
    if not prefix or not point.county_id.startswith(prefix[:6]):
        raise ValidationError({"monitor": [_("The monitor must belong to an organisation of this county.")]})
    assignment, created = MonitorAssignment.objects.get_or_create(
        point=point, monitor=monitor, defaults={"designated_by": user}
    )
    if not created and assignment.active:
        return assignment
    if not created:
        assignment.active = True
        assignment.save(update_fields=["active", "updated"])
    record_event(
        user, "monitoring.monitor.assign", obj=point, division=point.village_id, summary=monitor.username
    )
    return assignment


@transaction.atomic
def monitor_unassign(*, user: User, assignment_id: int) -> MonitorAssignment:
    assignment = MonitorAssignment.objects.select_for_update().select_related("point").get(pk=assignment_id)
    _require_handler(user, Division.objects.get(pk=assignment.point.county_id))
    if assignment.active:
        assignment.active = False
        assignment.save(update_fields=["active", "updated"])
        record_event(
            user, "monitoring.monitor.unassign", obj=assignment.point, division=assignment.point.village_id
        )
    return assignment


# --- monitors' contact details ------------------------------------------------------------

CONTACT_NAME_LIMIT = 60


def contact_clean(*, name: str, phone: str | None) -> tuple[str, str]:
    """A monitor's name and 11-digit mobile number, checked (Chinese errors by field, nothing written).

    ``phone=None`` checks the name only (a spreadsheet's masked number stands for the one recorded).
    """
    from villageburden.personaldata import phone_validate as validate

    errors: dict[str, list[str]] = {}
    name = " ".join((name or "").split())
    if not name:
        errors["name"] = [_("Give the monitor's name.")]
    elif len(name) > CONTACT_NAME_LIMIT:
        errors["name"] = [_("At most %(limit)s characters.") % {"limit": CONTACT_NAME_LIMIT}]
    if phone is not None:
        try:
            phone = validate(phone)
        except ValidationError as exc:
            errors["phone"] = exc.messages
    if errors:
        raise ValidationError(errors)
    return name, phone or ""


def county_of_monitor(monitor: User) -> str:
    division = monitor.jurisdiction
    return (
        division.ancestor_at(Level.COUNTY) if division is not None and division.level >= Level.COUNTY else ""
    )


@transaction.atomic
def monitor_contact_record(*, user: User, monitor: User, name: str, phone: str) -> MonitorContact:
    """The department records a monitor's name and mobile number (kept encrypted; audited without the number)."""
    from villageburden.personaldata import encrypt, mask_phone, phone_hash

    if monitor.role != Role.MONITOR:
        raise ValidationError({"monitor": [_("Only an active user with the monitor role can be a monitor.")]})
    county_id = county_of_monitor(monitor)
    if not county_id:
        raise ValidationError({"monitor": [_("The monitor must belong to an organisation of this county.")]})
    _require_handler(user, Division.objects.get(pk=county_id))
    name, phone = contact_clean(name=name, phone=phone)
    digest = phone_hash(phone)
    contact = MonitorContact.objects.select_for_update().filter(monitor=monitor).first()
    if contact is not None and contact.name == name and contact.phone_hash == digest:
        return contact
    if contact is None:
        contact = MonitorContact(monitor=monitor)
    contact.county_id = county_id
    contact.name = name
    contact.phone_hash = digest
    contact.phone_encrypted = encrypt(phone)
    contact.phone_masked = mask_phone(phone)
    contact.save()
    # The audit names the account, never the number.
    record_event(
        user, "monitoring.monitor.contact", obj=contact, division=county_id, summary=monitor.username
    )
    return contact


# --- reports ---------------------------------------------------------------------------


def report_clean(data: dict[str, Any]) -> dict[str, Any]:
    """Check a report's fields; a ValidationError names each field in words (nothing is written)."""
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = {}
    kind = data.get("kind") or ""
    if kind not in ReportKind.values:
        errors["kind"] = [_("Choose what was placed on the village.")]
    for field in ("description", "asked", "visitors", "form_name"):
        limit = TEXT_LIMITS[field]
        value = (
            " ".join(str(data.get(field) or "").split())
            if field != "description"
            else str(data.get(field) or "").strip()
        )
        if len(value) > limit:
            errors[field] = [_("At most %(limit)s characters.") % {"limit": limit}]
        out[field] = value
    if not out["description"]:
        errors["description"] = [_("Say what was demanded of the village.")]
    seen_on = data.get("seen_on")
    if not isinstance(seen_on, date):
        errors["seen_on"] = [_("Give the date it happened.")]
    elif seen_on > timezone.localdate():
        errors["seen_on"] = [_("The date cannot be in the future.")]
    out["seen_on"] = seen_on
    hours = data.get("hours")
    if hours not in (None, ""):
        try:
            hours = Decimal(str(hours))
        except ArithmeticError:
            hours = None
            errors["hours"] = [_("Give the hours as a number.")]
        else:
            if not hours.is_finite() or hours <= 0 or hours > 9999:
                errors["hours"] = [_("Give the hours as a number between 0.1 and 9999.")]
    out["hours"] = hours or None
    count = data.get("visitor_count")
    out["visitor_count"] = count if count not in ("", None) else None
    if kind == ReportKind.INSPECTION:
        # 迎检: who came, when, how many people, what was asked (issue 10).
        if not out["visitors"]:
            errors["visitors"] = [_("Say who came (the inspecting institution or group).")]
        if not out["visitor_count"] or out["visitor_count"] < 1:
            errors["visitor_count"] = [_("Say how many people came.")]
        if not out["asked"]:
            errors["asked"] = [_("Say what the visitors asked the village for.")]
    if kind == ReportKind.UNPLANNED_FORM and not out["form_name"]:
        errors["form_name"] = [_("Give the form's name.")]
    if errors:
        raise ValidationError(errors)
    out["kind"] = kind
    out["anonymous"] = bool(data.get("anonymous", True))
    return out


def _evidence_prepare(photos: list, files: list) -> list[tuple[str, Any, str, str]]:
    """Check every upload before anything is written: (kind, content, name, content type)."""
    if len(photos) + len(files) > MAX_EVIDENCE:
        raise ValidationError({"photos": [_("At most %(n)s photos and files.") % {"n": MAX_EVIDENCE}]})
    prepared: list[tuple[str, Any, str, str]] = []
    for upload in photos:
        stored = photo_clean(upload, field="photos")
        prepared.append((EvidenceKind.PHOTO, stored, str(stored.name), "image/jpeg"))
    for upload in files:
        content_type = attachment_check(upload, field="files")
        prepared.append((EvidenceKind.FILE, upload, PurePath(upload.name).name[:200], content_type))
    return prepared


def unplanned_form_record(*, report: BurdenReport) -> None:
    """An unplanned form reported by a monitor is also an unplanned demand in the forms plan.

    The forms plan counts unplanned demands against the demanding institution
    (its ``forms_unplanned`` line of the burden account); this app's own line
    leaves unplanned forms out, so each is counted once. The demand records the
    monitor as its recorder, which the forms plan never shows to institutions.
    """
    from formsplan.services import unplanned_demand_record

    unplanned_demand_record(
        user=report.reporter,
        village=report.village,
        form_name=(report.form_name or report.description)[:120],
        institution_name=report.institution.name,
        demanded_on=report.seen_on,
        note=_("Reported by a monitor (report %(pk)s).") % {"pk": report.pk},
        source_key=_demand_key(report),
    )


# The reason the forms plan records when a report's demand goes with it (zh in the migration too).
DEMAND_WITHDRAWN = gettext_noop("The monitoring report it came from was withdrawn by its reporter.")


def _demand_key(report: BurdenReport) -> str:
    """How the forms plan knows the demand it recorded for this report."""
    return f"monitoring.report:{report.pk}"


@transaction.atomic
def report_file(
    *,
    user: User,
    village: Division | str,
    data: dict[str, Any],
    institution_name: str,
    photos: list | None = None,
    files: list | None = None,
) -> BurdenReport:
    """A monitor reports a burden seen at one of their points; it goes to the organisation department."""
    from .selectors import points_of

    code = village.pk if isinstance(village, Division) else str(village or "")
    if user.role != Role.MONITOR and not user.is_superuser:
        raise PermissionDenied(_("Only monitors file burden reports."))
    found = points_of(user).filter(pk=code).first()
    if found is None:
        raise ValidationError({"village": [_("This village is not one of your monitoring points.")]})
    clean = report_clean(data)
    county = _county_of(found)
    institution = institution_for(county=county, name=institution_name, field="institution_name")
    prepared = _evidence_prepare(list(photos or []), list(files or []))
    today = timezone.localdate()
    report = BurdenReport.objects.create(
        village=found,
        county=county,
        institution=institution,
        reporter=user,
        due_on=add_working_days(today, HANDLE_WORKING_DAYS),
        **clean,
    )
    for kind, content, name, content_type in prepared:
        ev = Evidence(report=report, kind=kind, name=name, content_type=content_type)
        ev.file.save(name, content, save=False)
        ev.save()
    record_event(
        user,
        "monitoring.report.file",
        obj=report,
        division=found.pk,
        # The institution and kind only: the audit feed is no place to name a reporter to an institution.
        summary=f"{report.get_kind_display()} · {institution.name}",
        publish=False,
    )
    if report.kind == ReportKind.UNPLANNED_FORM:
        unplanned_form_record(report=report)
    url = reverse("monitoring:report", args=[report.pk])
    notify(
        handlers_of(county.pk),
        kind=NotificationKind.REPORT_FILED,
        target=report,
        subject=_("Burden report: %(kind)s by %(inst)s at %(village)s")
        % {"kind": report.get_kind_display(), "inst": institution.name, "village": found.name},
        key=f"burden-report:{report.pk}",
        url=url,
    )
    return report


@transaction.atomic
def report_close(
    *, user: User, report_id: int, outcome: str, reason: str, correction: str = ""
) -> BurdenReport:
    """The organisation department closes a report with its finding, the reason and the correction made."""
    report = BurdenReport.objects.select_for_update().get(pk=report_id)
    _require_handler(user, Division.objects.get(pk=report.county_id))
    if report.status == ReportStatus.WITHDRAWN:
        raise ValidationError(_("This report was withdrawn by its reporter."))
    if report.status not in HANDLING:
        raise ValidationError(_("This report is already closed."))
    errors: dict[str, list[str]] = {}
    if outcome not in Finding.values:
        errors["outcome"] = [_("Say whether the report was substantiated.")]
    try:
        reason = clean_reason(reason)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    correction = (correction or "").strip()
    if outcome == Finding.SUBSTANTIATED and not correction:
        errors["correction"] = [_("Say what correction was made.")]
    if len(correction) > TEXT_LIMITS["correction"]:
        errors["correction"] = [_("At most %(limit)s characters.") % {"limit": TEXT_LIMITS["correction"]}]
    if errors:
        raise ValidationError(errors)
    ReportDecision.objects.create(
        report=report, outcome=outcome, reason=reason, correction=correction, decided_by=user
    )
    report.status = ReportStatus.CLOSED
    report.closed_at = timezone.now()
    report.taken_up_at = report.taken_up_at or report.closed_at  # closing takes it up
    report.save(update_fields=["status", "closed_at", "taken_up_at", "updated"])
    record_event(
        user,
        "monitoring.report.close",
        obj=report,
        division=report.village_id,
        summary=f"{Finding(outcome).label} · {reason[:200]}",
        publish=False,
    )
    notify(
        [report.reporter],
        kind=NotificationKind.REPORT_CLOSED,
        target=report,
        subject=_("Your burden report was closed: %(finding)s") % {"finding": Finding(outcome).label},
        key=f"burden-report-closed:{report.pk}",
        url=reverse("monitoring:report", args=[report.pk]),
    )
    return report


# --- taking up, editing and withdrawing ----------------------------------------------------

# What a reporter may change before the report is taken up (the village stays: a report about
# another point is another report).
EDITABLE = (
    "kind", "institution", "description", "seen_on", "hours", "form_name",
    "visitors", "visitor_count", "asked", "anonymous",
)  # fmt: skip


def _require_reporter(user: User, report: BurdenReport) -> None:
    if user.pk != report.reporter_id:
        raise PermissionDenied(_("Only the monitor who filed a report may edit or withdraw it."))


def change_refusal(report: BurdenReport) -> str:
    """Why the reporter can no longer edit or withdraw the report, in words; empty while they still can."""
    if report.status == ReportStatus.WITHDRAWN:
        return _("This report was withdrawn: it can no longer be edited or withdrawn.")
    if not report.editable:
        return _(
            "The organisation department has taken this report up: it can no longer be edited or "
            "withdrawn. Tell the department if something in it is wrong."
        )
    return ""


def _require_not_taken_up(report: BurdenReport) -> None:
    refusal = change_refusal(report)
    if refusal:
        raise ValidationError(refusal)


def _revision_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Institution):
        return value.name
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


@transaction.atomic
def report_take_up(*, user: User, report_id: int) -> BurdenReport:
    """The organisation department takes a report up (受理): from now on its reporter cannot change it."""
    report = BurdenReport.objects.select_for_update().get(pk=report_id)
    _require_handler(user, Division.objects.get(pk=report.county_id))
    if report.status == ReportStatus.TAKEN_UP:
        return report
    if report.status == ReportStatus.WITHDRAWN:
        raise ValidationError(_("This report was withdrawn by its reporter."))
    if report.status != ReportStatus.OPEN:
        raise ValidationError(_("This report is already closed."))
    report.status = ReportStatus.TAKEN_UP
    report.taken_up_at = timezone.now()
    report.save(update_fields=["status", "taken_up_at", "updated"])
    record_event(user, "monitoring.report.take_up", obj=report, division=report.village_id, publish=False)
    notify(
        [report.reporter],
        kind=NotificationKind.REPORT_TAKEN_UP,
        target=report,
        subject=_("Your burden report #%(n)s was taken up by the organisation department") % {"n": report.pk},
        key=f"burden-report-taken:{report.pk}",
        url=reverse("monitoring:report", args=[report.pk]),
    )
    return report


@transaction.atomic
def report_edit(
    *, user: User, report_id: int, data: dict[str, Any], institution_name: str | None
) -> BurdenReport:
    """The reporter corrects a report not yet taken up; the values before and after are kept as a revision.

    ``data`` holds the report's fields as ``report_file`` takes them (a field
    left out keeps its value). An unplanned form stays one (the forms plan
    recorded it when it was filed) and another kind cannot become one.
    """
    report = BurdenReport.objects.select_for_update().select_related("institution").get(pk=report_id)
    _require_reporter(user, report)
    _require_not_taken_up(report)
    current = {f: getattr(report, f) for f in EDITABLE if f != "institution"}
    clean = report_clean({**current, **{k: v for k, v in data.items() if k in current}})
    if (clean["kind"] == ReportKind.UNPLANNED_FORM) != (report.kind == ReportKind.UNPLANNED_FORM):
        raise ValidationError(
            {
                "kind": [
                    _(
                        "A report of an unplanned form is also recorded in the forms plan: it cannot change to "
                        "or from another kind. Withdraw it and file a new report."
                    )
                ]
            }
        )
    institution = institution_for(
        county=Division.objects.get(pk=report.county_id),
        name=institution_name if institution_name is not None else report.institution.name,
        field="institution_name",
    )
    after = {**clean, "institution": institution}
    changes = []
    for field in EDITABLE:
        old, new = _revision_text(getattr(report, field)), _revision_text(after[field])
        if old != new:
            changes.append({"field": field, "before": old, "after": new})
    if not changes:
        return report
    revision = ReportRevision.objects.create(report=report, edited_by=user, changes=changes)
    for field in EDITABLE:
        setattr(report, field, after[field])
    report.save(update_fields=[*EDITABLE, "updated"])
    if report.kind == ReportKind.UNPLANNED_FORM:
        from formsplan.services import unplanned_demand_correct

        unplanned_demand_correct(
            user=user,
            source_key=_demand_key(report),
            form_name=(report.form_name or report.description)[:120],
            institution_name=institution.name,
            demanded_on=report.seen_on,
        )
    record_event(
        user,
        "monitoring.report.edit",
        obj=report,
        division=report.village_id,
        summary=", ".join(c["field"] for c in changes),
        publish=False,
    )
    notify(
        handlers_of(report.county_id),
        kind=NotificationKind.REPORT_EDITED,
        target=report,
        subject=_("Burden report #%(n)s was corrected by its reporter") % {"n": report.pk},
        key=f"burden-report-edited:{report.pk}:{revision.pk}",
        url=reverse("monitoring:report", args=[report.pk]),
    )
    return report


@transaction.atomic
def report_withdraw(*, user: User, report_id: int, reason: str) -> BurdenReport:
    """The reporter withdraws a report not yet taken up, saying why; the department is told."""
    report = BurdenReport.objects.select_for_update().get(pk=report_id)
    _require_reporter(user, report)
    _require_not_taken_up(report)
    reason = clean_reason(reason)
    report.status = ReportStatus.WITHDRAWN
    report.withdrawn_at = timezone.now()
    report.withdrawal_reason = reason
    report.save(update_fields=["status", "withdrawn_at", "withdrawal_reason", "updated"])
    if report.kind == ReportKind.UNPLANNED_FORM:
        from formsplan.services import unplanned_demand_withdraw

        # Not the reporter's own words: the forms plan is read by the institutions' side.
        unplanned_demand_withdraw(user=user, source_key=_demand_key(report), reason=_(DEMAND_WITHDRAWN))
    record_event(
        user,
        "monitoring.report.withdraw",
        obj=report,
        division=report.village_id,
        summary=reason[:200],
        publish=False,
    )
    notify(
        handlers_of(report.county_id),
        kind=NotificationKind.REPORT_WITHDRAWN,
        target=report,
        subject=_("Burden report #%(n)s was withdrawn by its reporter") % {"n": report.pk},
        key=f"burden-report-withdrawn:{report.pk}",
        url=reverse("monitoring:report", args=[report.pk]),
    )
    return report


def report_reminders(*, today: date | None = None) -> int:
    """Remind the organisation department before a report's deadline; tell the county leadership after it."""
    today = today or timezone.localdate()
    sent = 0
    for report in BurdenReport.objects.filter(status__in=HANDLING).select_related("village"):
        words = {"n": report.pk, "v": report.village.name, "d": report.due_on}
        handlers = list(handlers_of(report.county_id))
        with transaction.atomic():
            sent += deadline_notify(
                target=report,
                url=reverse("monitoring:report", args=[report.pk]),
                due=report.due_on,
                today=today,
                remind=handlers,
                escalate=[*handlers, *approvers_of(report.county_id)],
                reminder_kind=NotificationKind.REPORT_REMINDER,
                escalation_kind=NotificationKind.REPORT_ESCALATION,
                reminder_subject=_("Burden report #%(n)s (%(v)s) to be handled by %(d)s") % words,
                escalation_subject=_("Burden report #%(n)s (%(v)s) overdue since %(d)s") % words,
                reminder_key=f"burden-report-due:{report.pk}",
                escalation_key=f"burden-report-late:{report.pk}",
            )
    return sent


@transaction.atomic
def institution_notice(
    *, user: User, institution: Institution, period_from: date, period_to: date, text: str = ""
) -> Notice:
    """A public notice (通报) about an institution with repeated substantiated reports in the period."""
    from .selectors import substantiated_by_institution, substantiated_kinds

    institution = Institution.objects.select_for_update().get(pk=institution.pk)
    county = Division.objects.get(pk=institution.division_id)
    _require_handler(user, county)
    if period_from is None or period_to is None or period_from > period_to:
        raise ValidationError({"period_from": [_("Give a period whose start is not after its end.")]})
    counted = substantiated_by_institution(county, period_from, period_to).filter(pk=institution.pk).first()
    n: int = getattr(counted, "substantiated", 0)
    if n < NOTICE_THRESHOLD:
        raise ValidationError(
            _("A public notice needs at least %(n)s substantiated reports in the period (this has %(c)s).")
            % {"n": NOTICE_THRESHOLD, "c": n}
        )
    paragraphs = [
        text.strip()
        or f"经监测点核实，{period_from:%Y年%-m月%-d日}至{period_to:%Y年%-m月%-d日}，{institution.name}"
        f"随意向村级组织摊派工作任务、增加村级组织负担{n}次，现予通报，请予整改。",
        cite(
            "对随意向基层摊派工作任务的单位加强通报整改（种子004第二部分第（五）项；种子002第四部分第（三）项）。"
        ),
    ]
    return notice_issue(
        institution=institution,
        source=NoticeSource.MONITORING,
        title=f"关于{institution.name}增加村级组织负担问题的通报",
        paragraphs=paragraphs,
        rows=[(kind, f"{c} 次") for kind, c in substantiated_kinds(institution, period_from, period_to)],
        period_from=period_from,
        period_to=period_to,
        count=n,
        number_word="组通",
        user=user,
    )
