"""``column IN (many ids)`` with one bound parameter instead of one per id.

Batch hooks and the dashboard pass lists of every visible account id (10,000
and more). Spelled as a plain ``IN (?, ?, ...)``, such a list hits the
databases' limits on bound parameters (32,766 on SQLite, 65,535 on
PostgreSQL) and costs the driver time to bind each one. Above a few dozen ids
the list travels as one value instead: a PostgreSQL array (``= ANY(:ids)``)
or, on SQLite, a JSON array read with ``json_each``. Same rows, either way.

Tried and not kept: sending the PostgreSQL array as its text form cast to
``integer[]`` (psycopg adapts a list element by element, ~20 ms per 10,000 ids).
The planner then no longer knows the array's length, plans for a handful of ids
and the engagement plugin's people query went from 0.5 s to over 9 s.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import ColumnElement, Integer, any_, bindparam, literal_column, select
from sqlalchemy.dialects.postgresql import ARRAY

from b2b_loyalty.extensions import db

# Lists up to this size stay a plain IN: readable SQL in logs, and the planner
# sees the values.
SMALL_LIST = 64


def among(column: ColumnElement, ids: Iterable[int]) -> ColumnElement[bool]:
    """``column`` is one of ``ids`` (integers), for any number of ids."""
    values = sorted({int(i) for i in ids})
    if len(values) <= SMALL_LIST:
        return column.in_(values)
    if db.session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, values, type_=ARRAY(Integer)))
    listed = select(literal_column("value")).select_from(
        db.func.json_each(bindparam(None, json.dumps(values)))
    )
    return column.in_(listed.scalar_subquery())
