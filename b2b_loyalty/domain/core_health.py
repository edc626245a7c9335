"""The core measures of an account's health, graded from its figures in a period.

Pure: plain values in, scores and explained measures out (the service
``services.health`` reads the settings and the figures and stores the scores).

- **revenue trend**: the growth in % against the previous period, graded between the
  admin's poor and good thresholds; revenue where there was none before scores 100;
  no revenue in either period is not graded;
- **share-of-wallet trend**: the change in points, graded likewise; not graded when
  either period's share is unknown;
- **order recency**: days since the last order ÷ the purchase cycle (0.01), graded
  likewise (fewer cycles is better); not graded before the first order.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from b2b_loyalty.domain.health_score import GradedMeasure, Thresholds, grade_value
from b2b_loyalty.domain.ratios import ratio

HUNDRED = Decimal(100)
CORE_LABELS = {
    "revenue_trend": "Revenue trend",
    "share_trend": "Share-of-wallet trend",
    "order_recency": "Order recency against the purchase cycle",
}


@dataclass(frozen=True)
class EffectiveSettings:
    """The admin's health settings with the defaults filled in: a weight per measure key
    (1 when not set), poor/good thresholds per core measure, the grade boundaries."""

    weights: dict[str, Decimal]
    thresholds: dict[str, Thresholds]
    amber_from: Decimal
    green_from: Decimal

    def weight(self, key: str, default: Decimal = Decimal(1)) -> Decimal:
        return self.weights.get(key, default)


class CoreScores(NamedTuple):
    """The core measures' scores (``None``: nothing to grade) and the order-recency
    figure they were graded from (days since the last order in purchase cycles)."""

    revenue_trend: Decimal | None
    share_trend: Decimal | None
    order_recency: Decimal | None
    cycles_since_order: Decimal | None


class HealthInputs(NamedTuple):
    """What the core measures are graded from: one account's figures in a period (the
    service copies them out of its metrics, so that a score's lazily written measures
    do not hold the account, which holds the score: a cycle would leave a dashboard's
    10,000 accounts to the cyclic collector instead of freeing them with the page)."""

    growth: Decimal | None
    revenue: Decimal
    revenue_previous: Decimal
    share_value: Decimal | None
    share_previous_value: Decimal | None
    share_change_points: Decimal | None
    days_since_last_order: int | None  # as of the lifecycle's date; None before any order
    cycle_days: Decimal  # the account's purchase cycle (see domain.lifecycle)


def core_scores(m: HealthInputs, settings: EffectiveSettings) -> CoreScores:
    """The grading rule of the core measures (thresholds in the module doc)."""
    t = settings.thresholds
    if m.growth is not None:
        revenue = grade_value(m.growth, t["revenue_trend"])
    elif m.revenue_previous == 0 and m.revenue > 0:
        revenue = HUNDRED  # revenue where there was none the period before
    else:
        revenue = None
    share = (
        None
        if m.share_change_points is None
        else grade_value(m.share_change_points, t["share_trend"])
    )
    if m.days_since_last_order is not None and m.cycle_days:
        cycles = ratio(m.days_since_last_order, m.cycle_days)
        recency = grade_value(cycles, t["order_recency"])
    else:
        cycles = recency = None
    return CoreScores(revenue, share, recency, cycles)


def core_measures(m: HealthInputs, settings: EffectiveSettings) -> list[GradedMeasure]:
    """:func:`core_scores` with their labels, weights and a sentence each."""
    scores = core_scores(m, settings)
    if m.growth is not None:
        revenue_text = (
            f"revenue {m.revenue} against {m.revenue_previous} the period before ({m.growth:+} %)"
        )
    elif scores.revenue_trend is not None:
        revenue_text = "revenue where there was none the period before"
    else:
        revenue_text = "no revenue in either period"
    share_text = (
        "share of wallet unknown in one of the periods"
        if scores.share_trend is None
        else (
            f"share of wallet {m.share_previous_value} % → {m.share_value} % "
            f"({m.share_change_points:+} points)"
        )
    )
    recency_text = (
        "no orders yet"
        if scores.order_recency is None
        else (
            f"last order {m.days_since_last_order} days ago = {scores.cycles_since_order} "
            f"purchase cycles of {m.cycle_days} days"
        )
    )
    return [
        GradedMeasure(
            key,
            CORE_LABELS[key],
            score,
            settings.weight(key),
            text,
        )
        for key, score, text in (
            ("revenue_trend", scores.revenue_trend, revenue_text),
            ("share_trend", scores.share_trend, share_text),
            ("order_recency", scores.order_recency, recency_text),
        )
    ]
