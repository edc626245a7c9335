"""One audit entry per denied request: every 403, and every 404 the access rule caused.

A 403 is always a denial. A 404 is one only when the record exists but the
access rule hid it: ``access.scoped_get`` notes such records as it loads them,
and a 404 on any URL with an ``account_id`` (web, API and plugin pages alike)
is checked against the account; a 404 for a record that does not exist is not
logged.

The entry is written after the response is made, in its own transaction (see
``services.security_audit``), so it is kept although the request failed; the
request's own session is rolled back first, as its teardown would do anyway,
so the separate write never waits on the request's locks.
"""

from __future__ import annotations

from flask import Flask, Response, g, request
from flask_login import current_user

DENIALS_KEY = "access_denials"


def note_access_denied(entity: str, entity_id: int | None) -> None:
    """Remember that the access rule hid ``entity`` ``entity_id`` from this request."""
    denials = g.setdefault(DENIALS_KEY, [])
    denials.append({"entity": entity, "id": entity_id})


def _hidden_account() -> dict | None:
    """The URL's account, if it exists but the access rule hides it from this user."""
    from sqlalchemy import select

    from b2b_loyalty.access import SKIP_SCOPE_OPTION, current_access_scope
    from b2b_loyalty.db_limits import is_db_id
    from b2b_loyalty.extensions import db
    from b2b_loyalty.models import Account

    account_id = (request.view_args or {}).get("account_id")
    scope = current_access_scope()
    if not isinstance(account_id, int) or not is_db_id(account_id) or scope is None:
        return None
    if scope.sees_all:
        return None
    query = select(Account.id).where(Account.id == account_id)
    if db.session.scalar(query.execution_options(**{SKIP_SCOPE_OPTION: True})) is None:
        return None  # no such account: a plain 404
    if db.session.scalar(query) is not None:
        return None  # visible: the 404 is about something else
    return {"entity": "accounts", "id": account_id}


def _actor_id() -> int | None:
    api_user = g.get("api_user")
    if api_user is not None:
        return api_user.id
    if request.path.startswith("/api/"):
        return None  # the API never reads the browser session
    return current_user.id if current_user.is_authenticated else None


def init_denial_audit(app: Flask) -> None:
    @app.after_request
    def audit_denied_request(response: Response) -> Response:
        denials = g.pop(DENIALS_KEY, None)
        status = response.status_code
        if status not in (403, 404):
            return response
        from b2b_loyalty.extensions import db
        from b2b_loyalty.services import security_audit as events

        actor_id = _actor_id()
        # The request failed: nothing of it is committed (its teardown would roll
        # back too). Rolling back now also leaves no aborted transaction for the
        # check below, and no lock for the separate audit write to wait on.
        db.session.rollback()
        if status == 404 and not denials:
            hidden = _hidden_account()
            if hidden is None:
                return response
            denials = [hidden]
        first = (denials or [{}])[0]
        try:
            events.record_security_event(
                events.ACCESS_DENIED,
                entity=first.get("entity") or "request",
                entity_id=first.get("id"),
                actor_id=actor_id,
                details={"status": status, "endpoint": request.endpoint, "hidden": denials or []},
            )
        except Exception:  # noqa: BLE001 - a failed audit write must not turn a 403 into a 500
            app.logger.exception("could not record an access denial in the audit log")
        return response
