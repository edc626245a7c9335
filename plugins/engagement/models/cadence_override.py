from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, SmallInteger, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from b2b_loyalty.extensions import db
from b2b_loyalty.models.columns import TIMESTAMP, utcnow


class CadenceOverride(db.Model):
    """An account's own contact cadence for one circle, replacing the admin default."""

    __tablename__ = "engagement_cadence_overrides"
    __account_scope__ = "account_id"
    __table_args__ = (
        UniqueConstraint("account_id", "circle"),
        CheckConstraint("circle BETWEEN 1 AND 3", name="circle_range"),
        CheckConstraint("days BETWEEN 1 AND 3650", name="days_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    circle: Mapped[int] = mapped_column(SmallInteger)
    days: Mapped[int] = mapped_column(Integer)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow, onupdate=utcnow)
