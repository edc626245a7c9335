"""Generations of data: a token per kind of data that changes with every committed change.

A cache of figures derived from many rows (the company-wide ABC ranking, read on
every account page) stays valid exactly as long as the token it was computed
under is the one in the database. Every app process reads the token (one
primary-key lookup) and recomputes only when it differs, so several stateless
app servers never serve a ranking older than the last committed order.

Writers call ``mark_changed`` inside their transaction; the new token is
written just before that transaction commits (``before_commit``), as its last
statement. Writing it takes the token row's lock until the commit, so tokens
change in commit order: a reader that saw a token has seen every change
committed before it. A rolled-back transaction writes nothing.

The token is random (see ``models.DataGeneration``); a missing row (a database
emptied by hand) reads as ``None``, which callers treat as "do not cache".
"""

from __future__ import annotations

import secrets

from sqlalchemy import event, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from b2b_loyalty.extensions import db
from b2b_loyalty.models import DataGeneration

ORDERS = "orders"  # orders and the totals kept from them (month totals, order stats)
_PENDING = "b2b_loyalty.changed_generations"


def mark_changed(key: str) -> None:
    """Record that this transaction changes ``key``'s data (written at commit)."""
    db.session.info.setdefault(_PENDING, set()).add(key)


def current(key: str) -> int | None:
    """The committed token of ``key``, or None when there is none."""
    return db.session.scalar(select(DataGeneration.generation).where(DataGeneration.key == key))


@event.listens_for(Session, "before_commit")
def _write_pending(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    for key in sorted(pending or ()):
        token = secrets.randbits(62)
        # An upsert on both backends: the first change creates the row.
        dialect = session.get_bind().dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        stmt = insert(DataGeneration).values(key=key, generation=token)
        session.execute(
            stmt.on_conflict_do_update(index_elements=["key"], set_={"generation": token})
        )


@event.listens_for(Session, "after_rollback")
def _forget_pending(session: Session) -> None:
    session.info.pop(_PENDING, None)
