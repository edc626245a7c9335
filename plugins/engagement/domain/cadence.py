"""Contact cadence: how often each circle should hear from us, and who is overdue.

Two notions of time, used everywhere in the plugin:

- **Cadence** ("every N days"): the next contact is due N days after the last
  one; a person is *engaged* while ``age ≤ N`` days and *overdue* from the day
  after the due date (``age > N``), ``age − N`` days overdue. A person never
  contacted is overdue at once (``days_overdue`` is None: "never").
- **Window** ("in the last N days"): the N days ending on ``as_of``, both ends
  included, i.e. ``0 ≤ age ≤ N − 1``. Used for "engaged in the last 90 days",
  touches per month (30 days) and the trailing NPS and complaint counts.

``age`` is ``(as_of − day)`` in whole days.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from plugins.engagement.domain.vocabulary import CIRCLES

CADENCE_NAMES: dict[int, str] = {
    7: "weekly",
    14: "every two weeks",
    30: "monthly",
    31: "monthly",
    61: "every two months",
    91: "quarterly",
    92: "quarterly",
    182: "twice a year",
    183: "twice a year",
    365: "yearly",
}


def describe_cadence(days: int) -> str:
    """``30`` -> ``monthly (30 days)``; other values -> ``every 45 days``."""
    name = CADENCE_NAMES.get(days)
    return f"{name} ({days} days)" if name else f"every {days} days"


def cadence_for(
    circle: int, defaults: Mapping[int, int], overrides: Mapping[int, int] | None = None
) -> int:
    """The account's cadence in days for ``circle``: its override, else the admin default."""
    if overrides and circle in overrides:
        return overrides[circle]
    return defaults[circle]


def cadences_for_account(
    defaults: Mapping[int, int], overrides: Mapping[int, int] | None = None
) -> dict[int, int]:
    return {c: cadence_for(c, defaults, overrides) for c in CIRCLES}


def window_start(as_of: date, days: int) -> date:
    """First day of the window of ``days`` days ending on ``as_of`` (both included)."""
    if days < 1:
        raise ValueError(f"a window has at least one day, got {days}")
    return as_of - timedelta(days=days - 1)


def in_window(day: date | None, as_of: date, days: int) -> bool:
    """True when ``day`` lies in the ``days``-day window ending on ``as_of``."""
    return day is not None and window_start(as_of, days) <= day <= as_of


@dataclass(frozen=True)
class ContactStatus:
    """Where a person stands against their cadence on ``as_of``."""

    cadence_days: int
    last_contact_on: date | None
    due_on: date | None  # None: never contacted, due now
    engaged: bool
    days_overdue: int | None  # None when never contacted; 0 when not overdue

    @property
    def never_contacted(self) -> bool:
        return self.last_contact_on is None

    @property
    def overdue(self) -> bool:
        return not self.engaged

    @property
    def explanation(self) -> str:
        cadence = describe_cadence(self.cadence_days)
        if self.last_contact_on is None:
            return f"Never contacted; cadence {cadence}."
        if self.engaged:
            return f"Last contact {self.last_contact_on.isoformat()}; next due {self.due_on.isoformat()} ({cadence})."
        return (
            f"Last contact {self.last_contact_on.isoformat()}: {self.days_overdue} days overdue "
            f"against a cadence of {cadence}."
        )


# Pure and called for every person of every account, several times (coverage,
# warning signs, the status column), with few distinct arguments: a portfolio of
# 100,000 people has a few thousand (last contact, day, cadence) triples. The
# result is immutable, so sharing it is safe.
@lru_cache(maxsize=65_536)
def contact_status(last_contact_on: date | None, as_of: date, cadence_days: int) -> ContactStatus:
    """Engaged while ``age ≤ cadence_days``; overdue by ``age − cadence_days`` days after.

    ``last_contact_on`` after ``as_of`` is refused (``ValueError``): callers select
    contacts up to ``as_of`` only.
    """
    if cadence_days < 1:
        raise ValueError(f"a cadence is at least one day, got {cadence_days}")
    if last_contact_on is None:
        return ContactStatus(cadence_days, None, None, engaged=False, days_overdue=None)
    if last_contact_on > as_of:
        raise ValueError(f"last contact {last_contact_on} is after {as_of}")
    age = (as_of - last_contact_on).days
    due = last_contact_on + timedelta(days=cadence_days)
    engaged = age <= cadence_days
    return ContactStatus(
        cadence_days,
        last_contact_on,
        due,
        engaged=engaged,
        days_overdue=0 if engaged else age - cadence_days,
    )
