from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from b2b_loyalty.domain.order_metrics import (
    OrderFact,
    Period,
    average_cross_sell_breadth,
    average_order_value,
    cross_sell_breadth,
    cross_sell_breadth_by_account,
    gross_margin,
    gross_margin_by_account,
    net_revenue_by_account,
    order_count,
    purchase_frequency,
    revenue_growth,
)

D = Decimal
Y2024 = Period(date(2024, 1, 1), date(2024, 12, 31))
Y2023 = Period(date(2023, 1, 1), date(2023, 12, 31))

FACTS = [
    # order 1 of account A spans two categories: one order, not two
    OrderFact("A", date(2024, 1, 1), "lamps", D("600.00"), D("180.00"), order_id=1),
    OrderFact("A", date(2024, 1, 1), "cables", D("400.00"), None, order_id=1),
    OrderFact("A", date(2024, 6, 1), "lamps", D("500.00"), D("150.00"), order_id=2),
    OrderFact("B", date(2024, 12, 31), "tools", D("300.00"), D("60.00"), order_id=3),
    OrderFact("B", date(2023, 5, 1), "tools", D("1000.00"), D("200.00"), order_id=4),
    OrderFact("C", date(2025, 1, 1), "lamps", D("999.00"), D("1.00"), order_id=5),
]


def test_period_includes_both_ends_and_refuses_reversed_dates():
    assert date(2024, 1, 1) in Y2024 and date(2024, 12, 31) in Y2024
    assert date(2025, 1, 1) not in Y2024
    with pytest.raises(ValueError, match="before it starts"):
        Period(date(2024, 2, 1), date(2024, 1, 1))


def test_lines_of_one_order_count_as_one_order():
    assert order_count(FACTS, Y2024) == 3


def test_lines_without_order_id_are_orders_of_their_own():
    facts = [OrderFact("A", date(2024, 1, 1), "lamps", D("10")) for _ in range(3)]
    assert order_count(facts, Y2024) == 3


def test_average_order_value_is_net_revenue_over_orders():
    aov = average_order_value(FACTS, Y2024)
    # (600 + 400 + 500 + 300) ÷ 3 orders
    assert aov.value == D("600.00")
    assert (aov.net_revenue, aov.orders) == (D("1800.00"), 3)


def test_average_order_value_is_rounded_to_the_currency():
    facts = [OrderFact("A", date(2024, 1, d), "x", D("100.00"), order_id=d) for d in (1, 2, 3)]
    facts[0] = OrderFact("A", date(2024, 1, 1), "x", D("100.01"), order_id=1)
    assert average_order_value(facts, Y2024).value == D("100.00")  # 300.01 ÷ 3 = 100.0033
    assert average_order_value(facts, Y2024, currency="JPY").value == D("100")


def test_average_order_value_without_orders_is_none():
    aov = average_order_value(FACTS, Period(date(2020, 1, 1), date(2020, 12, 31)))
    assert aov.value is None and aov.orders == 0


def test_purchase_frequency_is_orders_per_ordering_client():
    freq = purchase_frequency(FACTS, Y2024)
    assert freq.value == D("1.50")  # 3 orders ÷ 2 clients (A, B)
    assert (freq.orders, freq.clients) == (3, 2)


def test_purchase_frequency_over_a_fixed_group_counts_silent_clients():
    freq = purchase_frequency(FACTS, Y2024, clients={"A", "Z"})
    assert freq.value == D("1.00")  # A's 2 orders ÷ 2 clients; B is outside the group
    assert (freq.orders, freq.clients) == (2, 2)


def test_cross_sell_breadth_counts_distinct_categories_and_ignores_returns():
    facts = [
        *FACTS,
        OrderFact("A", date(2024, 7, 1), "tools", D("-50.00"), order_id=9),  # a credit note
    ]
    breadth = cross_sell_breadth(facts, Y2024, "A")
    assert breadth.value == 2
    assert breadth.categories == ("cables", "lamps")
    by_account = cross_sell_breadth_by_account(facts, Y2024)
    assert {a: b.value for a, b in by_account.items()} == {"A": 2, "B": 1}


def test_average_cross_sell_breadth_over_buyers_and_over_a_group():
    assert average_cross_sell_breadth(FACTS, Y2024).value == D("1.50")  # (2 + 1) ÷ 2
    group = average_cross_sell_breadth(FACTS, Y2024, accounts={"A", "Q", "R"})
    assert group.value == D("0.67")  # (2 + 0 + 0) ÷ 3
    assert (group.accounts, group.category_purchases) == (3, 2)


def test_revenue_growth_compares_two_periods():
    growth = revenue_growth(FACTS, current=Y2024, previous=Y2023)
    # (1800 − 1000) ÷ 1000 × 100
    assert growth.value == D("80.00")
    assert (growth.current_revenue, growth.previous_revenue) == (D("1800.00"), D("1000.00"))


def test_revenue_growth_from_nothing_is_undefined():
    growth = revenue_growth(
        FACTS, current=Y2023, previous=Period(date(2022, 1, 1), date(2022, 12, 31))
    )
    assert growth.value is None
    assert "undefined" in growth.note


def test_gross_margin_sums_known_margins_and_counts_the_unknown():
    margin = gross_margin(FACTS, Y2024)
    assert margin.value == D("390.00")  # 180 + 150 + 60
    assert (margin.facts_counted, margin.facts_without_margin) == (3, 1)


def test_per_account_totals_feed_abc_analysis():
    assert net_revenue_by_account(FACTS, Y2024) == {"A": D("1500.00"), "B": D("300.00")}
    assert gross_margin_by_account(FACTS, Y2024) == {"A": D("330.00"), "B": D("60.00")}


@given(
    st.lists(
        st.decimals(min_value=D("0.01"), max_value=D(10**6), places=2),
        min_size=1,
        max_size=30,
    )
)
def test_average_order_value_lies_between_the_smallest_and_largest_order(amounts):
    facts = [
        OrderFact("A", date(2024, 1, 1) + timedelta(days=i), "x", amount)
        for i, amount in enumerate(amounts)
    ]
    aov = average_order_value(facts, Y2024)
    assert min(amounts) <= aov.value <= max(amounts)
    assert aov.orders == len(amounts)
