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

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from functools import cached_property
from typing import ClassVar

from b2b_loyalty.domain.money import ZERO as _ZERO

HUNDRED = Decimal(100)
ONE_DECIMAL = Decimal("0.1")
ZERO_SCORE = Decimal("0.0")
FULL_SCORE = Decimal("100.0")


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
    # good − poor, the denominator of every grading (kept: a report grades 30,000 values).
    span: Decimal = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.poor == self.good:
            raise ValueError("the poor and good thresholds must differ")
        object.__setattr__(self, "span", self.good - self.poor)


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


# Not frozen, and not to be changed: one per account of a report (see the package doc).
@dataclass
class HealthScore:
    score: Decimal | None
    grade: Grade | None
    # The graded measures, or a function that grades them again with their sentences
    # when first read (see ``combine_scores``): ``measures`` is what to read.
    graded: tuple[GradedMeasure, ...] | Callable[[], Sequence[GradedMeasure]] = field(
        repr=False, compare=False
    )
    previous: Decimal | None
    trend: Trend
    # The same for every score: a class attribute, not a field set on each of thousands.
    formula: ClassVar[str] = "Σ(measure score × weight) ÷ Σ(weight of the measures with data)"

    @cached_property
    def measures(self) -> tuple[GradedMeasure, ...]:
        graded = self.graded
        return graded if isinstance(graded, tuple) else tuple(graded())


def grade_value(value: Decimal, thresholds: Thresholds) -> Decimal:
    """Score 0–100 of ``value``: 0 at ``poor``, 100 at ``good``, linear between, clamped.

    Formula: (value − poor) ÷ (good − poor) × 100, rounded half up to 0.1, clamped to
    0–100. The clamps are decided before dividing (a report grades 30,000 values and
    most of them lie beyond a threshold): on or past ``poor`` is 0, on or past
    ``good`` is 100, whichever way the thresholds run."""
    span = thresholds.span
    from_poor = value - thresholds.poor
    if span > _ZERO:
        if from_poor <= _ZERO:
            return ZERO_SCORE
        if from_poor >= span:
            return FULL_SCORE
    elif from_poor >= _ZERO:
        return ZERO_SCORE
    elif from_poor <= span:
        return FULL_SCORE
    return (from_poor / span * HUNDRED).quantize(ONE_DECIMAL, ROUND_HALF_UP)


# The members as plain names: on Python 3.11 reading ``Grade.GREEN`` goes through the
# enum's metaclass, and a report grades every account.
_RED, _AMBER, _GREEN = Grade.RED, Grade.AMBER, Grade.GREEN
_UP, _DOWN, _SAME, _NEW = Trend.UP, Trend.DOWN, Trend.SAME, Trend.NEW


def grade_of(
    score: Decimal, amber_from: Decimal = Decimal(40), green_from: Decimal = Decimal(70)
) -> Grade:
    if score >= green_from:
        return _GREEN
    if score >= amber_from:
        return _AMBER
    return _RED


def health_score(
    measures: Sequence[GradedMeasure],
    previous: Decimal | None = None,
    *,
    amber_from: Decimal = Decimal(40),
    green_from: Decimal = Decimal(70),
) -> HealthScore:
    """Combine graded measures into the account's score, grade and trend."""
    for m in measures:
        _check(m.key, m.score, m.weight)
    return combine_scores(
        [(m.score, m.weight) for m in measures],
        tuple(measures),
        previous,
        amber_from=amber_from,
        green_from=green_from,
    )


def _check(key: str, score: Decimal | None, weight: Decimal) -> None:
    if weight < 0:
        raise ValueError(f"weight of {key} cannot be negative")
    if score is not None and not (0 <= score <= HUNDRED):
        raise ValueError(f"score of {key} must be within 0–100, got {score}")


def combine_scores(
    scored: Sequence[tuple[Decimal | None, Decimal]],
    measures: tuple[GradedMeasure, ...] | Callable[[], Sequence[GradedMeasure]],
    previous: Decimal | None = None,
    *,
    amber_from: Decimal = Decimal(40),
    green_from: Decimal = Decimal(70),
) -> HealthScore:
    """:func:`health_score` from the measures' (score, weight) pairs alone, checked as it
    checks them; ``measures`` (or a function giving them, for a list of thousands of
    accounts that shows a few) are what the result explains itself with."""
    total_weight = weighted = _ZERO
    for score, weight in scored:
        if weight < _ZERO or (score is not None and not _ZERO <= score <= HUNDRED):
            _check("a measure", score, weight)  # raises, saying which rule
        if score is not None and weight > _ZERO:
            total_weight += weight
            weighted += score * weight
    if not total_weight:
        return HealthScore(None, None, measures, previous, _NEW if previous is None else _SAME)
    score = (weighted / total_weight).quantize(ONE_DECIMAL, ROUND_HALF_UP)
    if previous is None:
        trend = _NEW
    elif score - previous >= 1:
        trend = _UP
    elif previous - score >= 1:
        trend = _DOWN
    else:
        trend = _SAME
    return HealthScore(score, grade_of(score, amber_from, green_from), measures, previous, trend)
