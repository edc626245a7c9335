"""Keeping AccountOrderStats current: called inside the order services' transactions."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import delete, insert, select

from b2b_loyalty.domain.lifecycle import median_interval_days
from b2b_loyalty.extensions import db
from b2b_loyalty.models import AccountOrderStats, Order

# Keep IN lists well below every backend's parameter limit.
CHUNK = 500


def refresh_order_stats(account_ids: Iterable[int]) -> None:
    """Recompute first/last order day, order-day count and median interval for the accounts.

    Reads only those accounts' distinct order days (an indexed range scan) and
    replaces their stats rows; the caller's transaction commits.
    """
    ids = sorted(set(account_ids))
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
        db.session.execute(delete(AccountOrderStats).where(AccountOrderStats.account_id.in_(chunk)))
        values = [
            {
                "account_id": account_id,
                "first_order_on": days[account_id][0] if days[account_id] else None,
                "last_order_on": days[account_id][-1] if days[account_id] else None,
                "order_days": len(days[account_id]),
                "median_interval_days": median_interval_days(days[account_id]),
            }
            for account_id in chunk
        ]
        db.session.execute(insert(AccountOrderStats), values)
