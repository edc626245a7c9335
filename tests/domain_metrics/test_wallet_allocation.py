from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from b2b_loyalty.domain.wallet_allocation import wallet_allocation_share


def test_reference_values():
    # Sole supplier: the whole wallet. Preferred of two: 2/3. Second of two: 1/3.
    assert wallet_allocation_share(1, 1).value == Decimal("100.00")
    assert wallet_allocation_share(1, 2).value == Decimal("66.67")
    assert wallet_allocation_share(2, 2).value == Decimal("33.33")
    assert wallet_allocation_share(1, 4).value == Decimal("40.00")


def test_implied_wallet_from_our_revenue():
    estimate = wallet_allocation_share(1, 4, Decimal("40000"))
    assert estimate.implied_wallet == Decimal("100000.00")
    assert "estimate" in estimate.formula


@pytest.mark.parametrize(("rank", "n"), [(0, 3), (4, 3), (1, 0), (True, 2), (1.0, 2)])
def test_bad_rankings_are_refused(rank, n):
    with pytest.raises(ValueError):
        wallet_allocation_share(rank, n)


@given(st.integers(1, 30))
def test_shares_of_all_suppliers_add_up_to_100(n):
    total = sum(wallet_allocation_share(r, n).value for r in range(1, n + 1))
    assert abs(total - 100) <= Decimal("0.01") * n
    values = [wallet_allocation_share(r, n).value for r in range(1, n + 1)]
    assert values == sorted(values, reverse=True)
