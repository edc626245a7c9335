from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from b2b_loyalty.extensions import db
from b2b_loyalty.models.columns import TIMESTAMP, utcnow


class LoginAttempt(db.Model):
    """One failed sign-in, kept for the throttling window only (then pruned).

    In the database, not in process memory, so every app server behind the load
    balancer counts the same failures. The e-mail is stored as a SHA-256 digest:
    the count needs no address, and a password typed into the e-mail field is
    not kept in clear.
    """

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_email_digest_at", "email_digest", "at"),
        Index("ix_login_attempts_remote_addr_at", "remote_addr", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow, index=True)
    email_digest: Mapped[str] = mapped_column(String(64))
    remote_addr: Mapped[str | None] = mapped_column(String(64))
