"""The core health measures graded from one account's figures (hand-checked)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from b2b_loyalty.domain.core_health import (
    EffectiveSettings,
    HealthInputs,
    core_measures,
    core_scores,
)
from b2b_loyalty.domain.health_score import Thresholds
from b2b_loyalty.domain.lifecycle import classify_lifecycle, cycle_from_summary

AS_OF = date(2026, 6, 30)
SETTINGS = EffectiveSettings(
    weights={"share_trend": D(2)},
    thresholds={
        "revenue_trend": Thresholds(D(-20), D(10)),
        "share_trend": Thresholds(D(-10), D(5)),
        "order_recency": Thresholds(D(2), D(1)),
    },
    amber_from=D(40),
    green_from=D(70),
)


def _recency(last_order: date | None) -> dict:
    cycle = cycle_from_summary(5, D(60), None)  # the account's own 60-day cycle
    first = date(2025, 1, 10) if last_order else None
    status = classify_lifecycle(AS_OF, first, last_order, cycle, None)
    return {"days_since_last_order": status.days_since_last_order, "cycle_days": cycle.days}


def test_each_measure_is_graded_between_its_thresholds():
    inputs = HealthInputs(
        growth=D(-5),  # halfway from -20 to +10: 50
        revenue=D(950),
        revenue_previous=D(1000),
        share_value=D(20),
        share_previous_value=D(30),
        share_change_points=D(-10),  # at the poor threshold: 0
        **_recency(date(2026, 5, 1)),  # 60 days = 1.00 cycle: 100
    )
    scores = core_scores(inputs, SETTINGS)
    assert (scores.revenue_trend, scores.share_trend, scores.order_recency) == (
        D(50),
        D(0),
        D(100),
    )
    assert scores.cycles_since_order == D("1.00")
    measures = core_measures(inputs, SETTINGS)
    assert [(m.key, m.score, m.weight) for m in measures] == [
        ("revenue_trend", D(50), D(1)),
        ("share_trend", D(0), D(2)),
        ("order_recency", D(100), D(1)),
    ]
    assert "1.00 purchase cycles of 60 days" in measures[2].explanation


def test_new_revenue_scores_full_and_unknowns_are_not_graded():
    inputs = HealthInputs(
        growth=None,
        revenue=D(500),
        revenue_previous=D(0),
        share_value=None,
        share_previous_value=None,
        share_change_points=None,
        **_recency(None),
    )
    scores = core_scores(inputs, SETTINGS)
    assert scores == (D(100), None, None, None)
    texts = [m.explanation for m in core_measures(inputs, SETTINGS)]
    assert texts == [
        "revenue where there was none the period before",
        "share of wallet unknown in one of the periods",
        "no orders yet",
    ]
