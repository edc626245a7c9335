"""ABC (Pareto) analysis: which accounts bring most of the value.

DOMAIN.md: about 20 % of clients bring about 80 % of the profit, and finding
that 20 % needs the data. Accounts are ranked by a value over a period (net
revenue or gross profit, the caller chooses), largest first; ties are broken by
account id so the same data always gives the same ranking.

Boundary rule — an account takes the first class whose threshold the accounts
ranked *above* it have not yet reached:

* **A**: the cumulative share before it is < 80 %. The account whose value
  crosses 80 % is therefore A, and A is the smallest top-ranked set whose value
  is ≥ 80 % of the total.
* **B**: the cumulative share before it is < 95 % (the next 15 %; the account
  crossing 95 % is B).
* **C**: the rest, and always every account with zero or negative value.

Shares are of the *positive* total: loss-making accounts are C whatever their
size and do not shrink the base, otherwise one large loss would push the
cumulative share of the others above 100 %. Comparisons use exact Decimals;
the shares shown are rounded to 0.01.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from functools import cached_property

from b2b_loyalty.domain.money import ZERO
from b2b_loyalty.domain.ratios import HUNDRED, percent

DEFAULT_A_THRESHOLD = Decimal(80)
DEFAULT_B_THRESHOLD = Decimal(95)


class AbcClass(StrEnum):
    A = "A"
    B = "B"
    C = "C"


# The members as plain names for the rule that runs once per account of a report: on
# Python 3.11 reading ``AbcClass.A`` goes through the enum's metaclass.
_A, _B, _C = AbcClass.A, AbcClass.B, AbcClass.C


# Not frozen, and not to be changed: one per account of a report (see the package doc).
@dataclass
class ParetoEntry:
    account_id: Hashable
    rank: int  # 1 = largest value
    value: Decimal
    cumulative_value: Decimal  # Σ positive values down to this rank
    abc_class: AbcClass
    positive_total: Decimal  # of the whole analysis, the base of the shares

    # The shares are computed when read: a ranking of 10,000 accounts shows a few.
    @property
    def value_share(self) -> Decimal | None:
        """This account's % of the positive total; None if its value is not positive."""
        return percent(self.value, self.positive_total) if self.value > 0 else None

    @property
    def cumulative_share(self) -> Decimal | None:
        """% of the positive total down to this rank."""
        return percent(self.cumulative_value, self.positive_total)


@dataclass(frozen=True)
class ParetoAnalysis:
    """The ranked accounts plus the headline: what share of accounts makes 80 %.

    ``share_of_accounts_in_a`` = A accounts ÷ all accounts × 100 (every account
    in the input, including zero and negative ones); ``a_value_share`` is what
    those A accounts actually bring (≥ the A threshold, since the crossing
    account is included).
    """

    measure: str
    # (account, value) by rank, and each account's class; ``entries`` explains each
    # rank when read (a ranking of 10,000 accounts is mostly looked up by class).
    ranked: tuple[tuple[Hashable, Decimal], ...] = field(repr=False)
    classes: dict[Hashable, AbcClass] = field(repr=False, compare=False)
    accounts: int
    positive_total: Decimal
    a_threshold: Decimal
    b_threshold: Decimal
    a_accounts: int
    b_accounts: int
    c_accounts: int
    share_of_accounts_in_a: Decimal | None
    a_value_share: Decimal | None
    formula: str = (
        "rank by value descending; class = first of A (< 80 % before it), B (< 95 % before it), C; "
        "value ≤ 0 → C"
    )

    @cached_property
    def entries(self) -> tuple[ParetoEntry, ...]:
        """Each account by rank with its cumulative value and class."""
        entries = []
        cumulative = ZERO
        for rank, (account_id, value) in enumerate(self.ranked, start=1):
            if value > 0:
                cumulative += value
            entry = ParetoEntry(
                account_id, rank, value, cumulative, self.classes[account_id], self.positive_total
            )
            entries.append(entry)
        return tuple(entries)

    def by_account(self) -> dict[Hashable, ParetoEntry]:
        return {entry.account_id: entry for entry in self.entries}


def _tie_break_key(account_id: Hashable) -> tuple[int, int | str]:
    # Account ids may be ints or strings; numbers sort numerically and before
    # strings, so the order is total and does not depend on dict order.
    if isinstance(account_id, int) and not isinstance(account_id, bool):
        return (0, account_id)
    return (1, str(account_id))


def abc_class(
    value: Decimal,
    value_before: Decimal,
    positive_total: Decimal,
    a_threshold: Decimal = DEFAULT_A_THRESHOLD,
    b_threshold: Decimal = DEFAULT_B_THRESHOLD,
) -> AbcClass:
    """The class of one account from its value, the positive value of the accounts
    ranked above it (``value_before``) and the positive total: the boundary rule
    of this module, on its own so that one account's class can be found without
    ranking everyone in Python (the database sums ``value_before``)."""
    # before / total < threshold / 100, multiplied out to stay exact.
    if value <= 0:
        return _C
    if value_before * HUNDRED < a_threshold * positive_total:
        return _A
    if value_before * HUNDRED < b_threshold * positive_total:
        return _B
    return _C


def _check_thresholds(a_threshold: Decimal, b_threshold: Decimal) -> None:
    if not ZERO < a_threshold <= b_threshold <= HUNDRED:
        raise ValueError(f"thresholds must satisfy 0 < A ({a_threshold}) ≤ B ({b_threshold}) ≤ 100")


def _ranked(values: Mapping[Hashable, Decimal]) -> list[tuple[Hashable, Decimal]]:
    """(account, value) pairs by value descending, ties by account id ascending."""
    if all(type(k) is int for k in values):  # the usual case: no key function per item
        return sorted(values.items(), key=lambda item: (-item[1], item[0]))
    return sorted(values.items(), key=lambda item: (-item[1], _tie_break_key(item[0])))


def abc_classes(
    values: Mapping[Hashable, Decimal],
    a_threshold: Decimal = DEFAULT_A_THRESHOLD,
    b_threshold: Decimal = DEFAULT_B_THRESHOLD,
) -> dict[Hashable, AbcClass]:
    """Only the class of each account, by the ranking and rule of :func:`abc_analysis`
    (same arguments, same classes), without its entries and headline: for callers
    that look up one account's class in the whole company's ranking."""
    _check_thresholds(a_threshold, b_threshold)
    ranked = _ranked(values)
    return _classes(ranked, _positive_total(ranked), a_threshold, b_threshold)


def _positive_total(ranked: list[tuple[Hashable, Decimal]]) -> Decimal:
    return sum((v for _, v in ranked if v > 0), ZERO)


def _classes(
    ranked: list[tuple[Hashable, Decimal]],
    positive_total: Decimal,
    a_threshold: Decimal,
    b_threshold: Decimal,
) -> dict[Hashable, AbcClass]:
    """Each ranked account's class: :func:`abc_class` with the value above it."""
    classes: dict[Hashable, AbcClass] = {}
    cumulative = ZERO
    for account_id, value in ranked:
        classes[account_id] = abc_class(value, cumulative, positive_total, a_threshold, b_threshold)
        if value > 0:
            cumulative += value
    return classes


def abc_analysis(
    values: Mapping[Hashable, Decimal],
    measure: str = "net revenue",
    a_threshold: Decimal = DEFAULT_A_THRESHOLD,
    b_threshold: Decimal = DEFAULT_B_THRESHOLD,
) -> ParetoAnalysis:
    """ABC classes from each account's value over a period (money, one currency).

    Rank: value descending, ties by account id ascending. Cumulative share =
    Σ positive values down to this rank ÷ Σ all positive values × 100 (percent,
    0.01). Class: A if the cumulative share *before* the account is below
    ``a_threshold`` (80), else B if below ``b_threshold`` (95), else C; zero or
    negative value → C. ``measure`` names the value for the report (e.g.
    "gross profit"). Raises ``ValueError`` unless 0 < a_threshold ≤ b_threshold ≤ 100.
    """
    _check_thresholds(a_threshold, b_threshold)
    ranked = _ranked(values)
    positive_total = _positive_total(ranked)
    classes = _classes(ranked, positive_total, a_threshold, b_threshold)
    counts = Counter(classes.values())
    a_value = sum((value for account_id, value in ranked if classes[account_id] is _A), ZERO)
    a_accounts = counts[AbcClass.A]
    return ParetoAnalysis(
        measure=measure,
        ranked=tuple(ranked),
        classes=classes,
        accounts=len(ranked),
        positive_total=positive_total,
        a_threshold=a_threshold,
        b_threshold=b_threshold,
        a_accounts=a_accounts,
        b_accounts=counts[AbcClass.B],
        c_accounts=counts[AbcClass.C],
        share_of_accounts_in_a=percent(a_accounts, len(ranked)) if a_accounts else None,
        a_value_share=percent(a_value, positive_total),
        formula=(
            f"rank by value descending; class = first of A (< {a_threshold} % before it), "
            f"B (< {b_threshold} % before it), C; value ≤ 0 → C"
        ),
    )
