"""Finance's tenure schedule: numbered versions, each with its tiers.

One line of versions for the whole company; the approved version whose dates
cover a day prices that day. Approved versions never change (the service
enforces it); a change is a new draft version, approved by a second person.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
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
from b2b_loyalty.models import User
from b2b_loyalty.models.columns import TIMESTAMP, row_version_column, utcnow
from plugins.tenure_pricing.domain.tenure_schedule import Stacking, TenureTier
from plugins.tenure_pricing.domain.tenure_schedule import TenureSchedule as ScheduleValue


class TenureSchedule(db.Model):
    __tablename__ = "tenure_schedules"
    __table_args__ = (
        CheckConstraint("stacking IN ('additive', 'compound', 'best_of')", name="stacking_known"),
        CheckConstraint(
            "max_total_percent >= 0 AND max_total_percent <= 100", name="cap_percent_range"
        ),
        CheckConstraint(
            "renewal_uplift_percent >= 0 AND renewal_uplift_percent <= 100",
            name="uplift_percent_range",
        ),
        CheckConstraint("grace_days >= 0", name="grace_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, unique=True)
    stacking: Mapped[str] = mapped_column(String(16))
    max_total_percent: Mapped[Decimal] = mapped_column(Numeric(7, 4))
    grace_days: Mapped[int] = mapped_column(Integer)
    renewal_uplift_percent: Mapped[Decimal] = mapped_column(Numeric(7, 4))
    status: Mapped[str] = mapped_column(String(20), index=True)
    effective_from: Mapped[date] = mapped_column(Date)
    effective_to: Mapped[date | None] = mapped_column(Date)
    change_note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(TIMESTAMP)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(TIMESTAMP)
    decision_comment: Mapped[str | None] = mapped_column(Text)
    # Optimistic locking (revision ten0003); pages and the API call it ``version``'s
    # ``row_version`` (``version`` is the schedule's own number).
    row_version: Mapped[int] = row_version_column()
    __mapper_args__ = {"version_id_col": row_version}

    tiers: Mapped[list[TenureScheduleTier]] = relationship(
        back_populates="schedule",
        order_by="TenureScheduleTier.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    def as_value(self) -> ScheduleValue:
        """The pure-domain schedule with these tiers and rules."""
        return ScheduleValue(
            tiers=tuple(TenureTier(t.from_months, t.percent) for t in self.tiers),
            stacking=Stacking(self.stacking),
            max_total_percent=self.max_total_percent,
            grace_days=self.grace_days,
            renewal_uplift_percent=self.renewal_uplift_percent,
        )

    def __repr__(self) -> str:
        return f"<TenureSchedule v{self.version} {self.status}>"


class TenureScheduleTier(db.Model):
    __tablename__ = "tenure_schedule_tiers"
    __table_args__ = (
        UniqueConstraint("schedule_id", "position"),
        CheckConstraint("percent >= 0 AND percent <= 100", name="percent_range"),
        CheckConstraint("from_months >= 0", name="from_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    schedule_id: Mapped[int] = mapped_column(
        ForeignKey("tenure_schedules.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    from_months: Mapped[int] = mapped_column(Integer)
    percent: Mapped[Decimal] = mapped_column(Numeric(7, 4))

    schedule: Mapped[TenureSchedule] = relationship(back_populates="tiers")
