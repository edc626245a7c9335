"""Portable SQL expressions that the dialects spell differently.

Written as SQLAlchemy constructs compiled per dialect, so no query carries
SQLite-only or PostgreSQL-only SQL.
"""

from __future__ import annotations

from sqlalchemy import Date
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import GenericFunction


class month_start(GenericFunction):  # noqa: N801 - SQL function naming
    """The first day of the month of a date column."""

    type = Date()
    inherit_cache = True


@compiles(month_start)
def _month_start_default(element, compiler, **kw):  # noqa: ANN001, ANN202
    return f"CAST(date_trunc('month', {compiler.process(element.clauses, **kw)}) AS DATE)"


@compiles(month_start, "sqlite")
def _month_start_sqlite(element, compiler, **kw):  # noqa: ANN001, ANN202
    return f"date({compiler.process(element.clauses, **kw)}, 'start of month')"
