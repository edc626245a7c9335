"""Orders written straight into the table for tests that need figures, not the order form."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import insert

from b2b_loyalty.extensions import db
from b2b_loyalty.models import Order


def insert_orders(account, category, *rows) -> None:  # noqa: ANN001 - models
    """rows: (date, net amount[, unit cost total]); one unit each, no discount; committed."""
    values = []
    for row in rows:
        day, net = row[0], Decimal(row[1])
        values.append(
            {
                "account_id": account.id,
                "order_date": day,
                "category_id": category.id,
                "quantity": Decimal(1),
                "unit_price": net,
                "list_amount": net,
                "discount_amount": Decimal(0),
                "net_amount": net,
                "unit_cost": Decimal(row[2]) if len(row) > 2 else None,
                "currency": "EUR",
            }
        )
    db.session.execute(insert(Order), values)
    db.session.commit()
