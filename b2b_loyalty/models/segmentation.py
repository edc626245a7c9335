"""The company's segment rules (one row) and per-account manual overrides."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from b2b_loyalty.extensions import db
from b2b_loyalty.models.columns import MONEY, TIMESTAMP, utcnow
from b2b_loyalty.models.user import User


class SegmentRuleSet(db.Model):
    """Thresholds an admin sets: VIP by trailing-12-month revenue or order count,
    difficult by complaint count. A single row (id 1); empty thresholds switch a rule off."""

    __tablename__ = "segment_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    vip_min_revenue_12m: Mapped[Decimal | None] = mapped_column(MONEY)
    vip_min_orders_12m: Mapped[int | None] = mapped_column(Integer)
    difficult_min_complaints: Mapped[int | None] = mapped_column(Integer)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow, onupdate=utcnow)


class SegmentOverride(db.Model):
    """A segment set by hand for one account, with the reason; it wins over the rules."""

    __tablename__ = "segment_overrides"
    __account_scope__ = "account_id"

    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    segment: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text)
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    set_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow, onupdate=utcnow)

    set_by: Mapped[User | None] = relationship()
