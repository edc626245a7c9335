"""How a browser session starts, renews and ends.

Sessions are Flask's signed cookies (no server-side store, so several
stateless app servers share them). What makes them safe anyway:

- a new session on every sign-in and password change: the old cookie's data is
  dropped (``session.clear()``) before the user is put in, so a session planted
  before sign-in carries nothing over (no fixation);
- the user id in the cookie carries ``User.session_version``; raising it (on a
  password change, or when an admin sets a new password) makes every other
  session stale;
- an idle timeout: sessions are "permanent" and re-signed on each request, and
  Flask refuses a signature older than ``PERMANENT_SESSION_LIFETIME``;
- an absolute timeout: ``SESSION_ABSOLUTE_LIFETIME_SECONDS`` after sign-in the
  session ends, however active.
"""

from __future__ import annotations

from flask import current_app, session
from flask_login import login_user, logout_user

from b2b_loyalty.models import User
from b2b_loyalty.services.security_audit import security_now

SIGNED_IN_AT = "signed_in_at"
DEFAULT_ABSOLUTE_LIFETIME_SECONDS = 12 * 60 * 60


def start_session(user: User) -> None:
    """Sign ``user`` in on a brand-new session (also used to renew after a password change)."""
    session.clear()
    session.permanent = True
    login_user(user, fresh=True)
    session[SIGNED_IN_AT] = int(security_now().timestamp())


def end_session() -> None:
    logout_user()
    session.clear()


def session_has_expired() -> bool:
    """True once the absolute lifetime since sign-in has passed (or was never recorded)."""
    signed_in_at = session.get(SIGNED_IN_AT)
    if not isinstance(signed_in_at, int):
        return True
    lifetime = int(
        current_app.config.get(
            "SESSION_ABSOLUTE_LIFETIME_SECONDS", DEFAULT_ABSOLUTE_LIFETIME_SECONDS
        )
    )
    return security_now().timestamp() - signed_in_at > lifetime
