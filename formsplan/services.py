"""Every change to the forms plan goes through here, audited.

Each step is one transaction that locks what it changes (the plan row: a
registration, a merge and the approval of the same plan are serialised on
it), checks role, jurisdiction and state inside, writes the change and its
audit event together:

- a department registers a form into the county's draft plan for a year
  (name, fields with their types, fillings a year, basis, minutes); a form
  with no fields is refused, nothing written; a missing basis is flagged
  (缺依据), never invented;
- the county merges a duplicate field or form (the merged row names what it
  was merged into); only while the plan is a draft;
- a county approver approves the plan with a reason (villageburden/decisions.py):
  from then on the plan is fixed for the year (seed 000 §5: 每年年初统一交由
  苏木乡镇安排村级组织按规定频次填报);
- a township assigns the approved plan's forms to its villages, at the plan's
  frequency;
- a form demanded of a village outside the approved plan is recorded in one
  step and counts against the demanding institution (seed 000 §5: 未经统一
  部署，党政群机构不得要求村级组织填报表格).
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from divisions.models import Division, Level
from institutions.services import institution_for
from organisations.choices import Role
from spreadsheets.schema import cell_text

from .choices import FIELD_KIND_INPUT, DecisionOutcome, FieldKind, FormStatus, PlanStatus
from .fieldnames import field_key
from .models import (
    ASSIGNERS,
    DEMAND_RECORDERS,
    INTEGRATORS,
    MAX_FREQUENCY,
    MAX_MINUTES,
    FormAssignment,
    FormField,
    FormsPlan,
    PlanDecision,
    PlanForm,
    UnplannedDemand,
)

if TYPE_CHECKING:
    from organisations.models import Organisation, User

MAX_FIELDS = 200
NAME_LIMIT = 120
FIELD_NAME_LIMIT = 60


# --- who may act where ------------------------------------------------------------


def recordable_villages(user: User) -> QuerySet[Division]:
    """The villages a user may record an unplanned demand for: the one rule, used by every path.

    Township staff: the villages of their township (``Division.objects.restrict``);
    monitors: their monitoring points only (``monitoring.selectors.points_of``).
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return Division.objects.none()
    if user.role == Role.MONITOR and not user.is_superuser:
        from monitoring.selectors import points_of

        return points_of(user)
    villages = Division.objects.restrict(user).filter(level=Level.VILLAGE)
    if user.is_superuser or user.role in DEMAND_RECORDERS:
        return villages
    return Division.objects.none()


def assignable_villages(user: User) -> QuerySet[Division]:
    """The villages a township may give planned forms to: its own."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Division.objects.none()
    if not (user.is_superuser or user.role in ASSIGNERS):
        return Division.objects.none()
    return Division.objects.restrict(user).filter(level=Level.VILLAGE)


def _require(user: User, plan: FormsPlan, action: str, message: str) -> None:
    if user is None or not FormsPlan.objects.restrict(user, action).filter(pk=plan.pk).exists():
        raise PermissionDenied(message)


def _lock_plan(plan: FormsPlan) -> FormsPlan:
    return FormsPlan.objects.select_for_update().get(pk=plan.pk)


def _require_draft(plan: FormsPlan) -> None:
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError(
            _("The %(year)s plan is approved and fixed for the year; a change needs a new decision.")
            % {"year": plan.year}
        )


# --- the plan -------------------------------------------------------------------------


@transaction.atomic
def plan_get_or_create(*, county: Division, year: int, user: User) -> FormsPlan:
    """The county's plan for a year (a draft when new)."""
    if county.level != Level.COUNTY:
        raise ValidationError({"county": [_("A forms plan belongs to a county.")]})
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": [_("Give a year between 2000 and 2100.")]})
    plan = FormsPlan.objects.filter(county=county, year=year).first()
    if plan is not None:
        return plan
    if not (user.is_superuser or Division.objects.restrict(user).filter(pk=county.pk).exists()):
        raise PermissionDenied(_("You may not open a forms plan for this county."))
    plan = FormsPlan.objects.create(county=county, year=year)
    record_event(user, "formsplan.plan_open", obj=plan, division=county.pk, summary=str(year))
    return plan


def _int(
    value: Any, field: str, errors: dict[str, list[str]], *, low: int, high: int, required: bool
) -> int | None:
    if value in (None, ""):
        if required:
            errors[field] = [_("This field is required.")]
        return None
    text = str(value).strip()
    # A whole number as typed ("12") or as a spreadsheet stores it ("12.0"); never "12.5".
    match = re.fullmatch(r"([+-]?\d+)(?:\.0*)?", text)
    try:
        if match is None:
            raise ValueError
        number = int(match.group(1))
    except ValueError:
        errors[field] = [_("Give a whole number.")]
        return None
    if not low <= number <= high:
        errors[field] = [_("Give a number from %(low)s to %(high)s.") % {"low": low, "high": high}]
        return None
    return number


def parse_fields(text: str) -> list[dict[str, str]]:
    """Fields written one a line (or separated by 、；), each "name" or "name:type" (类型 in Chinese or English)."""
    fields = []
    for part in re.split(r"[\n;；、]+", text or ""):
        part = part.strip()
        if not part:
            continue
        match = re.match(r"^(.*?)[:：｜|](.*)$", part)
        name, kind = (match.group(1), match.group(2)) if match else (part, "")
        fields.append({"name": name.strip(), "kind": kind.strip()})
    return fields


def form_clean(data: dict[str, Any]) -> dict[str, Any]:
    """A form's registration checked: the rule the page, the API and the spreadsheet share."""
    errors: dict[str, list[str]] = {}
    name = " ".join(str(data.get("name") or "").split())
    if not name:
        errors["name"] = [_("Name the form.")]
    elif len(name) > NAME_LIMIT:
        errors["name"] = [_("At most %(limit)s characters.") % {"limit": NAME_LIMIT}]
    raw_fields = data.get("fields") or []
    if not isinstance(raw_fields, (list, tuple)):
        # Text as a person writes it; a number typed into the cell is read as its text.
        raw_fields = parse_fields(raw_fields if isinstance(raw_fields, str) else cell_text(raw_fields))
    fields: list[dict[str, str]] = []
    field_errors: list[str] = []
    seen: set[str] = set()
    for raw in raw_fields:
        if not isinstance(raw, dict):
            raw = {"name": cell_text(raw)}
        field_name = " ".join(str(raw.get("name") or "").split())
        kind_text = str(raw.get("kind") or "").strip()
        kind = FIELD_KIND_INPUT.get(kind_text) or (kind_text.lower() if kind_text else FieldKind.TEXT)
        if not field_name:
            continue
        if len(field_name) > FIELD_NAME_LIMIT:
            field_errors.append(
                _("The field name “%(name)s…” is longer than %(limit)s characters.")
                % {"name": field_name[:10], "limit": FIELD_NAME_LIMIT}
            )
        elif kind not in FieldKind.values:
            field_errors.append(
                _("“%(kind)s” is not a field type (文本, 数字, 日期, 身份证号, 电话, 选项, 附件).")
                % {"kind": kind_text}
            )
        elif field_key(field_name) in seen:
            field_errors.append(_("The form asks twice for “%(name)s”.") % {"name": field_name})
        else:
            seen.add(field_key(field_name))
            fields.append({"name": field_name, "kind": str(kind)})
    if not fields and not field_errors:
        field_errors.append(_("A form needs at least one field: list what the village is asked to fill in."))
    if len(fields) > MAX_FIELDS:
        field_errors.append(_("At most %(limit)s fields.") % {"limit": MAX_FIELDS})
    if field_errors:
        errors["fields"] = field_errors
    frequency = _int(data.get("frequency"), "frequency", errors, low=1, high=MAX_FREQUENCY, required=True)
    minutes = _int(data.get("minutes"), "minutes", errors, low=1, high=MAX_MINUTES, required=False)
    basis = str(data.get("basis") or "").strip()
    if errors:
        raise ValidationError(errors)
    return {
        "name": name,
        "fields": fields,
        "frequency": frequency,
        "minutes": minutes,
        "basis": basis[:2000],
    }


def _write_fields(form: PlanForm, fields: list[dict[str, str]], start: int = 0) -> None:
    FormField.objects.bulk_create(
        FormField(form=form, position=start + i, name=f["name"], kind=f["kind"], key=field_key(f["name"]))
        for i, f in enumerate(fields)
    )


@transaction.atomic
def form_register(
    *,
    user: User,
    plan: FormsPlan,
    name: str,
    fields: list[dict[str, str]] | str,
    frequency: int | str | None,
    basis: str = "",
    minutes: int | str | None = None,
    owner: Organisation | None = None,
) -> PlanForm:
    """A department registers a form it wants villages to fill into the county's draft plan.

    ``owner`` is the department's own organisation; the county (integrators)
    may register a form on behalf of another department of the county, as when
    it integrates a form handed in on paper.
    """
    _require(user, plan, "change", _("You may not register forms in this plan."))
    if owner is None or owner.pk == user.organisation_id:
        if user.organisation_id is None:
            raise PermissionDenied(_("Only a department can register a form."))
        owner_id = user.organisation_id
    elif (user.is_superuser or user.role in INTEGRATORS) and owner.division_id.startswith(plan.county_id[:6]):
        owner_id = owner.pk
    else:
        raise PermissionDenied(_("You may register only your own department's forms."))
    plan = _lock_plan(plan)
    _require_draft(plan)
    data = form_clean(
        {"name": name, "fields": fields, "frequency": frequency, "basis": basis, "minutes": minutes}
    )
    if PlanForm.objects.active().filter(plan=plan, owner_id=owner_id, name=data["name"]).exists():
        raise ValidationError({"name": [_("Your department already has a form of this name in the plan.")]})
    form = PlanForm.objects.create(
        plan=plan,
        county_id=plan.county_id,
        name=data["name"],
        owner_id=owner_id,
        frequency=data["frequency"],
        basis=data["basis"],
        basis_missing=not data["basis"],
        minutes=data["minutes"],
        registered_by=user,
    )
    _write_fields(form, data["fields"])
    record_event(
        user,
        "formsplan.form_register",
        obj=form,
        division=plan.county_id,
        summary=f"{form.name} · {len(data['fields'])} · {form.frequency}/{plan.year}",
    )
    return form


@transaction.atomic
def form_merge(*, user: User, form: PlanForm, into: PlanForm) -> PlanForm:
    """The county merges a duplicate form into another: the fields only it asks for move to the other."""
    _require(user, form.plan, "change", _("You may not merge forms in this plan."))
    if not (user.is_superuser or user.role in INTEGRATORS):
        raise PermissionDenied(_("Only the county merges forms."))
    plan = _lock_plan(form.plan)
    _require_draft(plan)
    form = PlanForm.objects.select_for_update().get(pk=form.pk)
    into = PlanForm.objects.select_for_update().get(pk=into.pk)
    if form.pk == into.pk or into.plan_id != plan.pk:
        raise ValidationError({"into": [_("Choose another form of the same plan.")]})
    if form.status != FormStatus.ACTIVE or into.status != FormStatus.ACTIVE:
        raise ValidationError({"into": [_("Only forms still in the plan can be merged.")]})
    target_keys = set(into.fields.values_list("key", flat=True))
    moved = [
        {"name": f.name, "kind": f.kind}
        for f in form.fields.filter(merged_into=None)
        if f.key not in target_keys
    ]
    _write_fields(into, moved, start=into.fields.count())
    into.frequency = max(into.frequency, form.frequency)
    into.save(update_fields=["frequency", "updated"])
    form.status = FormStatus.MERGED
    form.merged_into = into
    form.merged_by = user
    form.merged_at = timezone.now()
    form.save(update_fields=["status", "merged_into", "merged_by", "merged_at", "updated"])
    record_event(
        user,
        "formsplan.form_merge",
        obj=form,
        division=plan.county_id,
        summary=f"{form.name} → {into.name}",
        after={"merged_into": into.pk, "fields_moved": [f["name"] for f in moved]},
    )
    return form


@transaction.atomic
def field_merge(*, user: User, field: FormField, into: FormField) -> FormField:
    """The county merges a duplicate field: collected once, by the form of ``into``."""
    _require(user, field.form.plan, "change", _("You may not merge fields in this plan."))
    if not (user.is_superuser or user.role in INTEGRATORS):
        raise PermissionDenied(_("Only the county merges fields."))
    plan = _lock_plan(field.form.plan)
    _require_draft(plan)
    field = FormField.objects.select_for_update().select_related("form").get(pk=field.pk)
    into = FormField.objects.select_related("form").get(pk=into.pk)
    if into.form.plan_id != plan.pk or into.form_id == field.form_id:
        raise ValidationError({"into": [_("Choose the same field in another form of this plan.")]})
    if into.merged_into_id is not None or field.merged_into_id is not None:
        raise ValidationError({"into": [_("This field is already merged.")]})
    field.merged_into = into
    field.save(update_fields=["merged_into"])
    record_event(
        user,
        "formsplan.field_merge",
        obj=field.form,
        division=plan.county_id,
        summary=f"{field.form.name}·{field.name} → {into.form.name}·{into.name}",
    )
    return field


@transaction.atomic
def plan_approve(*, user: User, plan: FormsPlan, reason: str) -> PlanDecision:
    """A county approver approves the year's plan, with a reason; it is then fixed for the year."""
    from villageburden.decisions import clean_reason

    _require(user, plan, "approve", _("You may not approve this plan."))
    plan = _lock_plan(plan)
    _require_draft(plan)
    reason = clean_reason(reason)
    if not PlanForm.objects.active().filter(plan=plan).exists():
        raise ValidationError(_("The plan holds no forms yet."))
    decision = PlanDecision.objects.create(
        plan=plan, outcome=DecisionOutcome.APPROVED, reason=reason, decided_by=user
    )
    plan.status = PlanStatus.APPROVED
    plan.approved_at = decision.created
    plan.save(update_fields=["status", "approved_at", "updated"])
    record_event(
        user,
        "formsplan.plan_approve",
        obj=plan,
        division=plan.county_id,
        summary=f"{plan.year}: {reason[:200]}",
    )
    return decision


# --- townships ----------------------------------------------------------------------


@transaction.atomic
def forms_assign(*, user: User, form: PlanForm, villages: list[Division]) -> int:
    """A township gives an approved plan's form to its villages at the plan's frequency; returns how many are new."""
    if not villages:
        raise ValidationError({"villages": [_("Choose at least one village.")]})
    plan = _lock_plan(form.plan)
    if plan.status != PlanStatus.APPROVED:
        raise ValidationError({"form": [_("Only forms of an approved plan can be assigned.")]})
    form = PlanForm.objects.get(pk=form.pk)
    if form.status != FormStatus.ACTIVE:
        raise ValidationError({"form": [_("This form was merged into another; assign that one.")]})
    allowed = set(
        assignable_villages(user).filter(pk__in=[v.pk for v in villages]).values_list("pk", flat=True)
    )
    foreign = [v for v in villages if v.pk not in allowed]
    if foreign:
        raise ValidationError(
            {
                "villages": [
                    _("%(village)s is not a village of your township.") % {"village": v.name} for v in foreign
                ]
            }
        )
    if not plan.county_id or any(v.ancestor_at(Level.COUNTY) != plan.county_id for v in villages):
        raise ValidationError({"villages": [_("The plan is another county's.")]})
    done = set(
        FormAssignment.objects.filter(form=form, village__in=villages).values_list("village_id", flat=True)
    )
    new = [v for v in villages if v.pk not in done]
    FormAssignment.objects.bulk_create(
        FormAssignment(form=form, village=v, frequency=form.frequency, assigned_by=user) for v in new
    )
    if new:
        record_event(
            user,
            "formsplan.forms_assign",
            obj=form,
            division=new[0].parent_id,
            summary=f"{form.name} → {len(new)} · {form.frequency}/{plan.year}",
        )
    return len(new)


@transaction.atomic
def unplanned_demand_record(
    *,
    user: User,
    village: Division,
    form_name: str,
    institution_name: str,
    demanded_on: date | None,
    note: str = "",
    source_key: str = "",
) -> UnplannedDemand:
    """Record, in one step, a form demanded of a village outside the approved plan (township staff, monitors).

    ``source_key`` names another record that holds the same demand (a monitor's
    report), so that its withdrawal or correction reaches this one.
    """
    if not recordable_villages(user).filter(pk=village.pk).exists():
        raise ValidationError({"village": [_("You may not record demands for this village.")]})
    errors: dict[str, list[str]] = {}
    form_name = " ".join((form_name or "").split())
    if not form_name:
        errors["form_name"] = [_("Say which form or material was demanded.")]
    elif len(form_name) > NAME_LIMIT:
        errors["form_name"] = [_("At most %(limit)s characters.") % {"limit": NAME_LIMIT}]
    today = timezone.localdate()
    if demanded_on is None:
        errors["demanded_on"] = [_("Give the day it was demanded.")]
    elif demanded_on > today:
        errors["demanded_on"] = [_("The day cannot be in the future.")]
    if len(note or "") > 2000:
        errors["note"] = [_("At most %(limit)s characters.") % {"limit": 2000}]
    county = Division.objects.get(pk=village.ancestor_at(Level.COUNTY))
    if not errors:
        try:
            institution = institution_for(county=county, name=institution_name, field="institution_name")
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors or demanded_on is None:
        raise ValidationError(errors)
    demand = UnplannedDemand.objects.create(
        village=village,
        county=county,
        form_name=form_name,
        institution=institution,
        demanded_on=demanded_on,
        note=(note or "").strip(),
        recorded_by=user,
        source_key=source_key,
    )
    record_event(
        user,
        "formsplan.unplanned_record",
        obj=demand,
        division=village.pk,
        summary=f"{form_name} · {institution.name}",
    )
    return demand


def _demand_from(user, source_key: str) -> UnplannedDemand | None:
    """The standing demand another record holds (locked), recorded by ``user``; None if there is none."""
    if not source_key:
        return None
    demand = (
        UnplannedDemand.objects.select_for_update()
        .filter(source_key=source_key, withdrawn_at__isnull=True)
        .order_by("pk")
        .first()
    )
    if demand is not None and demand.recorded_by_id != user.pk:
        raise PermissionDenied(_("Only the one who recorded this demand may change it."))
    return demand


@transaction.atomic
def unplanned_demand_withdraw(*, user, source_key: str, reason: str) -> UnplannedDemand | None:
    """Withdraw the demand recorded with another record (``source_key``) when that record is withdrawn.

    It stays listed, marked withdrawn with its reason, and no longer counts
    against the institution nor in the village's burden account.
    """
    from villageburden.decisions import clean_reason

    demand = _demand_from(user, source_key)
    if demand is None:
        return None
    demand.withdrawn_at = timezone.now()
    demand.withdrawal_reason = clean_reason(reason)
    demand.save(update_fields=["withdrawn_at", "withdrawal_reason", "updated"])
    record_event(
        user,
        "formsplan.unplanned_withdraw",
        obj=demand,
        division=demand.village_id,
        summary=demand.withdrawal_reason[:200],
    )
    return demand


@transaction.atomic
def unplanned_demand_correct(
    *, user, source_key: str, form_name: str, institution_name: str, demanded_on: date
) -> UnplannedDemand | None:
    """Carry a correction of the record it was recorded with (``source_key``) into the demand."""
    demand = _demand_from(user, source_key)
    if demand is None:
        return None
    form_name = " ".join((form_name or "").split())[:NAME_LIMIT]
    county = Division.objects.get(pk=demand.county_id)
    institution = institution_for(county=county, name=institution_name, field="institution_name")
    after: dict[str, Any] = {"form_name": form_name, "institution": institution, "demanded_on": demanded_on}
    changed = [f for f, value in after.items() if value and getattr(demand, f) != value]
    if not changed:
        return demand
    for f in changed:
        setattr(demand, f, after[f])
    demand.save(update_fields=[*changed, "updated"])
    record_event(
        user,
        "formsplan.unplanned_correct",
        obj=demand,
        division=demand.village_id,
        summary=", ".join(changed),
    )
    return demand
