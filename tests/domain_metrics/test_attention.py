from datetime import date
from decimal import Decimal

from b2b_loyalty.domain.attention import attention_reasons
from b2b_loyalty.domain.lifecycle import classify_lifecycle, cycle_from_summary

D = Decimal
AS_OF = date(2026, 11, 26)
CYCLE = cycle_from_summary(10, D(30))


def _stage(last_order: date):  # noqa: ANN202
    return classify_lifecycle(AS_OF, date(2024, 1, 1), last_order, CYCLE)


def test_an_active_account_with_a_steady_share_needs_nothing():
    assert attention_reasons(_stage(date(2026, 11, 20)), D("30"), D("28"), D("-2")) == []


def test_at_risk_and_lost_candidate_give_the_stages_reason():
    at_risk = _stage(date(2026, 10, 1))  # 56 days: more than 1.5 cycles of 30, not 2
    lost = _stage(date(2026, 9, 1))  # 86 days: more than 2 cycles, no interaction
    assert attention_reasons(at_risk, None, None, None) == [f"at risk: {at_risk.reason}"]
    assert attention_reasons(lost, None, None, None) == [f"lost candidate: {lost.reason}"]


def test_a_fall_of_more_than_five_points_counts_and_exactly_five_does_not():
    active = _stage(date(2026, 11, 20))
    assert attention_reasons(active, D("30"), D("25"), D("-5")) == []
    assert attention_reasons(active, D("30"), D("24.99"), D("-5.01")) == [
        "share of wallet fell 5.01 points (30 % → 24.99 %)"
    ]
