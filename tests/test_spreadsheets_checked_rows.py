"""The checked rows a preview keeps come back to the apply exactly as they were checked."""

import math
from datetime import UTC, date, datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from spreadsheets.imports import dump_row, load_row

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.integers(),  # past 64 bits too
    st.floats(allow_nan=False),
    st.text(max_size=40),
    st.decimals(allow_nan=False, allow_infinity=False, places=2),
    st.dates(),
    st.datetimes(timezones=st.just(UTC)),
)
# Keys beginning with "$" are the encoding's own (spreadsheets/imports.py): rows never carry one.
keys = st.text(min_size=1, max_size=12).filter(lambda k: not k.startswith("$"))
nested_keys = st.text(max_size=8).filter(lambda k: not k.startswith("$"))
values = st.dictionaries(
    keys,
    st.one_of(scalars, st.lists(st.dictionaries(nested_keys, scalars, max_size=3), max_size=3)),
    max_size=8,
)


@given(st.integers(1, 10**6), values)
def test_a_checked_row_round_trips_whatever_it_holds(n, row):
    line = dump_row(n, row)
    assert line.endswith(b"\n") and b"\n" not in line[:-1]
    assert load_row(line) == (n, row)


def test_types_and_places_survive_and_text_that_looks_like_a_tag_stays_text():
    row = {
        "hours_per_year": Decimal("1.50"),
        "effective_from": date(2026, 1, 1),
        "seen": datetime(2026, 1, 1, 8, 30, tzinfo=UTC),
        "name": '{"$decimal": "1"}',
        "legal_basis": [{"instrument": "村民委员会组织法", "article": "第五条", "amount": Decimal("2.0")}],
        "code": "ZZ-01",
    }
    n, back = load_row(dump_row(7, row))
    assert n == 7 and back == row
    assert str(back["hours_per_year"]) == "1.50"
    assert type(back["effective_from"]) is date and type(back["seen"]) is datetime
    assert back["name"] == '{"$decimal": "1"}'
    assert str(back["legal_basis"][0]["amount"]) == "2.0"
    # The caller's dict is left as it was (the check goes on using it).
    assert row["hours_per_year"] == Decimal("1.50")


def test_rows_kept_before_the_tags_still_load():
    old = '[3, {"hours_per_year": {"$decimal": "2.5"}, "effective_from": {"$date": "2026-03-01"}, "name": "事项"}]\n'
    assert load_row(old) == (
        3,
        {"hours_per_year": Decimal("2.5"), "effective_from": date(2026, 3, 1), "name": "事项"},
    )


def test_nan_infinity_and_huge_numbers_come_back_as_they_were():
    row = {"a": math.nan, "b": [math.inf, {"c": -math.inf}], "d": 10**30, "e": "文字"}
    n, back = load_row(dump_row(1, row))
    assert n == 1 and math.isnan(back["a"]) and back["b"] == [math.inf, {"c": -math.inf}]
    assert back["d"] == 10**30 and back["e"] == "文字"
