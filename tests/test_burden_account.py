"""The burden account against a county worked out by hand (tests/fixtures_burden.py)."""

from __future__ import annotations

import pytest

from burden import registry, selectors

# Worked out by hand from the fixture's docstring (3 villages: A1, A2, B1).
TODAY = {
    # v2: ZZ-01 10 h × 3 villages
    "catalog_autonomy": (3, 30.0, False),
    # v2: XZ-01 6 h × 3; XZ-04 ended yesterday
    "catalog_assist": (3, 18.0, False),
    # R1: 3 tasks × 1.5 h × 12 = 54; R2: 1 task × 2 h (default) × 52 = 104
    "gate_tasks": (4, 158.0, True),
    # two hanging in A1 × 1 h; the third was removed yesterday
    "plaques_hung": (2, 2.0, True),
    # one open finding × 2 h
    "plaques_noncompliant": (1, 2.0, True),
}
BASELINE = {
    # v1: ZZ-01 10 h + ZZ-02 2 h (default) = 2 items, 12 h, × 3 villages
    "catalog_autonomy": (6, 36.0, True),
    # v1: XZ-01 6 + XZ-02 4 + XZ-03 5 = 3 items, 15 h, × 3 villages
    "catalog_assist": (9, 45.0, False),
    # nothing had started (the gate has records: 0, not "not recorded")
    "gate_tasks": (0, 0.0, False),
    # the plaques were recorded after the baseline
    "plaques_hung": (0, 0.0, False),
    "plaques_noncompliant": (0, 0.0, False),
}
NOT_RECORDED_HERE = {"mechanisms", "certificates_issued", "certificates_refused", "certificates_committed"}


def test_every_figure_matches_the_hand_computed_county(world, small_county):
    result = selectors.account(world.county, small_county.today)
    assert result.villages == 3
    for key, (count, hours, estimated) in TODAY.items():
        line = result.line(key)
        assert line.recorded, key
        assert (line.count, line.hours, line.estimated) == (count, hours, estimated), key
    assert (result.totals.count, result.totals.hours) == (3 + 3 + 4 + 2 + 1, 30 + 18 + 158 + 2 + 2)


def test_the_baseline_account_reads_the_records_as_they_stood(world, small_county):
    result = selectors.account(world.county, small_county.baseline)
    for key, (count, hours, estimated) in BASELINE.items():
        line = result.line(key)
        assert line.recorded, key
        assert (line.count, line.hours, line.estimated) == (count, hours, estimated), key


def test_not_recorded_is_not_zero(world, small_county):
    result = selectors.account(world.county, small_county.today)
    for key in NOT_RECORDED_HERE:
        line = result.line(key)
        assert line.recorded is False and line.count is None and line.hours is None, key
    # Every expected line has its app; the apps with no record in this county say "not recorded", not 0.
    assert {e.key for e in registry.EXPECTED} <= set(registry.discovered())
    for key in (
        "forms_planned",
        "forms_unplanned",
        "inspections",
        "burden_reports",
        "work_groups",
        "work_apps",
    ):
        line = result.line(key)
        assert line.recorded is False and line.count is None, key
    # Totals count only the lines recorded.
    assert result.totals.count == sum(c for c, _h, _e in TODAY.values())
    # A county with no record of any kind: every line not recorded, the total too.
    empty = selectors.account(world.other_county, small_county.today)
    assert not any(line.recorded for line in empty.lines) and not empty.totals.recorded


def test_change_against_the_baseline_in_counts_hours_and_percent(world, small_county):
    result = selectors.account(world.county, small_county.today, small_county.baseline)
    autonomy = result.line("catalog_autonomy").change
    assert (autonomy.count, autonomy.hours) == (3 - 6, 30.0 - 36.0)
    assert autonomy.count_pct == -50.0 and autonomy.hours_pct == round(-6 * 100 / 36, 1) == -16.7
    assist = result.line("catalog_assist").change
    assert (assist.count, assist.hours, assist.count_pct, assist.hours_pct) == (-6, -27.0, -66.7, -60.0)
    gate = result.line("gate_tasks").change
    assert (gate.count, gate.hours) == (4, 158.0) and gate.count_pct is None  # from 0: no %
    assert result.line("mechanisms").change is None  # not recorded: no change either
    total = result.totals.change
    assert (result.totals.baseline_count, result.totals.baseline_hours) == (15, 81.0)
    assert (total.count, total.hours) == (13 - 15, 210.0 - 81.0)
    assert total.count_pct == round(-2 * 100 / 15, 1) and total.hours_pct == round(129 * 100 / 81, 1)


def test_drill_down_shows_the_rows_and_what_was_added_and_removed(world, small_county):
    drill = selectors.drilldown(world.county, "catalog_autonomy", small_county.today, small_county.baseline)
    assert [r["what"] for r in drill.rows] == ["ZZ-01 召开村民会议"]
    assert [r["what"] for r in drill.baseline_rows] == ["ZZ-01 召开村民会议", "ZZ-02 村务公开"]
    assert [r["what"] for r in drill.removed] == ["ZZ-02 村务公开"] and drill.added == []
    assert drill.baseline_rows[1]["estimated"] and drill.baseline_rows[1]["hours"] == 6.0  # 2 h × 3
    gate = selectors.drilldown(world.county, "gate_tasks", small_county.today, small_county.baseline)
    assert len(gate.added) == 4 and gate.removed == []
    assert sum(r["hours"] for r in gate.rows) == 158.0
    assert {r["basis"] for r in gate.rows} == {"1.5 h × 12 / year", "2 h × 52 / year"}
    missing = selectors.drilldown(world.county, "mechanisms", small_county.today)
    assert not missing.recorded and missing.rows == []


def test_a_township_and_a_village_have_their_own_accounts(world, small_county):
    township = selectors.account(world.township_a, small_county.today)
    assert township.villages == 2
    assert (township.line("gate_tasks").count, township.line("gate_tasks").hours) == (3, 54.0 * 2 / 3 + 104)
    village = selectors.account(world.village_b1, small_county.today)
    assert village.villages == 1
    # B1's task is done but its request is in force: the village still carries it this year.
    assert (village.line("gate_tasks").count, village.line("catalog_autonomy").hours) == (1, 10.0)
    # Nobody has recorded B1's plaques: "not recorded" there, though A1's are.
    assert village.line("plaques_hung").recorded is False
    assert selectors.account(world.village_a1, small_county.today).line("plaques_hung").count == 2


@pytest.mark.parametrize("key", sorted(TODAY))
def test_per_village_split_adds_up_to_the_account(world, small_county, key):
    source = registry.discovered()[key]
    per = source.per_village(selectors.villages_of(world.county), small_county.today)
    assert sum(v[0] for v in per.values()) == TODAY[key][0]
    assert set(per) <= {world.village_a1.code, world.village_a2.code, world.village_b1.code}
