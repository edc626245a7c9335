"""An order row once validated and priced, and how it compares with a stored order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from b2b_loyalty.domain.money import ZERO, round_money
from b2b_loyalty.plugin_api.types import ImportRow

# The scales of the order columns: a value is compared as the column keeps it.
QUANTITY_PLACES = Decimal("0.001")
UNIT_PRICE_PLACES = Decimal("0.0001")
CENT = Decimal("0.01")


@dataclass
class PricedLine:
    """A valid row, priced: the values an Order row gets."""

    row: ImportRow
    account_id: int
    order_date: date
    category_id: int
    quantity: Decimal
    unit_price: Decimal
    list_amount: Decimal
    discount_amount: Decimal
    net_amount: Decimal
    unit_cost: Decimal | None
    currency: str
    external_ref: str | None

    def stored_form(self) -> tuple:
        """The values as the columns keep them (quantity to 3 places, prices to 4)."""
        return (
            self.order_date,
            self.category_id,
            self.quantity.quantize(QUANTITY_PLACES),
            self.unit_price.quantize(UNIT_PRICE_PLACES),
            self.discount_amount,
            None if self.unit_cost is None else self.unit_cost.quantize(UNIT_PRICE_PLACES),
            self.currency,
        )

    def columns(self) -> dict[str, Any]:
        return {
            "account_id": self.account_id,
            "order_date": self.order_date,
            "category_id": self.category_id,
            "quantity": self.quantity,
            "unit_price": self.unit_price,
            "list_amount": self.list_amount,
            "discount_amount": self.discount_amount,
            "net_amount": self.net_amount,
            "unit_cost": self.unit_cost,
            "currency": self.currency,
            "external_ref": self.external_ref,
        }


def stored_values(columns: Any) -> tuple:
    """The comparable values of a stored order, from ``compared_columns()`` in that order."""
    order_date, category_id, quantity, unit_price, discount, unit_cost, currency = columns
    return (
        order_date,
        category_id,
        Decimal(quantity).quantize(QUANTITY_PLACES),
        Decimal(unit_price).quantize(UNIT_PRICE_PLACES),
        Decimal(discount).quantize(CENT),
        None if unit_cost is None else Decimal(unit_cost).quantize(UNIT_PRICE_PLACES),
        currency,
    )


def compared_columns() -> list:
    from b2b_loyalty.models import Order

    return [
        Order.order_date,
        Order.category_id,
        Order.quantity,
        Order.unit_price,
        Order.discount_amount,
        Order.unit_cost,
        Order.currency,
    ]


def price_line(
    quantity: Decimal, unit_price: Decimal, discount: Decimal | None, currency: str
) -> tuple[Decimal, Decimal, Decimal, str | None]:
    """``(list, discount, net, problem)``, rounded exactly as ``services.orders`` rounds.

    list = round_money(quantity × unit price); the discount (default 0) may not
    exceed the list amount and is rounded on its own; net = list − discount.
    """
    list_amount = round_money(quantity * unit_price, currency)
    discount = discount or ZERO
    if discount > list_amount:
        return list_amount, ZERO, list_amount, "The discount cannot exceed the list amount."
    discount_amount = round_money(Decimal(discount), currency)
    return list_amount, discount_amount, list_amount - discount_amount, None
