"""Orders written straight into the table for tests that need figures, not the order form."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import insert

from b2b_loyalty.extensions import db
from b2b_loyalty.models import Order


def order_row(account_id: int, category_id: int, day, net, unit_cost=None) -> dict:  # noqa: ANN001
    """One order's column values: one unit at the net amount, no discount, in EUR."""
    net = Decimal(net)
    return {
        "account_id": account_id,
        "order_date": day,
        "category_id": category_id,
        "quantity": Decimal(1),
        "unit_price": net,
        "list_amount": net,
        "discount_amount": Decimal(0),
        "net_amount": net,
        "unit_cost": None if unit_cost is None else Decimal(unit_cost),
        "currency": "EUR",
    }


def insert_orders(account, category, *rows) -> None:  # noqa: ANN001 - models
    """rows: (date, net amount[, unit cost total]); one unit each, no discount; committed."""
    values = [order_row(account.id, category.id, *row) for row in rows]
    db.session.execute(insert(Order), values)
    db.session.commit()
