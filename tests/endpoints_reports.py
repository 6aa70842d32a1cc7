"""The reports app's scoped endpoints and pages in the reusable permission suite (tests/permissions.py)."""

from __future__ import annotations

from datetime import date

from .permissions import ScopedEndpoint, register


def _tasks(world):
    from reports.models import PlanTask

    def make(county, task):
        return PlanTask.objects.create(
            division=county, number=1, task=task, measure="测试措施", lead_units="县民政局"
        )

    return make(world.county, "达茂旗测试任务甲"), make(world.other_county, "固阳县测试任务乙")


def _reports(world):
    from reports.models import Report

    return (
        Report.objects.create(
            division=world.county, kind="weekly", period_start=date(2031, 1, 6), period_end=date(2031, 1, 12)
        ),
        Report.objects.create(
            division=world.other_county,
            kind="weekly",
            period_start=date(2031, 2, 3),
            period_end=date(2031, 2, 9),
        ),
    )


READERS = ("approver", "provadmin")

register(
    ScopedEndpoint(
        name="api-plan-tasks",
        make=_tasks,
        list_url=lambda w: "/api/v1/plan-tasks/?page_size=500",
        detail_url=lambda obj: f"/api/v1/plan-tasks/{obj.pk}/",
        row_id=lambda obj: obj.task,
        visible_to=READERS,
        write=lambda c, obj: c.patch(
            f"/api/v1/plan-tasks/{obj.pk}/", {"status": "done"}, content_type="application/json"
        ),
        writers=("approver", "keeper"),
    )
)
register(
    ScopedEndpoint(
        name="api-reports",
        make=_reports,
        list_url=lambda w: "/api/v1/reports/?page_size=500",
        detail_url=lambda obj: f"/api/v1/reports/{obj.pk}/",
        row_id=lambda obj: obj.period_start.isoformat(),
        visible_to=READERS,
    )
)
register(
    ScopedEndpoint(
        name="page-reports",
        make=_reports,
        list_url=lambda w: "/reports/",
        detail_url=lambda obj: f"/reports/r/{obj.pk}/",
        row_id=lambda obj: f'href="/reports/r/{obj.pk}/"',
        api=False,
        visible_to=READERS,
    )
)
register(
    ScopedEndpoint(
        name="page-plan",
        make=_tasks,
        list_url=lambda w: "/reports/plan/",
        detail_url=lambda obj: f"/reports/plan/{obj.pk}/",
        row_id=lambda obj: obj.task,
        api=False,
        visible_to=READERS,
    )
)


def _ledger_jobs(world):
    from reports.models import LedgerJob

    def make(division, who):
        return LedgerJob.objects.create(
            division=division,
            date_from=date(2031, 1, 1),
            date_to=date(2031, 3, 31),
            created_by=world.user(who),
        )

    return make(world.county, "approver"), make(world.other_county, "outsider")


# A ledger written in the background is its requester's alone: everyone else, even in the county, gets a 404.
register(
    ScopedEndpoint(
        name="page-ledger-jobs",
        make=_ledger_jobs,
        list_url=lambda w: "/reports/",
        detail_url=lambda job: f"/reports/ledger/jobs/{job.pk}/",
        row_id=lambda job: f"/reports/ledger/jobs/{job.pk}/",
        api=False,
        visible_to=(),
    )
)
