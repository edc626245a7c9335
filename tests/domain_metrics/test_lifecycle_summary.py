"""The stored-summary path gives exactly the stage the full order history gives."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from b2b_loyalty.domain.lifecycle import (
    _account_median,
    classify_lifecycle,
    cycle_from_summary,
    lifecycle_stage,
    orders_as_of,
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
