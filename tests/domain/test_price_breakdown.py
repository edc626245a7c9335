"""Pricing one order through a schedule: the reference examples and the invariants."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from b2b_loyalty.domain.discount_schedule import (
    Basis,
    Mode,
    ScheduleValidationError,
    Scope,
    parse_schedule,
)
from b2b_loyalty.domain.money import TOO_LARGE, round_money
from b2b_loyalty.domain.price_breakdown import BreakdownLine, NextTierHint, price_breakdown

D = Decimal


def lamp_schedule(mode: str = "incremental", scope: str = "cumulative_calendar_year"):
    """Industrial lamp packs, priced on annual purchases (DOMAIN.md, Pricing)."""
    tiers = [
        {"from": "0", "percent": "0"},
        {"from": "100", "percent": "5"},
        {"from": "200", "percent": "10"},
        {"from": "300", "percent": "20"},
    ]
    return parse_schedule("quantity", mode, tiers, scope)


def coat_schedule(scope: str = "per_order"):
    """All-units amount tiers from the sales dialogue: 10,000 → 5 %, 20,000 → 10 %."""
    tiers = [
        {"from": "0", "percent": "0"},
        {"from": "10000", "percent": "5"},
        {"from": "20000", "percent": "10"},
    ]
    return parse_schedule("amount", "all_units", tiers, scope)


# --- reference examples --------------------------------------------------------


def test_lamp_packs_350_cost_3250():
    quote = price_breakdown(lamp_schedule(), quantity=350, unit_price=D("10.00"))

    assert quote.lines == (
        BreakdownLine(D(0), D(100), D(100), D(0), D("1000.00"), D("0.00"), D("1000.00")),
        BreakdownLine(D(100), D(200), D(100), D(5), D("1000.00"), D("50.00"), D("950.00")),
        BreakdownLine(D(200), D(300), D(100), D(10), D("1000.00"), D("100.00"), D("900.00")),
        BreakdownLine(D(300), None, D(50), D(20), D("500.00"), D("100.00"), D("400.00")),
    )
    assert quote.list_total == D("3500.00")
    assert quote.discount_total == D("250.00")
    assert quote.net_total == D("3250.00")
    assert quote.effective_percent == D("7.14")
    assert quote.next_tier is None


def test_quote_explains_itself_with_basis_mode_and_prior_volume():
    quote = price_breakdown(lamp_schedule(), quantity=350, unit_price=D("10.00"))

    assert quote.basis is Basis.QUANTITY
    assert quote.mode is Mode.INCREMENTAL
    assert quote.scope is Scope.CUMULATIVE_CALENDAR_YEAR
    assert quote.prior_volume == D(0)
    assert quote.volume == D(350)
    assert quote.unit_price == D("10.00")
    assert quote.currency == "EUR"


def test_coat_of_22000_under_all_units_tiers_nets_19800():
    quote = price_breakdown(coat_schedule(), amount=D("22000.00"))

    assert quote.lines == (
        BreakdownLine(
            D(20000), None, D("22000.00"), D(10), D("22000.00"), D("2200.00"), D("19800.00")
        ),
    )
    assert quote.net_total == D("19800.00")
    assert quote.effective_percent == D("10.00")


def test_all_units_threshold_belongs_to_the_tier_it_starts():
    assert price_breakdown(coat_schedule(), amount=D("10000.00")).net_total == D("9500.00")
    assert price_breakdown(coat_schedule(), amount=D("9999.99")).net_total == D("9999.99")


def test_amount_basis_takes_quantity_times_unit_price_when_amount_is_omitted():
    quote = price_breakdown(coat_schedule(), quantity=220, unit_price=D("100.00"))

    assert quote.volume == D("22000.00")
    assert quote.net_total == D("19800.00")


# --- cumulative volume -----------------------------------------------------------


def test_cumulative_prior_volume_moves_the_order_up_the_incremental_tiers():
    quote = price_breakdown(lamp_schedule(), quantity=50, unit_price=D("10.00"), prior_volume=80)

    assert [(line.volume, line.percent) for line in quote.lines] == [(D(20), D(0)), (D(30), D(5))]
    assert quote.net_total == D("485.00")
    assert quote.next_tier == NextTierHint(volume_needed=D(70), percent=D(10), from_=D(200))


def test_cumulative_prior_volume_reaches_a_higher_all_units_rate():
    schedule = coat_schedule(scope="cumulative_rolling_12_months")

    quote = price_breakdown(schedule, amount=D("6000.00"), prior_volume=D("15000.00"))

    assert quote.lines[0].percent == D(10)
    assert quote.net_total == D("5400.00")
    assert quote.total_volume == D("21000.00")


def test_split_lamp_order_costs_the_same_as_the_whole_under_cumulative_tiers():
    schedule = lamp_schedule()
    first = price_breakdown(schedule, quantity=150, unit_price=D("10.00"))
    second = price_breakdown(schedule, quantity=200, unit_price=D("10.00"), prior_volume=150)

    assert first.net_total + second.net_total == D("3250.00")


def test_per_order_schedule_refuses_prior_volume():
    with pytest.raises(ScheduleValidationError) as info:
        price_breakdown(coat_schedule(), amount=D(100), prior_volume=D(5))

    assert info.value.field_errors == {
        "prior_volume": ["must be 0 for a per-order schedule: earlier orders do not count"]
    }


# --- hints, edges, rounding --------------------------------------------------------


def test_next_tier_hint_says_how_many_more_packs_reach_the_next_rate():
    quote = price_breakdown(lamp_schedule(), quantity=150, unit_price=D("10.00"))

    assert quote.next_tier == NextTierHint(volume_needed=D(50), percent=D(10), from_=D(200))


def test_next_tier_hint_for_money_tiers_is_in_money():
    quote = price_breakdown(coat_schedule(), amount=D("9000.00"))

    assert quote.next_tier == NextTierHint(D("1000.00"), D(5), D(10000))


def test_empty_order_has_no_lines_and_zero_totals():
    quote = price_breakdown(lamp_schedule(), quantity=0, unit_price=D("10.00"))

    assert quote.lines == ()
    assert (quote.list_total, quote.discount_total, quote.net_total) == (D(0), D(0), D(0))
    assert quote.effective_percent == D("0.00")
    assert quote.next_tier == NextTierHint(D(100), D(5), D(100))


def test_discount_is_rounded_once_from_the_unrounded_list_value():
    schedule = parse_schedule("quantity", "all_units", [{"from": "0", "percent": "50"}])

    line = price_breakdown(schedule, quantity=1, unit_price=D("10.005")).lines[0]

    # 10.005 × 50 % = 5.0025 → 5.00; halving the rounded list (10.01) would give 5.01.
    assert (line.list, line.discount, line.net) == (D("10.01"), D("5.00"), D("5.01"))


def test_half_cent_rounds_up():
    schedule = parse_schedule("quantity", "all_units", [{"from": "0", "percent": "5"}])

    quote = price_breakdown(schedule, quantity=1, unit_price=D("0.10"))

    assert quote.discount_total == D("0.01")  # 0.005 rounds half up


def test_currency_without_minor_unit_rounds_to_whole_yen():
    schedule = parse_schedule(
        "quantity", "all_units", [{"from": "0", "percent": "3"}], currency="JPY"
    )

    quote = price_breakdown(schedule, quantity=3, unit_price=D(333))

    assert (quote.list_total, quote.discount_total, quote.net_total) == (D(999), D(30), D(969))


@pytest.mark.parametrize(
    ("kwargs", "errors"),
    [
        ({"quantity": -1, "unit_price": "10"}, {"quantity": ["must not be negative (got -1)"]}),
        (
            {"quantity": 1, "unit_price": "-0.01"},
            {"unit_price": ["must not be negative (got -0.01)"]},
        ),
        ({"quantity": 1}, {"unit_price": ["is required for a quantity-based schedule"]}),
        ({"unit_price": "1"}, {"quantity": ["is required for a quantity-based schedule"]}),
        (
            {"quantity": 1.5, "unit_price": "1"},
            {"quantity": ["expected a decimal number as text or integer, not a float"]},
        ),
        ({"quantity": "lots", "unit_price": "1"}, {"quantity": ["'lots' is not a number"]}),
    ],
)
def test_invalid_order_input_is_reported_by_field(kwargs, errors):
    with pytest.raises(ScheduleValidationError) as info:
        price_breakdown(lamp_schedule(), **kwargs)

    assert info.value.field_errors == errors


def test_amount_schedule_needs_an_amount():
    with pytest.raises(ScheduleValidationError) as info:
        price_breakdown(coat_schedule(), quantity=3)

    assert set(info.value.field_errors) == {"amount"}


# --- properties ----------------------------------------------------------------------

INT_PRICES = st.integers(0, 500).map(Decimal)
CENT_PRICES = st.integers(0, 50_000).map(lambda cents: Decimal(cents).scaleb(-2))
VOLUMES = st.integers(0, 600).map(Decimal)  # Decimals take the fast input path


@st.composite
def schedules(draw, mode: str | None = None, basis: str = "quantity", max_bound: int = 400):
    """Random valid schedules with integer bounds and integer or 2-decimal percents."""
    count = draw(st.integers(1, 6))
    starts = sorted(
        draw(st.sets(st.integers(1, max_bound), min_size=count - 1, max_size=count - 1))
    )
    percents = draw(
        st.lists(
            st.one_of(
                st.integers(0, 100).map(Decimal),
                st.integers(0, 10_000).map(lambda p: Decimal(p).scaleb(-2)),
            ),
            min_size=count,
            max_size=count,
        )
    )
    tiers = [
        {"from": bound, "percent": percent}
        for bound, percent in zip([0, *starts], percents, strict=True)
    ]
    chosen_mode = mode or draw(st.sampled_from(["incremental", "all_units"]))
    return parse_schedule(basis, chosen_mode, tiers, "cumulative_calendar_year")


@settings(max_examples=200, deadline=None)
@given(schedules(), VOLUMES, CENT_PRICES, VOLUMES)
def test_discount_stays_between_zero_and_list_on_every_line(schedule, quantity, price, prior):
    quote = price_breakdown(schedule, quantity=quantity, unit_price=price, prior_volume=prior)

    for line in quote.lines:
        assert D(0) <= line.discount <= line.list
        assert line.net == line.list - line.discount
    assert D(0) <= quote.discount_total <= quote.list_total
    assert D(0) <= quote.effective_percent <= D(100)


@settings(max_examples=200, deadline=None)
@given(schedules(), VOLUMES, CENT_PRICES, VOLUMES)
def test_lines_sum_to_totals_and_cover_the_order_inside_their_tiers(
    schedule, quantity, price, prior
):
    quote = price_breakdown(schedule, quantity=quantity, unit_price=price, prior_volume=prior)

    assert sum((line.list for line in quote.lines), D(0)) == quote.list_total
    assert sum((line.discount for line in quote.lines), D(0)) == quote.discount_total
    assert sum((line.net for line in quote.lines), D(0)) == quote.net_total
    assert quote.net_total == quote.list_total - quote.discount_total
    assert sum((line.volume for line in quote.lines), D(0)) == quote.volume
    if schedule.mode is Mode.INCREMENTAL:
        position = D(prior)
        for line in quote.lines:
            # Each slice lies inside its tier, and slices follow one another.
            assert line.from_ <= position
            assert line.to is None or position + line.volume <= line.to
            position += line.volume
    else:
        assert len(quote.lines) == (1 if quantity else 0)
        if quantity:
            line = quote.lines[0]
            assert line.from_ <= prior + quantity and (
                line.to is None or prior + quantity < line.to
            )


@settings(max_examples=200, deadline=None)
@given(
    schedules(mode="incremental"),
    st.integers(0, 600),
    st.integers(1, 200),
    CENT_PRICES,
    st.integers(0, 300),
)
def test_incremental_totals_never_decrease_when_volume_grows(
    schedule, quantity, more, price, prior
):
    smaller = price_breakdown(schedule, quantity=quantity, unit_price=price, prior_volume=prior)
    larger = price_breakdown(
        schedule, quantity=quantity + more, unit_price=price, prior_volume=prior
    )

    assert larger.net_total >= smaller.net_total
    assert larger.list_total >= smaller.list_total


@settings(max_examples=200, deadline=None)
@given(
    schedules(mode="incremental"),
    st.integers(0, 400),
    st.integers(0, 400),
    INT_PRICES,
    st.integers(0, 300),
)
def test_split_order_costs_exactly_the_whole_with_integer_prices(
    schedule, first, second, price, prior
):
    # Integer prices, bounds and percents keep every line value exact at the
    # cent (n × price × p / 100), so no rounding can differ; percents with two
    # decimals can round the tier the split falls in differently, by a cent.
    integer_percent = all(t.percent == t.percent.to_integral_value() for t in schedule.tiers)
    a = price_breakdown(schedule, quantity=first, unit_price=price, prior_volume=prior)
    b = price_breakdown(schedule, quantity=second, unit_price=price, prior_volume=prior + first)
    whole = price_breakdown(schedule, quantity=first + second, unit_price=price, prior_volume=prior)

    assert a.list_total + b.list_total == whole.list_total
    if integer_percent:
        assert a.net_total + b.net_total == whole.net_total
    else:
        # The tier the split falls in is priced as two lines: at most one cent apart.
        assert abs(a.net_total + b.net_total - whole.net_total) <= D("0.01")


@settings(max_examples=200, deadline=None)
@given(
    schedules(mode="incremental", basis="amount", max_bound=40_000),
    CENT_PRICES,
    CENT_PRICES,
    CENT_PRICES,
)
def test_split_money_order_is_within_a_cent_of_the_whole(schedule, first, second, prior):
    a = price_breakdown(schedule, amount=first, prior_volume=prior)
    b = price_breakdown(schedule, amount=second, prior_volume=prior + first)
    whole = price_breakdown(schedule, amount=first + second, prior_volume=prior)

    assert a.list_total + b.list_total == whole.list_total
    assert abs(a.net_total + b.net_total - whole.net_total) <= D("0.01")


@settings(max_examples=200, deadline=None)
@given(
    schedules(),
    st.integers(0, 600),
    st.integers(0, 10**7).map(lambda p: Decimal(p).scaleb(-3)),
    st.integers(0, 600),
    st.sampled_from(["EUR", "JPY", "KWD"]),
)
def test_every_line_is_rounded_once_by_round_money(schedule, quantity, price, prior, currency):
    schedule = parse_schedule(
        schedule.basis.value,
        schedule.mode.value,
        [{"from": t.from_, "percent": t.percent} for t in schedule.tiers],
        schedule.scope.value,
        currency,
    )

    quote = price_breakdown(schedule, quantity=quantity, unit_price=price, prior_volume=prior)

    for line in quote.lines:
        raw = line.volume * price
        assert line.list == round_money(raw, currency)
        assert line.discount == round_money(raw * line.percent / 100, currency)


def test_ints_and_strings_price_like_decimals():
    as_decimals = price_breakdown(
        lamp_schedule(), quantity=D(120), unit_price=D("9.99"), prior_volume=D(90)
    )
    as_raw = price_breakdown(lamp_schedule(), quantity=120, unit_price="9.99", prior_volume="90")

    assert as_raw == as_decimals


@pytest.mark.parametrize("bad", [D("NaN"), D("Infinity"), D("-1")])
def test_nan_infinite_or_negative_decimals_are_refused(bad):
    with pytest.raises(ScheduleValidationError) as info:
        price_breakdown(coat_schedule(), amount=bad)

    assert set(info.value.field_errors) == {"amount"}


@pytest.mark.parametrize("field", ["quantity", "unit_price", "prior_volume"])
@pytest.mark.parametrize("big", [D("1e309"), D("1e12"), D("999999999999.5") + 1])
def test_inputs_of_a_trillion_or_more_are_refused_whatever_their_type(field, big):
    """The engine's bound (money.MAX_INPUT_NUMBER) holds for Decimals as for text: a
    Decimal of 1e309 once took the fast path and broke rounding (InvalidOperation)."""
    kwargs = {"quantity": D(120), "unit_price": D("9.99"), "prior_volume": D(0), field: big}
    with pytest.raises(ScheduleValidationError) as info:
        price_breakdown(lamp_schedule(), **kwargs)
    assert info.value.field_errors == {field: [TOO_LARGE]}
    with pytest.raises(ScheduleValidationError) as info:
        price_breakdown(lamp_schedule(), **{**kwargs, field: str(big)})
    assert info.value.field_errors == {field: [TOO_LARGE]}


@given(
    quantity=st.decimals(min_value=0, max_value=D("999999999999.999"), places=3),
    price=st.decimals(min_value=0, max_value=D("999999999999.99"), places=2),
)
@settings(max_examples=200)
def test_any_input_below_the_bound_prices_without_error(quantity, price):
    quote = price_breakdown(lamp_schedule(), quantity=quantity, unit_price=price)
    assert quote.net_total == quote.list_total - quote.discount_total


def test_amount_quote_keeps_the_unit_price_it_was_given():
    quote = price_breakdown(coat_schedule(), amount=D("500.00"), unit_price=D("5.00"))

    assert quote.unit_price == D("5.00")
    assert quote.net_total == D("500.00")
