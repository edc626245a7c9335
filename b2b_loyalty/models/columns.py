"""Column types shared by the models: money is Numeric, timestamps carry a zone."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, Numeric

# 2 decimals for amounts a user sees (rounded by domain.money.round_money);
# 4 for unit prices and costs, which are multiplied before rounding.
MONEY = Numeric(16, 2)
UNIT_PRICE = Numeric(16, 4)
QUANTITY = Numeric(16, 3)
TIMESTAMP = DateTime(timezone=True)


def utcnow() -> datetime:
    return datetime.now(UTC)
