"""Discount schedules: a family (the named schedule) and its numbered versions."""

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

from b2b_loyalty.domain.discount_schedule import DiscountSchedule as ScheduleValue
from b2b_loyalty.domain.discount_schedule import Tier
from b2b_loyalty.extensions import db
from b2b_loyalty.models.columns import TIMESTAMP, row_version_column, utcnow
from b2b_loyalty.models.user import User


class ScheduleFamily(db.Model):
    """A named schedule ("Lamps — annual volume"); its versions carry the tiers."""

    __tablename__ = "discount_schedule_families"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)
    # Optimistic locking of the description, edited through a draft version.
    row_version: Mapped[int] = row_version_column()
    __mapper_args__ = {"version_id_col": row_version}

    versions: Mapped[list[ScheduleVersion]] = relationship(
        back_populates="family", order_by="ScheduleVersion.version"
    )


class ScheduleVersion(db.Model):
    """One version of a schedule. Approved versions are immutable (enforced by the service)."""

    __tablename__ = "discount_schedules"
    __table_args__ = (UniqueConstraint("family_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(
        ForeignKey("discount_schedule_families.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    basis: Mapped[str] = mapped_column(String(16))
    mode: Mapped[str] = mapped_column(String(16))
    scope: Mapped[str] = mapped_column(String(40))
    currency: Mapped[str] = mapped_column(String(3))
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
    # Optimistic locking; not ``version``, which is the schedule's version number.
    row_version: Mapped[int] = row_version_column()
    __mapper_args__ = {"version_id_col": row_version}

    family: Mapped[ScheduleFamily] = relationship(back_populates="versions")
    tiers: Mapped[list[DiscountTier]] = relationship(
        back_populates="schedule",
        order_by="DiscountTier.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    @property
    def name(self) -> str:
        return self.family.name

    def as_value(self) -> ScheduleValue:
        """The pure-domain schedule that prices with these tiers."""
        return ScheduleValue(
            basis=self.basis,
            mode=self.mode,
            scope=self.scope,
            currency=self.currency,
            tiers=tuple(Tier(from_=t.from_value, percent=t.percent) for t in self.tiers),
        )

    def __repr__(self) -> str:
        return f"<ScheduleVersion {self.family_id}v{self.version} {self.status}>"


class DiscountTier(db.Model):
    __tablename__ = "discount_tiers"
    __table_args__ = (
        UniqueConstraint("schedule_id", "position"),
        CheckConstraint("percent >= 0 AND percent <= 100", name="percent_range"),
        CheckConstraint("from_value >= 0", name="from_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    schedule_id: Mapped[int] = mapped_column(
        ForeignKey("discount_schedules.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    from_value: Mapped[Decimal] = mapped_column(Numeric(18, 4))
    percent: Mapped[Decimal] = mapped_column(Numeric(7, 4))

    schedule: Mapped[ScheduleVersion] = relationship(back_populates="tiers")
