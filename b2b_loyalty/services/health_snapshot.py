"""The monthly health snapshot: score every account as of the month's end and store it."""

from __future__ import annotations

from datetime import date, timedelta

from b2b_loyalty.domain.periods import parse_period
from b2b_loyalty.extensions import db
from b2b_loyalty.services.health import store_month
from b2b_loyalty.services.portfolio_metrics import portfolio_metrics
from b2b_loyalty.services.transaction import unit_of_work


def snapshot_month(month: str | None = None, today: date | None = None) -> tuple[int, date]:
    """Score all accounts for ``month`` (YYYY-MM; default the current month) and store them.

    A past month is scored as of its last day; the current month as of today.
    Runs without a user (CLI), so it covers every account.
    """
    today = today or date.today()
    if month:
        period = parse_period(month, today=today)
        as_of = min(period.end, today)
    else:
        as_of = today
    month_start = as_of.replace(day=1)
    report = portfolio_metrics(parse_period(None, today=as_of), today=as_of)
    with unit_of_work():
        stored = store_month(
            month_start, {a.account_id: a.health for a in report.accounts if a.health}
        )
    return stored, month_start


def snapshot_recent_months(count: int, today: date | None = None) -> None:
    """Scores for the ``count`` months before this one (demo data: a real history)."""
    today = today or date.today()
    first = today.replace(day=1)
    months = []
    for _ in range(count):
        first = (first - timedelta(days=1)).replace(day=1)
        months.append(first)
    for month_start in reversed(months):
        snapshot_month(f"{month_start:%Y-%m}", today=today)
    db.session.expire_all()
