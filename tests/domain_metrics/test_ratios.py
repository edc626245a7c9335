from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from b2b_loyalty.domain.ratios import change_in_points, percent, ratio


def test_percent_is_rounded_to_hundredths():
    assert percent(1, 3) == Decimal("33.33")
    assert percent(2, 3) == Decimal("66.67")


def test_percent_rounds_half_up_not_to_even():
    # 1 ÷ 800 × 100 = 0.125: half-up gives 0.13, banker's rounding would give 0.12.
    assert percent(1, 800) == Decimal("0.13")
    assert percent(3, 800) == Decimal("0.38")


def test_percent_accepts_decimal_money():
    assert percent(Decimal("152000.00"), Decimal("200000.00")) == Decimal("76.00")


def test_percent_of_zero_denominator_is_none_not_zero():
    assert percent(0, 0) is None
    assert percent(5, 0) is None


def test_change_in_points_is_difference_of_percentages():
    assert change_in_points(Decimal("45.50"), Decimal("40.25")) == Decimal("5.25")
    assert change_in_points(Decimal("10.00"), Decimal("12.00")) == Decimal("-2.00")


def test_change_from_or_to_unknown_is_unknown():
    assert change_in_points(None, Decimal("10.00")) is None
    assert change_in_points(Decimal("10.00"), None) is None


@given(st.integers(min_value=1, max_value=10**9), st.data())
def test_percent_of_a_part_lies_between_0_and_100(denominator, data):
    numerator = data.draw(st.integers(min_value=0, max_value=denominator))
    value = percent(numerator, denominator)
    assert value is not None
    assert Decimal(0) <= value <= Decimal(100)
    assert value == value.quantize(Decimal("0.01"))


def test_a_plain_ratio_rounds_half_up_like_a_percentage():
    # 13 orders ÷ 8 buying clients = 1.625; 9 days ÷ an 8-day cycle = 1.125.
    assert ratio(13, 8) == Decimal("1.63")
    assert ratio(9, Decimal(8)) == Decimal("1.13")
    assert ratio(Decimal(1), 3) == Decimal("0.33")
    assert ratio(5, 0) is None
