"""Price cliffs of all-units schedules: volumes where buying more costs less.

Under an all-units schedule, crossing a threshold ``T`` whose rate ``p_T`` beats
the previous tier's ``p_prev`` cuts the price of *every* unit, so the total
drops at ``T``. A buyer of ``v < T`` then pays more than a buyer of ``T`` when
``v × (1 − p_prev) > T × (1 − p_T)``, i.e. for ``v`` from
``T × (1 − p_T) / (1 − p_prev)`` up to ``T`` (exclusive). Sales should see these
ranges: a client ordering inside one should be told to order ``T`` instead.

Incremental schedules have no cliffs: each tier's rate applies only to the
volume inside it, so the total never decreases as volume grows.

Volumes are discrete: whole units (quantity basis) or minor currency units
(amount basis). Totals are the net totals ``price_breakdown`` charges, rounding
included, so every reported cliff is one a quote would show.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from b2b_loyalty.domain.discount_schedule import (
    Basis,
    DiscountSchedule,
    Mode,
    ScheduleValidationError,
)
from b2b_loyalty.domain.money import ZERO, to_decimal
from b2b_loyalty.domain.price_breakdown import price_breakdown

_ONE = Decimal(1)


@dataclass(frozen=True, slots=True)
class PriceCliff:
    """A range of volumes that cost more in total than buying ``threshold``.

    Every volume ``v`` with ``cliff_starts_at ≤ v < threshold`` (whole units for
    quantity basis, minor currency units for amount basis) has a net total above
    ``total_at_threshold`` (money: the net total of buying at the threshold).
    ``percent_before`` is the rate just below the threshold, ``percent_at`` the
    rate from it on (both in percent).
    """

    threshold: Decimal
    percent_before: Decimal
    percent_at: Decimal
    cliff_starts_at: Decimal
    total_at_threshold: Decimal


def find_price_cliffs(
    schedule: DiscountSchedule, unit_price: Decimal | int | str | None = None
) -> list[PriceCliff]:
    """All price cliffs of an all-units ``schedule``, lowest threshold first.

    For each tier start ``T`` whose total (``T × unit_price × (1 − p_T)``, money,
    rounded as quoted) is below the total one step under ``T``, report the
    contiguous range of volumes below ``T`` that cost more than ``T``. Its start
    is first estimated exactly as ``T × (1 − p_T) / (1 − p_prev)`` and then
    settled on the discrete volume grid with the rounded net totals.
    Quantity basis needs ``unit_price`` (money per unit); amount basis ignores it.
    Returns ``[]`` for incremental schedules.
    """
    if schedule.mode is Mode.INCREMENTAL:
        return []
    if schedule.basis is Basis.QUANTITY:
        if unit_price is None:
            raise ScheduleValidationError(
                {"unit_price": ["is required to find cliffs of a quantity-based schedule"]}
            )
        try:
            price = to_decimal(unit_price)
        except ValueError as exc:
            raise ScheduleValidationError({"unit_price": [str(exc)]}) from None
        if price <= ZERO:
            raise ScheduleValidationError({"unit_price": [f"must be positive (got {price})"]})
        return _Finder(schedule, step=_ONE, price=price).cliffs()
    return _Finder(schedule, step=schedule.quantum, price=_ONE).cliffs()


class _Finder:
    """Cliff search over one schedule's discrete volume grid (multiples of ``step``)."""

    __slots__ = ("schedule", "step", "price", "_net_cache")

    def __init__(self, schedule: DiscountSchedule, *, step: Decimal, price: Decimal) -> None:
        self.schedule = schedule
        self.step = step
        self.price = price
        self._net_cache: dict[Decimal, Decimal] = {}

    def net(self, volume: Decimal) -> Decimal:
        """Net total of buying ``volume`` alone, exactly as a quote prices it."""
        cached = self._net_cache.get(volume)
        if cached is None:
            if self.schedule.basis is Basis.QUANTITY:
                quote = price_breakdown(self.schedule, quantity=volume, unit_price=self.price)
            else:
                quote = price_breakdown(self.schedule, amount=volume)
            cached = self._net_cache[volume] = quote.net_total
        return cached

    def grid_ceil(self, value: Decimal) -> Decimal:
        """Smallest grid volume ≥ ``value``: the first volume one can actually buy."""
        return value.quantize(self.step, rounding=ROUND_CEILING)

    def grid_floor(self, value: Decimal) -> Decimal:
        return value.quantize(self.step, rounding=ROUND_FLOOR)

    def cliffs(self) -> list[PriceCliff]:
        schedule = self.schedule
        found: list[PriceCliff] = []
        for index in range(1, len(schedule.bounds)):
            entry = self.grid_ceil(schedule.bounds[index])
            upper = schedule.uppers[index]
            if upper is not None and entry >= upper:
                continue  # no buyable volume falls in this tier
            below = entry - self.step
            at_total = self.net(entry)
            # A cliff exists only where the total drops: one step less costs more.
            # A volume that overpays compared with a threshold without a drop also
            # overpays compared with the cheapest later volume, and that one is
            # always a drop point, so it is reported there and none is missed.
            if self.net(below) <= at_total:
                continue
            found.append(
                PriceCliff(
                    threshold=schedule.bounds[index],
                    percent_before=schedule.tiers[schedule.tier_index_at(below)].percent,
                    percent_at=schedule.tiers[index].percent,
                    cliff_starts_at=self._run_start(below, at_total),
                    total_at_threshold=at_total,
                )
            )
        return found

    def _run_start(self, top: Decimal, total: Decimal) -> Decimal:
        """Lowest grid volume of the contiguous run ending at ``top`` whose nets exceed ``total``.

        Walks down tier by tier: inside tier ``j`` the net grows with volume, so
        the run's part in that tier starts just above the exact crossing point
        ``total / (price × (1 − p_j))``; if the whole tier is in the run, the run
        continues into the tier below.
        """
        schedule = self.schedule
        start = top
        while True:
            index = schedule.tier_index_at(start)
            low = self.grid_ceil(schedule.bounds[index])
            keep = _ONE - schedule.rates[index]
            if keep == ZERO:
                return start  # a free tier costs nothing: nothing in it exceeds total
            # Exact crossing, then settle on the grid with the rounded nets, so
            # a cent of rounding never puts a volume on the wrong side.
            candidate = max(low, min(start, self.grid_floor(total / (self.price * keep))))
            while candidate < start and self.net(candidate) <= total:
                candidate += self.step
            while candidate > low and self.net(candidate - self.step) > total:
                candidate -= self.step
            start = candidate
            if start != low or start == ZERO or self.net(start - self.step) <= total:
                return start
            start -= self.step  # the whole tier is in the run; go on below it
