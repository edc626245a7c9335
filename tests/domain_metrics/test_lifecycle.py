from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from b2b_loyalty.domain.lifecycle import (
    CycleSource,
    LifecycleStage,
    category_median_cycle,
    lifecycle_stage,
    purchase_cycle,
)

D = Decimal
AS_OF = date(2024, 12, 31)


def days_before(as_of, *offsets):
    return [as_of - timedelta(days=n) for n in offsets]


def test_purchase_cycle_is_median_interval_and_same_day_orders_count_once():
    dates = [
        date(2024, 1, 1),
        date(2024, 1, 1),
        date(2024, 1, 11),
        date(2024, 1, 31),
        date(2024, 3, 1),
    ]
    cycle = purchase_cycle(dates)  # intervals 10, 20, 30
    assert cycle.days == D(20)
    assert cycle.source is CycleSource.ACCOUNT
    assert cycle.order_days == 4


def test_purchase_cycle_with_an_even_number_of_intervals_averages_the_middle_two():
    dates = [
        date(2024, 1, 1),
        date(2024, 1, 11),
        date(2024, 1, 31),
        date(2024, 3, 1),
        date(2024, 4, 10),
    ]
    assert purchase_cycle(dates).days == D(25)  # intervals 10, 20, 30, 40


def test_purchase_cycle_falls_back_to_the_category_median_with_fewer_than_3_order_days():
    cycle = purchase_cycle([date(2024, 1, 1), date(2024, 2, 1)], category_median_days=45)
    assert cycle.days == D(45)
    assert cycle.source is CycleSource.CATEGORY
    assert "fewer than 3" in cycle.explanation


def test_purchase_cycle_defaults_to_90_days_when_nothing_is_known():
    cycle = purchase_cycle([date(2024, 1, 1)])
    assert cycle.days == D(90)
    assert cycle.source is CycleSource.DEFAULT


def test_category_median_cycle_is_median_of_the_accounts_own_cycles():
    result = category_median_cycle(
        {
            "a": days_before(AS_OF, 0, 10, 20),  # cycle 10
            "b": days_before(AS_OF, 0, 30, 60, 90),  # cycle 30
            "c": days_before(AS_OF, 0, 50, 100),  # cycle 50
            "d": days_before(AS_OF, 0, 5),  # too few order days
        }
    )
    assert result.days == D(30)
    assert (result.accounts_counted, result.accounts_skipped) == (3, 1)
    assert category_median_cycle({"d": days_before(AS_OF, 0)}).days is None


def test_account_without_orders_is_a_prospect():
    status = lifecycle_stage(AS_OF, [], last_interaction=AS_OF - timedelta(days=3))
    assert status.stage is LifecycleStage.PROSPECT
    assert status.reason == "no orders yet; last interaction 3 days ago"


def test_first_order_within_one_cycle_is_new():
    status = lifecycle_stage(AS_OF, days_before(AS_OF, 40), category_median_days=45)
    assert status.stage is LifecycleStage.NEW
    assert "first order 40 days ago" in status.reason
    assert "category median" in status.reason


def test_regular_buyer_is_active_with_a_reason_in_days_and_cycle():
    status = lifecycle_stage(AS_OF, days_before(AS_OF, 30, 91, 152, 213))
    assert status.stage is LifecycleStage.ACTIVE
    assert status.reason.startswith("last order 30 days ago; cycle 61 days")


def test_no_order_for_more_than_one_and_a_half_cycles_is_at_risk():
    orders = days_before(AS_OF, 92, 153, 214)  # cycle 61, limit 91.5 days
    status = lifecycle_stage(AS_OF, orders)
    assert status.stage is LifecycleStage.AT_RISK
    assert status.reason.startswith("last order 92 days ago, more than 1.5 cycles (91.5 days)")


def test_exactly_one_and_a_half_cycles_is_not_yet_at_risk():
    orders = days_before(AS_OF, 90, 150, 210)  # cycle 60, limit 90 days
    assert lifecycle_stage(AS_OF, orders).stage is LifecycleStage.ACTIVE


def test_no_order_and_no_interaction_for_more_than_two_cycles_is_lost_candidate():
    orders = days_before(AS_OF, 212, 273, 334)  # cycle 61
    status = lifecycle_stage(AS_OF, orders, last_interaction=AS_OF - timedelta(days=300))
    assert status.stage is LifecycleStage.LOST_CANDIDATE
    assert status.reason.startswith(
        "last order 212 days ago and no interaction since; more than 2 cycles (122 days); cycle 61 days"
    )
    assert status.days_since_last_order == 212


def test_a_recent_interaction_keeps_a_silent_buyer_at_risk_not_lost():
    orders = days_before(AS_OF, 212, 273, 334)
    status = lifecycle_stage(AS_OF, orders, last_interaction=AS_OF - timedelta(days=20))
    assert status.stage is LifecycleStage.AT_RISK
    assert "interaction 20 days ago" in status.reason
    assert status.days_since_last_contact == 20


def test_closed_by_hand_wins_over_everything():
    status = lifecycle_stage(
        AS_OF, days_before(AS_OF, 1, 2, 3), closed=True, closed_note="liquidated"
    )
    assert status.stage is LifecycleStage.CLOSED
    assert status.reason == "closed by hand: liquidated"


def test_orders_and_interactions_after_the_as_of_date_are_ignored():
    past = date(2024, 6, 30)
    status = lifecycle_stage(past, [date(2024, 7, 15)], last_interaction=date(2024, 8, 1))
    assert status.stage is LifecycleStage.PROSPECT
    assert status.days_since_last_contact is None


def test_non_positive_fallback_cycle_is_refused():
    with pytest.raises(ValueError, match="positive"):
        purchase_cycle([], category_median_days=0)


STAGE_BY_SILENCE = [LifecycleStage.ACTIVE, LifecycleStage.AT_RISK, LifecycleStage.LOST_CANDIDATE]


@given(
    gap=st.integers(min_value=1, max_value=200),
    silence_a=st.integers(min_value=0, max_value=1000),
    extra=st.integers(min_value=0, max_value=1000),
)
def test_longer_silence_never_gives_a_healthier_stage(gap, silence_a, extra):
    def stage(silence):
        orders = days_before(AS_OF, silence, silence + gap, silence + 2 * gap)
        return lifecycle_stage(AS_OF, orders).stage

    first, second = stage(silence_a), stage(silence_a + extra)
    assert first in STAGE_BY_SILENCE and second in STAGE_BY_SILENCE
    assert STAGE_BY_SILENCE.index(first) <= STAGE_BY_SILENCE.index(second)
