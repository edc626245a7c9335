"""Ranking a portfolio by revenue, with the running (Pareto) share of the total.

Accounts are ranked by revenue, largest first; ties keep a stable order by name
then id, so two exports of the same data rank alike. The cumulative share is
the running sum of positive revenue ÷ the total positive revenue (a fraction,
0..1); accounts with no or negative revenue add nothing to it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Generic, TypeVar

T = TypeVar("T")
ZERO = Decimal(0)
SHARE_QUANTUM = Decimal("0.0001")


@dataclass(frozen=True)
class Ranked(Generic[T]):
    """An item with its rank (1 = largest) and the cumulative share up to and including it."""

    rank: int
    item: T
    revenue: Decimal
    cumulative_share: Decimal | None  # fraction; None when the total is not positive


def rank_by_revenue(
    items: Iterable[T],
    revenue: Callable[[T], Decimal],
    name: Callable[[T], str],
    key: Callable[[T], int],
) -> list[Ranked[T]]:
    """``items`` ranked by ``revenue`` descending, then ``name``, then ``key``."""
    ordered = sorted(items, key=lambda i: (-revenue(i), name(i).lower(), key(i)))
    total = sum((max(revenue(i), ZERO) for i in ordered), ZERO)
    running = ZERO
    ranked = []
    for position, item in enumerate(ordered, start=1):
        value = revenue(item)
        running += max(value, ZERO)
        share = (running / total).quantize(SHARE_QUANTUM) if total > 0 else None
        ranked.append(Ranked(position, item, value, share))
    return ranked


def top(ranked: Sequence[Ranked[T]], limit: int) -> list[Ranked[T]]:
    """The first ``limit`` ranked items (for a readable chart of a long tail)."""
    return list(ranked[: max(limit, 0)])
