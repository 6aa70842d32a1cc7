"""The gate's scoped endpoints in the reusable permission suite (tests/permissions.py)."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from divisions.models import Division
from organisations.choices import OrgKind, Role

from . import factories as f
from .conftest import CAST
from .permissions import ScopedEndpoint, register


def _request(world, county, org, user, status="approved"):
    from gate.models import AccessRequest

    today = timezone.localdate()
    req = AccessRequest.objects.create(
        number=f"ZR{county.code[:6]}-{today:%Y}-P{org.pk}-{AccessRequest.objects.count() + 1}",
        division=county,
        organisation=org,
        created_by=user,
        title=f"测试任务{county.code[:6]}",
        description="组织村民参加植树",
        village_role="assist",
        starts_on=today,
        ends_on=today + timedelta(days=30),
        frequency="once",
        status=status,
        approved_until=today + timedelta(days=30),
    )
    return req


def requests(world):
    inside = _request(world, world.county, world.orgs["emergency"], world.user("submitter"))
    org = f.OrganisationFactory(kind=OrgKind.COUNTY_DEPARTMENT, division=world.other_county)
    user = f.UserFactory(role=Role.DEPT_SUBMITTER, organisation=org)
    outside = _request(world, world.other_county, org, user)
    return inside, outside


def drafts(world):
    """A department's unsubmitted draft: its own department sees it, nobody else (issue 15)."""
    inside = _request(world, world.county, world.orgs["emergency"], world.user("submitter"), status="draft")
    org = f.OrganisationFactory(kind=OrgKind.COUNTY_DEPARTMENT, division=world.other_county)
    user = f.UserFactory(role=Role.DEPT_SUBMITTER, organisation=org)
    outside = _request(world, world.other_county, org, user, status="draft")
    return inside, outside


# Everyone in the county and the province except the filing department.
DRAFT_HIDDEN_FROM = tuple(name for name, _role, _org in CAST if name not in ("submitter", "outsider"))


def tasks(world):
    from gate.models import VillageTask
    from gate.services import village_tasks_create

    inside_req, outside_req = requests(world)
    today = timezone.localdate()
    for req, village in ((inside_req, world.village_a1), (outside_req, world.village_c1)):
        with transaction.atomic():
            village_tasks_create(
                user=req.created_by,
                county=req.division,
                villages=Division.objects.filter(pk=village.pk),
                title=req.title,
                village_role="assist",
                starts_on=today,
                due_on=today + timedelta(days=10),
                organisation_id=req.organisation_id,
                access_request=req,
            )
    return (
        VillageTask.objects.get(village=world.village_a1, access_request=inside_req),
        VillageTask.objects.get(village=world.village_c1, access_request=outside_req),
    )


register(
    ScopedEndpoint(
        name="api-access-requests",
        make=requests,
        list_url=lambda w: "/api/v1/access-requests/?page_size=500",
        detail_url=lambda obj: f"/api/v1/access-requests/{obj.pk}/",
        row_id=lambda obj: obj.number,
        visible_to=("submitter", "approver", "reviewer_org", "auditor", "provadmin"),
    )
)
register(
    ScopedEndpoint(
        name="api-village-tasks",
        make=tasks,
        list_url=lambda w: "/api/v1/village-tasks/?page_size=500",
        detail_url=lambda obj: f"/api/v1/village-tasks/{obj.pk}/",
        row_id=lambda obj: f"{obj.village_id}",
        visible_to=("township", "submitter", "approver", "provadmin"),
    )
)
register(
    ScopedEndpoint(
        name="page-access-requests",
        make=requests,
        list_url=lambda w: "/gate/",
        detail_url=lambda obj: f"/gate/requests/{obj.pk}/",
        row_id=lambda obj: obj.number,
        api=False,
        visible_to=("submitter", "approver", "reviewer_civil", "provadmin"),
    )
)
register(
    ScopedEndpoint(
        name="page-village-tasks",
        make=tasks,
        list_url=lambda w: "/gate/tasks/",
        detail_url=None,
        row_id=lambda obj: f'data-testid="task-{obj.pk}"',
        api=False,
        visible_to=("township", "submitter", "approver", "provadmin"),
    )
)
register(
    ScopedEndpoint(
        name="api-access-request-drafts",
        make=drafts,
        list_url=lambda w: "/api/v1/access-requests/?page_size=500",
        detail_url=lambda obj: f"/api/v1/access-requests/{obj.pk}/",
        row_id=lambda obj: obj.number,
        visible_to=("submitter",),
        hidden_from=DRAFT_HIDDEN_FROM,
    )
)
register(
    ScopedEndpoint(
        name="page-access-request-drafts",
        make=drafts,
        list_url=lambda w: "/gate/",
        detail_url=lambda obj: f"/gate/requests/{obj.pk}/",
        row_id=lambda obj: obj.number,
        api=False,
        visible_to=("submitter",),
        hidden_from=DRAFT_HIDDEN_FROM,
    )
)
register(
    ScopedEndpoint(
        name="page-village-task-detail",
        make=tasks,
        list_url=lambda w: "/gate/tasks/",
        detail_url=lambda obj: f"/gate/tasks/{obj.pk}/",
        row_id=lambda obj: f'data-testid="task-{obj.pk}"',
        api=False,
        visible_to=("township", "submitter", "approver", "provadmin"),
    )
)
