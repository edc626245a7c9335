from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from b2b_loyalty.extensions import db
from b2b_loyalty.models.columns import TIMESTAMP, utcnow
from b2b_loyalty.models.product_category import ProductCategory

if TYPE_CHECKING:
    from b2b_loyalty.models.account import Account
    from b2b_loyalty.models.discount_schedule import ScheduleFamily


class ScheduleAssignment(db.Model):
    """Which schedule prices a category: the default (no account) or one account's override."""

    __tablename__ = "discount_schedule_assignments"
    __account_scope__ = "account_id"
    # Category defaults (account NULL) are visible to everyone who can quote.
    __account_scope_nullable__ = True
    __table_args__ = (
        Index(
            "uq_discount_schedule_assignments_category_account",
            "category_id",
            "account_id",
            unique=True,
            sqlite_where=text("account_id IS NOT NULL"),
            postgresql_where=text("account_id IS NOT NULL"),
        ),
        Index(
            "uq_discount_schedule_assignments_category_default",
            "category_id",
            unique=True,
            sqlite_where=text("account_id IS NULL"),
            postgresql_where=text("account_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(
        ForeignKey("discount_schedule_families.id", ondelete="CASCADE"), index=True
    )
    category_id: Mapped[int] = mapped_column(ForeignKey("product_categories.id"), index=True)
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)

    family: Mapped[ScheduleFamily] = relationship()
    category: Mapped[ProductCategory] = relationship()
    account: Mapped[Account | None] = relationship()
