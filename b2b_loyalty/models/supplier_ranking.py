from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from b2b_loyalty.extensions import db


class SupplierRanking(db.Model):
    """Where the client ranks us among its suppliers in a year (1 = preferred).

    Feeds the Wallet Allocation Rule estimate of share of wallet when no spend
    estimate exists.
    """

    __tablename__ = "supplier_rankings"
    __account_scope__ = "account_id"
    __table_args__ = (
        UniqueConstraint("account_id", "year"),
        CheckConstraint("rank >= 1 AND rank <= supplier_count", name="rank_within_suppliers"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int] = mapped_column(Integer)
    rank: Mapped[int] = mapped_column(Integer)
    supplier_count: Mapped[int] = mapped_column(Integer)
    source: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
