"""Price cliffs of all-units schedules, checked against brute force over every volume."""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from b2b_loyalty.domain.discount_schedule import ScheduleValidationError, parse_schedule
from b2b_loyalty.domain.price_breakdown import price_breakdown
from b2b_loyalty.domain.price_cliffs import PriceCliff, find_price_cliffs

D = Decimal


def schedule_of(basis: str, mode: str, *tiers: tuple[str, str], currency: str = "EUR"):
    return parse_schedule(
        basis, mode, [{"from": f, "percent": p} for f, p in tiers], currency=currency
    )


COAT = schedule_of("amount", "all_units", ("0", "0"), ("10000", "5"), ("20000", "10"))
LAMPS_ALL_UNITS = schedule_of(
    "quantity", "all_units", ("0", "0"), ("100", "5"), ("200", "10"), ("300", "20")
)


def test_coat_schedule_cliffs_start_where_buying_the_threshold_gets_cheaper():
    assert find_price_cliffs(COAT) == [
        # 9,500.01 list costs more than 10,000 at 5 % off (9,500.00).
        PriceCliff(D(10000), D(0), D(5), D("9500.01"), D("9500.00")),
        # 18,000 / 0.95 = 18,947.368…; 18,947.37 still rounds to a net of 18,000.00.
        PriceCliff(D(20000), D(5), D(10), D("18947.38"), D("18000.00")),
    ]


def test_lamp_packs_all_units_cliffs_in_whole_packs():
    assert find_price_cliffs(LAMPS_ALL_UNITS, unit_price=D("10.00")) == [
        PriceCliff(D(100), D(0), D(5), D(96), D("950.00")),
        PriceCliff(D(200), D(5), D(10), D(190), D("1800.00")),
        PriceCliff(D(300), D(10), D(20), D(267), D("2400.00")),
    ]
    assert price_breakdown(LAMPS_ALL_UNITS, quantity=96, unit_price=D(10)).net_total == D("960.00")
    assert price_breakdown(LAMPS_ALL_UNITS, quantity=95, unit_price=D(10)).net_total == D("950.00")


def test_incremental_schedules_have_no_cliffs():
    lamps = schedule_of("quantity", "incremental", ("0", "0"), ("100", "5"), ("300", "20"))

    assert find_price_cliffs(lamps, unit_price=D(10)) == []


def test_a_lower_rate_after_a_threshold_is_not_a_cliff():
    schedule = schedule_of("quantity", "all_units", ("0", "10"), ("50", "5"))

    assert find_price_cliffs(schedule, unit_price=D(1)) == []


def test_a_steep_cliff_reaches_down_through_an_earlier_tier():
    # 101 packs at 50 % cost 50.50, less than anything from 51 packs up to 100.
    schedule = schedule_of("quantity", "all_units", ("0", "0"), ("100", "1"), ("101", "50"))

    assert find_price_cliffs(schedule, unit_price=D(1)) == [
        PriceCliff(D(101), D(1), D(50), D(51), D("50.50"))
    ]


def test_a_free_tier_makes_everything_below_it_a_cliff():
    schedule = schedule_of("quantity", "all_units", ("0", "0"), ("10", "100"))

    assert find_price_cliffs(schedule, unit_price=D(3)) == [
        PriceCliff(D(10), D(0), D(100), D(1), D("0.00"))
    ]


def test_fractional_quantity_threshold_is_bought_at_the_next_whole_unit():
    schedule = schedule_of("quantity", "all_units", ("0", "0"), ("9.5", "20"))

    # 10 units at 20 % = 8.00; 9 units = 9.00 costs more, 8 units = 8.00 does not.
    assert find_price_cliffs(schedule, unit_price=D(1)) == [
        PriceCliff(D("9.5"), D(0), D(20), D(9), D("8.00"))
    ]


def test_quantity_schedule_needs_a_unit_price_to_find_cliffs():
    with pytest.raises(ScheduleValidationError) as info:
        find_price_cliffs(LAMPS_ALL_UNITS)

    assert set(info.value.field_errors) == {"unit_price"}


# --- brute force: every reported cliff is real and none is missed ---------------------


@st.composite
def all_units_schedules(draw, basis: str, max_bound: int, fractional: bool = False):
    count = draw(st.integers(1, 6))
    starts = sorted(
        draw(st.sets(st.integers(1, max_bound), min_size=count - 1, max_size=count - 1))
    )
    if fractional:
        # Halves test thresholds that fall between whole units.
        starts = sorted({D(s) / 2 for s in starts if s > 1} or {D(1)})
    # Rates rise as usual, but sometimes fall, to test odd schedules too.
    percents = draw(
        st.lists(st.integers(0, 100), min_size=len(starts) + 1, max_size=len(starts) + 1)
    )
    if draw(st.booleans()):
        percents.sort()
    tiers = [
        {"from": str(bound), "percent": str(percent)}
        for bound, percent in zip([0, *starts], percents, strict=True)
    ]
    return parse_schedule(basis, "all_units", tiers)


def assert_cliffs_match_brute_force(schedule, cliffs, grid, net):
    """``net[i]`` is the net total of volume ``grid[i]``; ``grid`` goes past the last bound."""
    # A volume overpays when some larger volume costs strictly less.
    overpaying = set()
    cheapest_above = None
    for index in range(len(grid) - 1, -1, -1):
        if cheapest_above is not None and cheapest_above < net[index]:
            overpaying.add(grid[index])
        cheapest_above = net[index] if cheapest_above is None else min(cheapest_above, net[index])

    position = {volume: index for index, volume in enumerate(grid)}
    covered = set()
    for cliff in cliffs:
        entry = next(v for v in grid if v >= cliff.threshold)
        assert cliff.total_at_threshold == net[position[entry]]
        inside = [v for v in grid if cliff.cliff_starts_at <= v < cliff.threshold]
        assert inside, f"empty cliff reported: {cliff}"
        # Real: every volume in the range costs more than buying at the threshold.
        assert all(net[position[v]] > cliff.total_at_threshold for v in inside), cliff
        # Maximal: one step further down is no longer dearer.
        first = position[inside[0]]
        assert first == 0 or net[first - 1] <= cliff.total_at_threshold, cliff
        assert cliff.percent_at > cliff.percent_before
        covered.update(inside)
    # None missed, none invented.
    assert covered == overpaying
    assert [c.threshold for c in cliffs] == sorted(c.threshold for c in cliffs)


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(
        all_units_schedules("quantity", max_bound=60),
        all_units_schedules("quantity", max_bound=60, fractional=True),
    ),
    st.integers(1, 5000).map(lambda cents: D(cents).scaleb(-2)),
)
def test_quantity_cliffs_are_real_and_none_is_missed_over_every_whole_unit(schedule, price):
    top = schedule.bounds[-1].to_integral_value(rounding=ROUND_CEILING) + 3
    grid = [D(q) for q in range(int(top) + 1)]
    net = [price_breakdown(schedule, quantity=q, unit_price=price).net_total for q in grid]

    assert_cliffs_match_brute_force(
        schedule, find_price_cliffs(schedule, unit_price=price), grid, net
    )


@settings(max_examples=60, deadline=None)
@given(all_units_schedules("amount", max_bound=1500))
def test_money_cliffs_are_real_and_none_is_missed_over_every_cent(schedule):
    # Bounds are whole currency units up to 1,500 cents' worth of grid: 0.00 .. 15.03.
    scaled = parse_schedule(
        "amount",
        "all_units",
        [{"from": t.from_ / 100, "percent": t.percent} for t in schedule.tiers],
    )
    top = int(scaled.bounds[-1] * 100) + 3
    grid = [D(c).scaleb(-2) for c in range(top + 1)]
    net = [price_breakdown(scaled, amount=v).net_total for v in grid]

    assert_cliffs_match_brute_force(scaled, find_price_cliffs(scaled), grid, net)
