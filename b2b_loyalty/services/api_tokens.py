"""API tokens: issue with an expiry, check, note their use, list and revoke.

A token's use is written (``last_used_at``/``last_used_from`` and a
``token_used`` audit entry) at most once a minute per token and address: the
first request of a token in a minute, or from a new address, is recorded; the
next ones in the same minute from the same address are not. That keeps a busy
integration from doubling the API's writes while the log still shows every
token, every address and every minute it was active. A refused token (expired,
revoked, or its user deactivated) is recorded the same way, at most once a
minute per token.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.orm import joinedload

from b2b_loyalty.domain.roles import Role, can_manage_users
from b2b_loyalty.extensions import db
from b2b_loyalty.models import ApiToken, AuditEntry, User
from b2b_loyalty.models.columns import as_utc
from b2b_loyalty.services import security_audit as events
from b2b_loyalty.services.errors import NotFound, field_error
from b2b_loyalty.services.transaction import unit_of_work

DEFAULT_TOKEN_DAYS = 90
MAX_TOKEN_DAYS = 3650
USE_RECORD_INTERVAL = timedelta(minutes=1)

EXPIRED = "This API token has expired; ask for a new one."
REVOKED = "This API token has been revoked."
INVALID = "Send a valid API token: Authorization: Bearer <token>."


aware = as_utc  # the name the token code reads best with


def token_state(token: ApiToken, now: datetime) -> str:
    """ "active", "expired" or "revoked"."""
    if token.revoked_at is not None:
        return "revoked"
    expires_at = aware(token.expires_at)
    if expires_at is not None and expires_at <= now:
        return "expired"
    return "active"


def issue_api_token(user: User, days: int | None = None) -> str:
    """Create an API token for ``user`` valid ``days`` days; returns the plain token, shown once."""
    from flask import current_app

    if days is None:
        days = int(current_app.config.get("API_TOKEN_DAYS", DEFAULT_TOKEN_DAYS))
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise field_error("days", f"Give between 1 and {MAX_TOKEN_DAYS} days.")
    now = events.security_now()
    with unit_of_work():
        token, plain = ApiToken.issue(user, expires_at=now + timedelta(days=days))
        db.session.add(token)
        db.session.flush()
        db.session.add(
            AuditEntry(
                **events.security_event_row(
                    events.TOKEN_CREATED,
                    entity="api_token",
                    entity_id=token.id,
                    details={"user_id": user.id, "hint": token.hint, "days": days},
                    at=now,
                )
            )
        )
    return plain


@dataclass(frozen=True)
class TokenCheck:
    """The outcome of a bearer token: the user, or why not (``message`` for the 401)."""

    user: User | None
    token: ApiToken | None
    message: str = ""


def check_bearer_token(plain: str, now: datetime) -> TokenCheck:
    # Every API request comes here: load the token's user in the same query.
    token = db.session.scalar(
        select(ApiToken)
        .options(joinedload(ApiToken.user))
        .where(ApiToken.token_hash == ApiToken.digest(plain))
    )
    if token is None:
        return TokenCheck(None, None, INVALID)
    state = token_state(token, now)
    if state == "revoked":
        return TokenCheck(None, token, REVOKED)
    if state == "expired":
        return TokenCheck(None, token, EXPIRED)
    if not token.user.active:
        return TokenCheck(None, token, INVALID)
    return TokenCheck(token.user, token)


def note_token_use(token: ApiToken, now: datetime) -> bool:
    """Record that ``token`` was used now, unless it was already this minute from here.

    Runs on its own connection and transaction: the request's session keeps
    its objects, and the record stays whatever the request does. The UPDATE is
    conditional, so two app servers seeing the same first use write it once.
    Returns whether a record was written.
    """
    address = events.client_address()
    last = aware(token.last_used_at)
    if last is not None and now - last < USE_RECORD_INTERVAL and token.last_used_from == address:
        return False
    table = ApiToken.__table__
    stale = or_(
        table.c.last_used_at.is_(None),
        table.c.last_used_at <= now - USE_RECORD_INTERVAL,
        table.c.last_used_from.is_distinct_from(address),
    )
    with db.engine.begin() as conn:
        result = conn.execute(
            update(table)
            .where(table.c.id == token.id, stale)
            .values(last_used_at=now, last_used_from=address)
        )
        if result.rowcount != 1:
            return False
        conn.execute(
            insert(AuditEntry.__table__).values(
                **events.security_event_row(
                    events.TOKEN_USED,
                    entity="api_token",
                    entity_id=token.id,
                    actor_id=token.user_id,
                    at=now,
                )
            )
        )
    return True


def note_token_refused(token: ApiToken, message: str, now: datetime) -> bool:
    """Record a refused use of a known token, at most once a minute per token."""
    audit = AuditEntry.__table__
    with db.engine.begin() as conn:
        recent = conn.scalar(
            select(func.count())
            .select_from(audit)
            .where(
                and_(
                    audit.c.entity == "api_token",
                    audit.c.entity_id == token.id,
                    audit.c.action == events.TOKEN_REFUSED,
                    audit.c.at > now - USE_RECORD_INTERVAL,
                )
            )
        )
        if recent:
            return False
        events.record_security_event(
            events.TOKEN_REFUSED,
            entity="api_token",
            entity_id=token.id,
            actor_id=token.user_id,
            details={"reason": message},
            connection=conn,
        )
    return True


# --- listing and revoking --------------------------------------------------------------


def may_manage_tokens_of(actor: User, owner_id: int) -> bool:
    """Everyone manages their own tokens; an administrator manages everyone's."""
    return actor.id == owner_id or can_manage_users(Role(actor.role))


def tokens_of(user_id: int) -> list[ApiToken]:
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user_id)
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def get_token(token_id: int) -> ApiToken:
    token = db.session.get(ApiToken, token_id)
    if token is None:
        raise NotFound("No such API token.")
    return token


def find_token(identifier: str) -> ApiToken | None:
    """A token by its id or by its plain text (for the command line)."""
    identifier = identifier.strip()
    if identifier.isdigit():
        from b2b_loyalty.db_limits import is_db_id

        return db.session.get(ApiToken, int(identifier)) if is_db_id(int(identifier)) else None
    return db.session.scalar(
        select(ApiToken).where(ApiToken.token_hash == ApiToken.digest(identifier))
    )


def revoke_token(token: ApiToken, actor: User | None) -> bool:
    """Revoke ``token`` (idempotent); returns False if it already was revoked."""
    if token.revoked_at is not None:
        return False
    now = events.security_now()
    with unit_of_work():
        token.revoked_at = now
        db.session.add(
            AuditEntry(
                **events.security_event_row(
                    events.TOKEN_REVOKED,
                    entity="api_token",
                    entity_id=token.id,
                    actor_id=actor.id if actor is not None else None,
                    details={"user_id": token.user_id, "hint": token.hint},
                    at=now,
                )
            )
        )
    return True


def revoke_all_tokens_of(user: User, actor: User | None) -> int:
    revoked = 0
    for token in tokens_of(user.id):
        revoked += revoke_token(token, actor)
    return revoked
