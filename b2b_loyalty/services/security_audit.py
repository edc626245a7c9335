"""Security events in the append-only audit log: sign-ins, token use, access denials.

Unlike ``services.audit.record`` (which joins the change's own transaction), a
security event is written in its own short transaction on a separate
connection: it must be kept even when the request fails or rolls back (a
denied request, a refused sign-in), and writing it must not expire or commit
what the request's session holds.

Each event is one ``AuditEntry`` with ``action`` from ``SECURITY_ACTIONS``,
``actor_id`` the user (when known), ``entity``/``entity_id`` what it concerns,
``remote_addr`` the client address and ``after`` any details.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import current_app, has_app_context, has_request_context, request
from sqlalchemy import Connection, insert

from b2b_loyalty.extensions import db
from b2b_loyalty.models import AuditEntry
from b2b_loyalty.models.columns import as_utc

LOGIN = "login"
LOGIN_FAILED = "login_failed"
LOGIN_THROTTLED = "login_throttled"
LOGOUT = "logout"
PASSWORD_CHANGED = "password_changed"
PASSWORD_CHANGE_FAILED = "password_change_failed"
TOKEN_CREATED = "token_created"
TOKEN_USED = "token_used"
TOKEN_REFUSED = "token_refused"
TOKEN_REVOKED = "token_revoked"
ACCESS_DENIED = "access_denied"

SECURITY_ACTIONS = frozenset(
    {
        LOGIN,
        LOGIN_FAILED,
        LOGIN_THROTTLED,
        LOGOUT,
        PASSWORD_CHANGED,
        PASSWORD_CHANGE_FAILED,
        TOKEN_CREATED,
        TOKEN_USED,
        TOKEN_REFUSED,
        TOKEN_REVOKED,
        ACCESS_DENIED,
    }
)
MAX_ADDRESS_LENGTH = 64
MAX_COMMENT_LENGTH = 500


def security_now() -> datetime:
    """The current time in UTC; tests set ``SECURITY_CLOCK`` to a function to move it."""
    clock = current_app.config.get("SECURITY_CLOCK") if has_app_context() else None
    moment = clock() if clock else datetime.now(UTC)
    return as_utc(moment)


def client_address() -> str | None:
    """The client's address as the app sees it (ProxyFix applies only when configured)."""
    if not has_request_context() or not request.remote_addr:
        return None
    return request.remote_addr[:MAX_ADDRESS_LENGTH]


def request_line() -> str | None:
    if not has_request_context():
        return None
    return f"{request.method} {request.full_path.rstrip('?')}"[:MAX_COMMENT_LENGTH]


def security_event_row(
    action: str,
    *,
    entity: str,
    entity_id: int | None = None,
    actor_id: int | None = None,
    details: dict[str, Any] | None = None,
    comment: str | None = None,
    at: datetime | None = None,
) -> dict[str, Any]:
    return {
        "at": at or security_now(),
        "actor_id": actor_id,
        "entity": entity[:40],
        "entity_id": entity_id,
        "action": action,
        "after": details,
        "comment": (comment if comment is not None else request_line()),
        "remote_addr": client_address(),
    }


def record_security_event(
    action: str,
    *,
    entity: str,
    entity_id: int | None = None,
    actor_id: int | None = None,
    details: dict[str, Any] | None = None,
    comment: str | None = None,
    connection: Connection | None = None,
) -> None:
    """Insert one security event and commit it at once, apart from the request's session.

    Pass ``connection`` to write inside a transaction the caller already opened
    on a separate connection (it then commits with the caller's other writes).
    """
    row = security_event_row(
        action,
        entity=entity,
        entity_id=entity_id,
        actor_id=actor_id,
        details=details,
        comment=comment,
    )
    statement = insert(AuditEntry.__table__).values(**row)
    if connection is not None:
        connection.execute(statement)
        return
    with db.engine.begin() as conn:
        conn.execute(statement)
