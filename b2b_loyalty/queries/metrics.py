"""The aggregate queries behind account metrics and the dashboard.

Every figure is summed in the database (GROUP BY over an indexed date range),
never by loading orders into Python; each function is one statement whatever
the number of accounts. Record-level access applies as everywhere, except in
``company_revenue_by_account`` and ``category_median_cycles``, which rank or
summarise the whole company on purpose (ABC classes and the fallback purchase
cycle are properties of the company's portfolio, not of the viewer's) and
return no row a user could not otherwise see beyond those derived figures.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import Select, case, func, literal, select, union_all

from b2b_loyalty.access import SKIP_SCOPE_OPTION, scoped_rows, sees_every_account
from b2b_loyalty.domain.money import stored_amount
from b2b_loyalty.domain.order_metrics import Period
from b2b_loyalty.extensions import db
from b2b_loyalty.models import (
    Account,
    AccountMonthTotals,
    AccountOrderStats,
    Order,
    ProductCategory,
    SegmentOverride,
    SegmentRuleSet,
    SupplierRanking,
    User,
    WalletEstimate,
)
from b2b_loyalty.queries.id_lists import among

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


def account_restriction(filters: AccountFilter) -> Select | None:
    """The accounts a report covers, or None when that is every account of the company:
    no filter set and a viewer who sees the whole portfolio (then its figures are the
    company's, e.g. its ABC ranking)."""
    if filters == AccountFilter() and sees_every_account():
        return None
    return filtered_account_ids(filters)


def explicit_restriction(filters: AccountFilter) -> Select | None:
    """The account condition a query must spell out, or None when it needs none.

    With no filter set, none: every table these queries read is account-scoped, so the
    record-level access listener already keeps each of them to the viewer's accounts
    (nothing for a viewer who sees all). Spelled out as well, the viewer's accounts
    were looked up twice more in every part of a statement, and SQLite probed its
    date index once per account through ``IN (SELECT id FROM accounts)`` (2-3x
    slower at 10,000 accounts)."""
    return None if filters == AccountFilter() else filtered_account_ids(filters)


def among_accounts(column, filters: AccountFilter) -> tuple:  # noqa: ANN001 - a column
    """WHERE conditions keeping ``column`` to the filtered accounts (none when unfiltered:
    see ``explicit_restriction``)."""
    ids = explicit_restriction(filters)
    return () if ids is None else (column.in_(ids),)


# The report queries below run through ``access.scoped_rows`` (the record-level rule,
# without the ORM re-packing every row), and their rows come back as named tuples,
# not SQLAlchemy ``Row``s: the dashboard reads a dozen fields of 10,000 of them, and a
# tuple's field costs a tenth of a ``Row`` attribute.
class AccountRow(NamedTuple):
    id: int
    name: str
    owner_id: int
    owner_name: str
    region: str | None
    industry: str | None
    closed_on: date | None
    closed_reason: str | None


def account_rows(filters: AccountFilter) -> list[AccountRow]:
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
        .where(*among_accounts(Account.id, filters))
        .order_by(Account.name, Account.id)
    )
    return [AccountRow(*row) for row in scoped_rows(stmt)]


class OrderTotals(NamedTuple):
    revenue: Decimal = ZERO
    orders: int = 0
    # Gross margin over the orders whose unit cost is known, and the revenue it covers.
    margin: Decimal = ZERO
    margin_revenue: Decimal = ZERO


def split_months(
    start: date, end: date
) -> tuple[tuple[date, date] | None, list[tuple[date, date]]]:
    """The whole calendar months inside [start, end] and the partial edges around them.

    Returns ((first month start, last month start) or None, [raw date ranges]).
    """
    first_full = start if start.day == 1 else _next_month(start)
    after_last = (
        _next_month(end) if _next_month(end) - timedelta(days=1) == end else end.replace(day=1)
    )
    if first_full >= after_last:
        return None, [(start, end)]
    last_full = _previous_month(after_last)
    edges = []
    if start < first_full:
        edges.append((start, first_full - timedelta(days=1)))
    if after_last <= end:
        edges.append((after_last, end))
    return (first_full, last_full), edges


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _previous_month(first: date) -> date:
    return (first - timedelta(days=1)).replace(day=1)


def _totals_source(start: date, end: date, account_ids: Select | None):
    """A subquery of (account_id, revenue, orders, margin, margin_revenue) rows covering
    [start, end]: monthly totals for whole months UNION ALL orders for the edges."""
    months, edges = split_months(start, end)
    parts = []
    if months:
        stmt = select(
            AccountMonthTotals.account_id.label("account_id"),
            AccountMonthTotals.revenue.label("revenue"),
            AccountMonthTotals.orders.label("orders"),
            AccountMonthTotals.margin.label("margin"),
            AccountMonthTotals.margin_revenue.label("margin_revenue"),
        ).where(
            AccountMonthTotals.month_start >= months[0], AccountMonthTotals.month_start <= months[1]
        )
        if account_ids is not None:
            stmt = stmt.where(AccountMonthTotals.account_id.in_(account_ids))
        parts.append(stmt)
    known_cost = Order.unit_cost.is_not(None)
    for edge_start, edge_end in edges:
        stmt = select(
            Order.account_id.label("account_id"),
            Order.net_amount.label("revenue"),
            literal(1).label("orders"),
            case((known_cost, Order.net_amount - Order.quantity * Order.unit_cost), else_=0).label(
                "margin"
            ),
            case((known_cost, Order.net_amount), else_=0).label("margin_revenue"),
        ).where(Order.order_date >= edge_start, Order.order_date <= edge_end)
        if account_ids is not None:
            stmt = stmt.where(Order.account_id.in_(account_ids))
        parts.append(stmt)
    return union_all(*parts).subquery() if len(parts) > 1 else parts[0].subquery()


def _totals(
    start: date, end: date, account_ids: Select | None, *, margins: bool = True, **options
) -> dict[int, OrderTotals]:
    """Totals per account over [start, end]; without ``margins`` the margin fields are
    0 (neither summed nor converted: only the shown period's margin is ever read)."""
    source = _totals_source(start, end, account_ids)
    sums = [func.sum(source.c.revenue), func.sum(source.c.orders)]
    if margins:
        sums += [func.sum(source.c.margin), func.sum(source.c.margin_revenue)]
    stmt = (
        select(source.c.account_id, *sums)
        .group_by(source.c.account_id)
        .execution_options(**options)
    )
    rows = scoped_rows(stmt)
    # Revenue is a SUM of Numeric(16, 2) columns, which SQLAlchemy already hands back as
    # Decimals at that scale (on SQLite formatted from the float at two places, which is
    # what ``stored_amount`` would make of it), and a group is never empty: no second
    # conversion for 10,000 rows. The margin is a SUM of products, wider on PostgreSQL.
    if not margins:
        return {account_id: OrderTotals(revenue, orders) for account_id, revenue, orders in rows}
    return {
        account_id: OrderTotals(revenue, orders, stored_amount(margin), margin_revenue)
        for account_id, revenue, orders, margin, margin_revenue in rows
    }


class TotalsCache:
    """Totals per (start, end) computed once per request: the default trailing-12-month
    period's windows coincide (the previous period is the year before the start,
    the period itself is the year up to its end), so one query serves several uses.
    A window asked for without margins is served from one summed with them."""

    def __init__(self, filters: AccountFilter) -> None:
        self.filters = filters
        self._cache: dict[tuple[date, date], tuple[bool, dict[int, OrderTotals]]] = {}

    def get(self, start: date, end: date, *, margins: bool = True) -> dict[int, OrderTotals]:
        cached = self._cache.get((start, end))
        if cached is None or (margins and not cached[0]):
            restriction = explicit_restriction(self.filters)
            cached = (margins, _totals(start, end, restriction, margins=margins))
            self._cache[(start, end)] = cached
        return cached[1]


def order_totals(
    filters: AccountFilter,
    period: Period,
    cache: TotalsCache | None = None,
    *,
    margins: bool = True,
) -> dict[int, OrderTotals]:
    """Net revenue, order count and (with ``margins``) known gross margin per account in
    the period."""
    cache = cache or TotalsCache(filters)
    return cache.get(period.start, period.end, margins=margins)


def category_counts(filters: AccountFilter, period: Period) -> dict[int, int]:
    """Distinct categories bought per account in the period (cross-sell breadth)."""
    stmt = (
        select(Order.account_id, func.count(func.distinct(Order.category_id)))
        .where(
            Order.order_date >= period.start,
            Order.order_date <= period.end,
            *among_accounts(Order.account_id, filters),
        )
        .group_by(Order.account_id)
    )
    return dict(scoped_rows(stmt))


def revenue_by_category(
    period: Period, account_ids: Iterable[int]
) -> dict[int, dict[str, Decimal]]:
    """Revenue per category of these accounts in the period: the accounts with
    per-category wallet estimates, the only ones whose share of wallet needs it (none,
    no statement)."""
    ids = sorted(set(account_ids))
    if not ids:
        return {}
    stmt = (
        select(Order.account_id, ProductCategory.name, func.sum(Order.net_amount))
        .join(ProductCategory, ProductCategory.id == Order.category_id)
        .where(
            Order.order_date >= period.start,
            Order.order_date <= period.end,
            among(Order.account_id, ids),
        )
        .group_by(Order.account_id, ProductCategory.name)
    )
    result: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for account_id, category, revenue in scoped_rows(stmt):
        result[account_id][category] = stored_amount(revenue)
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
            *among_accounts(WalletEstimate.account_id, filters),
        )
    )
    result: dict[tuple[int, int], WalletEstimates] = {}
    for account_id, year, category, spend in scoped_rows(stmt):
        key = (account_id, year)
        entry = result.get(key)
        if entry is None:
            entry = result[key] = WalletEstimates({})
        # A MONEY column: already a Decimal at the column's scale (see ``_totals``).
        if category is None:
            entry.all_categories = spend
        else:
            entry.by_category[category] = spend
    return result


@dataclass(frozen=True)
class ActiveClients:
    at_start: set[int]
    at_end: set[int]


def activity(
    filters: AccountFilter, period: Period, cache: TotalsCache | None = None
) -> ActiveClients:
    """A client is active on a day when it ordered in the 365 days up to that day.

    Active at start: ordered in [start − 365, start − 1]; at end: in [end − 364, end].
    """
    # Through the request's cache: for a year-long period these windows are the
    # previous period and the period itself, whose totals are already summed.
    cache = cache or TotalsCache(filters)
    before_start = cache.get(
        period.start - timedelta(days=365), period.start - timedelta(days=1), margins=False
    )
    before_end = cache.get(period.end - timedelta(days=364), period.end, margins=False)
    return ActiveClients(
        {i for i, t in before_start.items() if t.orders > 0},
        {i for i, t in before_end.items() if t.orders > 0},
    )


def supplier_rankings(filters: AccountFilter, year: int) -> dict[int, tuple[int, int]]:
    """(rank, number of suppliers) per account for ``year``."""
    stmt = select(
        SupplierRanking.account_id, SupplierRanking.rank, SupplierRanking.supplier_count
    ).where(SupplierRanking.year == year, *among_accounts(SupplierRanking.account_id, filters))
    return {account_id: (rank, n) for account_id, rank, n in scoped_rows(stmt)}


class OrderStatsRow(NamedTuple):
    account_id: int
    first_order_on: date | None
    last_order_on: date | None
    order_days: int
    median_interval_days: Decimal | None
    main_category_id: int | None


def order_stats(filters: AccountFilter) -> dict[int, OrderStatsRow]:
    """The stored order rhythm per account, as named tuples (no ORM identity map:
    10,000 entities would cost more than the query)."""
    stmt = select(
        AccountOrderStats.account_id,
        AccountOrderStats.first_order_on,
        AccountOrderStats.last_order_on,
        AccountOrderStats.order_days,
        AccountOrderStats.median_interval_days,
        AccountOrderStats.main_category_id,
    ).where(*among_accounts(AccountOrderStats.account_id, filters))
    return {row[0]: OrderStatsRow(*row) for row in scoped_rows(stmt)}


def company_revenue_by_account(period: Period) -> dict[int, Decimal]:
    """Net revenue of every account in the company (for company-wide ABC classes)."""
    totals = _totals(period.start, period.end, None, margins=False, **{SKIP_SCOPE_OPTION: True})
    return {account_id: t.revenue for account_id, t in totals.items()}


def category_median_cycles(category_ids: Iterable[int]) -> dict[int, Decimal]:
    """For these product categories, the median of their accounts' own median purchase
    intervals (accounts with at least 3 order days, grouped by their main category):
    the cycle of an account with too few orders of its own. Company-wide on purpose,
    like ABC. Only the categories asked for: an account page needs one at most."""
    wanted = sorted(set(category_ids))
    if not wanted:
        return {}
    stmt = (
        select(AccountOrderStats.main_category_id, AccountOrderStats.median_interval_days)
        .where(
            AccountOrderStats.order_days >= 3,
            AccountOrderStats.median_interval_days.is_not(None),
            among(AccountOrderStats.main_category_id, wanted),
        )
        .execution_options(**{SKIP_SCOPE_OPTION: True})
    )
    by_category: dict[int, list[Decimal]] = defaultdict(list)
    for category_id, days in scoped_rows(stmt):
        by_category[category_id].append(days)
    # The column is Numeric: the values are Decimals and so is their median (the mean
    # of the two middle ones for an even count).
    return {c: Decimal(statistics.median(v)) for c, v in by_category.items()}


def segment_rules() -> SegmentRuleSet | None:
    return db.session.get(SegmentRuleSet, 1)


def segment_overrides(filters: AccountFilter) -> dict[int, SegmentOverride]:
    stmt = select(SegmentOverride).where(*among_accounts(SegmentOverride.account_id, filters))
    return {o.account_id: o for o in db.session.scalars(stmt)}


def monthly_revenue(
    account_id: int, first_month: date, last_day: date
) -> dict[tuple[int, int], Decimal]:
    """Net revenue per (year, month) of one account, for its trend chart."""
    stmt = select(AccountMonthTotals.month_start, AccountMonthTotals.revenue).where(
        AccountMonthTotals.account_id == account_id,
        AccountMonthTotals.month_start >= first_month,
        AccountMonthTotals.month_start <= last_day,
    )
    return {(m.year, m.month): stored_amount(revenue) for m, revenue in db.session.execute(stmt)}
