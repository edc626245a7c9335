"""Lifecycle stage of an account as of a date, measured in its own purchase cycles.

DOMAIN.md: a client with no interaction for more than two purchase cycles is a
candidate *lost* (went to a competitor) or *closed* (ceased to exist) client
and must be looked at. Clients buy at very different rhythms, so silence is
measured against the account's own cycle, not a fixed number of days.

Purchase cycle = the median number of days between consecutive order days
(several orders on one day are one order day). The median, not the mean, so
one long gap or one rush order does not move the rhythm. Fewer than 3 order
days give at most one interval, too little to trust, so the cycle falls back
to the category's median, then to :data:`DEFAULT_PURCHASE_CYCLE_DAYS`.

Stages, first match wins (days counted up to the as-of date; later orders and
interactions are ignored):

1. closed — set by hand (the client ceased to exist);
2. prospect — no orders yet;
3. lost candidate — no order AND no interaction for more than 2 cycles;
4. at risk — no order for more than 1.5 cycles;
5. new — first order at most 1 cycle ago;
6. active — otherwise.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import cached_property
from itertools import pairwise

DEFAULT_PURCHASE_CYCLE_DAYS = Decimal(90)
MIN_ORDER_DAYS_FOR_OWN_CYCLE = 3
AT_RISK_CYCLES = Decimal("1.5")
LOST_CYCLES = Decimal(2)
NEW_CYCLES = Decimal(1)


class LifecycleStage(StrEnum):
    PROSPECT = "prospect"
    NEW = "new"
    ACTIVE = "active"
    AT_RISK = "at risk"
    LOST_CANDIDATE = "lost candidate"
    CLOSED = "closed"


class CycleSource(StrEnum):
    ACCOUNT = "account"
    CATEGORY = "category"
    DEFAULT = "default"


# The members as plain names for the rules that run once per account of a report: on
# Python 3.11 reading ``LifecycleStage.NEW`` goes through the enum's metaclass.
_PROSPECT, _NEW, _ACTIVE = LifecycleStage.PROSPECT, LifecycleStage.NEW, LifecycleStage.ACTIVE
_AT_RISK, _LOST_CANDIDATE = LifecycleStage.AT_RISK, LifecycleStage.LOST_CANDIDATE
_CLOSED = LifecycleStage.CLOSED
_FROM_ACCOUNT, _FROM_CATEGORY = CycleSource.ACCOUNT, CycleSource.CATEGORY
_FROM_DEFAULT = CycleSource.DEFAULT


# Not frozen, and not to be changed: one per account of a report (see the package doc).
@dataclass
class PurchaseCycle:
    days: Decimal  # median interval in days (may end in .5)
    source: CycleSource
    order_days: int  # distinct order days of the account it was computed for

    @property
    def explanation(self) -> str:
        """Where the cycle comes from; written when read, since lists of thousands of
        accounts use the days and show the sentence for a few."""
        count = self.order_days
        if self.source is CycleSource.ACCOUNT:
            return f"account median over {count - 1} intervals between {count} order days"
        count = min(count, MIN_ORDER_DAYS_FOR_OWN_CYCLE - 1)
        few = (
            f"account has {count} order day{'s' if count != 1 else ''}, "
            f"fewer than {MIN_ORDER_DAYS_FOR_OWN_CYCLE}"
        )
        if self.source is CycleSource.CATEGORY:
            return f"category median; {few}"
        return f"default; {few} and no category median is known"


@dataclass(frozen=True)
class CategoryCycle:
    days: Decimal | None  # None when no account had enough order days
    accounts_counted: int
    accounts_skipped: int
    formula: str = "median of the accounts' own median intervals between order days"


# Not frozen, and not to be changed: one per account of a report (see the package doc).
@dataclass
class LifecycleStatus:
    stage: LifecycleStage
    as_of: date
    cycle: PurchaseCycle
    first_order: date | None
    last_order: date | None
    days_since_last_order: int | None
    days_since_last_contact: int | None  # last interaction or order, whichever is later
    last_interaction: date | None = None  # up to as_of; later ones are ignored
    closed_note: str | None = None

    @cached_property
    def reason(self) -> str:
        """Why the account is at this stage, in days and cycles. Written when read: the
        dashboard classifies every account and shows the reasons of a few."""
        return _reason(self)


def _days(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _median(values: list[Decimal]) -> Decimal:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    # statistics.median would return a float for an even count; stay in Decimal.
    return (ordered[middle - 1] + ordered[middle]) / 2


def _order_days(order_dates: Iterable[date], as_of: date | None = None) -> list[date]:
    return sorted({d for d in order_dates if as_of is None or d <= as_of})


def median_interval_days(order_dates: Iterable[date]) -> Decimal | None:
    """Median days between consecutive distinct order days; None with fewer than 2 days."""
    days = _order_days(order_dates)
    return _account_median(days) if len(days) >= 2 else None


def _account_median(days: list[date]) -> Decimal:
    return _median([Decimal((b - a).days) for a, b in pairwise(days)])


def purchase_cycle(
    order_dates: Iterable[date],
    category_median_days: Decimal | int | None = None,
    default_days: Decimal | int = DEFAULT_PURCHASE_CYCLE_DAYS,
) -> PurchaseCycle:
    """The account's purchase cycle in days.

    Formula: median of the day counts between consecutive distinct order days
    when there are at least 3 order days; else ``category_median_days``; else
    ``default_days`` (90). Raises ``ValueError`` on a non-positive fallback.
    """
    fallback_days, fallback_source = _fallback_cycles(category_median_days, default_days)
    days = _order_days(order_dates)
    count = len(days)
    if count >= MIN_ORDER_DAYS_FOR_OWN_CYCLE:
        return PurchaseCycle(_account_median(days), CycleSource.ACCOUNT, count)
    return PurchaseCycle(fallback_days, fallback_source, count)


def category_median_cycle(
    order_dates_by_account: Mapping[Hashable, Iterable[date]],
    min_order_days: int = MIN_ORDER_DAYS_FOR_OWN_CYCLE,
) -> CategoryCycle:
    """A category's purchase cycle in days from many accounts' order dates.

    Formula: median over accounts of each account's own median interval
    between order days, counting only accounts with at least ``min_order_days``
    distinct order days. A median of medians gives every account one vote, so
    a single very frequent buyer cannot set the rhythm for everyone.
    ``days`` is ``None`` when no account qualifies.
    """
    if min_order_days < 2:
        raise ValueError("at least 2 order days are needed for one interval")
    medians = []
    skipped = 0
    for dates in order_dates_by_account.values():
        days = _order_days(dates)
        if len(days) >= min_order_days:
            medians.append(_account_median(days))
        else:
            skipped += 1
    return CategoryCycle(
        days=_median(medians) if medians else None,
        accounts_counted=len(medians),
        accounts_skipped=skipped,
    )


def lifecycle_stage(
    as_of: date,
    order_dates: Iterable[date],
    last_interaction: date | None = None,
    closed: bool = False,
    closed_note: str | None = None,
    category_median_days: Decimal | int | None = None,
    default_cycle_days: Decimal | int = DEFAULT_PURCHASE_CYCLE_DAYS,
) -> LifecycleStatus:
    """Lifecycle stage of an account on ``as_of``, with a reason in days and cycles.

    Thresholds in days: lost candidate when days since last order > 2 × cycle
    and days since last contact (latest of interaction and order) > 2 × cycle;
    at risk when days since last order > 1.5 × cycle; new when days since first
    order ≤ 1 × cycle. Orders and interactions after ``as_of`` are ignored so a
    past date can be replayed. ``closed`` wins over everything.
    """
    days = _order_days(order_dates, as_of)
    # The cycle uses only orders up to as_of, as the stage does.
    cycle = purchase_cycle(days, category_median_days, default_cycle_days)
    first = days[0] if days else None
    last = days[-1] if days else None
    return classify_lifecycle(as_of, first, last, cycle, last_interaction, closed, closed_note)


def needs_category_cycle(order_days: int, account_median_days: Decimal | None) -> bool:
    """Whether :func:`cycle_from_summary` falls back to the category's cycle."""
    return order_days < MIN_ORDER_DAYS_FOR_OWN_CYCLE or account_median_days is None


def orders_as_of(
    first_order: date | None, last_order: date | None, as_of: date
) -> tuple[date | None, date | None]:
    """An account's first and last order day as they stood on ``as_of``, from a summary
    kept for today (a past period replayed): a first order after ``as_of`` means no
    orders yet; a last order after it counts as ``as_of`` (the account had ordered by
    then, on a day the summary no longer tells)."""
    if first_order is None or first_order > as_of:
        return None, None
    if last_order is not None and last_order > as_of:
        return first_order, as_of
    return first_order, last_order


def cycle_from_summary(
    order_days: int,
    account_median_days: Decimal | None,
    category_median_days: Decimal | int | None = None,
    default_days: Decimal | int = DEFAULT_PURCHASE_CYCLE_DAYS,
) -> PurchaseCycle:
    """:func:`purchase_cycle` from a stored summary (order-day count and the account's
    median interval) instead of every order date; same rule, same explanation."""
    days, source = summary_cycle(
        order_days, account_median_days, category_median_days, default_days
    )
    return PurchaseCycle(days, source, order_days)


def summary_cycle(
    order_days: int,
    account_median_days: Decimal | None,
    category_median_days: Decimal | int | None = None,
    default_days: Decimal | int = DEFAULT_PURCHASE_CYCLE_DAYS,
) -> tuple[Decimal, CycleSource]:
    """The days and source of :func:`cycle_from_summary`'s cycle, without building it."""
    if not needs_category_cycle(order_days, account_median_days):
        return Decimal(account_median_days), _FROM_ACCOUNT
    # Fewer than 3 order days: the fallbacks of purchase_cycle.
    return _fallback_cycles(category_median_days, default_days)


def _fallback_cycles(
    category_median_days: Decimal | int | None, default_days: Decimal | int
) -> tuple[Decimal, CycleSource]:
    """The fallback of :func:`purchase_cycle` (validated as it validates them)."""
    for name, value in (("category median", category_median_days), ("default cycle", default_days)):
        if value is not None and value <= 0:
            raise ValueError(f"the {name} must be a positive number of days, got {value}")
    if category_median_days is not None:
        return Decimal(category_median_days), _FROM_CATEGORY
    return Decimal(default_days), _FROM_DEFAULT


def classify_lifecycle(
    as_of: date,
    first: date | None,
    last: date | None,
    cycle: PurchaseCycle,
    last_interaction: date | None = None,
    closed: bool = False,
    closed_note: str | None = None,
) -> LifecycleStatus:
    """The stage rule of :func:`lifecycle_stage`, from first/last order day and the cycle."""
    if last_interaction is not None and last_interaction > as_of:
        last_interaction = None
    stage, since_order, since_contact = stage_of(
        as_of, first, last, cycle.days, last_interaction, closed
    )
    return LifecycleStatus(
        stage,
        as_of,
        cycle,
        first,
        last,
        since_order,
        since_contact,
        last_interaction,
        closed_note if closed else None,
    )


def stage_of(
    as_of: date,
    first: date | None,
    last: date | None,
    cycle_days: Decimal,
    last_interaction: date | None = None,
    closed: bool = False,
) -> tuple[LifecycleStage, int | None, int | None]:
    """Only the stage of :func:`classify_lifecycle` (its rule, written here once), with
    the days since the last order and since the last contact it was decided on: for
    lists of thousands of accounts that count stages and explain a few."""
    if last_interaction is not None and last_interaction > as_of:
        last_interaction = None
    since_order = (as_of - last).days if last else None
    if last is None:
        latest_contact = last_interaction
    elif last_interaction is None or last >= last_interaction:
        latest_contact = last
    else:
        latest_contact = last_interaction
    since_contact = (as_of - latest_contact).days if latest_contact is not None else None
    if closed:
        stage = _CLOSED
    elif first is None or since_order is None:
        stage = _PROSPECT
    elif (
        since_order > (lost_limit := LOST_CYCLES * cycle_days)
        and since_contact is not None
        and since_contact > lost_limit
    ):
        stage = _LOST_CANDIDATE
    elif since_order > AT_RISK_CYCLES * cycle_days:
        stage = _AT_RISK
    elif (as_of - first).days <= NEW_CYCLES * cycle_days:
        stage = _NEW
    else:
        stage = _ACTIVE
    return stage, since_order, since_contact


def _reason(status: LifecycleStatus) -> str:
    """The sentence of :attr:`LifecycleStatus.reason` (the thresholds of the stage rule)."""
    cycle = status.cycle
    cycle_text = f"cycle {_days(cycle.days)} days ({cycle.explanation})"
    since_order, since_contact = status.days_since_last_order, status.days_since_last_contact
    stage = status.stage
    if stage is LifecycleStage.CLOSED:
        note = status.closed_note.strip() if status.closed_note else ""
        return f"closed by hand{': ' + note if note else ''}"
    if stage is LifecycleStage.PROSPECT:
        contact = (
            f"; last interaction {since_contact} days ago" if since_contact is not None else ""
        )
        return f"no orders yet{contact}"
    order_text = f"last order {since_order} days ago"
    lost_limit = LOST_CYCLES * cycle.days
    if stage is LifecycleStage.LOST_CANDIDATE:
        last_interaction, last = status.last_interaction, status.last_order
        if last_interaction is not None and last is not None and last_interaction > last:
            silence = f"{order_text}, last interaction {since_contact} days ago; both"
        else:
            silence = f"{order_text} and no interaction since;"
        return f"{silence} more than 2 cycles ({_days(lost_limit)} days); {cycle_text}"
    if stage is LifecycleStage.AT_RISK:
        extra = ""
        if since_order is not None and since_order > lost_limit:
            extra = f", but an interaction {since_contact} days ago keeps it from lost candidate"
        risk_limit = AT_RISK_CYCLES * cycle.days
        return f"{order_text}, more than 1.5 cycles ({_days(risk_limit)} days){extra}; {cycle_text}"
    if stage is LifecycleStage.NEW:
        since_first = (status.as_of - status.first_order).days if status.first_order else 0
        return f"first order {since_first} days ago, within one cycle; {order_text}; {cycle_text}"
    return f"{order_text}; {cycle_text}"
