"""Bearer-token authentication for the API (tokens from ``b2b-loyalty create-token``).

The API ignores the browser session on purpose: it is exempt from CSRF, so a
cookie must never authenticate it. An expired or revoked token is refused with
401 like an unknown one; its use and refusals go to the audit log
(``services.api_tokens``).
"""

from __future__ import annotations

from flask import g, request

from b2b_loyalty.models import User
from b2b_loyalty.services.api_tokens import (
    INVALID,
    TokenCheck,
    check_bearer_token,
    note_token_refused,
    note_token_use,
)
from b2b_loyalty.services.security_audit import security_now


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def authenticate_bearer_token() -> TokenCheck:
    """Check the request's bearer token, record its use or refusal, and return the outcome."""
    plain = bearer_token()
    if plain is None:
        return TokenCheck(None, None, INVALID)
    now = security_now()
    check = check_bearer_token(plain, now)
    if check.user is not None:
        g.api_token_id = check.token.id
        note_token_use(check.token, now)
    elif check.token is not None:
        note_token_refused(check.token, check.message, now)
    return check


def user_from_bearer_token() -> User | None:
    return authenticate_bearer_token().user
