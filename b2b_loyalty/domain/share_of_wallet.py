"""Share of wallet: how much of a client's spend on what we sell comes to us.

DOMAIN.md: share of wallet = our revenue from the client ÷ the client's total
spend on this category. The client's spend is never known exactly; it is a
*wallet estimate* an account manager enters, per product category or for all
categories at once. So:

* a category without an estimate has status ``unknown`` and value ``None`` —
  never 0 %, which would read as "we sell them nothing";
* the account total divides by the all-category estimate when one is given;
  otherwise it sums only the categories that have an estimate, on both sides of
  the fraction, so revenue in un-estimated categories cannot inflate the share;
* an estimate below our actual revenue is kept, not clipped: the share goes
  over 100 %, headroom goes negative and ``estimate_exceeded`` is set, because
  that is the signal that the estimate needs revisiting.

Money in, money out: revenue and estimates are ``Decimal`` in one currency;
headroom is rounded with :func:`round_money`; shares are percentages (0.01).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from b2b_loyalty.domain.money import ZERO, round_money
from b2b_loyalty.domain.ratios import change_in_points, percent

SHARE_FORMULA = "our net revenue ÷ wallet estimate × 100"
HEADROOM_FORMULA = "wallet estimate − our net revenue"


class WalletStatus(StrEnum):
    KNOWN = "known"
    UNKNOWN = "unknown"


class WalletBasis(StrEnum):
    """Which estimate the account total was divided by."""

    ALL_CATEGORY_ESTIMATE = "all-category estimate"
    SUM_OF_CATEGORY_ESTIMATES = "sum of the categories with an estimate"
    NO_ESTIMATE = "no estimate"


@dataclass(frozen=True)
class CategoryShare:
    """Share of wallet in one product category, with what it was computed from."""

    category: str
    our_revenue: Decimal
    wallet_estimate: Decimal | None
    value: Decimal | None  # percent, 0.01; None when status is unknown
    headroom: Decimal | None  # money; negative when the estimate is exceeded
    status: WalletStatus
    estimate_exceeded: bool
    note: str
    formula: str = SHARE_FORMULA


@dataclass(frozen=True)
class AccountShareOfWallet:
    """Share of wallet of one account in one period, total and per category.

    ``our_revenue`` and ``wallet_estimate`` are the two sides of the total's
    fraction (so ``value == our_revenue ÷ wallet_estimate × 100``);
    ``revenue_without_estimate`` is revenue left out of the total because its
    category has no estimate (always 0 with an all-category estimate).
    """

    account_id: Hashable
    period_start: date
    value: Decimal | None
    our_revenue: Decimal
    wallet_estimate: Decimal | None
    headroom: Decimal | None
    status: WalletStatus
    estimate_exceeded: bool
    basis: WalletBasis
    revenue_without_estimate: Decimal
    categories: tuple[CategoryShare, ...]
    note: str
    formula: str = SHARE_FORMULA

    @property
    def categories_exceeding_estimate(self) -> tuple[str, ...]:
        """Categories whose own estimate is below our revenue, even if the total is not."""
        return tuple(c.category for c in self.categories if c.estimate_exceeded)


@dataclass(frozen=True)
class ShareOfWalletTrendPoint:
    result: AccountShareOfWallet
    # Percentage points against the previous period; None for the first period
    # and whenever either period is unknown.
    change_points: Decimal | None


@dataclass(frozen=True)
class ShareOfWalletTrend:
    account_id: Hashable
    points: tuple[ShareOfWalletTrendPoint, ...]  # in period order, oldest first
    change_points_first_to_last: Decimal | None
    formula: str = "share this period − share previous period, in percentage points"


def _check_estimate(label: str, estimate: Decimal | None) -> None:
    # A negative spend cannot exist; it is a data-entry error that must surface
    # rather than turn into a negative share nobody can interpret.
    if estimate is not None and estimate < 0:
        raise ValueError(
            f"wallet estimate for {label} is negative ({estimate}); leave it empty when unknown"
        )


def _share(
    our_revenue: Decimal, estimate: Decimal | None, currency: str
) -> tuple[Decimal | None, Decimal | None, WalletStatus, bool, str]:
    """Value, headroom, status, exceeded flag and note for one fraction."""
    if estimate is None:
        return None, None, WalletStatus.UNKNOWN, False, "no wallet estimate"
    headroom = round_money(estimate - our_revenue, currency)
    exceeded = our_revenue > estimate
    if estimate == 0:
        # A zero estimate says "they spend nothing here"; the share is undefined,
        # but the headroom still tells how far our own revenue contradicts it.
        note = "wallet estimate is 0; share undefined"
        if exceeded:
            note += "; our revenue exceeds the estimate"
        return None, headroom, WalletStatus.UNKNOWN, exceeded, note
    value = percent(our_revenue, estimate)
    note = "our revenue exceeds the wallet estimate; revisit the estimate" if exceeded else ""
    return value, headroom, WalletStatus.KNOWN, exceeded, note


def category_share(
    category: str, our_revenue: Decimal, wallet_estimate: Decimal | None, currency: str = "EUR"
) -> CategoryShare:
    """Share of wallet in one category: ``our net revenue ÷ wallet estimate × 100``.

    Units: revenue and estimate in money of ``currency``; value in percent
    (0.01); headroom = estimate − revenue in money. No estimate, or an estimate
    of 0 → status ``unknown`` and value ``None``. Raises ``ValueError`` on a
    negative estimate.
    """
    _check_estimate(repr(category), wallet_estimate)
    value, headroom, status, exceeded, note = _share(our_revenue, wallet_estimate, currency)
    return CategoryShare(
        category=category,
        our_revenue=our_revenue,
        wallet_estimate=wallet_estimate,
        value=value,
        headroom=headroom,
        status=status,
        estimate_exceeded=exceeded,
        note=note,
    )


def share_of_wallet(
    account_id: Hashable,
    period_start: date,
    revenue_by_category: Mapping[str, Decimal],
    estimate_by_category: Mapping[str, Decimal | None] | None = None,
    all_category_estimate: Decimal | None = None,
    currency: str = "EUR",
) -> AccountShareOfWallet:
    """Share of wallet of an account in a period: ``our net revenue ÷ wallet estimate × 100``.

    Per category: the category's revenue ÷ its estimate. Account total:

    * with ``all_category_estimate``: all our revenue ÷ that estimate;
    * otherwise: revenue in the categories that have an estimate ÷ the sum of
      those estimates (a category with an estimate and no revenue counts as 0);
    * with neither: status ``unknown``, value ``None``.

    Units: money of ``currency`` in, percent (0.01) out; headroom (estimate −
    revenue) in money, negative with ``estimate_exceeded=True`` when our revenue
    is above the estimate. Categories are listed in name order.
    """
    estimates = dict(estimate_by_category or {})
    for category, estimate in estimates.items():
        _check_estimate(repr(category), estimate)
    _check_estimate("all categories", all_category_estimate)

    names = sorted(set(revenue_by_category) | set(estimates))
    categories = tuple(
        category_share(name, revenue_by_category.get(name, ZERO), estimates.get(name), currency)
        for name in names
    )
    total_revenue = sum((c.our_revenue for c in categories), ZERO)

    if all_category_estimate is not None:
        basis = WalletBasis.ALL_CATEGORY_ESTIMATE
        counted_revenue, estimate = total_revenue, all_category_estimate
    else:
        estimated = [c for c in categories if c.wallet_estimate is not None]
        if estimated:
            basis = WalletBasis.SUM_OF_CATEGORY_ESTIMATES
            counted_revenue = sum((c.our_revenue for c in estimated), ZERO)
            estimate = sum(
                (c.wallet_estimate for c in estimated if c.wallet_estimate is not None), ZERO
            )
        else:
            basis = WalletBasis.NO_ESTIMATE
            counted_revenue, estimate = ZERO, None

    value, headroom, status, exceeded, note = _share(counted_revenue, estimate, currency)
    left_out = total_revenue - counted_revenue
    if basis is WalletBasis.NO_ESTIMATE:
        note = "no wallet estimate for any category"
    elif left_out != 0:
        skipped = ", ".join(c.category for c in categories if c.wallet_estimate is None)
        extra = f"revenue {round_money(left_out, currency)} in categories without an estimate ({skipped}) is not counted"
        note = f"{note}; {extra}" if note else extra

    return AccountShareOfWallet(
        account_id=account_id,
        period_start=period_start,
        value=value,
        our_revenue=counted_revenue,
        wallet_estimate=estimate,
        headroom=headroom,
        status=status,
        estimate_exceeded=exceeded,
        basis=basis,
        revenue_without_estimate=left_out,
        categories=categories,
        note=note,
    )


def share_value(
    revenue_by_category: Mapping[str, Decimal],
    estimate_by_category: Mapping[str, Decimal | None] | None = None,
    all_category_estimate: Decimal | None = None,
) -> Decimal | None:
    """Only ``share_of_wallet(...).value``: the same fraction without the breakdown.

    For lists of thousands of accounts that need the number (to rank, to compare
    two periods) and explain only the few they show; ``share_of_wallet`` gives the
    explanation. Equal by construction and by a property test.
    """
    estimates = estimate_by_category or {}
    for category, estimate in estimates.items():
        _check_estimate(repr(category), estimate)
    if all_category_estimate is not None:
        return share_of_total(sum(revenue_by_category.values(), ZERO), all_category_estimate)
    known = [name for name, value in estimates.items() if value is not None]
    if not known:
        return None
    counted = sum((revenue_by_category.get(name, ZERO) for name in known), ZERO)
    estimate = sum((estimates[name] for name in known), ZERO)
    return None if estimate == 0 else percent(counted, estimate)


def share_of_total(revenue: Decimal, all_category_estimate: Decimal) -> Decimal | None:
    """:func:`share_value` against an estimate for all categories (which wins over any
    per-category ones): ``revenue`` in every category ÷ the estimate × 100; ``None``
    when the estimate is 0. Raises ``ValueError`` on a negative estimate."""
    _check_estimate("all categories", all_category_estimate)
    if not all_category_estimate:
        return None
    return percent(revenue, all_category_estimate)


def share_of_wallet_trend(results: Sequence[AccountShareOfWallet]) -> ShareOfWalletTrend:
    """One account's share of wallet over periods, oldest first, with changes.

    ``change_points`` = share this period − share previous period, in
    percentage points (0.01); ``None`` for the first period or when either
    share is unknown (a change from "unknown" is not a change from 0).
    Raises ``ValueError`` when the results mix accounts or repeat a period.
    """
    if not results:
        raise ValueError("a share-of-wallet trend needs at least one period")
    accounts = {r.account_id for r in results}
    if len(accounts) > 1:
        raise ValueError(f"a trend is for one account; got {len(accounts)} accounts")
    ordered = sorted(results, key=lambda r: r.period_start)
    starts = [r.period_start for r in ordered]
    if len(set(starts)) != len(starts):
        raise ValueError("a trend cannot contain the same period twice")

    points = []
    previous: AccountShareOfWallet | None = None
    for result in ordered:
        change = None if previous is None else change_in_points(result.value, previous.value)
        points.append(ShareOfWalletTrendPoint(result=result, change_points=change))
        previous = result
    first_to_last = (
        None if len(ordered) < 2 else change_in_points(ordered[-1].value, ordered[0].value)
    )
    return ShareOfWalletTrend(
        account_id=ordered[0].account_id,
        points=tuple(points),
        change_points_first_to_last=first_to_last,
    )
