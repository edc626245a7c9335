"""The aggregate queries behind account metrics and the dashboard.

Every figure is summed in the database (GROUP BY over an indexed date range),
never by loading orders into Python; each function is one statement whatever
the number of accounts. Record-level access applies as everywhere, except in
``company_revenue_by_account`` and ``company_median_cycle``, which rank or
summarise the whole company on purpose (ABC classes and the fallback purchase
cycle are properties of the company's portfolio, not of the viewer's) and
return no row a user could not otherwise see beyond those derived figures.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import Select, and_, case, extract, func, select

from b2b_loyalty.access import SKIP_SCOPE_OPTION
from b2b_loyalty.domain.order_metrics import Period
from b2b_loyalty.extensions import db
from b2b_loyalty.models import (
    Account,
    AccountOrderStats,
    Order,
    ProductCategory,
    SegmentOverride,
    SegmentRuleSet,
    User,
    WalletEstimate,
)

ZERO = Decimal(0)


@dataclass(frozen=True)
class AccountFilter:
    owner_id: int | None = None
    region: str = ""
    industry: str = ""
    account_ids: tuple[int, ...] | None = None


def filtered_account_ids(filters: AccountFilter) -> Select:
    stmt = select(Account.id)
    if filters.owner_id:
        stmt = stmt.where(Account.owner_id == filters.owner_id)
    if filters.region:
        stmt = stmt.where(Account.region == filters.region)
    if filters.industry:
        stmt = stmt.where(Account.industry == filters.industry)
    if filters.account_ids is not None:
        stmt = stmt.where(Account.id.in_(filters.account_ids))
    return stmt


def account_rows(filters: AccountFilter) -> list:
    owner = User.__table__.alias("owner")
    stmt = (
        select(
            Account.id,
            Account.name,
            Account.owner_id,
            owner.c.name.label("owner_name"),
            Account.region,
            Account.industry,
            Account.closed_on,
            Account.closed_reason,
        )
        .join(owner, owner.c.id == Account.owner_id)
        .where(Account.id.in_(filtered_account_ids(filters)))
        .order_by(Account.name, Account.id)
    )
    return list(db.session.execute(stmt))


@dataclass(frozen=True)
class OrderTotals:
    revenue: Decimal = ZERO
    orders: int = 0
    categories: int = 0
    # Gross margin over the orders whose unit cost is known, and the revenue it covers.
    margin: Decimal = ZERO
    margin_revenue: Decimal = ZERO


def _dec(value) -> Decimal:  # noqa: ANN001 - a DB number (float on SQLite)
    return ZERO if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def order_totals(filters: AccountFilter, period: Period) -> dict[int, OrderTotals]:
    """Net revenue, order count, distinct categories and known gross margin per account."""
    known_cost = Order.unit_cost.is_not(None)
    stmt = (
        select(
            Order.account_id,
            func.sum(Order.net_amount),
            func.count(Order.id),
            func.count(func.distinct(Order.category_id)),
            func.sum(
                case((known_cost, Order.net_amount - Order.quantity * Order.unit_cost), else_=0)
            ),
            func.sum(case((known_cost, Order.net_amount), else_=0)),
        )
        .where(
            Order.order_date >= period.start,
            Order.order_date <= period.end,
            Order.account_id.in_(filtered_account_ids(filters)),
        )
        .group_by(Order.account_id)
    )
    return {
        row[0]: OrderTotals(_dec(row[1]), row[2], row[3], _dec(row[4]), _dec(row[5]))
        for row in db.session.execute(stmt)
    }


def revenue_by_category(filters: AccountFilter, period: Period) -> dict[int, dict[str, Decimal]]:
    stmt = (
        select(Order.account_id, ProductCategory.name, func.sum(Order.net_amount))
        .join(ProductCategory, ProductCategory.id == Order.category_id)
        .where(
            Order.order_date >= period.start,
            Order.order_date <= period.end,
            Order.account_id.in_(filtered_account_ids(filters)),
        )
        .group_by(Order.account_id, ProductCategory.name)
    )
    result: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for account_id, category, revenue in db.session.execute(stmt):
        result[account_id][category] = _dec(revenue)
    return result


@dataclass
class WalletEstimates:
    by_category: dict[str, Decimal]
    all_categories: Decimal | None = None


def wallet_estimates(
    filters: AccountFilter, years: tuple[int, ...]
) -> dict[tuple[int, int], WalletEstimates]:
    """Estimates per (account, year): per category and the all-categories one."""
    stmt = (
        select(
            WalletEstimate.account_id,
            WalletEstimate.year,
            ProductCategory.name,
            WalletEstimate.estimated_spend,
        )
        .outerjoin(ProductCategory, ProductCategory.id == WalletEstimate.category_id)
        .where(
            WalletEstimate.year.in_(years),
            WalletEstimate.account_id.in_(filtered_account_ids(filters)),
        )
    )
    result: dict[tuple[int, int], WalletEstimates] = {}
    for account_id, year, category, spend in db.session.execute(stmt):
        entry = result.setdefault((account_id, year), WalletEstimates(by_category={}))
        if category is None:
            entry.all_categories = _dec(spend)
        else:
            entry.by_category[category] = _dec(spend)
    return result


@dataclass(frozen=True)
class ActivityFlags:
    active_at_start: bool
    active_at_end: bool


def activity(filters: AccountFilter, period: Period) -> dict[int, ActivityFlags]:
    """A client is active on a day when it ordered in the 365 days up to that day.

    Active at start: ordered in [start − 365, start − 1]; at end: in [end − 364, end].
    """
    before_start = and_(
        Order.order_date >= period.start - timedelta(days=365), Order.order_date < period.start
    )
    before_end = Order.order_date > period.end - timedelta(days=365)
    stmt = (
        select(
            Order.account_id,
            func.max(case((before_start, 1), else_=0)),
            func.max(case((before_end, 1), else_=0)),
        )
        .where(
            Order.order_date >= period.start - timedelta(days=365),
            Order.order_date <= period.end,
            Order.account_id.in_(filtered_account_ids(filters)),
        )
        .group_by(Order.account_id)
    )
    return {row[0]: ActivityFlags(bool(row[1]), bool(row[2])) for row in db.session.execute(stmt)}


def order_stats(filters: AccountFilter) -> dict[int, AccountOrderStats]:
    stmt = select(AccountOrderStats).where(
        AccountOrderStats.account_id.in_(filtered_account_ids(filters))
    )
    return {s.account_id: s for s in db.session.scalars(stmt)}


def company_revenue_by_account(period: Period) -> dict[int, Decimal]:
    """Net revenue of every account in the company (for company-wide ABC classes)."""
    stmt = (
        select(Order.account_id, func.sum(Order.net_amount))
        .where(Order.order_date >= period.start, Order.order_date <= period.end)
        .group_by(Order.account_id)
        .execution_options(**{SKIP_SCOPE_OPTION: True})
    )
    return {row[0]: _dec(row[1]) for row in db.session.execute(stmt)}


def company_median_cycle() -> Decimal | None:
    """Median of the accounts' own median purchase intervals: the fallback cycle."""
    stmt = (
        select(AccountOrderStats.median_interval_days)
        .where(
            AccountOrderStats.order_days >= 3, AccountOrderStats.median_interval_days.is_not(None)
        )
        .execution_options(**{SKIP_SCOPE_OPTION: True})
    )
    values = [Decimal(str(v)) for v in db.session.scalars(stmt)]
    return Decimal(str(statistics.median(values))) if values else None


def segment_rules() -> SegmentRuleSet | None:
    return db.session.get(SegmentRuleSet, 1)


def segment_overrides(filters: AccountFilter) -> dict[int, SegmentOverride]:
    stmt = select(SegmentOverride).where(
        SegmentOverride.account_id.in_(filtered_account_ids(filters))
    )
    return {o.account_id: o for o in db.session.scalars(stmt)}


def monthly_revenue(
    account_id: int, first_month: date, last_day: date
) -> dict[tuple[int, int], Decimal]:
    """Net revenue per (year, month) of one account, for its trend chart."""
    year = extract("year", Order.order_date)
    month = extract("month", Order.order_date)
    stmt = (
        select(year, month, func.sum(Order.net_amount))
        .where(
            Order.account_id == account_id,
            Order.order_date >= first_month,
            Order.order_date <= last_day,
        )
        .group_by(year, month)
    )
    return {(int(y), int(m)): _dec(total) for y, m, total in db.session.execute(stmt)}
