"""The monitoring points' scoped endpoints and pages in the reusable permission suite.

A report is read by the monitor of its point, the county's organisation
department, provincial admins and auditors — never by townships or the
departments reported on. Every record is made in A1 (home county) and C1.
"""

from __future__ import annotations

from .permissions import ScopedEndpoint, register


def _root():
    from organisations.models import User

    return User.objects.filter(username="mon-root").first() or User.objects.create_superuser(
        "mon-root", password=None
    )


def _points(w):
    from monitoring import services
    from monitoring.models import MonitoringPoint

    existing = MonitoringPoint.objects.filter(village__in=[w.village_a1, w.village_c1]).order_by(
        "-village_id"
    )
    if existing.count() == 2:
        return tuple(existing)
    root = _root()
    inside = services.point_designate(user=root, village=w.village_a1)
    services.monitor_assign(user=root, point_id=inside.pk, monitor=w.user("monitor"))
    outside = services.point_designate(user=root, village=w.village_c1)
    return inside, outside


def _reports(w):
    from django.utils import timezone

    from monitoring import services
    from monitoring.models import BurdenReport

    existing = BurdenReport.objects.filter(village__in=[w.village_a1, w.village_c1]).order_by("-village_id")
    if existing.count() == 2:
        return tuple(existing)
    _points(w)
    root = _root()
    data = {"kind": "proof", "description": "要求每日上传工作截图", "seen_on": timezone.localdate()}
    inside = services.report_file(
        user=w.user("monitor"), village=w.village_a1, data=data, institution_name="某局"
    )
    outside = services.report_file(user=root, village=w.village_c1, data=data, institution_name="某局")
    return inside, outside


READERS = ("monitor", "reviewer_org", "auditor", "provadmin")

register(
    ScopedEndpoint(
        name="api-monitoring-points",
        make=_points,
        list_url=lambda w: "/api/v1/monitoring-points/?page_size=500",
        detail_url=lambda obj: f"/api/v1/monitoring-points/{obj.pk}/",
        row_id=lambda obj: str(obj.pk),
        visible_to=READERS,
        write=lambda client, obj: client.post(f"/api/v1/monitoring-points/{obj.pk}/end/", {}),
        writers=("reviewer_org",),
    )
)
register(
    ScopedEndpoint(
        name="api-burden-reports",
        make=_reports,
        list_url=lambda w: "/api/v1/burden-reports/?page_size=500",
        detail_url=lambda obj: f"/api/v1/burden-reports/{obj.pk}/",
        row_id=lambda obj: str(obj.pk),
        visible_to=READERS,
        write=lambda client, obj: client.post(
            f"/api/v1/burden-reports/{obj.pk}/close/",
            {"outcome": "unfounded", "reason": "核实不属实"},
            content_type="application/json",
        ),
        writers=("reviewer_org",),
    )
)
register(
    ScopedEndpoint(
        name="page-burden-reports",
        make=_reports,
        list_url=lambda w: "/monitoring/reports/",
        detail_url=lambda obj: f"/monitoring/reports/{obj.pk}/",
        row_id=lambda obj: f'href="/monitoring/reports/{obj.pk}/"',
        api=False,
        visible_to=READERS,
    )
)
register(
    ScopedEndpoint(
        name="page-monitoring-points",
        make=_points,
        list_url=lambda w: "/monitoring/points/",
        detail_url=None,
        row_id=lambda obj: f'id="point-{obj.pk}"',
        api=False,
        visible_to=READERS,
    )
)


def _changes(client, obj):
    return client.post(
        f"/api/v1/burden-reports/{obj.pk}/revise/",
        {"description": "改过的说明"},
        content_type="application/json",
    )


register(
    ScopedEndpoint(
        name="api-burden-reports-revise",
        make=_reports,
        list_url=lambda w: "/api/v1/burden-reports/?page_size=500",
        detail_url=lambda obj: f"/api/v1/burden-reports/{obj.pk}/",
        row_id=lambda obj: str(obj.pk),
        visible_to=READERS,
        write=_changes,
        writers=("monitor",),
    )
)
register(
    ScopedEndpoint(
        name="api-burden-reports-withdraw",
        make=_reports,
        list_url=lambda w: "/api/v1/burden-reports/?page_size=500",
        detail_url=lambda obj: f"/api/v1/burden-reports/{obj.pk}/",
        row_id=lambda obj: str(obj.pk),
        visible_to=READERS,
        write=lambda client, obj: client.post(
            f"/api/v1/burden-reports/{obj.pk}/withdraw/",
            {"reason": "重复上报"},
            content_type="application/json",
        ),
        writers=("monitor",),
    )
)
register(
    ScopedEndpoint(
        name="api-burden-reports-take-up",
        make=_reports,
        list_url=lambda w: "/api/v1/burden-reports/?page_size=500",
        detail_url=lambda obj: f"/api/v1/burden-reports/{obj.pk}/",
        row_id=lambda obj: str(obj.pk),
        visible_to=READERS,
        write=lambda client, obj: client.post(f"/api/v1/burden-reports/{obj.pk}/take-up/"),
        writers=("reviewer_org",),
    )
)
register(
    ScopedEndpoint(
        name="page-burden-report-edit",
        make=_reports,
        list_url=lambda w: "/monitoring/reports/",
        detail_url=lambda obj: f"/monitoring/reports/{obj.pk}/edit/",
        row_id=lambda obj: f'href="/monitoring/reports/{obj.pk}/"',
        api=False,
        visible_to=("monitor",),
        write=lambda client, obj: client.post(
            f"/monitoring/reports/{obj.pk}/edit/",
            {"kind": "proof", "institution_name": "某局", "description": "改过", "seen_on": "2026-01-05"},
        ),
        writers=("monitor",),
    )
)
register(
    ScopedEndpoint(
        name="page-burden-report-withdraw",
        make=_reports,
        list_url=lambda w: "/monitoring/reports/",
        detail_url=lambda obj: f"/monitoring/reports/{obj.pk}/withdraw/",
        row_id=lambda obj: f'href="/monitoring/reports/{obj.pk}/"',
        api=False,
        visible_to=("monitor",),
        write=lambda client, obj: client.post(
            f"/monitoring/reports/{obj.pk}/withdraw/", {"reason": "重复上报"}
        ),
        writers=("monitor",),
    )
)


def _import_jobs(w):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from monitoring.models import MonitoringImportJob

    existing = MonitoringImportJob.objects.order_by("-division_id")
    if existing.count() == 2:
        return tuple(existing)
    jobs = []
    for county in (w.county, w.other_county):
        job = MonitoringImportJob(division=county, created_by=_root(), original_name="监测点.csv")
        job.file.save("监测点.csv", SimpleUploadedFile("监测点.csv", "村代码\n".encode()), save=False)
        job.save()
        jobs.append(job)
    return jobs[0], jobs[1]


register(
    ScopedEndpoint(
        name="page-monitoring-imports",
        make=_import_jobs,
        list_url=lambda w: "/monitoring/points/import/",
        detail_url=lambda obj: f"/monitoring/points/import/{obj.pk}/",
        row_id=lambda obj: f'href="/monitoring/points/import/{obj.pk}/"',
        api=False,
        visible_to=("reviewer_org",),
        write=lambda client, obj: client.post(f"/monitoring/points/import/{obj.pk}/confirm/"),
        writers=("reviewer_org",),
    )
)
