"""Segments by value to the company: VIP, current, difficult — by the company's own rules.

DOMAIN.md: VIP clients buy often and much (individual terms, first to hear of
offers); current clients are regular but drift in and out; difficult clients
bring decent revenue with many problems and need an individual approach. The
rules are the company's own (purchase count or amount over a period), so an
admin sets them in :class:`SegmentRules`; figures are over the trailing 12
months.

Precedence, first match wins:

1. **manual override** — the account manager knows things the figures do not
   (a merger under way, a strategic logo); the reason says it was overridden
   and what the rules would have said, so the override stays visible.
2. **difficult** — before VIP on purpose: a big client with many complaints
   must be handled as a problem first, and a VIP label would hide that. The
   reason still mentions that the VIP rule is met.
3. **VIP** — trailing-12-month revenue ≥ threshold OR order count ≥ threshold.
4. **current** — ordered at least ``current_min_orders_12m`` times (default 1).
5. **none** — no (or too few) orders in 12 months: not a client we work
   actively; the lifecycle stage (prospect, lost) says more.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from functools import cached_property

from b2b_loyalty.domain.money import round_money


class Segment(StrEnum):
    VIP = "vip"
    CURRENT = "current"
    DIFFICULT = "difficult"
    NONE = "none"

    @property
    def label(self) -> str:
        return "VIP" if self is Segment.VIP else self.value


# The members as plain names for the rule that runs once per account of a report: on
# Python 3.11 reading ``Segment.VIP`` goes through the enum's metaclass.
_VIP, _CURRENT, _DIFFICULT, _NONE = Segment.VIP, Segment.CURRENT, Segment.DIFFICULT, Segment.NONE


class SegmentSource(StrEnum):
    RULE = "rule"
    MANUAL_OVERRIDE = "manual override"


@dataclass(frozen=True)
class SegmentRules:
    """Thresholds an admin sets; ``None`` switches that rule off."""

    vip_min_revenue_12m: Decimal | None = None
    vip_min_orders_12m: int | None = None
    difficult_min_complaints: int | None = None
    current_min_orders_12m: int = 1
    currency: str = "EUR"

    def __post_init__(self) -> None:
        if self.vip_min_revenue_12m is not None and self.vip_min_revenue_12m <= 0:
            raise ValueError(
                "the VIP revenue threshold must be positive, or empty to switch the rule off"
            )
        for name in ("vip_min_orders_12m", "difficult_min_complaints"):
            threshold = getattr(self, name)
            if threshold is not None and threshold < 1:
                raise ValueError(f"{name} must be at least 1, or empty to switch the rule off")
        if self.current_min_orders_12m < 1:
            raise ValueError("current_min_orders_12m must be at least 1")


# Not frozen, and not to be changed: one per account of a report (see the package doc).
@dataclass
class AccountFigures:
    """What the rules look at, over the trailing 12 months up to the as-of date."""

    revenue_12m: Decimal
    orders_12m: int
    complaints_12m: int = 0
    flagged_difficult: bool = False  # set by hand by the account manager


@dataclass(frozen=True)
class SegmentOverride:
    segment: Segment
    reason: str
    set_by: str | None = None


# Not frozen, and not to be changed: one per account of a report (see the package doc).
@dataclass
class SegmentAssignment:
    segment: Segment
    figures: AccountFigures = field(repr=False)
    rules: SegmentRules = field(repr=False)
    source: SegmentSource = SegmentSource.RULE
    rule_segment: Segment | None = None  # what the rules give, when overridden
    override: SegmentOverride | None = None

    @cached_property
    def reason(self) -> str:
        """A readable sentence saying why. Written when read: the dashboard segments
        every account and shows the reasons of a few."""
        by_rules = _rule_reason(self.rule_segment or self.segment, self.figures, self.rules)
        if self.override is None:
            return by_rules
        override = self.override
        who = f" by {override.set_by}" if override.set_by else ""
        rule_segment = self.rule_segment or self.segment
        return (
            f"manual override to {override.segment.label}{who}: {override.reason.strip()} "
            f"(rules would give {rule_segment.label}: {by_rules})"
        )


def trailing_12_months(as_of: date) -> tuple[date, date]:
    """The inclusive window (start, end) of the 12 months ending on ``as_of``.

    Start is the day after the same date a year earlier (29 Feb → 1 Mar), so
    the window holds 365 or 366 days and no date is counted in two windows.
    """
    try:
        year_before = as_of.replace(year=as_of.year - 1)
    except ValueError:  # 29 February in a leap year
        year_before = as_of.replace(year=as_of.year - 1, day=28)
    return year_before + timedelta(days=1), as_of


def _money(amount: Decimal, currency: str) -> str:
    return f"{round_money(amount, currency):,}"


def _vip_reasons(figures: AccountFigures, rules: SegmentRules, *, text: bool = True) -> list[str]:
    """The VIP rules the figures meet; ``text=False`` gives only whether (cheap)."""
    reasons = []
    if rules.vip_min_revenue_12m is not None and figures.revenue_12m >= rules.vip_min_revenue_12m:
        reasons.append(
            f"trailing 12-month revenue {_money(figures.revenue_12m, rules.currency)} ≥ VIP threshold "
            f"{_money(rules.vip_min_revenue_12m, rules.currency)}"
            if text
            else "revenue"
        )
    if rules.vip_min_orders_12m is not None and figures.orders_12m >= rules.vip_min_orders_12m:
        reasons.append(
            f"{figures.orders_12m} orders in 12 months ≥ VIP threshold {rules.vip_min_orders_12m}"
            if text
            else "orders"
        )
    return reasons


def _difficult_reasons(
    figures: AccountFigures, rules: SegmentRules, *, text: bool = True
) -> list[str]:
    """The difficult rules the figures meet; ``text=False`` gives only whether (cheap)."""
    reasons = []
    if figures.flagged_difficult:
        reasons.append("flagged difficult by hand")
    if (
        rules.difficult_min_complaints is not None
        and figures.complaints_12m >= rules.difficult_min_complaints
    ):
        reasons.append(
            f"{figures.complaints_12m} complaints in 12 months ≥ difficult threshold {rules.difficult_min_complaints}"
            if text
            else "complaints"
        )
    return reasons


def _rule_segment(figures: AccountFigures, rules: SegmentRules) -> Segment:
    """The segment the rules give (precedence in the module docstring)."""
    if (figures.flagged_difficult or figures.complaints_12m) and _difficult_reasons(
        figures, rules, text=False
    ):
        return _DIFFICULT
    if _vip_reasons(figures, rules, text=False):
        return _VIP
    if figures.orders_12m >= rules.current_min_orders_12m:
        return _CURRENT
    return _NONE


def _rule_reason(segment: Segment, figures: AccountFigures, rules: SegmentRules) -> str:
    """Why the rules give ``segment`` (the one :func:`_rule_segment` chose)."""
    if segment is Segment.DIFFICULT:
        reason = " and ".join(_difficult_reasons(figures, rules))
        vip = _vip_reasons(figures, rules)
        if vip:
            reason += f" (also meets the VIP rule: {' and '.join(vip)})"
        return reason
    if segment is Segment.VIP:
        return " and ".join(_vip_reasons(figures, rules))
    if segment is Segment.CURRENT:
        return (
            f"{figures.orders_12m} orders and revenue {_money(figures.revenue_12m, rules.currency)} "
            "in 12 months, below the VIP thresholds"
        )
    return (
        f"{figures.orders_12m} orders in 12 months, fewer than the {rules.current_min_orders_12m} "
        "needed for the current segment"
    )


def assign_segment(
    figures: AccountFigures, rules: SegmentRules, override: SegmentOverride | None = None
) -> SegmentAssignment:
    """The account's segment and a sentence saying why.

    Rules (precedence in the module docstring): difficult = flagged by hand OR
    complaints ≥ ``difficult_min_complaints``; VIP = revenue ≥
    ``vip_min_revenue_12m`` (money, ``rules.currency``) OR orders ≥
    ``vip_min_orders_12m``; current = orders ≥ ``current_min_orders_12m``;
    otherwise none. A manual override wins; its reason quotes the override's
    own reason and what the rules would have given. Raises ``ValueError`` for
    negative figures or an override without a reason.
    """
    by_rules = _rule_segment(_checked(figures), rules)
    if override is None:
        return SegmentAssignment(by_rules, figures, rules)
    return SegmentAssignment(
        override.segment,
        figures,
        rules,
        source=SegmentSource.MANUAL_OVERRIDE,
        rule_segment=by_rules,
        override=_checked_override(override),
    )


def segment_of(
    figures: AccountFigures, rules: SegmentRules, override: SegmentOverride | None = None
) -> Segment:
    """Only ``assign_segment(...).segment`` (same rule, same checks), without the
    assignment that explains it: for lists of thousands of accounts that count
    segments and explain a few."""
    if override is None:
        return _rule_segment(_checked(figures), rules)
    _checked(figures)
    return _checked_override(override).segment


def _checked(figures: AccountFigures) -> AccountFigures:
    if figures.orders_12m < 0 or figures.complaints_12m < 0:
        raise ValueError("order and complaint counts cannot be negative")
    return figures


def _checked_override(override: SegmentOverride) -> SegmentOverride:
    if not override.reason.strip():
        raise ValueError("a manual segment override needs a reason")
    return override
