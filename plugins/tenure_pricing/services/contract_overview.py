"""What the account page, the renewal preview and the review show about contracts.

Everything here reads already loaded contracts and one schedule; the callers
load them with a fixed number of statements (see ``queries``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from flask import current_app

from b2b_loyalty.domain.money import round_money
from plugins.tenure_pricing import queries
from plugins.tenure_pricing.domain.contracts import SIGNED, ContractStatus
from plugins.tenure_pricing.domain.membership import (
    SellerBreakEven,
    break_even_spend,
    break_even_volume,
    seller_break_even,
)
from plugins.tenure_pricing.domain.renewal import (
    RenewalPrice,
    StepUp,
    renewal_price,
    renewal_term,
    tenure_step_up,
)
from plugins.tenure_pricing.models import TenureContract, TenureSchedule
from plugins.tenure_pricing.services.tenure import AccountTenure, tenure_with
from plugins.tenure_pricing.settings import setting

_SIGNED_VALUES = frozenset(s.value for s in SIGNED)


def current_contract(contracts: list[TenureContract], on: date) -> TenureContract | None:
    """The signed contract covering ``on`` (the latest-starting one if several)."""
    covering = [
        c for c in contracts if c.status in _SIGNED_VALUES and c.start_date <= on <= c.end_date
    ]
    return max(covering, key=lambda c: (c.start_date, c.id), default=None)


def later_contract(contracts: list[TenureContract], after: TenureContract) -> TenureContract | None:
    """The first draft or active contract starting after ``after`` ends (its renewal)."""
    later = [
        c
        for c in contracts
        if c.id != after.id
        and c.start_date > after.end_date
        and c.status in (ContractStatus.DRAFT.value, ContractStatus.ACTIVE.value)
    ]
    return min(later, key=lambda c: (c.start_date, c.id), default=None)


@dataclass(frozen=True)
class RenewalPreview:
    """The current terms and the next term's, side by side."""

    contract: TenureContract
    on: date
    start: date
    end: date
    price: RenewalPrice
    step_up: StepUp | None
    schedule: TenureSchedule | None
    renewal: TenureContract | None

    @property
    def days_left(self) -> int:
        """Days from the as-of date to the current contract's last day."""
        return (self.contract.end_date - self.on).days


def renewal_preview(
    contract: TenureContract,
    contracts: list[TenureContract],
    on: date,
    schedule: TenureSchedule | None,
) -> RenewalPreview:
    """Next term of ``contract``: uplifted price (capped at list) and the tenure step-up."""
    currency = current_app.config["BASE_CURRENCY"]
    start, end = renewal_term(contract.end_date, contract.term_months)
    uplift = schedule.renewal_uplift_percent if schedule is not None else Decimal(0)
    price = renewal_price(contract.annual_value, uplift, contract.list_annual_value, currency)
    step_up = None
    if schedule is not None:
        tenure = tenure_with(queries.cover_periods(contracts), on, schedule).tenure
        run_start = tenure.since if tenure.has_tenure else None
        if run_start is None and contract.status in _SIGNED_VALUES:
            run_start = contract.start_date
        step_up = tenure_step_up(schedule.as_value(), run_start, on, start, end)
    return RenewalPreview(
        contract=contract,
        on=on,
        start=start,
        end=end,
        price=price,
        step_up=step_up,
        schedule=schedule,
        renewal=later_contract(contracts, contract),
    )


@dataclass(frozen=True)
class MembershipView:
    """A membership fee's break-even for the client and for us.

    ``term_spend``: list spend expected over the term at the last 12 months'
    pace; ``units``: break-even units at the average list price of the last 12
    months (None without orders).
    """

    contract: TenureContract
    break_even_spend: Decimal
    units: Decimal | None
    unit_price: Decimal | None
    term_spend: Decimal
    above: bool
    margin_percent: Decimal
    margin_from_orders: bool
    seller: SellerBreakEven


def membership_view(contract: TenureContract, totals: queries.OrderTotals) -> MembershipView | None:
    """The break-even of ``contract``'s fee against the account's last 12 months of orders."""
    fee, percent = contract.membership_fee, contract.membership_discount_percent
    if not fee or not percent:
        return None
    currency = current_app.config["BASE_CURRENCY"]
    unit_price = totals.average_unit_price
    units = break_even_volume(fee, unit_price, percent) if unit_price else None
    term_spend = round_money(totals.list_amount * contract.term_months / 12, currency)
    margin = totals.margin_percent
    margin_from_orders = margin is not None
    if margin is None:
        margin = Decimal(setting("DEFAULT_MARGIN_PERCENT"))
    spend_point = break_even_spend(fee, percent, currency)
    return MembershipView(
        contract=contract,
        break_even_spend=spend_point,
        units=units,
        unit_price=round_money(unit_price, currency) if unit_price else None,
        term_spend=term_spend,
        above=term_spend >= spend_point,
        margin_percent=margin.quantize(Decimal("0.1")),
        margin_from_orders=margin_from_orders,
        seller=seller_break_even(term_spend, margin, percent, fee, currency),
    )


@dataclass(frozen=True)
class ContractOverview:
    """Everything the account panel shows, computed from three statements at most."""

    on: date
    contracts: list[TenureContract]
    tenure: AccountTenure | None
    current: TenureContract | None
    renewal: RenewalPreview | None
    membership: MembershipView | None
    horizon_days: int
    upcoming: TenureContract | None = None


def contract_overview(account_id: int, on: date) -> ContractOverview:
    """Contracts, tenure, renewal preview (when the current contract ends within the
    horizon) and the membership break-even of one account."""
    horizon = setting("EXPIRING_DAYS")
    contracts = queries.contracts_of(account_id)
    if not contracts:
        return ContractOverview(on, [], None, None, None, None, horizon)
    schedule = queries.schedule_in_force(on)
    tenure = tenure_with(queries.cover_periods(contracts), on, schedule)
    current = current_contract(contracts, on)
    renewal = None
    if current is not None and (current.end_date - on).days <= horizon:
        renewal = renewal_preview(current, contracts, on, schedule)
    membership = None
    if current is not None and current.membership_fee and current.membership_discount_percent:
        totals = queries.order_totals(
            [account_id], on - timedelta(days=365), on, current_app.config["BASE_CURRENCY"]
        ).get(account_id, queries.OrderTotals())
        membership = membership_view(current, totals)
    upcoming = None
    if current is None:
        upcoming = min(
            (c for c in contracts if c.status in _SIGNED_VALUES and c.start_date > on),
            key=lambda c: (c.start_date, c.id),
            default=None,
        )
    return ContractOverview(
        on, contracts, tenure, current, renewal, membership, horizon, upcoming=upcoming
    )
