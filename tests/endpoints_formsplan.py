"""The forms plan's scoped endpoints and pages in the reusable permission suite.

A plan belongs to its county and is read by the county's townships; the
next county's plan is foreign. Assignments and unplanned demands hang on a
village: never seen across townships.
"""

from __future__ import annotations

from .permissions import ScopedEndpoint, register


def _plans(w):
    from formsplan import services
    from formsplan.models import FormsPlan

    from .fixtures_formsplan import draft_plan

    inside = draft_plan(w)
    outside = FormsPlan.objects.filter(county=w.other_county).first()
    if outside is None:
        outside = services.plan_get_or_create(county=w.other_county, year=2027, user=_root())
        services.form_register(
            user=_root(), plan=outside, name="固阳县表", fields="姓名", frequency=7, owner=_other_org(w)
        )
    return inside, outside


def _root():
    from organisations.models import User

    return User.objects.filter(username="fp-root").first() or User.objects.create_superuser(
        "fp-root", password=None
    )


def _other_org(w):
    from organisations.choices import OrgKind

    from . import factories as f

    return f.OrganisationFactory(
        code="t-other-dept", name="固阳县某局", kind=OrgKind.COUNTY_DEPARTMENT, division=w.other_county
    )


def _forms(w):
    inside, outside = _plans(w)
    return inside.forms.order_by("id").first(), outside.forms.order_by("id").first()


def _demands(w):
    from django.utils import timezone

    from formsplan import services
    from formsplan.models import UnplannedDemand

    from . import factories as f

    existing = list(UnplannedDemand.objects.order_by("village_id"))
    if len(existing) == 2:
        return existing[1], existing[0]  # A1 (150223…) sorts after C1 (150222…)
    from organisations.choices import Role

    clerk = f.UserFactory(role=Role.TOWNSHIP_STAFF, organisation=w.orgs["other_township"])
    today = timezone.localdate()
    inside = services.unplanned_demand_record(
        user=w.user("township"),
        village=w.village_a1,
        form_name="日报表",
        institution_name="某局",
        demanded_on=today,
    )
    outside = services.unplanned_demand_record(
        user=clerk, village=w.village_c1, form_name="日报表", institution_name="某局", demanded_on=today
    )
    return inside, outside


def _assignments(w):
    from formsplan import services
    from formsplan.models import FormAssignment

    from . import factories as f

    existing = list(FormAssignment.objects.order_by("village_id"))
    if len(existing) == 2:
        return existing[1], existing[0]
    from organisations.choices import Role

    inside_form, outside_form = _forms(w)
    for form in (inside_form, outside_form):
        plan = form.plan
        plan.refresh_from_db()
        if plan.is_draft:
            services.plan_approve(user=_root(), plan=plan, reason="同意")
    clerk = f.UserFactory(role=Role.TOWNSHIP_STAFF, organisation=w.orgs["other_township"])
    services.forms_assign(user=w.user("township"), form=inside_form, villages=[w.village_a1])
    services.forms_assign(user=clerk, form=outside_form, villages=[w.village_c1])
    return FormAssignment.objects.get(village=w.village_a1), FormAssignment.objects.get(village=w.village_c1)


HOME = ("township", "submitter", "approver", "reviewer_org", "provadmin")

register(
    ScopedEndpoint(
        name="api-forms-plans",
        county_wide=True,
        make=_plans,
        list_url=lambda w: "/api/v1/forms-plans/",
        detail_url=lambda obj: f"/api/v1/forms-plans/{obj.pk}/",
        row_id=lambda obj: str(obj.pk),
        visible_to=(*HOME, "township_b"),
        write=lambda client, obj: client.post(
            f"/api/v1/forms-plans/{obj.pk}/approve/", {"reason": "同意"}, content_type="application/json"
        ),
        writers=("approver",),
    )
)
register(
    ScopedEndpoint(
        name="api-plan-forms",
        county_wide=True,
        make=_forms,
        list_url=lambda w: "/api/v1/plan-forms/",
        detail_url=lambda obj: f"/api/v1/plan-forms/{obj.pk}/",
        row_id=lambda obj: str(obj.pk),
        visible_to=HOME,
    )
)
register(
    ScopedEndpoint(
        name="api-form-assignments",
        make=_assignments,
        list_url=lambda w: "/api/v1/form-assignments/",
        detail_url=lambda obj: f"/api/v1/form-assignments/{obj.pk}/",
        row_id=lambda obj: str(obj.pk),
        visible_to=HOME,
    )
)
register(
    ScopedEndpoint(
        name="api-unplanned-demands",
        make=_demands,
        list_url=lambda w: "/api/v1/unplanned-demands/",
        detail_url=lambda obj: f"/api/v1/unplanned-demands/{obj.pk}/",
        row_id=lambda obj: str(obj.pk),
        visible_to=(*HOME, "monitor"),
    )
)
register(
    ScopedEndpoint(
        name="page-forms-plan",
        county_wide=True,
        make=_plans,
        list_url=lambda w: "/forms/",
        detail_url=lambda obj: f"/forms/plans/{obj.pk}/",
        row_id=lambda obj: f'href="/forms/plans/{obj.pk}/"',
        api=False,
        visible_to=HOME,
    )
)
register(
    ScopedEndpoint(
        name="page-plan-form",
        county_wide=True,
        make=_forms,
        list_url=lambda w: "/forms/",
        detail_url=lambda obj: f"/forms/forms/{obj.pk}/",
        row_id=lambda obj: f'href="/forms/forms/{obj.pk}/"',
        api=False,
        visible_to=(),
    )
)
register(
    ScopedEndpoint(
        name="page-unplanned-demands",
        make=_demands,
        list_url=lambda w: "/forms/unplanned/",
        detail_url=None,
        row_id=lambda obj: obj.village.name,
        api=False,
        visible_to=("township", "approver", "provadmin"),
    )
)
