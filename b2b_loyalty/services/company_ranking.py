"""The whole company's ABC classes for a period, kept per app process between orders.

A class is a property of the account in the company's ranking (see
``services.portfolio_metrics``), so one account's page needs every account's
revenue in the period. Summing it costs tens of milliseconds on 10,000 accounts
and the account page is the most visited page; the ranking only changes when
orders do. So each process keeps the classes of the few periods asked for most
recently, keyed by the orders' data generation (``services.data_generations``):
every request reads the generation, and a different one (an order committed by
any app server) means the ranking is computed again. With no generation on
record the ranking is computed every time and not kept.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import date

from flask import current_app

from b2b_loyalty.domain.order_metrics import Period
from b2b_loyalty.domain.pareto import AbcClass, abc_classes
from b2b_loyalty.queries import metrics as q
from b2b_loyalty.services import data_generations

KEPT_PERIODS = 8  # the default trailing year plus a few chosen periods
_EXTENSION = "b2b_loyalty.company_ranking"


class _Kept:
    """Classes per (start, end, generation), least recently used dropped first."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.entries: OrderedDict[tuple[date, date, int], dict[int, AbcClass]] = OrderedDict()

    def get(self, key: tuple[date, date, int]) -> dict[int, AbcClass] | None:
        with self.lock:
            found = self.entries.get(key)
            if found is not None:
                self.entries.move_to_end(key)
            return found

    def put(self, key: tuple[date, date, int], classes: dict[int, AbcClass]) -> None:
        with self.lock:
            self.entries[key] = classes
            self.entries.move_to_end(key)
            while len(self.entries) > KEPT_PERIODS:
                self.entries.popitem(last=False)


def company_abc_classes(period: Period) -> dict[int, AbcClass]:
    """ABC class of every account with revenue in ``period`` in the company-wide
    ranking (accounts without revenue are C). Company-wide on purpose: callers show
    only the classes of accounts the user may see."""
    generation = data_generations.current(data_generations.ORDERS)
    if generation is None:
        return _classes(period)
    kept: _Kept = current_app.extensions.setdefault(_EXTENSION, _Kept())
    key = (period.start, period.end, generation)
    classes = kept.get(key)
    if classes is None:
        classes = _classes(period)
        kept.put(key, classes)
    return classes


def _classes(period: Period) -> dict[int, AbcClass]:
    company = q.company_revenue_by_account(period)
    if not company:
        return {}
    return abc_classes(company)
