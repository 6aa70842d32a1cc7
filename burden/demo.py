"""Demo: the county's burden with a real change against a baseline.

Called by ``manage.py seed_demo`` after the catalogue, certificates, plaques and
gate demos. The demo county's catalogue gets a second version (演示数据) that
cuts a third of its autonomy and assist items, as the county's clean-up would
(seed 001: "取消340项…负担减轻50%以上" is the kind of figure this shows, not
a claim about this county); then the summary tables are filled for a baseline
before the cut and for the first of each of the last twelve months, so the
dashboard opens on a change it can explain row by row. Safe to re-run.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from catalogs import selectors as catalog_selectors
from catalogs import services as catalog_services
from divisions.models import Division
from organisations.models import User

from .summaries import summaries_refresh, summaries_roll_up, trend_dates

COUNTY = "150223000000"
CUT_EFFECTIVE = date(2025, 7, 1)
BASELINE = date(2025, 1, 1)
NOTE = "演示数据：清理精简村级工作事务（取消部分自治、协助事项）"


@transaction.atomic
def _cut(county: Division, keeper: User, approver: User) -> int:
    """Cancel every third autonomy and assist item through the dynamic-management procedure, then publish."""
    catalogue = catalog_selectors.catalogue_for(county)
    if catalogue is None or catalogue.division_id != county.code:
        return 0
    if catalogue.versions.filter(note=NOTE).exists():
        return 0
    in_force = catalog_selectors.items_in_force(county, CUT_EFFECTIVE)
    codes = list(
        in_force.filter(kind__in=["autonomy", "assist"]).order_by("code").values_list("code", flat=True)
    )
    for code in codes[2::3]:
        proposal = catalog_services.change_proposal_create(
            catalogue=catalogue, action="cancel", item_data={}, item_code=code, proposed_by=keeper,
            reason="演示数据：经清理，该事项不再由村级组织承担", source="演示数据",
        )  # fmt: skip
        catalog_services.change_proposal_consult(proposal=proposal, user=keeper, opinion="已征求相关部门意见")
        catalog_services.change_proposal_assess(proposal=proposal, user=keeper, opinion="评估同意取消")
        catalog_services.change_proposal_approve(proposal=proposal, user=approver, opinion="同意取消")
    draft = catalog_services.draft_get_or_create(catalogue=catalogue, user=keeper)
    catalog_services.version_publish(version=draft, effective_from=CUT_EFFECTIVE, user=keeper, note=NOTE)
    return len(codes[2::3])


def seed(stdout) -> None:
    county = Division.objects.filter(code=COUNTY).first()
    keeper = User.objects.filter(username="keeper").first()
    approver = User.objects.filter(username="approver").first()
    if county is None or keeper is None or approver is None:
        stdout.write("burden: demo county missing, nothing done")
        return
    cut = _cut(county, keeper, approver)
    days = sorted({BASELINE, *trend_dates(timezone.localdate(), 12)})
    for day in days:
        summaries_refresh(county=county, on=day)
        summaries_roll_up(on=day)
    stdout.write(f"burden: {cut} items cut in the demo catalogue; summaries kept for {len(days)} dates")
