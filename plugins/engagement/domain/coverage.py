"""Who we reach at a client: coverage per circle, multi-threading, influence-weighted score.

- **Coverage** of a circle = engaged people ÷ known people, over the active
  people of that circle, a ratio from 0 to 1; "engaged" means contacted within
  the circle's cadence (see ``cadence.contact_status``). No known people: the
  ratio is None (undefined), never 0 and never 1.
- **Multi-threading** = the number of distinct active people with at least one
  interaction in the last ``multi_thread_days`` days (a window, see cadence.py).
- **Influence-weighted engagement** = Σ influence × score ÷ Σ influence over the
  active people, in score points: the average score where a person of
  influence 5 counts five times as much as one of influence 1.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from plugins.engagement.domain.cadence import ContactStatus, contact_status, in_window
from plugins.engagement.domain.vocabulary import CIRCLE_NAMES, CIRCLES

RATIO_QUANTUM = Decimal("0.0001")
SCORE_QUANTUM = Decimal("0.01")


class PersonFacts(NamedTuple):
    """What the rules need to know about one stakeholder, as of a day.

    A named tuple, not a dataclass: a portfolio of 10,000 accounts builds one per
    person (100,000), and a frozen dataclass costs five times as much to build."""

    id: int
    account_id: int
    name: str
    circle: int
    stance: str
    influence: int
    buying_role: str | None = None
    active: bool = True
    last_contact_on: date | None = None
    touches_last_month: int = 0  # our touches (complaints excluded) in the 30-day window
    score: Decimal | None = None


class CircleCoverage(NamedTuple):
    """A named tuple, not a frozen dataclass: a 10,000-account portfolio builds one per
    circle per account, and a frozen dataclass took a third of the coverage's time."""

    circle: int
    known: int
    engaged: int
    cadence_days: int | None = None

    @property
    def ratio(self) -> Decimal | None:
        """``engaged ÷ known`` from 0 to 1 (0.0001), None when nobody is known."""
        if self.known == 0:
            return None
        return (Decimal(self.engaged) / Decimal(self.known)).quantize(
            RATIO_QUANTUM, rounding=ROUND_HALF_UP
        )

    @property
    def explanation(self) -> str:
        if self.circle not in CIRCLE_NAMES:
            if self.known == 0:
                return "Nobody known at this client."
            return f"{self.engaged} of {self.known} known people engaged within their circle's cadence."
        where = CIRCLE_NAMES[self.circle]
        if self.known == 0:
            return f"Nobody known in the {where}."
        return f"{self.engaged} of {self.known} known people in the {where} engaged within its cadence."


@dataclass(frozen=True)
class AccountCoverage:
    circles: Mapping[int, CircleCoverage]
    overall: CircleCoverage
    multi_threading: int
    multi_thread_days: int
    influence_weighted: Decimal | None
    influence_total: int

    @property
    def multi_threading_explanation(self) -> str:
        noun = "person" if self.multi_threading == 1 else "people"
        return (
            f"{self.multi_threading} distinct {noun} took part in an interaction "
            f"in the last {self.multi_thread_days} days."
        )

    @property
    def influence_weighted_explanation(self) -> str:
        if self.influence_weighted is None:
            return "No active people with a score: nothing to weigh."
        return (
            f"Σ influence × score ÷ Σ influence over the active people "
            f"(total influence {self.influence_total}): {self.influence_weighted} points."
        )


def statuses(
    people: Iterable[PersonFacts], as_of: date, cadences: Mapping[int, int]
) -> dict[int, ContactStatus]:
    """Each person's ContactStatus against their circle's cadence, by person id."""
    return {p.id: contact_status(p.last_contact_on, as_of, cadences[p.circle]) for p in people}


def overall_coverage_by_account(
    contacts: Iterable[tuple[int, int, date | None, int | None, int]],
    as_of: date,
    default_cadences: Mapping[int, int],
) -> dict[int, CircleCoverage]:
    """Overall coverage per account from ``(account id, circle, last contact, cadence
    override, number of people)``, counting *active* people who share those values:
    the same figure as ``account_coverage(...).overall`` (same rule,
    ``contact_status``; a circle's cadence is the account's override, else the
    default), without the per-circle detail. What the health measures of a
    10,000-account portfolio read. Accounts with no active person are absent
    (nobody known: ratio None)."""
    known: dict[int, int] = {}
    engaged: dict[int, int] = {}
    for account_id, circle, last_contact_on, override, people in contacts:
        known[account_id] = known.get(account_id, 0) + people
        cadence = override or default_cadences[circle]
        if contact_status(last_contact_on, as_of, cadence).engaged:
            engaged[account_id] = engaged.get(account_id, 0) + people
    return {i: CircleCoverage(0, n, engaged.get(i, 0)) for i, n in known.items()}


def account_coverage(
    people: Iterable[PersonFacts],
    as_of: date,
    cadences: Mapping[int, int],
    multi_thread_days: int,
) -> AccountCoverage:
    """Coverage per circle and overall, multi-threading and the influence-weighted score."""
    active = [p for p in people if p.active]
    known = dict.fromkeys(CIRCLES, 0)
    engaged = dict.fromkeys(CIRCLES, 0)
    threads = 0
    weighted = Decimal(0)
    influence_total = 0
    scored = False
    for person in active:
        status = contact_status(person.last_contact_on, as_of, cadences[person.circle])
        known[person.circle] += 1
        engaged[person.circle] += status.engaged
        threads += in_window(person.last_contact_on, as_of, multi_thread_days)
        influence_total += person.influence
        if person.score is not None:
            scored = True
            weighted += person.influence * person.score
    circles = {c: CircleCoverage(c, known[c], engaged[c], cadences[c]) for c in CIRCLES}
    influence_weighted = None
    if scored and influence_total:
        influence_weighted = (weighted / influence_total).quantize(
            SCORE_QUANTUM, rounding=ROUND_HALF_UP
        )
    return AccountCoverage(
        circles=circles,
        overall=CircleCoverage(0, sum(known.values()), sum(engaged.values())),
        multi_threading=threads,
        multi_thread_days=multi_thread_days,
        influence_weighted=influence_weighted,
        influence_total=influence_total,
    )
