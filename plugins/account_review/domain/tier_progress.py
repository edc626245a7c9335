"""Where an account stands in a volume discount schedule: tier reached and the next one.

Thresholds are the tiers' ``from`` values (units or money, as the schedule's
basis says), ascending, with their discount percent. The tier reached by a
volume ``v`` is the last one whose threshold is ≤ ``v``; the next tier is the
first threshold above ``v``, and ``to_next`` = that threshold − ``v``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal(0)


@dataclass(frozen=True)
class TierProgress:
    volume: Decimal
    reached_from: Decimal | None  # threshold of the tier reached (None: below the first)
    reached_percent: Decimal  # its discount, percent (0 below the first tier)
    next_from: Decimal | None  # None: the top tier is reached
    next_percent: Decimal | None
    to_next: Decimal | None  # volume still needed for the next tier

    @property
    def top_reached(self) -> bool:
        return self.next_from is None


def tier_progress(tiers: Sequence[tuple[Decimal, Decimal]], volume: Decimal) -> TierProgress:
    """Progress of ``volume`` through ``tiers`` ((from, percent) pairs, any order)."""
    ordered = sorted(tiers, key=lambda t: t[0])
    reached = [t for t in ordered if t[0] <= volume]
    above = [t for t in ordered if t[0] > volume]
    current = reached[-1] if reached else None
    following = above[0] if above else None
    return TierProgress(
        volume=volume,
        reached_from=current[0] if current else None,
        reached_percent=current[1] if current else ZERO,
        next_from=following[0] if following else None,
        next_percent=following[1] if following else None,
        to_next=(following[0] - volume) if following else None,
    )
