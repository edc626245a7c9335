"""Account health: the admin's settings (one row) and the scores stored per month."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from b2b_loyalty.extensions import db
from b2b_loyalty.models.columns import TIMESTAMP, utcnow


class HealthSettings(db.Model):
    """Weights per measure key, thresholds of the core measures and the grade bounds.

    Stored as JSON so plugin measures (keys unknown to the core) get weights too.
    """

    __tablename__ = "health_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    weights: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    thresholds: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    amber_from: Mapped[Decimal] = mapped_column(Numeric(5, 1), default=Decimal(40))
    green_from: Mapped[Decimal] = mapped_column(Numeric(5, 1), default=Decimal(70))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow, onupdate=utcnow)


class AccountHealthScore(db.Model):
    """An account's health score as computed at the end of a month (the history)."""

    __tablename__ = "account_health_scores"
    __account_scope__ = "account_id"
    __table_args__ = (UniqueConstraint("account_id", "period_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    period_start: Mapped[date] = mapped_column(Date)  # first day of the month scored
    score: Mapped[Decimal | None] = mapped_column(Numeric(5, 1))
    grade: Mapped[str | None] = mapped_column(String(8))
    measures: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    computed_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)
