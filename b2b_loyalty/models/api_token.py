from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from b2b_loyalty.extensions import db
from b2b_loyalty.models.columns import TIMESTAMP, utcnow
from b2b_loyalty.models.user import User

TOKEN_PREFIX = "b2bl_"


class ApiToken(db.Model):
    """A bearer token for the JSON API; only its SHA-256 digest is stored.

    Tokens are 256 random bits, so a fast digest is enough: there is nothing to
    brute-force, and a lookup by digest stays an indexed equality query.
    """

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hint: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(TIMESTAMP)
    last_used_from: Mapped[str | None] = mapped_column(String(64))
    expires_at: Mapped[datetime | None] = mapped_column(TIMESTAMP)
    revoked_at: Mapped[datetime | None] = mapped_column(TIMESTAMP)

    user: Mapped[User] = relationship()

    @staticmethod
    def digest(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, expires_at: datetime | None = None) -> tuple[ApiToken, str]:
        """Make a new token for ``user``; returns the row and the one-time plain text."""
        plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
        row = cls(user=user, token_hash=cls.digest(plain), hint=plain[:10], expires_at=expires_at)
        return row, plain
