"""Contract renewal outlook: a 0-100 health score (100 = renewal safe), with its reason.

Two signals, both from data we hold:

1. Time and paperwork (weight 0.7 when spend is known, else 1):
   - renewal already signed (a later signed contract starts within grace): 100;
   - no contract, grace over: 0; inside the grace after the last contract: 20;
   - otherwise ``days_left ÷ 180 × 100`` (capped at 100): half a year ahead is
     safe, the last weeks are not; raised to at least 80 when the contract
     renews automatically, and to at least 60 when a renewal is drafted.
2. Commitment kept (weight 0.3): net spend of the last 12 months ÷ the annual
   committed value × 100, capped at 100. A client buying far below its
   commitment is unlikely to sign the same again.

Score = round(0.7 × time + 0.3 × commitment), half up; a whole number 0-100.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from b2b_loyalty.domain.money import ZERO

HUNDRED = Decimal(100)
SAFE_DAYS = 180
AUTO_RENEW_FLOOR = Decimal(80)
DRAFTED_FLOOR = Decimal(60)
IN_GRACE_SCORE = Decimal(20)
TIME_WEIGHT = Decimal("0.7")
COMMITMENT_WEIGHT = Decimal("0.3")


@dataclass(frozen=True, slots=True)
class RenewalSituation:
    """Where an account stands with its contract on the as-of date.

    ``days_left``: days until the current contract's end (None when none is in
    force); ``in_grace``: not covered but still within the grace; ``lapsed``:
    had contracts, none in force, grace over. ``spend_12m`` and
    ``annual_value``: money, for the commitment signal (None when unknown).
    """

    days_left: int | None
    auto_renew: bool = False
    renewal_signed: bool = False
    renewal_drafted: bool = False
    in_grace: bool = False
    lapsed: bool = False
    spend_12m: Decimal | None = None
    annual_value: Decimal | None = None


@dataclass(frozen=True, slots=True)
class RenewalOutlook:
    score: Decimal
    explanation: str


def _time_score(s: RenewalSituation) -> tuple[Decimal, str]:
    if s.renewal_signed:
        return HUNDRED, "renewal already signed"
    if s.lapsed:
        return ZERO, "no contract in force and the grace period is over"
    if s.in_grace:
        return IN_GRACE_SCORE, "contract ended, still within the grace period"
    days = max(s.days_left or 0, 0)
    score = min(HUNDRED, Decimal(days) * HUNDRED / SAFE_DAYS)
    text = f"ends in {days} day{'s' if days != 1 else ''}"
    if s.auto_renew:
        score, text = max(score, AUTO_RENEW_FLOOR), text + ", renews automatically"
    elif s.renewal_drafted:
        score, text = max(score, DRAFTED_FLOOR), text + ", renewal drafted"
    elif days < SAFE_DAYS:
        text += ", no renewal drafted"
    return score, text


def renewal_outlook(situation: RenewalSituation) -> RenewalOutlook:
    """Score (0-100, higher is safer) and a one-line explanation; see the module doc."""
    time_score, text = _time_score(situation)
    score = time_score
    if (
        situation.spend_12m is not None
        and situation.annual_value
        and situation.annual_value > 0
        and not situation.lapsed
    ):
        ratio = situation.spend_12m * HUNDRED / situation.annual_value
        commitment = min(HUNDRED, ratio)
        score = TIME_WEIGHT * time_score + COMMITMENT_WEIGHT * commitment
        text += (
            f"; bought {ratio.quantize(Decimal(1), ROUND_HALF_UP)} % "
            "of the annual commitment in the last 12 months"
        )
    score = score.quantize(Decimal(1), ROUND_HALF_UP)
    return RenewalOutlook(
        score=max(ZERO, min(HUNDRED, score)), explanation=text[0].upper() + text[1:]
    )
