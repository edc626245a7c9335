"""Who moved: a person's stance at the start of a period against the end of it.

The history holds one row per change (``before`` → ``after``); the first row
of a person may be a seed with no ``before`` (their stance when tracking began).
A move over [first, last] compares the stance in force just before ``first``
with the stance after the last change up to ``last``. Direction is +1 when the
person became more favourable (skeptic → supporter), −1 when less, 0 when the
stance came back to where it was.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from plugins.engagement.domain.vocabulary import STANCE_RANK, humanise


@dataclass(frozen=True)
class StanceChange:
    stakeholder_id: int
    changed_on: date
    stance_before: str | None
    stance_after: str
    influence_before: int | None = None
    influence_after: int | None = None
    id: int = 0


@dataclass(frozen=True)
class StanceMove:
    stakeholder_id: int
    from_stance: str
    to_stance: str
    changed_on: date  # the last change in the period

    @property
    def direction(self) -> int:
        difference = STANCE_RANK.get(self.to_stance, 2) - STANCE_RANK.get(self.from_stance, 2)
        return (difference > 0) - (difference < 0)

    @property
    def description(self) -> str:
        return f"{humanise(self.from_stance)} → {humanise(self.to_stance)}"


def stance_moves(changes: Iterable[StanceChange], first: date, last: date) -> dict[int, StanceMove]:
    """Moves of stance over [first, last] by person id; people whose stance ended where it began
    (or who have no change in the period, or only a seed row) are left out."""
    by_person: dict[int, list[StanceChange]] = {}
    for change in sorted(changes, key=lambda c: (c.changed_on, c.id)):
        if change.changed_on <= last:
            by_person.setdefault(change.stakeholder_id, []).append(change)
    moves = {}
    for person_id, rows in by_person.items():
        in_period = [r for r in rows if r.changed_on >= first]
        changes = [
            r
            for r in in_period
            if r.stance_before is not None and r.stance_before != r.stance_after
        ]
        if not changes:
            continue
        before_period = [r for r in rows if r.changed_on < first]
        seeds = [
            r
            for r in in_period
            if r.stance_before is None
            and (r.changed_on, r.id) <= (changes[0].changed_on, changes[0].id)
        ]
        if before_period:
            start = before_period[-1].stance_after
        elif seeds:
            start = seeds[0].stance_after
        else:
            start = changes[0].stance_before
        end = rows[-1].stance_after
        if start == end:
            continue
        moves[person_id] = StanceMove(person_id, start, end, changes[-1].changed_on)
    return moves
