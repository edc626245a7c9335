from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from b2b_loyalty.extensions import db
from b2b_loyalty.models.columns import (
    MONEY,
    QUANTITY,
    TIMESTAMP,
    UNIT_PRICE,
    row_version_column,
    utcnow,
)
from b2b_loyalty.models.product_category import ProductCategory

if TYPE_CHECKING:
    from b2b_loyalty.models.account import Account
    from b2b_loyalty.models.order_pricing import OrderPricing


class Order(db.Model):
    """One purchase by an account; amounts are stored as priced, never recomputed."""

    __tablename__ = "orders"
    __account_scope__ = "account_id"
    __table_args__ = (
        UniqueConstraint("account_id", "external_ref"),
        # Period aggregates per account (dashboard, prior volume) read by these. They
        # carry the summed columns too, so the database answers from the index alone
        # (revision 0009: the account page's company ranking went from ~90 to ~20 ms).
        Index(
            "ix_orders_account_date_cover", "account_id", "order_date", "category_id", "net_amount"
        ),
        Index(
            "ix_orders_date_cover",
            "order_date",
            "account_id",
            "net_amount",
            "quantity",
            "unit_cost",
        ),
        CheckConstraint("quantity >= 0", name="quantity_not_negative"),
        CheckConstraint("unit_price >= 0", name="unit_price_not_negative"),
        CheckConstraint("discount_amount >= 0", name="discount_not_negative"),
        CheckConstraint(
            "ABS(net_amount - (list_amount - discount_amount)) < 0.005",
            name="net_is_list_less_discount",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    order_date: Mapped[date] = mapped_column(Date)
    category_id: Mapped[int] = mapped_column(ForeignKey("product_categories.id"), index=True)
    quantity: Mapped[Decimal] = mapped_column(QUANTITY)
    unit_price: Mapped[Decimal] = mapped_column(UNIT_PRICE)
    list_amount: Mapped[Decimal] = mapped_column(MONEY)
    discount_amount: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    net_amount: Mapped[Decimal] = mapped_column(MONEY)
    unit_cost: Mapped[Decimal | None] = mapped_column(UNIT_PRICE)
    currency: Mapped[str] = mapped_column(String(3))
    external_ref: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)
    row_version: Mapped[int] = row_version_column()
    __mapper_args__ = {"version_id_col": row_version}

    account: Mapped[Account] = relationship(back_populates="orders")
    category: Mapped[ProductCategory] = relationship()
    pricing: Mapped[OrderPricing | None] = relationship(
        back_populates="order", cascade="all, delete-orphan", passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"<Order {self.id} {self.order_date} {self.net_amount} {self.currency}>"
