"""The money helpers: one rounding rule, and amounts read back from the database."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from b2b_loyalty.domain.money import ZERO, round_money, stored_amount

cents = st.decimals(
    min_value=-(10**12), max_value=10**12, places=2, allow_nan=False, allow_infinity=False
)


def test_round_money_is_half_up_at_the_currencys_minor_unit():
    assert round_money(Decimal("2.345")) == Decimal("2.35")
    assert round_money(Decimal("2.5"), "JPY") == Decimal("3")


@given(cents)
def test_a_stored_amount_comes_back_with_its_cents_whatever_the_driver_returned(amount):
    # SQLite's driver may return the binary float of a stored amount.
    assert stored_amount(amount) == amount
    assert stored_amount(float(amount)) == amount
    assert stored_amount(amount).as_tuple().exponent == -2


def test_an_empty_sum_is_zero():
    assert stored_amount(None) == ZERO
