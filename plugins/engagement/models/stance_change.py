from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from b2b_loyalty.extensions import db
from b2b_loyalty.models import User
from b2b_loyalty.models.columns import TIMESTAMP, utcnow


class StanceChangeRecord(db.Model):
    """One change of a person's stance or influence (core fields), kept as history.

    The first row of a person is a seed with empty ``*_before``: their values
    when tracking began. Rows are only added, never changed.
    """

    __tablename__ = "engagement_stance_changes"
    __account_scope__ = "account_id"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    stakeholder_id: Mapped[int] = mapped_column(
        ForeignKey("stakeholders.id", ondelete="CASCADE"), index=True
    )
    changed_on: Mapped[date] = mapped_column(Date)
    stance_before: Mapped[str | None] = mapped_column(String(16))
    stance_after: Mapped[str] = mapped_column(String(16))
    influence_before: Mapped[int | None] = mapped_column(SmallInteger)
    influence_after: Mapped[int] = mapped_column(SmallInteger)
    note: Mapped[str | None] = mapped_column(Text)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)

    changed_by: Mapped[User | None] = relationship()
