"""Bearer-token authentication for the API (tokens from ``b2b-loyalty create-token``).

The API ignores the browser session on purpose: it is exempt from CSRF, so a
cookie must never authenticate it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import g, request
from sqlalchemy import select

from b2b_loyalty.extensions import db
from b2b_loyalty.models import ApiToken, User


def user_from_bearer_token() -> User | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    row = db.session.scalar(
        select(ApiToken).where(ApiToken.token_hash == ApiToken.digest(token.strip()))
    )
    if row is None or row.revoked_at is not None:
        return None
    now = datetime.now(UTC)
    if row.expires_at is not None and _aware(row.expires_at) <= now:
        return None
    user = row.user
    if not user.active:
        return None
    g.api_token_id = row.id
    return user


def _aware(moment: datetime) -> datetime:
    # SQLite returns naive datetimes even for timezone-aware columns.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
