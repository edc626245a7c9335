"""A client's contract: the periods under contract that tenure is counted from."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from b2b_loyalty.extensions import db
from b2b_loyalty.models import Account
from b2b_loyalty.models.columns import MONEY, TIMESTAMP, row_version_column, utcnow


class TenureContract(db.Model):
    """One contract of an account; dates inclusive. Rules live in ``domain.contracts``."""

    __tablename__ = "tenure_contracts"
    __account_scope__ = "account_id"
    __table_args__ = (
        UniqueConstraint("account_id", "number"),
        CheckConstraint("end_date >= start_date", name="ends_after_start"),
        CheckConstraint("term_months > 0", name="term_positive"),
        CheckConstraint(
            "status IN ('draft', 'active', 'expired', 'terminated')", name="status_known"
        ),
        CheckConstraint("annual_value >= 0", name="annual_value_not_negative"),
        CheckConstraint(
            "list_annual_value IS NULL OR list_annual_value >= 0", name="list_value_not_negative"
        ),
        CheckConstraint("membership_fee IS NULL OR membership_fee >= 0", name="fee_not_negative"),
        CheckConstraint(
            "membership_discount_percent IS NULL OR "
            "(membership_discount_percent >= 0 AND membership_discount_percent <= 100)",
            name="membership_percent_range",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[str] = mapped_column(String(60))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date, index=True)
    term_months: Mapped[int] = mapped_column(Integer)
    auto_renew: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), index=True)
    # What the client commits to buy per year, and the same at list prices (the
    # ceiling of a renewal's uplift).
    annual_value: Mapped[Decimal] = mapped_column(MONEY)
    list_annual_value: Mapped[Decimal | None] = mapped_column(MONEY)
    # A prepaid fee that buys membership_discount_percent off for the term.
    membership_fee: Mapped[Decimal | None] = mapped_column(MONEY)
    membership_discount_percent: Mapped[Decimal | None] = mapped_column(Numeric(7, 4))
    document_ref: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow, onupdate=utcnow)
    # Optimistic locking (revision ten0002); the API calls it ``version``.
    row_version: Mapped[int] = row_version_column()
    __mapper_args__ = {"version_id_col": row_version}

    account: Mapped[Account] = relationship()

    def __repr__(self) -> str:
        return f"<TenureContract {self.id} {self.number} {self.start_date}–{self.end_date}>"
