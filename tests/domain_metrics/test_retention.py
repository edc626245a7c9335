from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from b2b_loyalty.domain.retention import (
    churn_rate,
    lost_clients,
    net_revenue_retention,
    repeat_purchase_rate,
    retention_rate,
)

D = Decimal


def test_retention_rate_excludes_new_clients():
    start = set(range(1, 11))  # 10 clients
    lost = {1, 2}
    new = {11, 12, 13, 14}
    end = (start - lost) | new  # 12 clients
    crr = retention_rate(start, end, new)
    # (12 − 4) ÷ 10 × 100
    assert crr.value == D("80.00")
    assert (crr.clients_at_start, crr.clients_at_end, crr.new_clients) == (10, 12, 4)
    assert crr.retained_clients == 8
    assert crr.formula.startswith("(clients at end − new clients)")


def test_retention_rate_does_not_charge_a_new_client_lost_within_the_period_to_the_start():
    start = {1, 2, 3, 4}
    new = {5, 6}  # 6 came and went within the period
    end = {1, 2, 3, 5}
    crr = retention_rate(start, end, new)
    assert crr.value == D("75.00")  # 3 of the 4 starting clients remain
    assert crr.new_clients_lost_in_period == 1


def test_retention_rate_counts_reactivated_clients_as_the_formula_does():
    crr = retention_rate({1, 2}, {1, 2, 9}, set())
    assert crr.value == D("150.00")
    assert crr.returning_clients == 1


def test_retention_rate_without_clients_at_start_is_none():
    crr = retention_rate(set(), {1, 2}, {1, 2})
    assert crr.value is None
    assert crr.clients_at_start == 0


def test_retention_rate_refuses_a_client_both_at_start_and_new():
    with pytest.raises(ValueError, match="both present"):
        retention_rate({1, 2}, {1, 2}, {2})


def test_churn_rate_is_lost_over_clients_at_start():
    churn = churn_rate(set(range(10)), {3, 7})
    assert churn.value == D("20.00")
    assert (churn.clients_at_start, churn.clients_lost) == (10, 2)


def test_churn_rate_ignores_losses_of_clients_not_there_at_start():
    churn = churn_rate({1, 2, 3, 4}, {1, 99})
    assert churn.value == D("25.00")
    assert churn.lost_not_at_start == 1


def test_churn_rate_without_clients_at_start_is_none():
    assert churn_rate(set(), {1}).value is None


def test_lost_clients_are_those_at_start_missing_at_end():
    assert lost_clients({1, 2, 3}, {2, 4}) == frozenset({1, 3})


def test_net_revenue_retention_follows_last_periods_active_clients_only():
    last = {"a": D("100.00"), "b": D("200.00"), "c": D("0")}
    this = {"a": D("150.00"), "b": D("0"), "d": D("500.00")}
    nrr = net_revenue_retention(last, this)
    # (150 + 0) ÷ (100 + 200) × 100; c was not active, d is new.
    assert nrr.value == D("50.00")
    assert nrr.clients_counted == 2
    assert nrr.revenue_last_period == D("300.00")
    assert nrr.revenue_this_period == D("150.00")
    assert nrr.clients_still_buying == 1


def test_net_revenue_retention_exceeds_100_when_the_base_buys_more():
    nrr = net_revenue_retention({"a": D("100")}, {"a": D("130")})
    assert nrr.value == D("130.00")


def test_net_revenue_retention_without_revenue_last_period_is_none():
    assert net_revenue_retention({}, {"a": D("1")}).value is None


def test_repeat_purchase_rate_counts_clients_with_two_or_more_orders():
    rate = repeat_purchase_rate({"a": 1, "b": 2, "c": 5, "d": 0})
    assert rate.value == D("66.67")  # 2 of 3 buyers
    assert (rate.clients_with_orders, rate.clients_with_repeat_orders) == (3, 2)


def test_repeat_purchase_rate_without_buyers_is_none_and_refuses_negative_counts():
    assert repeat_purchase_rate({"a": 0}).value is None
    with pytest.raises(ValueError, match="negative"):
        repeat_purchase_rate({"a": -1})


ids = st.frozensets(st.integers(min_value=0, max_value=40), max_size=30)


@given(start=ids, stayed_fraction=st.data(), new=ids)
def test_retention_and_churn_stay_within_0_and_100_and_add_up(start, stayed_fraction, new):
    new = new - start
    stayed = stayed_fraction.draw(st.frozensets(st.sampled_from(sorted(start)))) if start else set()
    end = set(stayed) | set(new)
    crr = retention_rate(start, end, new)
    churn = churn_rate(start, lost_clients(start, end))
    if not start:
        assert crr.value is None and churn.value is None
        return
    assert D(0) <= crr.value <= D(100)
    assert D(0) <= churn.value <= D(100)
    # With no reactivations, retained + lost = start, so the rates add up to 100
    # (each rounded once, so within 0.01).
    assert abs(crr.value + churn.value - D(100)) <= D("0.01")
