"""What a discount costs in gross profit, and the volume needed to make up for it."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from b2b_loyalty.domain.discount_schedule import ScheduleValidationError
from b2b_loyalty.domain.margin_impact import margin_impact, required_volume_uplift

D = Decimal


def test_five_percent_off_9000_with_2700_profit_gives_away_450_or_16_67_percent():
    impact = margin_impact(D("9000.00"), D("450.00"), unit_cost_total=D("6300.00"))

    assert impact.gross_profit_before == D("2700.00")
    assert impact.gross_profit_after == D("2250.00")
    assert impact.discount_given_away == D("450.00")
    assert impact.net_total == D("8550.00")
    assert impact.share_of_profit_given_away == D("16.67")
    assert impact.margin_percent == D("30.00")
    assert impact.discount_percent == D("5.00")
    assert impact.required_volume_uplift == D("20.00")


def test_margin_percent_gives_the_same_figures_as_the_cost():
    by_margin = margin_impact(D("9000.00"), D("450.00"), margin_percent=D(30))

    assert by_margin.cost_total == D("6300.00")
    assert by_margin.gross_profit_before == D("2700.00")
    assert by_margin.share_of_profit_given_away == D("16.67")


def test_ten_percent_discount_at_45_percent_margin_needs_28_57_percent_more_volume():
    assert required_volume_uplift(D(45), D(10)) == D("28.57")
    assert required_volume_uplift("45", "10") == D("28.57")
    impact = margin_impact(D("100.00"), D("10.00"), margin_percent=45)
    assert impact.gross_profit_before == D("45.00")
    assert impact.gross_profit_after == D("35.00")
    assert impact.required_volume_uplift == D("28.57")


@pytest.mark.parametrize(("margin", "discount"), [(10, 10), (10, 15), (0, 0), (-5, 1)])
def test_no_volume_makes_up_for_a_discount_that_eats_the_whole_margin(margin, discount):
    assert required_volume_uplift(margin, discount) is None


def test_no_discount_needs_no_extra_volume():
    assert required_volume_uplift(30, 0) == D("0.00")


def test_share_of_profit_is_undefined_without_profit():
    impact = margin_impact(D(100), D(10), unit_cost_total=D(120))

    assert impact.gross_profit_before == D(-20)
    assert impact.gross_profit_after == D(-30)
    assert impact.share_of_profit_given_away is None
    assert impact.required_volume_uplift is None


def test_zero_list_value_has_no_ratios():
    impact = margin_impact(D(0), D(0), margin_percent=D(40))

    assert impact.gross_profit_before == D(0)
    assert impact.margin_percent is None
    assert impact.discount_percent is None
    assert impact.share_of_profit_given_away is None
    assert impact.required_volume_uplift is None


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({}, "unit_cost_total"),
        ({"unit_cost_total": D(1), "margin_percent": D(1)}, "unit_cost_total"),
        ({"unit_cost_total": D(-1)}, "unit_cost_total"),
        ({"margin_percent": D(101)}, "margin_percent"),
        ({"margin_percent": 0.3}, "margin_percent"),
    ],
)
def test_cost_must_be_given_exactly_once_and_sensibly(kwargs, field):
    with pytest.raises(ScheduleValidationError) as info:
        margin_impact(D(100), D(10), **kwargs)

    assert set(info.value.field_errors) == {field}


def test_discount_above_list_value_is_refused():
    with pytest.raises(ScheduleValidationError) as info:
        margin_impact(D(100), D("100.01"), margin_percent=D(50))

    assert info.value.field_errors == {
        "discount_total": ["must not exceed the list total (100); got 100.01"]
    }


PERCENTS = st.integers(0, 10_000).map(lambda p: Decimal(p).scaleb(-2))


@settings(max_examples=200, deadline=None)
@given(PERCENTS, PERCENTS)
def test_uplift_restores_gross_profit_within_rounding(margin, discount):
    uplift = required_volume_uplift(margin, discount)

    if margin <= discount:
        assert uplift is None
        return
    exact = Fraction(margin) / (Fraction(margin) - Fraction(discount)) - 1
    assert abs(Fraction(uplift) / 100 - exact) <= Fraction(1, 20_000)  # half of 0.01 %
    assert uplift >= 0


MONEY = st.integers(1, 10_000_000).map(lambda cents: Decimal(cents).scaleb(-2))


@settings(max_examples=200, deadline=None)
@given(MONEY, st.integers(0, 100), st.integers(0, 100))
def test_profit_after_is_profit_before_minus_discount(list_total, discount_pct, cost_pct):
    discount = (list_total * discount_pct / 100).quantize(D("0.01"))
    cost = (list_total * cost_pct / 100).quantize(D("0.01"))

    impact = margin_impact(list_total, discount, unit_cost_total=cost)

    assert impact.gross_profit_before == list_total - cost
    assert impact.gross_profit_after == impact.gross_profit_before - discount
    if impact.gross_profit_before > 0:
        assert impact.share_of_profit_given_away is not None
        assert impact.share_of_profit_given_away >= 0
