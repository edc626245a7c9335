"""NPS of an account: current, per circle, per quarter, and whether it is falling.

Every figure uses the core's ``net_promoter_score`` (% promoters − % detractors,
−100..100). Within one period each person counts once, with their latest
answer, so one enthusiastic respondent answering every month does not outvote
the rest of the client.

- **Current NPS**: answers in the last ``window_days`` days (a window ending on
  ``as_of``, both ends included).
- **Falling NPS**: the NPS of the last ``period_days`` days is at least
  ``drop_points`` below the NPS of the ``period_days`` days before; both
  periods need an answer, otherwise nothing is said.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from b2b_loyalty.domain.nps import NetPromoterScore, net_promoter_score
from plugins.engagement.domain.cadence import window_start
from plugins.engagement.domain.vocabulary import CIRCLES


@dataclass(frozen=True)
class SurveyAnswer:
    stakeholder_id: int
    circle: int
    answered_on: date
    score: int
    id: int = 0  # breaks ties between two answers of one person on one day


@dataclass(frozen=True)
class NpsComparison:
    current: NetPromoterScore
    previous: NetPromoterScore
    change: Decimal | None  # points, current − previous
    falling: bool

    @property
    def explanation(self) -> str:
        if self.change is None:
            return "Not enough answers in both periods to compare."
        return (
            f"NPS {points(self.current.value)} from {self.current.answers} answer(s) in the last "
            f"period against {points(self.previous.value)} from {self.previous.answers} in the "
            f"period before ({'+' if self.change >= 0 else ''}{points(self.change)} points)."
        )


def points(value: Decimal) -> str:
    """``Decimal('-100.00')`` -> ``-100``, ``Decimal('33.30')`` -> ``33.3``: no noise zeros."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def latest_per_person(answers: Iterable[SurveyAnswer]) -> list[SurveyAnswer]:
    """Each person's latest answer (by day, then id)."""
    latest: dict[int, SurveyAnswer] = {}
    for answer in answers:
        kept = latest.get(answer.stakeholder_id)
        if kept is None or (answer.answered_on, answer.id) > (kept.answered_on, kept.id):
            latest[answer.stakeholder_id] = answer
    return sorted(latest.values(), key=lambda a: (a.answered_on, a.id))


def nps_between(answers: Iterable[SurveyAnswer], first: date, last: date) -> NetPromoterScore:
    """NPS of the answers dated ``first``..``last`` (both included), latest per person."""
    if isinstance(answers, list) and not answers:
        return NO_ANSWERS  # most accounts of a portfolio: skip the counting
    chosen = latest_per_person(a for a in answers if first <= a.answered_on <= last)
    return net_promoter_score(a.score for a in chosen)


NO_ANSWERS = net_promoter_score(())


def current_nps(answers: Iterable[SurveyAnswer], as_of: date, window_days: int) -> NetPromoterScore:
    return nps_between(answers, window_start(as_of, window_days), as_of)


def nps_by_circle(
    answers: Iterable[SurveyAnswer], as_of: date, window_days: int
) -> dict[int, NetPromoterScore]:
    answers = list(answers)
    return {
        circle: current_nps([a for a in answers if a.circle == circle], as_of, window_days)
        for circle in CIRCLES
    }


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    first = date(year, 3 * (quarter - 1) + 1, 1)
    next_first = date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
    return first, next_first - timedelta(days=1)


def nps_by_quarter(
    answers: Iterable[SurveyAnswer], as_of: date, quarters: int = 8
) -> list[tuple[str, NetPromoterScore]]:
    """NPS of each of the last ``quarters`` calendar quarters up to ``as_of``, oldest first.

    Labels are ``2026-Q1``; a quarter without answers has value None.
    """
    answers = list(answers)
    year, quarter = quarter_of(as_of)
    keys = []
    for _ in range(quarters):
        keys.append((year, quarter))
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    result = []
    for year, quarter in reversed(keys):
        first, last = quarter_bounds(year, quarter)
        result.append((f"{year}-Q{quarter}", nps_between(answers, first, min(last, as_of))))
    return result


def compare_periods(
    answers: Iterable[SurveyAnswer], as_of: date, period_days: int, drop_points: int
) -> NpsComparison:
    """The last ``period_days`` against the ``period_days`` before; falling at ``drop_points``."""
    answers = list(answers)
    current_first = window_start(as_of, period_days)
    previous_last = current_first - timedelta(days=1)
    current = nps_between(answers, current_first, as_of)
    previous = nps_between(answers, window_start(previous_last, period_days), previous_last)
    if current.value is None or previous.value is None:
        return NpsComparison(current, previous, None, False)
    change = current.value - previous.value
    return NpsComparison(current, previous, change, change <= -drop_points)
