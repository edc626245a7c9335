from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from b2b_loyalty.extensions import db
from b2b_loyalty.models.columns import MONEY
from b2b_loyalty.models.product_category import ProductCategory

if TYPE_CHECKING:
    from b2b_loyalty.models.account import Account

CONFIDENCE_LEVELS = ("low", "medium", "high")


class WalletEstimate(db.Model):
    """What a client spends in a year on a category (or on all, when category is empty).

    The denominator of share of wallet; always an estimate, so it carries its
    source and our confidence in it.
    """

    __tablename__ = "wallet_estimates"
    __account_scope__ = "account_id"
    # One estimate per account, year and category, and one "all categories"
    # estimate (category NULL) per account and year. NULLs are distinct in a
    # plain unique constraint, hence two partial unique indexes (both backends).
    __table_args__ = (
        Index(
            "uq_wallet_estimates_account_year_category",
            "account_id",
            "year",
            "category_id",
            unique=True,
            sqlite_where=text("category_id IS NOT NULL"),
            postgresql_where=text("category_id IS NOT NULL"),
        ),
        Index(
            "uq_wallet_estimates_account_year_all_categories",
            "account_id",
            "year",
            unique=True,
            sqlite_where=text("category_id IS NULL"),
            postgresql_where=text("category_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int] = mapped_column(Integer)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("product_categories.id"))
    estimated_spend: Mapped[Decimal] = mapped_column(MONEY)
    source: Mapped[str | None] = mapped_column(String(200))
    confidence: Mapped[str | None] = mapped_column(String(10))
    note: Mapped[str | None] = mapped_column(Text)

    account: Mapped[Account] = relationship(back_populates="wallet_estimates")
    category: Mapped[ProductCategory | None] = relationship()
