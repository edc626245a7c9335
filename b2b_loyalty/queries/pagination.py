"""Paging of any SELECT in two statements (count, page), rows or scalars alike.

Flask-SQLAlchemy's ``db.paginate`` returns scalars only; list pages here select
an entity plus aggregates, so they page with this instead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select

from b2b_loyalty.config import MAX_PAGE_SIZE
from b2b_loyalty.extensions import db

MAX_PAGE = 1_000_000


@dataclass(frozen=True)
class Page:
    items: list[Any]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def first_index(self) -> int:
        return 0 if self.total == 0 else (self.page - 1) * self.per_page + 1

    @property
    def last_index(self) -> int:
        return min(self.total, self.page * self.per_page)


def clamp_page_args(page: Any, per_page: Any, default_per_page: int) -> tuple[int, int]:
    """Turn query-string values into a sane (page, per_page); junk falls back to defaults."""
    try:
        # Capped so that the OFFSET stays a sane 64-bit number.
        page_number = min(MAX_PAGE, max(1, int(page)))
    except (TypeError, ValueError):
        page_number = 1
    try:
        size = min(MAX_PAGE_SIZE, max(1, int(per_page)))
    except (TypeError, ValueError):
        size = default_per_page
    return page_number, size


def paginate(stmt: Select, page: int, per_page: int, *, scalars: bool = False) -> Page:
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    result = db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page))
    items = list(result.unique().scalars()) if scalars else list(result.all())
    return Page(items=items, page=page, per_page=per_page, total=total or 0)


def page_of(items: list[Any], page: int, per_page: int) -> Page:
    """One page of a list already in memory (a report's accounts), as ``paginate``
    gives one of a SELECT: a page past the end is empty."""
    start = (page - 1) * per_page
    return Page(
        items=items[start : start + per_page], page=page, per_page=per_page, total=len(items)
    )
