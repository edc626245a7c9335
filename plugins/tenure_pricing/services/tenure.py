"""An account's tenure and the price adjustment it earns on a quote."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from b2b_loyalty.plugin_api import PriceAdjustment, QuoteContext
from plugins.tenure_pricing import queries
from plugins.tenure_pricing.domain.calendar_months import add_months
from plugins.tenure_pricing.domain.tenure import CoverPeriod, Tenure, tenure_on
from plugins.tenure_pricing.domain.tenure_schedule import (
    StackedDiscount,
    TenureTier,
    plain,
    stack_discounts,
)
from plugins.tenure_pricing.domain.tenure_schedule import (
    TenureSchedule as ScheduleValue,
)
from plugins.tenure_pricing.models import TenureSchedule
from plugins.tenure_pricing.settings import setting

ADJUSTMENT_KEY = "tenure_pricing.tenure"


@dataclass(frozen=True)
class AccountTenure:
    """Tenure on a date, with the schedule in force then and the rate it earns."""

    tenure: Tenure
    schedule: TenureSchedule | None
    value: ScheduleValue | None

    @property
    def percent(self) -> Decimal:
        """The tenure discount in percent (0 without tenure or without a schedule)."""
        if self.value is None or not self.tenure.has_tenure:
            return Decimal(0)
        return self.value.percent_for(self.tenure.months)

    @property
    def next_tier(self) -> TenureTier | None:
        if self.value is None:
            return None
        return self.value.next_tier(self.tenure.months if self.tenure.has_tenure else 0)

    @property
    def next_step_on(self) -> date | None:
        """The day the next tier is reached if the client stays under contract."""
        tier = self.next_tier
        if tier is None or not self.tenure.has_tenure:
            return None
        return add_months(self.tenure.since, tier.from_months)

    def as_json(self) -> dict[str, Any]:
        t = self.tenure
        return {
            "on": t.on.isoformat(),
            "since": t.since.isoformat() if t.since else None,
            "months": t.months,
            "years": t.years,
            "days": t.days,
            "covered": t.covered,
            "grace_days": t.grace_days,
            "bridged_gaps": [
                {"from": g.first_day.isoformat(), "days": g.days} for g in t.bridged_gaps
            ],
            "reason": t.reason,
            "percent": str(self.percent),
            "schedule": None
            if self.schedule is None
            else {
                "id": self.schedule.id,
                "version": self.schedule.version,
                "stacking": self.schedule.stacking,
                "max_total_percent": str(self.schedule.max_total_percent),
            },
        }


def grace_days(schedule: TenureSchedule | None) -> int:
    return schedule.grace_days if schedule is not None else setting("GRACE_DAYS")


def tenure_with(
    periods: list[CoverPeriod], on: date, schedule: TenureSchedule | None
) -> AccountTenure:
    """Tenure from already loaded periods and schedule (no query)."""
    return AccountTenure(
        tenure=tenure_on(periods, on, grace_days(schedule)),
        schedule=schedule,
        value=schedule.as_value() if schedule is not None else None,
    )


def account_tenure(account_id: int, on: date) -> AccountTenure:
    """Tenure of an account on ``on``: two statements (schedule, contract periods)."""
    schedule = queries.schedule_in_force(on)
    return tenure_with(queries.account_cover_periods(account_id), on, schedule)


def stacked_for(volume_percent: Decimal, tenure_percent: Decimal, value: ScheduleValue):
    return stack_discounts(volume_percent, tenure_percent, value.stacking, value.max_total_percent)


def _details(t: AccountTenure, stacked: StackedDiscount) -> dict[str, Any]:
    return {
        "tenure_months": t.tenure.months,
        "since": t.tenure.since.isoformat() if t.tenure.since else None,
        "reason": t.tenure.reason,
        "tenure_percent": str(stacked.tenure),
        "volume_percent": str(stacked.volume),
        "stacking": stacked.stacking.value,
        "uncapped_percent": str(stacked.uncapped),
        "cap_percent": str(stacked.cap),
        "capped": stacked.capped,
        "total_percent": str(stacked.total),
        "schedule_version": t.schedule.version if t.schedule else None,
    }


def tenure_adjustment(quote: QuoteContext) -> PriceAdjustment | None:
    """The tenure line of a quote, or None when there is nothing to say.

    Nothing without an account, without a schedule in force on the quote date,
    or without tenure (never under contract, or the grace is over). Otherwise
    ``percent`` is the total discount under the stacking rule and cap minus the
    volume discount already given: 0 when best-of keeps the volume discount,
    negative when the cap is below the volume discount alone.
    """
    if quote.account_id is None:
        return None
    schedule = queries.schedule_in_force(quote.as_of)
    if schedule is None:
        return None
    t = tenure_with(queries.account_cover_periods(quote.account_id), quote.as_of, schedule)
    if not t.tenure.has_tenure:
        return None
    stacked = stacked_for(quote.volume_discount_percent, t.percent, t.value)
    return PriceAdjustment(
        stage=setting("PRICE_STAGE"),
        key=ADJUSTMENT_KEY,
        label=f"Tenure discount ({t.tenure.duration}, schedule v{schedule.version})",
        percent=plain(stacked.extra),
        explanation=stacked.explanation(t.tenure.reason),
        details=_details(t, stacked),
    )
