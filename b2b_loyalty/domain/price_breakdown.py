"""Price one order through a volume discount schedule, line by line.

The order occupies the volume range ``[prior_volume, prior_volume + volume)``:
``prior_volume`` is what the client already bought in the schedule's period
(0 for a per-order schedule) and ``volume`` is this order's units (quantity
basis) or list money value (amount basis).

* incremental: each tier's rate applies only to the part of the order inside
  that tier; one line per tier touched.
* all_units: the tier containing ``prior_volume + volume`` sets one rate for the
  whole order; one line.

Each line's list value and discount are rounded once with ``round_money``; net is
list − discount; totals are sums of rounded lines, so the breakdown adds up to the
cent. The result also carries the inputs that position it (basis, mode, prior
volume) so it explains itself on a quote.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from b2b_loyalty.domain.discount_schedule import (
    Basis,
    DiscountSchedule,
    Mode,
    ScheduleValidationError,
    Scope,
)
from b2b_loyalty.domain.money import (
    MAX_INPUT_NUMBER,
    MONEY_ROUNDING,
    TOO_LARGE,
    ZERO,
    to_decimal,
)
from b2b_loyalty.domain.ratios import PERCENT_QUANTUM

_HUNDRED = Decimal(100)
_ZERO_PERCENT = ZERO.quantize(PERCENT_QUANTUM)


@dataclass(slots=True)
class BreakdownLine:
    """The part of an order priced at one tier's rate.

    ``from_``/``to`` are the tier's bounds (``to`` None when open-ended), ``volume``
    the order's units or money inside the tier, ``percent`` the tier's rate in
    percent; ``list``, ``discount`` and ``net`` are money in the schedule currency.
    Read-only by convention: not ``frozen`` because a frozen dataclass costs
    about 2.5x more to build, and lines are built on every quote.
    """

    from_: Decimal
    to: Decimal | None
    volume: Decimal
    percent: Decimal
    list: Decimal
    discount: Decimal
    net: Decimal


@dataclass(frozen=True, slots=True)
class NextTierHint:
    """How much more volume reaches the next tier, and that tier's rate (percent).

    ``volume_needed`` and ``from_`` are in the schedule's volume unit (units or
    money); ``percent`` is in percent.
    """

    volume_needed: Decimal
    percent: Decimal
    from_: Decimal


@dataclass(slots=True)
class PriceBreakdown:
    """A priced order: its lines, totals, effective rate and the next-tier hint.

    Money fields are in ``currency``; ``volume`` and ``prior_volume`` are in units
    (quantity basis) or money (amount basis); ``effective_percent`` is
    ``discount_total ÷ list_total × 100`` rounded to 0.01 (0 when list is 0);
    ``next_tier`` is None in the last tier. Read-only by convention (not frozen,
    for speed, like ``BreakdownLine``).
    """

    basis: Basis
    mode: Mode
    scope: Scope
    currency: str
    prior_volume: Decimal
    volume: Decimal
    unit_price: Decimal | None
    lines: tuple[BreakdownLine, ...]
    list_total: Decimal
    discount_total: Decimal
    net_total: Decimal
    effective_percent: Decimal
    next_tier: NextTierHint | None

    @property
    def total_volume(self) -> Decimal:
        """``prior_volume + volume``: where the client stands after this order."""
        return self.prior_volume + self.volume


def price_breakdown(
    schedule: DiscountSchedule,
    *,
    quantity: Decimal | int | str | None = None,
    amount: Decimal | int | str | None = None,
    unit_price: Decimal | int | str | None = None,
    prior_volume: Decimal | int | str = ZERO,
) -> PriceBreakdown:
    """Price one order through ``schedule``.

    Quantity basis: pass ``quantity`` (units) and ``unit_price`` (money per unit);
    a line's list value = units in the tier × unit_price.
    Amount basis: pass ``amount`` (list money value; if omitted it is
    ``quantity × unit_price``); a line's list value = the money inside the tier.
    Per line: list = round_money(list value), discount = round_money(list value ×
    percent ÷ 100), net = list − discount; totals are sums of the lines.
    ``prior_volume`` (same unit as the volume) is the client's volume already
    bought in a cumulative schedule's period; it must be 0 for a per-order one.

    Raises ``ScheduleValidationError`` for missing, malformed or negative inputs.
    """
    # Fast path: valid Decimals, as callers normally pass them, need no parsing.
    # is_finite() comes before >= because ordering a NaN raises.
    by_quantity = schedule.basis is Basis.QUANTITY
    volume = quantity if by_quantity else amount
    prior = prior_volume
    # Every input stays below MAX_INPUT_NUMBER (a trillion), as parsed text must: then
    # no product or sum below outgrows Decimal's 28 digits (1e309 once broke a quote).
    if (
        type(volume) is Decimal
        and type(prior) is Decimal
        and volume.is_finite()
        and ZERO <= volume < MAX_INPUT_NUMBER
        and prior.is_finite()
        and ZERO <= prior < MAX_INPUT_NUMBER
        and (not prior or schedule.scope is not Scope.PER_ORDER)
        and (
            (
                type(unit_price) is Decimal
                and unit_price.is_finite()
                and ZERO <= unit_price < MAX_INPUT_NUMBER
            )
            or (unit_price is None and not by_quantity)
        )
    ):
        price = unit_price
    else:
        volume, price, prior = _checked_inputs(schedule, quantity, amount, unit_price, prior_volume)
    factor = price if by_quantity else None  # a money slice is its own list value

    end = prior + volume
    if not volume:
        lines: tuple[BreakdownLine, ...] = ()
        list_total = discount_total = ZERO
    elif schedule.mode is Mode.INCREMENTAL:
        lines, list_total, discount_total = _incremental_lines(schedule, prior, end, factor)
    else:
        lines, list_total, discount_total = _all_units_line(schedule, volume, end, factor)

    if list_total:
        # ratios.quantize_percent's rule (0.01, ROUND_HALF_UP), inlined on the hot path.
        effective = (discount_total * _HUNDRED / list_total).quantize(
            PERCENT_QUANTUM, ROUND_HALF_UP
        )
    else:
        effective = _ZERO_PERCENT
    return PriceBreakdown(
        schedule.basis,
        schedule.mode,
        schedule.scope,
        schedule.currency,
        prior,
        volume,
        price,
        lines,
        list_total,
        discount_total,
        list_total - discount_total,
        effective,
        _next_tier(schedule, end),
    )


def _checked_inputs(
    schedule: DiscountSchedule,
    quantity: object,
    amount: object,
    unit_price: object,
    prior_volume: object,
) -> tuple[Decimal, Decimal | None, Decimal]:
    """Parse and check an order's inputs: ``(volume, unit_price, prior_volume)``.

    Raises ``ScheduleValidationError`` with every problem keyed by argument name.
    """
    errors: dict[str, list[str]] = {}
    price = _optional_number(unit_price, "unit_price", errors)
    prior = _optional_number(prior_volume, "prior_volume", errors)
    if schedule.basis is Basis.QUANTITY:
        volume = _optional_number(quantity, "quantity", errors)
        if volume is None and "quantity" not in errors:
            errors["quantity"] = ["is required for a quantity-based schedule"]
        if price is None and "unit_price" not in errors:
            errors["unit_price"] = ["is required for a quantity-based schedule"]
    else:
        volume = _optional_number(amount, "amount", errors)
        if volume is None and "amount" not in errors:
            qty = _optional_number(quantity, "quantity", errors)
            if qty is not None and price is not None:
                # The order's list value is what positions it in money tiers.
                volume = qty * price
            elif "quantity" not in errors:
                errors["amount"] = [
                    "is required for an amount-based schedule (or quantity and unit_price)"
                ]
    if prior is None:
        prior = ZERO
    elif prior and schedule.scope is Scope.PER_ORDER:
        errors.setdefault("prior_volume", []).append(
            "must be 0 for a per-order schedule: earlier orders do not count"
        )
    if errors:
        raise ScheduleValidationError(errors)
    assert volume is not None
    return volume, price, prior


def _optional_number(value: object, path: str, errors: dict[str, list[str]]) -> Decimal | None:
    """Parse an optional non-negative number, recording a readable error."""
    if value is None:
        return None
    if type(value) is Decimal:
        # Fast path for what callers normally pass; is_finite before comparing,
        # because comparing NaN raises.
        if value.is_finite() and ZERO <= value < MAX_INPUT_NUMBER:
            return value
        if not value.is_finite():
            errors.setdefault(path, []).append(f"{value!r} is not a finite number")
            return None
        if value >= MAX_INPUT_NUMBER:
            errors.setdefault(path, []).append(TOO_LARGE)
            return None
    else:
        try:
            value = to_decimal(value)
        except ValueError as exc:
            errors.setdefault(path, []).append(str(exc))
            return None
    if value < ZERO:
        errors.setdefault(path, []).append(f"must not be negative (got {value})")
        return None
    return value


# The two line builders below apply round_money's rule (ROUND_HALF_UP to the
# currency's minor unit) with the quantum the schedule looked up once through
# money.minor_unit_exponent: calling round_money per line would look it up
# again every time, which is most of a quote's cost. A test checks every line
# against round_money itself.


def _incremental_lines(
    schedule: DiscountSchedule, prior: Decimal, end: Decimal, factor: Decimal | None
) -> tuple[tuple[BreakdownLine, ...], Decimal, Decimal]:
    """Split ``[prior, end)`` at the tier bounds; one line per slice, plus totals."""
    quantum = schedule.quantum
    bounds = schedule.bounds
    uppers = schedule.uppers
    rates = schedule.rates
    percents = schedule.percents
    # bisect inline rather than schedule.tier_index_at: this is the hot path.
    index = bisect_right(bounds, prior) - 1
    start = prior
    lines = []
    list_total = discount_total = ZERO
    while True:
        upper = uppers[index]
        top = end if upper is None or end <= upper else upper
        volume = top - start
        raw = volume if factor is None else volume * factor
        list_value = raw.quantize(quantum, MONEY_ROUNDING)
        # The discount comes from the unrounded list value, rounded once, so
        # rounding never compounds.
        discount = (raw * rates[index]).quantize(quantum, MONEY_ROUNDING)
        lines.append(
            BreakdownLine(
                bounds[index],
                upper,
                volume,
                percents[index],
                list_value,
                discount,
                list_value - discount,
            )
        )
        list_total += list_value
        discount_total += discount
        if top == end:
            return tuple(lines), list_total, discount_total
        start = top
        index += 1


def _all_units_line(
    schedule: DiscountSchedule, volume: Decimal, end: Decimal, factor: Decimal | None
) -> tuple[tuple[BreakdownLine, ...], Decimal, Decimal]:
    """The tier containing ``end`` (prior + order) prices the whole order: one line."""
    quantum = schedule.quantum
    index = bisect_right(schedule.bounds, end) - 1
    raw = volume if factor is None else volume * factor
    list_value = raw.quantize(quantum, MONEY_ROUNDING)
    discount = (raw * schedule.rates[index]).quantize(quantum, MONEY_ROUNDING)
    line = BreakdownLine(
        schedule.bounds[index],
        schedule.uppers[index],
        volume,
        schedule.percents[index],
        list_value,
        discount,
        list_value - discount,
    )
    return (line,), list_value, discount


def _next_tier(schedule: DiscountSchedule, position: Decimal) -> NextTierHint | None:
    """The tier after the one containing ``position``; None in the last tier."""
    bounds = schedule.bounds
    index = bisect_right(bounds, position)  # the tier after the one containing position
    if index == len(bounds):
        return None
    start = bounds[index]
    return NextTierHint(start - position, schedule.percents[index], start)
