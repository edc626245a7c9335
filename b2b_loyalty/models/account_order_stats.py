from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Integer, Numeric
from sqlalchemy.orm import Mapped, mapped_column

from b2b_loyalty.extensions import db
from b2b_loyalty.models.columns import TIMESTAMP, utcnow


class AccountOrderStats(db.Model):
    """Per-account order rhythm, kept current by the order services.

    The lifecycle stage needs each account's median interval between order
    days; computing it over every order of 10,000 accounts per dashboard view
    would read the whole orders table, so it is recomputed for one account
    whenever that account's orders change (a few hundred rows) and read here.
    """

    __tablename__ = "account_order_stats"
    __account_scope__ = "account_id"

    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    first_order_on: Mapped[date | None] = mapped_column(Date)
    last_order_on: Mapped[date | None] = mapped_column(Date)
    order_days: Mapped[int] = mapped_column(Integer, default=0)
    median_interval_days: Mapped[Decimal | None] = mapped_column(Numeric(8, 1))
    # The category the account bought most of (net revenue; ties: the lower id). An
    # account with too few orders for its own cycle takes its main category's median.
    main_category_id: Mapped[int | None] = mapped_column(
        ForeignKey("product_categories.id", ondelete="SET NULL"), index=True
    )
    updated_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow, onupdate=utcnow)
