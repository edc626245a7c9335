"""Finance's tenure schedule: thresholds of tenure → discount, and how it stacks.

A schedule is a list of tiers ``(from_months, percent)``: from that many whole
months of tenure on, the tenure discount is ``percent`` % of the list price
(e.g. 0 → 0 %, 12 → 2 %, 36 → 4 %, 60 → 6 %). The first tier starts at 0 months.

The tenure discount stacks with the volume discount ``v`` (percent of list)
under the schedule's ``stacking`` rule, and the total is capped at
``max_total_percent``:

- ``additive``: total = v + t                       (5 % and 4 % → 9 %)
- ``compound``: total = 100 − (100 − v)(100 − t)/100 (1 − 0.95 × 0.96 → 8.8 %)
- ``best_of``:  total = max(v, t)                    (5 % and 4 % → 5 %)

then ``total = min(total, max_total_percent)``. Compound never exceeds additive
(they differ by v·t/100 ≥ 0) and best-of is never below either part.

All percents are Decimals in percent (``Decimal('4')`` is 4 %); months are whole
calendar months; the grace is in days.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from plugins.tenure_pricing.domain.calendar_months import describe_months

HUNDRED = Decimal(100)
ZERO = Decimal(0)
# Percents are stored with four decimals (Numeric(7, 4)).
PERCENT_PLACES = 4
MAX_GRACE_DAYS = 366
MAX_FROM_MONTHS = 1200


class Stacking(StrEnum):
    ADDITIVE = "additive"
    COMPOUND = "compound"
    BEST_OF = "best_of"

    @property
    def label(self) -> str:
        return STACKING_LABELS[self]


STACKING_LABELS = {
    Stacking.ADDITIVE: "additive",
    Stacking.COMPOUND: "compound",
    Stacking.BEST_OF: "best of",
}


class TenureScheduleError(ValueError):
    """Invalid schedule input; ``field_errors`` maps a field path to its messages."""

    def __init__(self, field_errors: Mapping[str, Sequence[str]]) -> None:
        self.field_errors = {k: list(v) for k, v in field_errors.items()}
        super().__init__(
            "; ".join(f"{k}: {m}" for k, ms in self.field_errors.items() for m in ms)
            or "invalid tenure schedule"
        )


@dataclass(frozen=True, slots=True)
class TenureTier:
    """From ``from_months`` whole months of tenure on, ``percent`` % off the list price."""

    from_months: int
    percent: Decimal

    @property
    def label(self) -> str:
        return "from " + describe_months(self.from_months)


@dataclass(frozen=True, slots=True)
class TenureSchedule:
    """A validated tenure schedule (build it with ``parse_tenure_schedule``)."""

    tiers: tuple[TenureTier, ...]
    stacking: Stacking
    max_total_percent: Decimal
    grace_days: int = 30
    renewal_uplift_percent: Decimal = ZERO
    bounds: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "bounds", tuple(t.from_months for t in self.tiers))

    def tier_for(self, months: int) -> TenureTier:
        """The tier that ``months`` whole months of tenure fall in."""
        return self.tiers[max(bisect_right(self.bounds, months) - 1, 0)]

    def percent_for(self, months: int) -> Decimal:
        """Tenure discount in percent for ``months`` whole months of tenure."""
        return self.tier_for(months).percent

    def next_tier(self, months: int) -> TenureTier | None:
        """The first tier above ``months`` with a different rate, or None in the last one."""
        current = self.percent_for(months)
        for tier in self.tiers:
            if tier.from_months > months and tier.percent != current:
                return tier
        return None


@dataclass(frozen=True, slots=True)
class StackedDiscount:
    """The volume and tenure discounts combined: every figure in percent of list.

    ``uncapped`` is the stacking rule's result, ``total`` after the cap;
    ``extra`` = total − volume is what tenure adds on top of the volume discount
    (0 when best-of keeps the volume discount, negative when the cap is below the
    volume discount alone).
    """

    volume: Decimal
    tenure: Decimal
    stacking: Stacking
    cap: Decimal
    uncapped: Decimal
    total: Decimal

    @property
    def capped(self) -> bool:
        return self.uncapped > self.total

    @property
    def extra(self) -> Decimal:
        return self.total - self.volume

    def explanation(self, tenure_text: str | None = None) -> str:
        """The quote line, e.g. "Tenure 4 % for 3 years 2 months since 2022-09-01. Additive
        with volume 5 % = 9 %; capped at 8 % (maximum total discount)."."""
        head = f"Tenure {pct(self.tenure)} % for {tenure_text}. " if tenure_text else ""
        if self.stacking is Stacking.BEST_OF:
            kept = "tenure" if self.tenure > self.volume else "volume"
            rule = (
                f"Best of volume {pct(self.volume)} % and tenure {pct(self.tenure)} %: "
                f"{kept} applies ({pct(self.uncapped)} %)"
            )
        elif self.stacking is Stacking.COMPOUND:
            rule = (
                f"Compound with volume {pct(self.volume)} %: "
                f"1 − {pct(1 - self.volume / HUNDRED)} × {pct(1 - self.tenure / HUNDRED)} "
                f"= {pct(self.uncapped)} %"
            )
        else:
            rule = f"Additive with volume {pct(self.volume)} % = {pct(self.uncapped)} %"
        if self.capped:
            rule += f"; capped at {pct(self.cap)} % (maximum total discount)"
        return f"{head}{rule}."


def plain(value: Decimal) -> Decimal:
    """The same number without trailing zeros and never in exponent form: ``3.800000`` →
    ``3.8``, ``10.0000`` → ``10`` (``normalize`` alone would give ``1E+1``). Exact."""
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


def pct(value: Decimal) -> str:
    """A percent without trailing zeros: ``Decimal('8.8000')`` → ``'8.8'``."""
    text = f"{value.normalize():f}"
    return "0" if text in ("-0", "0") else text


def stack_discounts(
    volume: Decimal, tenure: Decimal, stacking: Stacking | str, cap: Decimal
) -> StackedDiscount:
    """Combine ``volume`` and ``tenure`` (percent of list) under ``stacking``, capped at ``cap``.

    Exact Decimal arithmetic, no rounding: the caller rounds money, not percents.
    """
    rule = Stacking(stacking)
    if rule is Stacking.ADDITIVE:
        uncapped = volume + tenure
    elif rule is Stacking.COMPOUND:
        uncapped = HUNDRED - (HUNDRED - volume) * (HUNDRED - tenure) / HUNDRED
    else:
        uncapped = max(volume, tenure)
    return StackedDiscount(
        volume=volume,
        tenure=tenure,
        stacking=rule,
        cap=cap,
        uncapped=uncapped,
        total=min(uncapped, cap),
    )


# --- parsing -------------------------------------------------------------------


def _add(errors: dict[str, list[str]], path: str, message: str) -> None:
    errors.setdefault(path, []).append(message)


def _percent(value: object, path: str, errors: dict[str, list[str]]) -> Decimal | None:
    if value is None or value == "":
        _add(errors, path, "Give a percent from 0 to 100.")
        return None
    if isinstance(value, bool | float):
        _add(errors, path, "Give the percent as text or an integer, not a float.")
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except InvalidOperation:
        _add(errors, path, f"{value!r} is not a number.")
        return None
    if not number.is_finite() or number < 0 or number > HUNDRED:
        _add(errors, path, "A percent runs from 0 to 100.")
        return None
    if number != round(number, PERCENT_PLACES):
        _add(errors, path, f"Use at most {PERCENT_PLACES} decimals.")
        return None
    return number


def _whole(
    value: object, path: str, low: int, high: int, errors: dict[str, list[str]]
) -> int | None:
    if isinstance(value, bool) or value is None or value == "":
        _add(errors, path, f"Give a whole number from {low} to {high}.")
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        _add(errors, path, f"Give a whole number from {low} to {high}.")
        return None
    if not low <= number <= high:
        _add(errors, path, f"Give a whole number from {low} to {high}.")
        return None
    return number


def parse_tenure_schedule(
    *,
    tiers: object,
    stacking: object,
    max_total_percent: object,
    grace_days: object = 30,
    renewal_uplift_percent: object = 0,
) -> TenureSchedule:
    """Build a ``TenureSchedule`` from raw input, reporting every problem at once.

    ``tiers``: ``[{"from_months": 12, "percent": "2"}, ...]`` with strictly
    increasing ``from_months`` starting at 0; percents 0-100 with at most four
    decimals. Raises ``TenureScheduleError`` keyed by field path
    (``"tiers.1.percent"``, ``"max_total_percent"``...).
    """
    errors: dict[str, list[str]] = {}
    try:
        rule = Stacking(str(stacking).strip().lower())
    except ValueError:
        rule = None
        _add(errors, "stacking", "Choose additive, compound or best_of.")
    cap = _percent(max_total_percent, "max_total_percent", errors)
    uplift = _percent(renewal_uplift_percent, "renewal_uplift_percent", errors)
    grace = _whole(grace_days, "grace_days", 0, MAX_GRACE_DAYS, errors)
    parsed: list[TenureTier] = []
    if not isinstance(tiers, list | tuple) or not tiers:
        _add(errors, "tiers", "Give at least one tier, starting from 0 months.")
    else:
        for i, raw in enumerate(tiers):
            if isinstance(raw, TenureTier):
                raw = {"from_months": raw.from_months, "percent": raw.percent}
            if not isinstance(raw, Mapping):
                _add(errors, f"tiers.{i}", "Each tier needs from_months and percent.")
                continue
            start = _whole(
                raw.get("from_months"), f"tiers.{i}.from_months", 0, MAX_FROM_MONTHS, errors
            )
            rate = _percent(raw.get("percent"), f"tiers.{i}.percent", errors)
            if start is not None and rate is not None:
                if parsed and start <= parsed[-1].from_months:
                    _add(
                        errors,
                        f"tiers.{i}.from_months",
                        "Thresholds must increase from one tier to the next.",
                    )
                parsed.append(TenureTier(start, rate))
        if parsed and parsed[0].from_months != 0 and "tiers.0.from_months" not in errors:
            _add(errors, "tiers.0.from_months", "The first tier must start at 0 months.")
    if errors:
        raise TenureScheduleError(errors)
    return TenureSchedule(
        tiers=tuple(parsed),
        stacking=rule,  # type: ignore[arg-type]
        max_total_percent=cap,  # type: ignore[arg-type]
        grace_days=grace,  # type: ignore[arg-type]
        renewal_uplift_percent=uplift,  # type: ignore[arg-type]
    )
