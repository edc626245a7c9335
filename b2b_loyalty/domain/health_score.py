"""Account health: a weighted average of graded measures, each 0–100, explained.

Each measure turns a raw value into a score with two thresholds an admin sets:
``poor`` (score 0 at or beyond it) and ``good`` (score 100 at or beyond it),
linear in between; thresholds may run either way (for "days late", higher is
worse). The health score is Σ(score × weight) ÷ Σ(weight) over the measures
that could be computed (a measure with no data is listed, not counted as 0).
Grade: red below ``amber_from`` (default 40), amber below ``green_from``
(default 70), green otherwise. The trend compares with the previous *stored*
score of the account: up or down when the difference is at least 1 point.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

HUNDRED = Decimal(100)
ONE_DECIMAL = Decimal("0.1")


class Grade(StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"


class Trend(StrEnum):
    UP = "up"
    DOWN = "down"
    SAME = "same"
    NEW = "new"  # no earlier stored score


@dataclass(frozen=True)
class Thresholds:
    """Where a raw value scores 0 (``poor``) and 100 (``good``)."""

    poor: Decimal
    good: Decimal

    def __post_init__(self) -> None:
        if self.poor == self.good:
            raise ValueError("the poor and good thresholds must differ")


@dataclass(frozen=True)
class GradedMeasure:
    key: str
    label: str
    score: Decimal | None  # 0–100, None when there was nothing to grade
    weight: Decimal
    explanation: str

    @property
    def contribution(self) -> Decimal | None:
        """Points this measure adds to the weighted sum (before dividing by the weights)."""
        return None if self.score is None else self.score * self.weight


@dataclass(frozen=True)
class HealthScore:
    score: Decimal | None
    grade: Grade | None
    measures: tuple[GradedMeasure, ...]
    previous: Decimal | None
    trend: Trend
    formula: str = "Σ(measure score × weight) ÷ Σ(weight of the measures with data)"


def grade_value(value: Decimal, thresholds: Thresholds) -> Decimal:
    """Score 0–100 of ``value``: 0 at ``poor``, 100 at ``good``, linear between, clamped."""
    span = thresholds.good - thresholds.poor
    fraction = (value - thresholds.poor) / span
    fraction = min(Decimal(1), max(Decimal(0), fraction))
    return (fraction * HUNDRED).quantize(ONE_DECIMAL, ROUND_HALF_UP)


def grade_of(
    score: Decimal, amber_from: Decimal = Decimal(40), green_from: Decimal = Decimal(70)
) -> Grade:
    if score >= green_from:
        return Grade.GREEN
    if score >= amber_from:
        return Grade.AMBER
    return Grade.RED


def health_score(
    measures: Sequence[GradedMeasure],
    previous: Decimal | None = None,
    *,
    amber_from: Decimal = Decimal(40),
    green_from: Decimal = Decimal(70),
) -> HealthScore:
    """Combine graded measures into the account's score, grade and trend."""
    for m in measures:
        if m.weight < 0:
            raise ValueError(f"weight of {m.key} cannot be negative")
        if m.score is not None and not (0 <= m.score <= HUNDRED):
            raise ValueError(f"score of {m.key} must be within 0–100, got {m.score}")
    counted = [m for m in measures if m.score is not None and m.weight > 0]
    total_weight = sum((m.weight for m in counted), Decimal(0))
    if not total_weight:
        return HealthScore(
            None, None, tuple(measures), previous, Trend.NEW if previous is None else Trend.SAME
        )
    score = (sum((m.contribution for m in counted), Decimal(0)) / total_weight).quantize(
        ONE_DECIMAL, ROUND_HALF_UP
    )
    if previous is None:
        trend = Trend.NEW
    elif score - previous >= 1:
        trend = Trend.UP
    elif previous - score >= 1:
        trend = Trend.DOWN
    else:
        trend = Trend.SAME
    return HealthScore(
        score, grade_of(score, amber_from, green_from), tuple(measures), previous, trend
    )
