from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, validates
from werkzeug.security import check_password_hash, generate_password_hash

from b2b_loyalty.domain.roles import Role
from b2b_loyalty.extensions import db
from b2b_loyalty.models.columns import TIMESTAMP, utcnow


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased (see normalise_email) so the unique constraint is
    # case-insensitive on every backend without a functional index.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(32))
    password_hash: Mapped[str] = mapped_column(String(256))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    locale: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)
    # Part of the id kept in the session cookie (see get_id): raising it when the
    # password changes signs the user out of every other browser.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    @staticmethod
    def normalise_email(email: str) -> str:
        return email.strip().lower()

    @validates("email")
    def _normalise_email(self, _key: str, value: str) -> str:
        return self.normalise_email(value)

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return bool(self.active)

    def get_id(self) -> str:
        """The session's user id, ``"<id>:<session_version>"`` (Flask-Login's alternative id).

        Cookie sessions cannot be deleted on the server, so a session is made
        stale instead: the user loader accepts it only while the version matches.
        """
        return f"{self.id}:{self.session_version or 0}"

    def end_other_sessions(self) -> None:
        """Make every session signed in before now stale (the caller commits)."""
        self.session_version = (self.session_version or 0) + 1

    def set_password(self, password: str) -> None:
        # werkzeug's scrypt hasher: salted, memory-hard, maintained upstream.
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"
