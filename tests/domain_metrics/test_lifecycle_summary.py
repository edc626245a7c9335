"""The stored-summary path gives exactly the stage the full order history gives."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from b2b_loyalty.domain.lifecycle import (
    LifecycleStage,
    _account_median,
    classify_lifecycle,
    cycle_from_summary,
    lifecycle_stage,
    orders_as_of,
    stage_of,
    summary_cycle,
)

DAY0 = date(2024, 1, 1)


@settings(max_examples=200, deadline=None)
@given(
    offsets=st.lists(st.integers(0, 700), max_size=12),
    as_of_offset=st.integers(0, 900),
    interaction=st.none() | st.integers(0, 900),
    category=st.none() | st.integers(1, 200),
)
def test_summary_and_history_agree(offsets, as_of_offset, interaction, category):
    as_of = DAY0 + timedelta(days=as_of_offset)
    dates = [DAY0 + timedelta(days=o) for o in offsets]
    last_interaction = DAY0 + timedelta(days=interaction) if interaction is not None else None
    full = lifecycle_stage(as_of, dates, last_interaction, category_median_days=category)
    days = sorted({d for d in dates if d <= as_of})
    median = _account_median(days) if len(days) >= 2 else None
    cycle = cycle_from_summary(len(days), median, category)
    summary = classify_lifecycle(
        as_of, days[0] if days else None, days[-1] if days else None, cycle, last_interaction
    )
    assert (summary.stage, summary.reason) == (full.stage, full.reason)


def test_a_summary_kept_for_today_replays_a_past_day():
    first, last = date(2024, 3, 1), date(2025, 6, 1)
    assert orders_as_of(first, last, date(2024, 2, 1)) == (None, None)  # not a client yet
    assert orders_as_of(first, last, date(2024, 9, 1)) == (first, date(2024, 9, 1))
    assert orders_as_of(first, last, date(2025, 7, 1)) == (first, last)
    assert orders_as_of(None, None, date(2025, 7, 1)) == (None, None)


@settings(max_examples=300, deadline=None)
@given(
    first=st.none() | st.integers(0, 700),
    span=st.integers(0, 300),
    as_of_offset=st.integers(0, 900),
    interaction=st.none() | st.integers(0, 1000),
    order_days=st.integers(0, 30),
    median=st.none() | st.decimals(1, 200, places=1),
    category=st.none() | st.integers(1, 200),
    closed=st.booleans(),
)
def test_stage_of_is_the_classified_stage(
    first, span, as_of_offset, interaction, order_days, median, category, closed
):
    """Reports count stages with ``summary_cycle`` and ``stage_of`` and explain a few
    with ``cycle_from_summary`` and ``classify_lifecycle``: the same cycle, stage and
    days — and the stage the module's rule gives, written out here on its own
    (interactions after the as-of date ignored)."""
    as_of = DAY0 + timedelta(days=as_of_offset)
    first_day = None if first is None else DAY0 + timedelta(days=first)
    first_day, last_day = orders_as_of(
        first_day, None if first_day is None else first_day + timedelta(days=span), as_of
    )
    last_interaction = DAY0 + timedelta(days=interaction) if interaction is not None else None
    cycle = cycle_from_summary(order_days, median, category)
    days, source = summary_cycle(order_days, median, category)
    assert (days, source) == (cycle.days, cycle.source)
    if order_days >= 3 and median is not None:
        assert days == median
    else:
        assert days == (category if category is not None else 90)
    status = classify_lifecycle(as_of, first_day, last_day, cycle, last_interaction, closed)
    stage = stage_of(as_of, first_day, last_day, days, last_interaction, closed)
    assert stage == (status.stage, status.days_since_last_order, status.days_since_last_contact)
    assert stage[0] == _stage_by_the_rule(
        as_of, first_day, last_day, days, last_interaction, closed
    )


def _stage_by_the_rule(as_of, first, last, cycle, interaction, closed):  # noqa: ANN001, ANN202
    """The module docstring's stages, first match wins, in days."""
    contacts = [d for d in (last, interaction) if d is not None and d <= as_of]
    if closed:
        return LifecycleStage.CLOSED
    if last is None:
        return LifecycleStage.PROSPECT
    since_order, since_contact = (as_of - last).days, (as_of - max(contacts)).days
    if since_order > 2 * cycle and since_contact > 2 * cycle:
        return LifecycleStage.LOST_CANDIDATE
    if since_order > Decimal("1.5") * cycle:
        return LifecycleStage.AT_RISK
    if (as_of - first).days <= cycle:
        return LifecycleStage.NEW
    return LifecycleStage.ACTIVE
