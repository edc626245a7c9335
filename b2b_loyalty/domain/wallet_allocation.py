"""Share of wallet from the client's ranking of its suppliers: the Wallet Allocation Rule.

When no spend estimate exists but the client ranked us among its suppliers,
share ≈ (1 − rank ÷ (n + 1)) × 2 ÷ n, for rank r (1 = preferred) among n
suppliers (Keiningham et al.). It is an estimate and always says so; with our
revenue it also implies the client's total wallet: revenue ÷ share.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from b2b_loyalty.domain.money import round_money

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class WalletAllocationEstimate:
    value: Decimal  # percent, 0.01
    rank: int
    suppliers: int
    implied_wallet: Decimal | None  # money: our revenue ÷ share; None without revenue
    formula: str = (
        "(1 − rank ÷ (suppliers + 1)) × 2 ÷ suppliers × 100 (Wallet Allocation Rule, an estimate)"
    )


def wallet_allocation_share(
    rank: int, suppliers: int, our_revenue: Decimal | None = None, currency: str = "EUR"
) -> WalletAllocationEstimate:
    """Estimated share of wallet in percent for ``rank`` among ``suppliers``.

    >>> wallet_allocation_share(1, 4).value
    Decimal('40.00')
    """
    if (
        isinstance(rank, bool)
        or isinstance(suppliers, bool)
        or not isinstance(rank, int)
        or not isinstance(suppliers, int)
    ):
        raise ValueError("rank and number of suppliers must be whole numbers")
    if suppliers < 1:
        raise ValueError("the client must have at least one supplier")
    if not 1 <= rank <= suppliers:
        raise ValueError(f"rank must be between 1 and the number of suppliers ({suppliers})")
    n = Decimal(suppliers)
    share = (1 - Decimal(rank) / (n + 1)) * 2 / n
    value = (share * HUNDRED).quantize(Decimal("0.01"), ROUND_HALF_UP)
    implied = round_money(our_revenue / share, currency) if our_revenue else None
    return WalletAllocationEstimate(value, rank, suppliers, implied)
