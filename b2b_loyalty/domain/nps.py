"""Net Promoter Score from "0–10, how likely are you to recommend us?".

DOMAIN.md: 0–6 detractors, 7–8 passives, 9–10 promoters; NPS = % promoters −
% detractors, from −100 to 100. The score is computed from the counts
(``(promoters − detractors) ÷ answers × 100``, rounded once to 0.01), not by
subtracting the two rounded shares, so it can differ from that subtraction by
0.01; the counts it carries are the exact explanation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from b2b_loyalty.domain.ratios import percent

MIN_ANSWER = 0
MAX_ANSWER = 10
LAST_DETRACTOR = 6
LAST_PASSIVE = 8


class NpsCategory(StrEnum):
    DETRACTOR = "detractor"
    PASSIVE = "passive"
    PROMOTER = "promoter"


class NpsStatus(StrEnum):
    OK = "ok"
    NO_ANSWERS = "no answers"


@dataclass(frozen=True)
class NetPromoterScore:
    """NPS with its counts; ``value`` and the shares are ``None`` when nobody answered."""

    value: Decimal | None  # −100.00 … 100.00
    answers: int
    promoters: int
    passives: int
    detractors: int
    promoter_percent: Decimal | None
    passive_percent: Decimal | None
    detractor_percent: Decimal | None
    status: NpsStatus
    formula: str = "% promoters (9–10) − % detractors (0–6)"


def _check_answer(answer: object, position: int | None = None) -> int:
    where = "" if position is None else f"answer #{position} "
    # bool is an int subclass, and a float such as 8.0 usually means a unit or
    # parsing mix-up upstream; both are refused rather than silently accepted.
    if isinstance(answer, bool) or not isinstance(answer, int):
        raise ValueError(
            f"{where}{answer!r} ({type(answer).__name__}) is not a whole number; NPS answers are integers 0–10"
        )
    if not MIN_ANSWER <= answer <= MAX_ANSWER:
        raise ValueError(f"{where}{answer} is out of range; NPS answers are integers 0–10")
    return answer


def classify_answer(answer: int) -> NpsCategory:
    """0–6 → detractor, 7–8 → passive, 9–10 → promoter. ``ValueError`` otherwise."""
    answer = _check_answer(answer)
    if answer <= LAST_DETRACTOR:
        return NpsCategory.DETRACTOR
    if answer <= LAST_PASSIVE:
        return NpsCategory.PASSIVE
    return NpsCategory.PROMOTER


def nps_from_counts(promoters: int, passives: int, detractors: int) -> NetPromoterScore:
    """NPS = ``(promoters − detractors) ÷ (promoters + passives + detractors) × 100``.

    Units: points from −100.00 to 100.00 (0.01); the shares are percent (0.01).
    For callers that count categories in a query. No answers → ``value`` None
    and status "no answers". Raises ``ValueError`` on a negative count.
    """
    for name, count in (
        ("promoters", promoters),
        ("passives", passives),
        ("detractors", detractors),
    ):
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise ValueError(f"{name} must be a non-negative whole number, got {count!r}")
    answers = promoters + passives + detractors
    return NetPromoterScore(
        value=percent(promoters - detractors, answers),
        answers=answers,
        promoters=promoters,
        passives=passives,
        detractors=detractors,
        promoter_percent=percent(promoters, answers),
        passive_percent=percent(passives, answers),
        detractor_percent=percent(detractors, answers),
        status=NpsStatus.NO_ANSWERS if answers == 0 else NpsStatus.OK,
    )


def net_promoter_score(answers: Iterable[int]) -> NetPromoterScore:
    """NPS from raw 0–10 answers: ``% promoters − % detractors`` (see :func:`nps_from_counts`).

    Raises ``ValueError`` naming the first answer (1-based) that is not an
    integer 0–10. An empty list gives ``value`` None and status "no answers".
    """
    counts = dict.fromkeys(NpsCategory, 0)
    for position, answer in enumerate(answers, start=1):
        _check_answer(answer, position)
        counts[classify_answer(answer)] += 1
    return nps_from_counts(
        promoters=counts[NpsCategory.PROMOTER],
        passives=counts[NpsCategory.PASSIVE],
        detractors=counts[NpsCategory.DETRACTOR],
    )
