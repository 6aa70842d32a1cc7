"""A monitor's report of an unplanned form and the forms plan: one demand, counted once, at the monitor's points only."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from formsplan import selectors as forms_selectors
from formsplan import services as forms_services
from formsplan.models import UnplannedDemand
from monitoring.burden_sources import SOURCES as MONITORING_SOURCES


def test_a_reported_unplanned_form_counts_against_its_institution_in_the_forms_plan(world, file_report):
    report = file_report(
        institution="旗统计局",
        kind="unplanned_form",
        form_name="农户收入情况调查表",
        description="要求三天内填报",
    )
    demand = UnplannedDemand.objects.get()
    assert (demand.village_id, demand.form_name, demand.institution.name) == (
        world.village_a1.pk,
        "农户收入情况调查表",
        "旗统计局",
    )
    assert demand.demanded_on == report.seen_on
    ranked = forms_selectors.unplanned_demands_by_institution(world.county, report.seen_on, report.seen_on)
    assert [(r["name"], r["count"]) for r in ranked] == [("旗统计局", 1)]
    # The monitors' own line leaves unplanned forms to the forms plan: counted once.
    others = next(s for s in MONITORING_SOURCES if s.key == "burden_reports")
    from divisions.models import Division

    villages = Division.objects.filter(pk=world.village_a1.pk)
    assert not (others.per_village(villages, report.seen_on) or {}).get(world.village_a1.pk)


def test_a_monitor_records_unplanned_demands_only_at_their_points(world, points):
    monitor = world.user("monitor")
    from django.utils import timezone

    with pytest.raises(ValidationError):
        forms_services.unplanned_demand_record(
            user=monitor,
            village=world.village_a2,  # a monitoring point, but not theirs
            form_name="表",
            institution_name="旗统计局",
            demanded_on=timezone.localdate(),
        )
    assert not UnplannedDemand.objects.exists()
    forms_services.unplanned_demand_record(
        user=monitor,
        village=world.village_a1,
        form_name="表",
        institution_name="旗统计局",
        demanded_on=timezone.localdate(),
    )
    assert UnplannedDemand.objects.count() == 1


def test_a_reported_assessment_is_checked_against_the_assessment_items_list(world, file_report, login):
    report = file_report(
        institution="旗文明办", kind="assessment", description="年底搞文明村排名，末位一票否决"
    )
    page = login("reviewer_org").get(f"/monitoring/reports/{report.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="assessment-listing"' in html
    assert "未列入清单" in html  # the test county has no assessment items list: unauthorised


def _ranked(world, on):
    return [
        (r["name"], r["count"])
        for r in forms_selectors.unplanned_demands_by_institution(world.county, on, on)
    ]


def test_withdrawing_the_report_withdraws_its_demand_and_it_no_longer_counts(world, file_report, login):
    from audit.models import AuditEvent
    from divisions.models import Division
    from formsplan.burden_sources import SOURCES as FORMS_SOURCES
    from monitoring import services as monitoring_services

    report = file_report(institution="旗统计局", kind="unplanned_form", form_name="农户收入情况调查表")
    villages = Division.objects.filter(pk=world.village_a1.pk)
    line = next(s for s in FORMS_SOURCES if s.key == "forms_unplanned")
    assert line.per_village(villages, report.seen_on)[world.village_a1.pk][0] == 1
    assert _ranked(world, report.seen_on) == [("旗统计局", 1)]

    monitoring_services.report_withdraw(user=world.user("monitor"), report_id=report.pk, reason="重复报告")
    demand = UnplannedDemand.objects.get()
    # Withdrawn with a neutral reason: the reporter's own words stay in monitoring (the institutions' side reads this).
    assert demand.withdrawn_at is not None and demand.withdrawal_reason == "所依据的监测报告已由报告人撤回。"
    assert not line.per_village(villages, report.seen_on).get(world.village_a1.pk)
    assert _ranked(world, report.seen_on) == []
    assert AuditEvent.objects.filter(action="formsplan.unplanned_withdraw", object_id=str(demand.pk)).exists()
    # Still listed, marked, with its reason: nothing disappears from the record.
    page = login("township").get(reverse("formsplan:unplanned")).content.decode()
    assert 'data-testid="demand-withdrawn"' in page and "已由报告人撤回" in page and "重复报告" not in page


def test_a_corrected_report_corrects_its_demand(world, file_report):
    from monitoring import services as monitoring_services

    report = file_report(institution="旗统计局", kind="unplanned_form", form_name="农户收入调查表")
    monitoring_services.report_edit(
        user=world.user("monitor"),
        report_id=report.pk,
        data={"form_name": "农户收入情况调查表"},
        institution_name="旗农牧局",
    )
    demand = UnplannedDemand.objects.get()
    assert (demand.form_name, demand.institution.name) == ("农户收入情况调查表", "旗农牧局")
    assert _ranked(world, report.seen_on) == [("旗农牧局", 1)]


def test_demands_recorded_before_the_link_are_linked_to_their_reports_and_withdrawn_with_them(
    world, file_report
):
    import importlib

    from django.apps import apps

    from monitoring import services as monitoring_services

    kept = file_report(institution="旗统计局", kind="unplanned_form", form_name="甲表")
    gone = file_report(institution="旗统计局", kind="unplanned_form", form_name="乙表")
    monitoring_services.report_withdraw(user=world.user("monitor"), report_id=gone.pk, reason="报错了")
    # As recorded before demands named their report: no key, not withdrawn.
    UnplannedDemand.objects.update(source_key="", withdrawn_at=None, withdrawal_reason="")
    migration = importlib.import_module("formsplan.migrations.0002_unplanned_withdrawal")
    migration.link_monitor_reports(apps, None)
    by_form = {d.form_name: d for d in UnplannedDemand.objects.all()}
    assert (
        by_form["甲表"].source_key == f"monitoring.report:{kept.pk}" and by_form["甲表"].withdrawn_at is None
    )
    assert by_form["乙表"].source_key == f"monitoring.report:{gone.pk}"
    assert by_form["乙表"].withdrawal_reason == "所依据的监测报告已由报告人撤回。"
    assert by_form["乙表"].withdrawn_at is not None
