"""Tenure: continuous time under contract up to a date, and why it is what it is.

Inputs are the periods the client was under a signed contract (``CoverPeriod``,
both ends inclusive) and the grace period in days that finance allows between
two contracts.

Rules:
- Periods that overlap or touch (the next starts the day after the previous
  ends) form one continuous run.
- A gap of uncovered days between two periods that is at most ``grace_days``
  long is bridged: the run continues and the gap counts as tenure (a renewal
  signed a few days late does not cost the client their loyalty).
- A longer gap ends the run: tenure restarts at the next period's start.
- After the last period ends, the run is still alive for ``grace_days`` (the
  renewal may be on its way); after that the client has no tenure (0).
- A period that starts after the as-of date does not count yet.

Tenure is ``as_of − run start`` in whole calendar months (see
``calendar_months``) plus the remaining days; it is never negative, and without
gaps longer than the grace it only grows with the as-of date.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from plugins.tenure_pricing.domain.calendar_months import (
    add_months,
    describe_months,
    full_months_between,
)

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class CoverPeriod:
    """Days under one signed contract, ``start`` to ``end`` inclusive."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"a contract cannot end ({self.end}) before it starts ({self.start})")


@dataclass(frozen=True, slots=True)
class Gap:
    """Uncovered days between two contracts: ``days`` days starting the day after ``after``."""

    after: date
    days: int
    within_grace: bool

    @property
    def first_day(self) -> date:
        return self.after + ONE_DAY


@dataclass(frozen=True, slots=True)
class Tenure:
    """Tenure on ``on``: whole ``months`` plus ``days`` since ``since`` (None: no tenure).

    ``covered``: a contract covers ``on`` itself (False inside a bridged gap or
    the grace after the last contract). ``bridged_gaps``: gaps within grace inside
    the current run. ``restart``: the gap beyond grace that started the current
    run, if any. ``days_uncovered``: days since the last contract ended when
    ``on`` is not covered. ``next_start``: the first contract starting after ``on``.
    """

    on: date
    since: date | None
    months: int
    days: int
    covered: bool
    grace_days: int
    bridged_gaps: tuple[Gap, ...] = ()
    restart: Gap | None = None
    last_end: date | None = None
    days_uncovered: int = 0
    next_start: date | None = None

    @property
    def years(self) -> int:
        return self.months // 12

    @property
    def has_tenure(self) -> bool:
        return self.since is not None

    @property
    def total_days(self) -> int:
        """Days from the run start to ``on`` (0 without tenure)."""
        return (self.on - self.since).days if self.since else 0

    @property
    def grace_days_left(self) -> int | None:
        """Days of grace left when ``on`` is in the grace after the last contract."""
        if self.since is None or self.covered:
            return None
        return self.grace_days - self.days_uncovered

    @property
    def duration(self) -> str:
        """``"3 years 2 months"``; under a month, ``"12 days"``."""
        if self.months == 0:
            return f"{self.days} day{'s' if self.days != 1 else ''}"
        return describe_months(self.months)

    @property
    def reason(self) -> str:
        """The tenure with why, e.g. "3 years 2 months since 2022-09-01; gap of 12 days in
        2024 within grace"."""
        if self.since is None:
            return self._no_tenure_reason()
        parts = [f"{self.duration} since {self.since.isoformat()}"]
        parts += [
            f"gap of {g.days} day{'s' if g.days != 1 else ''} in {g.first_day.year} within grace"
            for g in self.bridged_gaps
        ]
        if self.restart is not None:
            parts.append(
                f"restarted after a gap of {self.restart.days} days in "
                f"{self.restart.first_day.year} (grace {self.grace_days} days)"
            )
        if not self.covered and self.last_end is not None:
            parts.append(
                f"no contract since {(self.last_end + ONE_DAY).isoformat()}: "
                f"{self.days_uncovered} of {self.grace_days} grace days used"
            )
        return "; ".join(parts)

    def _no_tenure_reason(self) -> str:
        if self.last_end is not None:
            text = (
                f"no tenure: the last contract ended on {self.last_end.isoformat()}, "
                f"{self.days_uncovered} days ago, beyond the {self.grace_days}-day grace"
            )
        else:
            text = "no tenure: no signed contract yet"
        if self.next_start is not None:
            text += f"; the next contract starts on {self.next_start.isoformat()}"
        return text


def merge_periods(periods: Iterable[CoverPeriod]) -> list[CoverPeriod]:
    """Periods sorted by start with overlapping or touching ones merged."""
    merged: list[CoverPeriod] = []
    for period in sorted(periods, key=lambda p: (p.start, p.end)):
        if merged and period.start <= merged[-1].end + ONE_DAY:
            if period.end > merged[-1].end:
                merged[-1] = CoverPeriod(merged[-1].start, period.end)
        else:
            merged.append(period)
    return merged


def tenure_on(periods: Iterable[CoverPeriod], on: date, grace_days: int) -> Tenure:
    """Tenure on ``on`` from the contract ``periods`` with a grace of ``grace_days`` days.

    Units: ``months`` whole calendar months and ``days`` the days after them, both
    counted from the run start to ``on``; gaps in days (uncovered days between
    two contracts).
    """
    if grace_days < 0:
        raise ValueError("the grace period cannot be negative")
    merged = merge_periods(periods)
    started = [p for p in merged if p.start <= on]
    later = [p.start for p in merged if p.start > on]
    next_start = later[0] if later else None
    if not started:
        return Tenure(on, None, 0, 0, False, grace_days, next_start=next_start)

    run_start = started[0].start
    run_end = started[0].end
    bridged: list[Gap] = []
    restart: Gap | None = None
    for period in started[1:]:
        # Merged periods never touch, so every gap is at least one day.
        gap = Gap(after=run_end, days=(period.start - run_end).days - 1, within_grace=True)
        if gap.days <= grace_days:
            bridged.append(gap)
        else:
            restart = Gap(after=run_end, days=gap.days, within_grace=False)
            run_start, bridged = period.start, []
        run_end = period.end

    covered = on <= run_end
    days_uncovered = 0 if covered else (on - run_end).days
    if days_uncovered > grace_days:
        return Tenure(
            on,
            None,
            0,
            0,
            False,
            grace_days,
            last_end=run_end,
            days_uncovered=days_uncovered,
            next_start=next_start,
        )
    months = full_months_between(run_start, on)
    days = (on - add_months(run_start, months)).days
    return Tenure(
        on=on,
        since=run_start,
        months=months,
        days=days,
        covered=covered,
        grace_days=grace_days,
        bridged_gaps=tuple(bridged),
        restart=restart,
        last_end=run_end,
        days_uncovered=days_uncovered,
        next_start=next_start,
    )
