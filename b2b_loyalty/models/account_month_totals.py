from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, Integer
from sqlalchemy.orm import Mapped, mapped_column

from b2b_loyalty.extensions import db
from b2b_loyalty.models.columns import MONEY


class AccountMonthTotals(db.Model):
    """Order totals per account and calendar month, kept current by the order services.

    Portfolio figures over a year read twelve rows per account instead of every
    order; the partial months at a period's edges are read from the orders.
    """

    __tablename__ = "account_month_totals"
    __account_scope__ = "account_id"
    # Covering: a period's totals are read from the index alone (revision 0009).
    __table_args__ = (
        Index(
            "ix_account_month_totals_month_cover",
            "month_start",
            "account_id",
            "revenue",
            "orders",
            "margin",
            "margin_revenue",
        ),
    )

    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    month_start: Mapped[date] = mapped_column(Date, primary_key=True)
    revenue: Mapped[Decimal] = mapped_column(MONEY)
    orders: Mapped[int] = mapped_column(Integer)
    # Gross margin of the orders whose unit cost is known, and the revenue it covers.
    margin: Mapped[Decimal] = mapped_column(MONEY)
    margin_revenue: Mapped[Decimal] = mapped_column(MONEY)
