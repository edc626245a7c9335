"""Keeping AccountOrderStats current: called inside the order services' transactions."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from sqlalchemy import case, delete, func, insert, select

from b2b_loyalty.domain.lifecycle import median_interval_days
from b2b_loyalty.domain.money import stored_amount
from b2b_loyalty.extensions import db
from b2b_loyalty.models import AccountMonthTotals, AccountOrderStats, Order
from b2b_loyalty.services.data_generations import ORDERS, mark_changed
from b2b_loyalty.sql_functions import month_start

# Keep IN lists well below every backend's parameter limit.
CHUNK = 500


def refresh_order_stats(account_ids: Iterable[int]) -> None:
    """Recompute first/last order day, order-day count and median interval for the accounts.

    Reads only those accounts' distinct order days (an indexed range scan) and
    replaces their stats rows; the caller's transaction commits.
    """
    ids = sorted(set(account_ids))
    if ids:
        # Company-wide figures cached from these totals (the ABC ranking) are stale
        # once this transaction commits.
        mark_changed(ORDERS)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        days: dict[int, list] = defaultdict(list)
        rows = db.session.execute(
            select(Order.account_id, Order.order_date)
            .where(Order.account_id.in_(chunk))
            .distinct()
            .order_by(Order.account_id, Order.order_date)
        )
        for account_id, order_date in rows:
            days[account_id].append(order_date)
        main_category = _main_categories(chunk)
        db.session.execute(delete(AccountOrderStats).where(AccountOrderStats.account_id.in_(chunk)))
        values = [
            {
                "account_id": account_id,
                "first_order_on": days[account_id][0] if days[account_id] else None,
                "last_order_on": days[account_id][-1] if days[account_id] else None,
                "order_days": len(days[account_id]),
                "median_interval_days": median_interval_days(days[account_id]),
                "main_category_id": main_category.get(account_id),
            }
            for account_id in chunk
        ]
        db.session.execute(insert(AccountOrderStats), values)
        _refresh_month_totals(chunk)


def _main_categories(chunk: list[int]) -> dict[int, int]:
    """The category with the most net revenue per account (ties: the lower category id)."""
    rows = db.session.execute(
        select(Order.account_id, Order.category_id, func.sum(Order.net_amount))
        .where(Order.account_id.in_(chunk))
        .group_by(Order.account_id, Order.category_id)
    )
    best: dict[int, tuple[Decimal, int]] = {}
    for account_id, category_id, revenue in rows:
        candidate = (stored_amount(revenue), -category_id)
        if account_id not in best or candidate > best[account_id]:
            best[account_id] = candidate
    return {account_id: -negated for account_id, (_, negated) in best.items()}


def _refresh_month_totals(chunk: list[int]) -> None:
    """Replace the accounts' monthly totals with a GROUP BY over their orders."""
    month = month_start(Order.order_date)
    known_cost = Order.unit_cost.is_not(None)
    grouped = (
        select(
            Order.account_id,
            month,
            func.sum(Order.net_amount),
            func.count(Order.id),
            func.sum(
                case((known_cost, Order.net_amount - Order.quantity * Order.unit_cost), else_=0)
            ),
            func.sum(case((known_cost, Order.net_amount), else_=0)),
        )
        .where(Order.account_id.in_(chunk))
        .group_by(Order.account_id, month)
    )
    db.session.execute(delete(AccountMonthTotals).where(AccountMonthTotals.account_id.in_(chunk)))
    rows = [
        {
            "account_id": account_id,
            "month_start": _as_date(first_day),
            "revenue": stored_amount(revenue),
            "orders": count,
            "margin": stored_amount(margin),
            "margin_revenue": stored_amount(margin_revenue),
        }
        for account_id, first_day, revenue, count, margin, margin_revenue in db.session.execute(
            grouped
        )
    ]
    if rows:
        db.session.execute(insert(AccountMonthTotals), rows)


def _as_date(value) -> date:  # noqa: ANN001 - SQLite returns text
    return value if isinstance(value, date) else date.fromisoformat(str(value))
