"""The engagement score of one person: a recency-decayed, type-weighted sum of touches.

Formula (units: score points, ages in whole days)::

    score = Σ weight(type_i) × count_i × 0.5 ** (age_i ÷ half_life)
    age_i = (as_of − date_i) in days, ≥ 0

so a touch counts its full weight on the day, half after one half-life, a
quarter after two. Every interaction a person took part in counts fully for
that person (a meeting with three people engages each of them).

A touch dated after ``as_of`` is refused with ``ValueError``: the score is
"as of" a day, and the callers select only touches up to it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from plugins.engagement.domain.vocabulary import INTERACTION_TYPE_LABELS, InteractionType

SCORE_QUANTUM = Decimal("0.01")


@dataclass(frozen=True)
class Touch:
    """``count`` touches of one ``type`` on one day with one person."""

    on: date
    type: str
    count: int = 1


@dataclass(frozen=True)
class EngagementScore:
    """A person's score with what it counted: touches by type and the oldest/newest day."""

    value: Decimal
    touches: int
    by_type: Mapping[str, int] = field(default_factory=dict)
    first_on: date | None = None
    last_on: date | None = None
    half_life_days: int = 90

    @property
    def explanation(self) -> str:
        if not self.touches:
            return "No interactions recorded: score 0."
        parts = []
        for kind in InteractionType:
            n = self.by_type.get(kind.value, 0)
            if n:
                parts.append(f"{n} {INTERACTION_TYPE_LABELS[kind].lower()}")
        noun = "interaction" if self.touches == 1 else "interactions"
        return (
            f"{self.touches} {noun} ({', '.join(parts)}) from {self.first_on.isoformat()} "
            f"to {self.last_on.isoformat()}, each weighted by type and halved every "
            f"{self.half_life_days} days."
        )


def decay_factor(age_days: int, half_life_days: int) -> float:
    """``0.5 ** (age_days ÷ half_life_days)``: 1 today, ½ after one half-life.

    ``age_days`` must be ≥ 0 and ``half_life_days`` > 0 (``ValueError`` otherwise).
    """
    if half_life_days <= 0:
        raise ValueError(f"half-life must be positive, got {half_life_days}")
    if age_days < 0:
        raise ValueError(f"age must not be negative, got {age_days} days")
    return 0.5 ** (age_days / half_life_days)


def engagement_score(
    touches: Iterable[Touch],
    as_of: date,
    *,
    half_life_days: int,
    weights: Mapping[str, Decimal],
) -> EngagementScore:
    """The decayed, weighted sum of ``touches`` as of ``as_of`` (see the module's formula).

    Types missing from ``weights`` weigh 0 but are still counted in the
    explanation. No touches give a score of 0. Rounded to 0.01 (ROUND_HALF_UP).
    Raises ``ValueError`` for a touch dated after ``as_of`` or a negative count.
    """
    total = 0.0
    by_type: Counter[str] = Counter()
    first = last = None
    for touch in touches:
        if touch.on > as_of:
            raise ValueError(
                f"a touch dated {touch.on.isoformat()} is after {as_of.isoformat()}: "
                "future-dated interactions are not scored"
            )
        if touch.count < 0:
            raise ValueError(f"a touch count cannot be negative, got {touch.count}")
        if touch.count == 0:
            continue
        weight = float(weights.get(touch.type, 0))
        total += weight * touch.count * decay_factor((as_of - touch.on).days, half_life_days)
        by_type[touch.type] += touch.count
        first = touch.on if first is None or touch.on < first else first
        last = touch.on if last is None or touch.on > last else last
    value = Decimal(repr(total)).quantize(SCORE_QUANTUM, rounding=ROUND_HALF_UP)
    return EngagementScore(
        value=value,
        touches=sum(by_type.values()),
        by_type=dict(by_type),
        first_on=first,
        last_on=last,
        half_life_days=half_life_days,
    )
