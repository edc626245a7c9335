"""Renewal preview: the next term's price and the tenure step-up it would earn.

Price rule (finance's uplift, never above the list price):

    new = min(old × (1 + uplift ÷ 100), list)

``old`` is the current annual committed value, ``list`` the same commitment at
list prices (when known), ``uplift`` a percent. Rounded once with ``round_money``.
When ``list`` is unknown the uplift is not capped and the preview says so.

Step-up: renewing keeps the tenure run going, so the client crosses the next
tenure thresholds during the new term; each crossing is a date and a new rate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from b2b_loyalty.domain.money import round_money
from plugins.tenure_pricing.domain.calendar_months import add_months, full_months_between
from plugins.tenure_pricing.domain.tenure_schedule import TenureSchedule

HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class RenewalPrice:
    """Current and next annual price (money); ``capped_by_list`` when the list price bit."""

    old: Decimal
    uplift_percent: Decimal
    uplifted: Decimal
    list_value: Decimal | None
    new: Decimal

    @property
    def capped_by_list(self) -> bool:
        return self.list_value is not None and self.new < self.uplifted

    @property
    def change(self) -> Decimal:
        return self.new - self.old


def renewal_price(
    old: Decimal, uplift_percent: Decimal, list_value: Decimal | None, currency: str = "EUR"
) -> RenewalPrice:
    """The next term's annual price: min(old × (1 + uplift/100), list), rounded as money."""
    if old < 0 or uplift_percent < 0:
        raise ValueError("a price or an uplift cannot be negative")
    uplifted = round_money(old * (1 + uplift_percent / HUNDRED), currency)
    new = uplifted if list_value is None else min(uplifted, round_money(list_value, currency))
    return RenewalPrice(old, uplift_percent, uplifted, list_value, new)


@dataclass(frozen=True, slots=True)
class TenureStep:
    """On ``on`` the client reaches ``months`` of tenure and the rate becomes ``percent``."""

    on: date
    months: int
    percent: Decimal


@dataclass(frozen=True, slots=True)
class StepUp:
    """Tenure rates now, at the renewal start and along the next term.

    ``steps`` are the thresholds crossed between the renewal start and the end
    of the next term (inclusive), in date order.
    """

    percent_now: Decimal
    renewal_start: date
    renewal_end: date
    months_at_start: int
    percent_at_start: Decimal
    steps: tuple[TenureStep, ...]

    @property
    def percent_at_end(self) -> Decimal:
        return self.steps[-1].percent if self.steps else self.percent_at_start

    @property
    def gain_points(self) -> Decimal:
        """Percentage points the renewal adds to the tenure rate by the term's end."""
        return self.percent_at_end - self.percent_now


def renewal_term(current_end: date, term_months: int) -> tuple[date, date]:
    """The next term: from the day after ``current_end`` for ``term_months`` months."""
    start = current_end + timedelta(days=1)
    return start, add_months(start, term_months) - timedelta(days=1)


def tenure_step_up(
    schedule: TenureSchedule,
    run_start: date | None,
    on: date,
    renewal_start: date,
    renewal_end: date,
) -> StepUp:
    """Tenure rates if the contract renews: now, at ``renewal_start``, and each step to
    ``renewal_end``. ``run_start`` None (no tenure yet) counts from ``renewal_start``."""
    start = run_start or renewal_start
    now = schedule.percent_for(full_months_between(start, on)) if run_start else Decimal(0)
    months_at_start = full_months_between(start, renewal_start)
    steps = []
    current = schedule.percent_for(months_at_start)
    for tier in schedule.tiers:
        if tier.from_months <= months_at_start:
            continue
        reached = add_months(start, tier.from_months)
        if reached > renewal_end:
            break
        if tier.percent != current:
            steps.append(TenureStep(reached, tier.from_months, tier.percent))
            current = tier.percent
    return StepUp(
        percent_now=now,
        renewal_start=renewal_start,
        renewal_end=renewal_end,
        months_at_start=months_at_start,
        percent_at_start=schedule.percent_for(months_at_start),
        steps=tuple(steps),
    )
