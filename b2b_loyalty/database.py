"""Engine-level settings that must hold on every connection."""

from __future__ import annotations

import sqlite3

from sqlalchemy import event
from sqlalchemy.engine import Engine


@event.listens_for(Engine, "connect")
def _sqlite_enforce_foreign_keys(dbapi_connection, _record) -> None:  # noqa: ANN001
    # SQLite ignores foreign keys (and ON DELETE CASCADE) unless asked, per
    # connection; PostgreSQL always enforces them. Same behaviour on both.
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
