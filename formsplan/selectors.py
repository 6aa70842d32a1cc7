"""Reading the forms plan: duplicates across forms, counts per field, demands by institution."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.db.models import Count, QuerySet

from divisions.models import Division

from .choices import FormStatus
from .fieldnames import field_key, key_label
from .models import FormField, FormsPlan, PlanForm, UnplannedDemand


def plans_visible_to(user) -> QuerySet[FormsPlan]:
    return FormsPlan.objects.restrict(user).select_related("county")


def _active_fields(plan: FormsPlan) -> QuerySet[FormField]:
    return FormField.objects.filter(form__plan=plan, form__status=FormStatus.ACTIVE, merged_into=None)


def fields_collected_elsewhere(
    plan: FormsPlan, names: list[str], *, exclude_form: PlanForm | None = None
) -> list[dict[str, Any]]:
    """For each name asked, the fields other forms of the plan already collect under the same or an equivalent name.

    One row per asked field that is already collected: ``{"asked", "key", "label", "collected": [{"form",
    "form_id", "owner", "field"}]}``, in the order asked.
    """
    keys = {field_key(n): n for n in names if n and n.strip()}
    if not keys:
        return []
    qs = (
        _active_fields(plan)
        .filter(key__in=keys)
        .select_related("form__owner")
        .order_by("form__name", "position")
    )
    if exclude_form is not None:
        qs = qs.exclude(form=exclude_form)
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in qs:
        found[f.key].append(
            {
                "field_id": f.pk,
                "form": f.form.name,
                "form_id": f.form_id,
                "owner": f.form.owner.name,
                "field": f.name,
            }
        )
    return [
        {"asked": asked, "key": key, "label": key_label(key, asked), "collected": found[key]}
        for key, asked in keys.items()
        if found.get(key)
    ]


def field_counts(plan: FormsPlan) -> list[dict[str, Any]]:
    """Per normalised field, how many forms of the plan ask for it (most asked first), and under which names."""
    rows = (
        _active_fields(plan)
        .values("key")
        .annotate(forms=Count("form", distinct=True))
        .order_by("-forms", "key")
    )
    names: dict[str, set[str]] = defaultdict(set)
    for key, name in _active_fields(plan).values_list("key", "name"):
        names[key].add(name)
    return [
        {
            "key": r["key"],
            "label": key_label(r["key"], sorted(names[r["key"]])[0]),
            "forms": r["forms"],
            "names": sorted(names[r["key"]]),
        }
        for r in rows
    ]


def plan_forms(plan: FormsPlan) -> QuerySet[PlanForm]:
    return (
        PlanForm.objects.filter(plan=plan)
        .select_related("owner", "merged_into")
        .prefetch_related("fields")
        .annotate(villages=Count("assignments"))
        .order_by("status", "name", "id")
    )


def duplicates_of(form: PlanForm) -> list[dict[str, Any]]:
    """The fields of ``form`` that other forms of its plan also collect."""
    return fields_collected_elsewhere(
        form.plan, [f.name for f in form.fields.filter(merged_into=None)], exclude_form=form
    )


def approved_plan(county: Division | str, year: int) -> FormsPlan | None:
    county_id = county.pk if isinstance(county, Division) else county
    return FormsPlan.objects.filter(county_id=county_id, year=year, status="approved").first()


def unplanned_demands_by_institution(
    county: Division | str, date_from: date, date_to: date
) -> list[dict[str, Any]]:
    """Unplanned form demands in a county and period, per demanding institution (most first; withdrawn ones left out).

    ``[{"institution_id", "name", "count"}]`` — one grouped query.
    """
    county_id = county.pk if isinstance(county, Division) else county
    rows = (
        UnplannedDemand.objects.standing()
        .filter(county_id=county_id, demanded_on__gte=date_from, demanded_on__lte=date_to)
        .values("institution_id", "institution__name")
        .annotate(count=Count("id"))
        .order_by("-count", "institution__name")
    )
    return [
        {"institution_id": r["institution_id"], "name": r["institution__name"], "count": r["count"]}
        for r in rows
    ]


def assignments_of(user, plan: FormsPlan) -> dict[int, set[str]]:
    """For each form of the plan, the villages (in the user's scope) it is assigned to."""
    from .models import FormAssignment

    out: dict[int, set[str]] = defaultdict(set)
    for form_id, village_id in (
        FormAssignment.objects.restrict(user).filter(form__plan=plan).values_list("form_id", "village_id")
    ):
        out[form_id].add(village_id)
    return out
