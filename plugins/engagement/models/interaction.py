from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from b2b_loyalty.extensions import db
from b2b_loyalty.models import Stakeholder, User
from b2b_loyalty.models.columns import TIMESTAMP, row_version_column, utcnow

INTERACTION_TYPES = ("meeting", "call", "email", "event", "gift", "survey", "complaint", "other")

# Our people who took part (users are not account data: no scope needed here).
interaction_colleagues = Table(
    "engagement_staff",
    db.metadata,
    Column(
        "interaction_id",
        ForeignKey("engagement_interactions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Interaction(db.Model):
    """A touch point with a client: who, when, how, what came of it and what is next."""

    __tablename__ = "engagement_interactions"
    __account_scope__ = "account_id"
    __table_args__ = (
        CheckConstraint(
            "type IN (" + ", ".join(f"'{t}'" for t in INTERACTION_TYPES) + ")", name="type_known"
        ),
        Index("ix_engagement_interactions_account_id_occurred_on", "account_id", "occurred_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(16))
    occurred_on: Mapped[date] = mapped_column(Date)
    channel: Mapped[str | None] = mapped_column(String(16))
    summary: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(Text)
    next_step: Mapped[str | None] = mapped_column(Text)
    next_step_due: Mapped[date | None] = mapped_column(Date, index=True)
    next_step_done_on: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow, onupdate=utcnow)
    row_version: Mapped[int] = row_version_column()
    __mapper_args__ = {"version_id_col": row_version}

    participants: Mapped[list[InteractionParticipant]] = relationship(
        back_populates="interaction", cascade="all, delete-orphan", passive_deletes=True
    )
    colleagues: Mapped[list[User]] = relationship(
        secondary=interaction_colleagues, order_by=User.name
    )
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])

    @property
    def stakeholder_ids(self) -> list[int]:
        return sorted(p.stakeholder_id for p in self.participants)

    @property
    def next_step_open(self) -> bool:
        return bool(self.next_step) and self.next_step_done_on is None

    def __repr__(self) -> str:
        return f"<Interaction {self.id} {self.type} {self.occurred_on}>"


class InteractionParticipant(db.Model):
    """A person at the client who took part in an interaction.

    ``account_id`` repeats the interaction's account so the access rule can
    filter this table on its own and the per-person figures need no join to
    the accounts.
    """

    __tablename__ = "engagement_attendees"
    __account_scope__ = "account_id"

    interaction_id: Mapped[int] = mapped_column(
        ForeignKey("engagement_interactions.id", ondelete="CASCADE"), primary_key=True
    )
    stakeholder_id: Mapped[int] = mapped_column(
        ForeignKey("stakeholders.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )

    interaction: Mapped[Interaction] = relationship(back_populates="participants")
    stakeholder: Mapped[Stakeholder] = relationship()
