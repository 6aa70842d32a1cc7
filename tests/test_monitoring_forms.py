"""A monitor's report of an unplanned form and the forms plan: one demand, counted once, at the monitor's points only."""

import pytest
from django.core.exceptions import ValidationError

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
