"""Contract terms and the rules every contract must keep, whoever writes it.

A contract runs from ``start_date`` to ``end_date`` inclusive for
``term_months`` calendar months; either end or term may be left out and is
derived from the other (end = start + term − 1 day). Statuses:

- ``draft``: not signed; never counts for tenure;
- ``active``: signed and running (or about to start);
- ``expired``: ran its full term;
- ``terminated``: ended early; its end date is the last day of cover.

Two *active* contracts of one account may not overlap: the account's cover
must be a sequence of consecutive contracts, not two prices at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from b2b_loyalty.domain.periods import FIRST_YEAR, LAST_YEAR
from plugins.tenure_pricing.domain.calendar_months import add_months, full_months_between

HUNDRED = Decimal(100)
MAX_TERM_MONTHS = 240


class ContractStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    EXPIRED = "expired"
    TERMINATED = "terminated"


# Signed contracts: the periods that count as cover for tenure.
SIGNED = frozenset({ContractStatus.ACTIVE, ContractStatus.EXPIRED, ContractStatus.TERMINATED})


@dataclass(frozen=True, slots=True)
class ContractTerms:
    """What is checked before a contract is saved (money in the base currency)."""

    number: str | None
    start_date: date | None
    end_date: date | None
    term_months: int | None
    status: str | None
    annual_value: Decimal | None
    list_annual_value: Decimal | None = None
    membership_fee: Decimal | None = None
    membership_discount_percent: Decimal | None = None


@dataclass(frozen=True, slots=True)
class OtherContract:
    """Another contract of the same account, for the overlap rule."""

    number: str
    start_date: date
    end_date: date
    status: str


def end_from_term(start: date, term_months: int) -> date:
    """Last day of a term of ``term_months`` months starting on ``start``."""
    return add_months(start, term_months) - timedelta(days=1)


def term_from_dates(start: date, end: date) -> int:
    """Whole months from ``start`` to the day after ``end`` (at least 1)."""
    return max(1, full_months_between(start, end + timedelta(days=1)))


def completed_terms(terms: ContractTerms) -> ContractTerms:
    """Fill in an end date or a term left out, from the other one."""
    start, end, months = terms.start_date, terms.end_date, terms.term_months
    # Only from a start and a term that contract_errors accepts: others could leave the calendar.
    if (
        start is not None
        and _in_calendar(start)
        and end is None
        and months
        and 1 <= months <= MAX_TERM_MONTHS
    ):
        end = end_from_term(start, months)
    if start is not None and end is not None and end >= start and not months:
        months = term_from_dates(start, end)
    return ContractTerms(
        number=terms.number,
        start_date=start,
        end_date=end,
        term_months=months,
        status=terms.status,
        annual_value=terms.annual_value,
        list_annual_value=terms.list_annual_value,
        membership_fee=terms.membership_fee,
        membership_discount_percent=terms.membership_discount_percent,
    )


def _in_calendar(day: date) -> bool:
    """Far-off years are typing mistakes (and a term added to them could leave the calendar)."""
    return FIRST_YEAR <= day.year <= LAST_YEAR


def _money_not_negative(
    value: Decimal | None, field: str, label: str, errors: dict[str, list[str]]
) -> None:
    if value is not None and value < 0:
        errors.setdefault(field, []).append(f"{label} cannot be negative.")


def contract_errors(terms: ContractTerms, others: Iterable[OtherContract]) -> dict[str, list[str]]:
    """Every broken rule of ``terms`` (already completed), keyed by field name."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not (terms.number or "").strip():
        add("number", "Give the contract number.")
    if terms.start_date is None:
        add("start_date", "Give the start date.")
    if terms.end_date is None and not terms.term_months:
        add("end_date", "Give the end date or the term in months.")
    if terms.term_months is not None and not 1 <= terms.term_months <= MAX_TERM_MONTHS:
        add("term_months", f"A term runs from 1 to {MAX_TERM_MONTHS} months.")
    for field, day in (("start_date", terms.start_date), ("end_date", terms.end_date)):
        if day is not None and not _in_calendar(day):
            add(field, f"Give a date between {FIRST_YEAR} and {LAST_YEAR}.")
    if terms.start_date and terms.end_date and terms.end_date < terms.start_date:
        add("end_date", "The contract cannot end before it starts.")
    try:
        status = ContractStatus(terms.status or "")
    except ValueError:
        status = None
        add("status", "Choose draft, active, expired or terminated.")
    if terms.annual_value is None:
        add("annual_value", "Give the annual committed value (0 if none).")
    _money_not_negative(terms.annual_value, "annual_value", "The annual value", errors)
    _money_not_negative(terms.list_annual_value, "list_annual_value", "A list value", errors)
    _money_not_negative(terms.membership_fee, "membership_fee", "A fee", errors)
    percent = terms.membership_discount_percent
    if percent is not None and not 0 <= percent <= HUNDRED:
        add("membership_discount_percent", "A percent runs from 0 to 100.")
    if terms.membership_fee and terms.membership_fee > 0 and not percent:
        add("membership_discount_percent", "Give the discount the membership fee buys.")
    if (
        status is ContractStatus.ACTIVE
        and terms.start_date
        and terms.end_date
        and terms.end_date >= terms.start_date
    ):
        for other in others:
            if (
                other.status == ContractStatus.ACTIVE.value
                and other.start_date <= terms.end_date
                and other.end_date >= terms.start_date
            ):
                add(
                    "start_date",
                    f"Overlaps the active contract {other.number} "
                    f"({other.start_date.isoformat()} – {other.end_date.isoformat()}); "
                    "an account has one active contract at a time.",
                )
    return errors
