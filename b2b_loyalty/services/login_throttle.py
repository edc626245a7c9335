"""Sign-in throttling: at most N failed sign-ins per e-mail and per address in a window.

Failures are rows of ``login_attempts`` in the shared database, so every app
server counts the same ones; rows older than the window are deleted as new
failures arrive. Failures are counted per e-mail whether or not an account
has it, so the answer never tells which addresses exist. A refused
(throttled) attempt is not counted again: the window runs from the failures
themselves, and the account opens again when they age out.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select

from b2b_loyalty.models import LoginAttempt, User
from b2b_loyalty.models.columns import as_utc

DEFAULT_FAILURES_PER_EMAIL = 5
DEFAULT_FAILURES_PER_ADDRESS = 20
DEFAULT_WINDOW_SECONDS = 15 * 60


@dataclass(frozen=True)
class ThrottleLimits:
    failures_per_email: int = DEFAULT_FAILURES_PER_EMAIL
    failures_per_address: int = DEFAULT_FAILURES_PER_ADDRESS
    window: timedelta = timedelta(seconds=DEFAULT_WINDOW_SECONDS)

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> ThrottleLimits:
        return cls(
            failures_per_email=int(
                config.get("LOGIN_FAILURES_PER_EMAIL", DEFAULT_FAILURES_PER_EMAIL)
            ),
            failures_per_address=int(
                config.get("LOGIN_FAILURES_PER_ADDRESS", DEFAULT_FAILURES_PER_ADDRESS)
            ),
            window=timedelta(
                seconds=int(config.get("LOGIN_FAILURE_WINDOW_SECONDS", DEFAULT_WINDOW_SECONDS))
            ),
        )


@dataclass(frozen=True)
class ThrottleState:
    """Whether another attempt may be checked now; if not, the seconds to wait."""

    throttled: bool
    retry_after_seconds: int = 0
    reason: str = ""  # "email" or "address" when throttled

    @property
    def retry_after_minutes(self) -> int:
        return max(1, math.ceil(self.retry_after_seconds / 60))


def email_digest(email: str) -> str:
    """SHA-256 of the normalised e-mail: what the attempts table keys on."""
    return hashlib.sha256(User.normalise_email(email or "").encode()).hexdigest()


def _wait(conn: Connection, criterion, limit: int, now: datetime, window: timedelta) -> int | None:  # noqa: ANN001
    """Seconds until the failures matching ``criterion`` drop below ``limit``; None if below."""
    table = LoginAttempt.__table__
    since = now - window
    count, oldest = conn.execute(
        select(func.count(), func.min(table.c.at)).where(criterion, table.c.at > since)
    ).one()
    if count < limit:
        return None
    oldest = as_utc(oldest)
    return max(1, math.ceil((oldest + window - now).total_seconds()))


def throttle_state(
    conn: Connection, email: str, remote_addr: str | None, now: datetime, limits: ThrottleLimits
) -> ThrottleState:
    table = LoginAttempt.__table__
    wait = _wait(
        conn,
        table.c.email_digest == email_digest(email),
        limits.failures_per_email,
        now,
        limits.window,
    )
    if wait is not None:
        return ThrottleState(True, wait, "email")
    if remote_addr:
        wait = _wait(
            conn,
            table.c.remote_addr == remote_addr,
            limits.failures_per_address,
            now,
            limits.window,
        )
        if wait is not None:
            return ThrottleState(True, wait, "address")
    return ThrottleState(False)


def record_failure(
    conn: Connection, email: str, remote_addr: str | None, now: datetime, limits: ThrottleLimits
) -> None:
    """Count one failed sign-in and delete failures that left the window."""
    table = LoginAttempt.__table__
    conn.execute(
        insert(table).values(at=now, email_digest=email_digest(email), remote_addr=remote_addr)
    )
    conn.execute(delete(table).where(table.c.at <= now - limits.window))


def clear_failures(conn: Connection, email: str) -> None:
    """A successful sign-in forgives the e-mail's failures (not the address's)."""
    table = LoginAttempt.__table__
    conn.execute(delete(table).where(table.c.email_digest == email_digest(email)))
