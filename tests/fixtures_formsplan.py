"""The forms plan's shared fixtures: the home county's 2027 draft plan with two departments' forms."""

from __future__ import annotations

import pytest

YEAR = 2027


def draft_plan(world):
    """The home county's draft plan, with civil affairs' form (身份证号) and agriculture's (联系电话)."""
    from formsplan import services
    from formsplan.models import PlanForm

    integrator = world.user("reviewer_org")
    plan = services.plan_get_or_create(county=world.county, year=YEAR, user=integrator)
    if not PlanForm.objects.filter(plan=plan).exists():
        services.form_register(
            user=integrator,
            plan=plan,
            name="困难群众基本情况摸底表",
            fields=[{"name": "姓名", "kind": "text"}, {"name": "身份证号", "kind": "id_number"}],
            frequency=4,
            minutes=30,
            owner=world.orgs["civil"],
        )
        services.form_register(
            user=integrator,
            plan=plan,
            name="草场承包经营情况统计表",
            fields=[{"name": "户主姓名", "kind": "text"}, {"name": "联系电话", "kind": "phone"}],
            frequency=2,
            owner=world.orgs["agri"],
        )
    return plan


@pytest.fixture
def forms_plan(world):
    return draft_plan(world)


@pytest.fixture
def approved_plan(world, forms_plan):
    from formsplan import services

    services.plan_approve(
        user=world.user("approver"), plan=forms_plan, reason="经旗委旗政府统一部署，年初下达。"
    )
    forms_plan.refresh_from_db()
    return forms_plan
