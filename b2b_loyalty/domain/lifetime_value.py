"""Customer lifetime value (CLV) from margin and retention.

DOMAIN.md: CLV from the lifecycle = margin per period × expected periods
retained. With a constant retention fraction ``r`` per period, a client still
here now is here next period with probability r, the one after with r², …, so
the expected number of periods including the current one is the geometric
series 1 + r + r² + … = ``1 ÷ (1 − r)``. At r = 100 % that series never ends:
the value is then ``None`` unless the caller gives a cap (``max_periods``),
which also bounds very high retention rates (99 % → 100 periods).

So that the figure can be checked by hand from what is shown, the expected
periods are rounded to 0.01 first and CLV = round_money(average margin ×
rounded periods).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from b2b_loyalty.domain.money import ZERO, round_money
from b2b_loyalty.domain.ratios import HUNDRED

PERIODS_QUANTUM = Decimal("0.01")


class LifetimeValueStatus(StrEnum):
    OK = "ok"
    CAPPED = "capped"
    MISSING_MARGIN = "no margin known"
    MISSING_RETENTION = "no retention rate known"
    UNBOUNDED = "retention 100 %, lifetime unbounded"


@dataclass(frozen=True)
class AverageMargin:
    value: Decimal | None  # money per period
    periods_counted: int
    periods_without_margin: int
    total_margin: Decimal
    formula: str = "Σ gross margin of the periods with a known margin ÷ number of those periods"


@dataclass(frozen=True)
class LifetimeValue:
    value: Decimal | None  # money
    average_margin_per_period: Decimal | None
    retention_rate: Decimal | None  # percent per period
    expected_periods: Decimal | None  # 0.01, after any cap
    status: LifetimeValueStatus
    max_periods: Decimal | None
    formula: str = "average gross margin per period × 1 ÷ (1 − retention rate ÷ 100)"


def average_margin(
    margins_per_period: Iterable[Decimal | None], currency: str = "EUR"
) -> AverageMargin:
    """Average gross margin per period (money, rounded with :func:`round_money`).

    Formula: ``Σ margin ÷ number of periods``, over the periods whose margin is
    known; unknown periods (``None``) are counted apart, not taken as 0.
    ``value`` is ``None`` when no period has a margin.
    """
    margins = list(margins_per_period)
    known = [m for m in margins if m is not None]
    total = sum(known, ZERO)
    return AverageMargin(
        value=round_money(total / len(known), currency) if known else None,
        periods_counted=len(known),
        periods_without_margin=len(margins) - len(known),
        total_margin=total,
    )


def expected_periods_retained(retention_rate: Decimal) -> Decimal | None:
    """Expected periods retained = ``1 ÷ (1 − retention_rate ÷ 100)``, rounded to 0.01.

    ``retention_rate`` is in percent per period (0–100). ``None`` at 100 %
    (unbounded). Raises ``ValueError`` outside 0–100.
    """
    if not ZERO <= retention_rate <= HUNDRED:
        raise ValueError(f"retention rate must be between 0 and 100 percent, got {retention_rate}")
    if retention_rate == HUNDRED:
        return None
    periods = HUNDRED / (HUNDRED - retention_rate)
    return periods.quantize(PERIODS_QUANTUM, rounding=ROUND_HALF_UP)


def customer_lifetime_value(
    average_margin_per_period: Decimal | None,
    retention_rate: Decimal | None,
    max_periods: Decimal | int | None = None,
    currency: str = "EUR",
) -> LifetimeValue:
    """CLV = ``average gross margin per period × expected periods retained`` (money).

    Expected periods retained = ``1 ÷ (1 − retention_rate ÷ 100)``, with
    ``retention_rate`` in percent per period (e.g. a CRR). When ``max_periods``
    is given the expected periods are capped at it (status "capped"). ``value``
    is ``None`` when the margin or retention rate is missing, or retention is
    100 % without a cap. Raises ``ValueError`` for a retention rate outside
    0–100 (a CRR above 100 % from reactivated clients is not a survival
    probability) or a non-positive cap.
    """
    cap = None if max_periods is None else Decimal(max_periods)
    if cap is not None and cap <= 0:
        raise ValueError(f"max_periods must be positive, got {max_periods}")

    def result(status: LifetimeValueStatus, periods: Decimal | None = None) -> LifetimeValue:
        value = None
        if periods is not None and average_margin_per_period is not None:
            value = round_money(average_margin_per_period * periods, currency)
        return LifetimeValue(
            value=value,
            average_margin_per_period=average_margin_per_period,
            retention_rate=retention_rate,
            expected_periods=periods,
            status=status,
            max_periods=cap,
        )

    if retention_rate is None:
        return result(LifetimeValueStatus.MISSING_RETENTION)
    periods = expected_periods_retained(retention_rate)
    capped = cap is not None and (periods is None or periods > cap)
    if capped:
        periods = cap
    if average_margin_per_period is None:
        return result(LifetimeValueStatus.MISSING_MARGIN, periods)
    if periods is None:
        return result(LifetimeValueStatus.UNBOUNDED)
    return result(LifetimeValueStatus.CAPPED if capped else LifetimeValueStatus.OK, periods)
