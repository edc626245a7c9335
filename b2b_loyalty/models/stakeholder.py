from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from b2b_loyalty.extensions import db
from b2b_loyalty.models.columns import TIMESTAMP, row_version_column, utcnow

if TYPE_CHECKING:
    from b2b_loyalty.models.account import Account


class Stakeholder(db.Model):
    """A person at a client, placed in a decision-maker circle."""

    __tablename__ = "stakeholders"
    __account_scope__ = "account_id"
    __table_args__ = (
        CheckConstraint("circle BETWEEN 1 AND 3", name="circle_range"),
        CheckConstraint("influence BETWEEN 1 AND 5", name="influence_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(200))
    department: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(50))
    circle: Mapped[int] = mapped_column(SmallInteger)
    buying_role: Mapped[str | None] = mapped_column(String(32))
    stance: Mapped[str] = mapped_column(String(16), default="neutral")
    influence: Mapped[int] = mapped_column(SmallInteger, default=3)
    reports_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("stakeholders.id", ondelete="SET NULL"), index=True
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow, onupdate=utcnow)
    row_version: Mapped[int] = row_version_column()
    __mapper_args__ = {"version_id_col": row_version}

    account: Mapped[Account] = relationship(back_populates="stakeholders")
    reports_to: Mapped[Stakeholder | None] = relationship(remote_side=[id])

    def __repr__(self) -> str:
        return f"<Stakeholder {self.id} {self.name!r} circle={self.circle}>"
