"""Column types shared by the models: money is Numeric, timestamps carry a zone."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, Integer, Numeric, text
from sqlalchemy.orm import MappedColumn, mapped_column

# 2 decimals for amounts a user sees (rounded by domain.money.round_money);
# 4 for unit prices and costs, which are multiplied before rounding.
MONEY = Numeric(16, 2)
UNIT_PRICE = Numeric(16, 4)
QUANTITY = Numeric(16, 3)
TIMESTAMP = DateTime(timezone=True)


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime | None) -> datetime | None:
    """A stored timestamp as an aware UTC datetime. SQLite hands back naive values even
    for these timezone-aware columns; the app only writes UTC, so naive means UTC."""
    if moment is None:
        return None
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def row_version_column() -> MappedColumn[int]:
    """The optimistic-locking counter of a row edited by people (``version_id_col``).

    Map it with ``__mapper_args__ = {"version_id_col": row_version}``: the ORM then
    sets 1 on INSERT, adds 1 on every UPDATE and puts ``WHERE row_version = :old``
    in every UPDATE and DELETE, so a write based on an outdated read matches no
    row and raises StaleDataError. The server default covers Core bulk inserts
    (imports, demo data) and the rows that existed before revision 0011.
    """
    return mapped_column(Integer, nullable=False, server_default=text("1"))
