"""Importing orders: validated by OrderForm, priced as ``services/orders.py`` prices, bulk-written.

Matching: an order with an external reference is the account's order with that
reference (unique per account). Without one, an order is its account, date,
category, quantity, unit price, discount, unit cost and currency; the n-th
such line of a file matches the n-th such stored order, so re-importing a file
changes nothing while two genuinely identical lines still make two orders.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from flask import current_app
from sqlalchemy import and_, func, insert, or_, select, update

from b2b_loyalty.extensions import db
from b2b_loyalty.imports.account_lookup import ACCOUNT_FIELDS, ACCOUNT_KEYS, AccountLookup
from b2b_loyalty.imports.cell_values import DATE_FORMATS_HINT, decimal_text, iso_date
from b2b_loyalty.imports.entities.order_lines import (
    PricedLine,
    compared_columns,
    price_line,
    stored_values,
)
from b2b_loyalty.imports.entity_support import (
    chunks,
    form_problems,
    formula_problems,
    given,
    rejected,
)
from b2b_loyalty.imports.form_rows import FormRowValidator
from b2b_loyalty.models.columns import utcnow
from b2b_loyalty.plugin_api.types import (
    ImportContext,
    ImportEntity,
    ImportField,
    ImportProblem,
    ImportRow,
    ImportRowOutcome,
)

FIELDS = (
    *ACCOUNT_FIELDS,
    ImportField(
        "date",
        "Date",
        required=True,
        synonyms=("Order date", "Invoice date", "Дата", "Дата заказа", "Дата документа"),
        example="2024-03-15",
        format_hint=DATE_FORMATS_HINT,
    ),
    ImportField(
        "category",
        "Category",
        required=True,
        synonyms=("Product category", "Product group", "Категория", "Товарная группа"),
        example="Lamps",
        format_hint="the name of a product category in the app",
    ),
    ImportField(
        "quantity",
        "Quantity",
        required=True,
        synonyms=("Qty", "Units", "Количество", "Кол-во", "Кол во"),
        example="120",
        format_hint="a number, 0 or more",
    ),
    ImportField(
        "unit_price",
        "Unit list price",
        required=True,
        synonyms=("Unit price", "Price", "List price", "Цена", "Цена за единицу"),
        example="12.50",
        format_hint="a number, 0 or more (decimal point or comma)",
    ),
    ImportField(
        "discount_amount",
        "Discount given",
        synonyms=("Discount", "Discount amount", "Скидка", "Сумма скидки"),
        example="30.00",
        format_hint="an amount, 0 up to the list amount",
    ),
    ImportField(
        "unit_cost",
        "Unit cost",
        synonyms=("Cost", "Себестоимость", "Себестоимость единицы"),
        example="7.25",
        format_hint="a number, 0 or more",
    ),
    ImportField(
        "currency",
        "Currency",
        synonyms=("Валюта",),
        example="EUR",
        format_hint="3-letter ISO code; the deployment's currency",
    ),
    ImportField(
        "external_ref",
        "External reference",
        synonyms=(
            "Order number",
            "Order no",
            "Order id",
            "Reference",
            "Ref",
            "Invoice number",
            "Document number",
            "Номер",
            "Номер заказа",
            "№ заказа",
            "Номер документа",
        ),
        example="ORD-2024-0001",
        format_hint="up to 100 characters; unique per account",
    ),
)
FORM_KEYS = (
    "date",
    "category",
    "quantity",
    "unit_price",
    "discount_amount",
    "unit_cost",
    "currency",
    "external_ref",
)
NUMBER_KEYS = ("quantity", "unit_price", "discount_amount", "unit_cost")
# Rows per lookup of stored references and per INSERT executemany: large enough that
# the per-statement cost fades, small enough to stay far below every parameter limit.
ORDER_CHUNK = 2000


class _OrderRows:
    """One import run of orders: the lookups it keeps between chunks."""

    def __init__(self, context: ImportContext) -> None:
        from b2b_loyalty.accounts.forms import OrderForm
        from b2b_loyalty.models import ProductCategory

        self.context = context
        self.fields = {f.key: f for f in FIELDS}
        self.validator = FormRowValidator(OrderForm)
        self.accounts = AccountLookup()
        self.categories = {
            name.strip().casefold(): category_id
            for category_id, name in db.session.execute(
                select(ProductCategory.id, ProductCategory.name)
            )
        }
        self.base_currency = current_app.config["BASE_CURRENCY"]
        self.refs_in_file: dict[tuple[int, str], int] = {}
        # Per account, the stored orders without a reference, counted by their values.
        self.unreferenced: dict[int, Counter] = {}
        self.unreferenced_in_file: Counter = Counter()
        self.touched: set[int] = set()
        self.has_references: dict[int, bool] = {}

    def line(self, row: ImportRow) -> PricedLine | list[ImportProblem]:
        values = row.values
        account_id, problem = self.accounts.find(values)
        problems = [problem] if problem else []
        problems += formula_problems(values, ("date", *NUMBER_KEYS))
        texts = given(values, FORM_KEYS)
        for key in ("date", "quantity", "unit_price"):
            texts.setdefault(key, "")
        texts["date"] = iso_date(texts["date"])
        for key in NUMBER_KEYS:
            if key in texts:
                texts[key] = decimal_text(texts[key])
        data, errors = self.validator.validate(texts)
        problems += form_problems(errors, self.fields)
        if problems:
            return problems
        category_id = self.categories.get((data.get("category") or "").strip().casefold())
        if category_id is None:
            problems.append(ImportProblem("category", f"Unknown category {data['category']!r}."))
        currency = (data.get("currency") or self.base_currency).strip().upper()
        if currency != self.base_currency:
            problems.append(
                ImportProblem(
                    "currency",
                    f"This deployment keeps its books in {self.base_currency}; "
                    "convert the order first.",
                )
            )
        list_amount, discount, net, price_problem = price_line(
            data["quantity"], data["unit_price"], data.get("discount_amount"), currency
        )
        if price_problem:
            problems.append(ImportProblem("discount_amount", price_problem))
        if problems:
            return problems
        return PricedLine(
            row=row,
            account_id=account_id,
            order_date=data["date"],
            category_id=category_id,
            quantity=data["quantity"],
            unit_price=data["unit_price"],
            list_amount=list_amount,
            discount_amount=discount,
            net_amount=net,
            unit_cost=data.get("unit_cost"),
            currency=currency,
            external_ref=(data.get("external_ref") or "").strip() or None,
        )

    def apply(self, chunk: list[ImportRow]) -> list[ImportRowOutcome]:
        from b2b_loyalty.models import Order

        outcomes: dict[int, ImportRowOutcome] = {}
        lines: list[PricedLine] = []
        for row in chunk:
            result = self.line(row)
            if isinstance(result, list):
                outcomes[row.row_number] = rejected(row, result)
            else:
                lines.append(result)
        with_ref = [line for line in lines if line.external_ref]
        stored = self._stored_by_ref(with_ref)
        self._load_unreferenced({line.account_id for line in lines if not line.external_ref})
        creates: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        for line in lines:
            number = line.row.row_number
            if line.external_ref:
                key = (line.account_id, line.external_ref)
                earlier = self.refs_in_file.get(key)
                if earlier is not None:
                    outcomes[number] = rejected(
                        line.row,
                        [ImportProblem("external_ref", f"Row {earlier} has the same reference.")],
                    )
                    continue
                self.refs_in_file[key] = number
                existing = stored.get(key)
                if existing is None:
                    action = "create"
                    creates.append(line.columns())
                elif stored_values(existing[1:8]) == line.stored_form():
                    action = "unchanged"
                else:
                    action = "update"
                    # The row version read with it: the bulk UPDATE checks and bumps it,
                    # so an order edited meanwhile stops the import (StaleEdit).
                    updates.append(
                        {"id": existing[0], "row_version": existing[8], **line.columns()}
                    )
            else:
                key = (line.account_id, line.stored_form())
                self.unreferenced_in_file[key] += 1
                if self.unreferenced_in_file[key] <= self.unreferenced[line.account_id][key[1]]:
                    action = "unchanged"
                else:
                    action = "create"
                    creates.append(line.columns())
            if action != "unchanged":
                self.touched.add(line.account_id)
            outcomes[number] = ImportRowOutcome(number, action, account_id=line.account_id)
        if not self.context.dry_run:
            if creates:
                now = utcnow()
                for values in creates:
                    values["created_at"] = now
                db.session.execute(insert(Order), creates)
            if updates:
                db.session.execute(update(Order), updates)
        return [outcomes[row.row_number] for row in chunk]

    def _stored_by_ref(self, lines: list[PricedLine]) -> dict[tuple[int, str], Any]:
        from b2b_loyalty.models import Order

        self._learn_which_accounts_have_references({line.account_id for line in lines})
        refs_by_account: dict[int, set[str]] = {}
        for line in lines:
            if self.has_references[line.account_id]:
                refs_by_account.setdefault(line.account_id, set()).add(line.external_ref)
        if not refs_by_account:
            return {}
        # One (account = ? AND ref IN (...)) term per account: each is a probe of the
        # (account_id, external_ref) unique index, where "account IN (...) AND ref IN (...)"
        # would make the planner try every pair.
        wanted = or_(
            *(
                and_(Order.account_id == account_id, Order.external_ref.in_(sorted(refs)))
                for account_id, refs in refs_by_account.items()
            )
        )
        rows = db.session.execute(
            select(
                Order.id,
                *compared_columns(),
                Order.row_version,
                Order.account_id,
                Order.external_ref,
            ).where(wanted)
        )
        return {(row[-2], row[-1]): row for row in rows}

    def _learn_which_accounts_have_references(self, account_ids: set[int]) -> None:
        """Note which accounts had orders with a reference before this import started.

        Only those need their references looked up: a reference that an earlier row of
        this file wrote is caught as a duplicate row, so a first import (or new accounts)
        costs no lookup at all.
        """
        from b2b_loyalty.models import Order

        unknown = sorted(account_ids - set(self.has_references))
        if not unknown:
            return
        found = set(
            db.session.scalars(
                select(Order.account_id)
                .where(Order.account_id.in_(unknown), Order.external_ref.is_not(None))
                .distinct()
            )
        )
        for account_id in unknown:
            self.has_references[account_id] = account_id in found

    def _load_unreferenced(self, account_ids: set[int]) -> None:
        from b2b_loyalty.models import Order

        missing = sorted(account_ids - set(self.unreferenced))
        for account_id in missing:
            self.unreferenced[account_id] = Counter()
        if not missing:
            return
        compared = compared_columns()
        rows = db.session.execute(
            select(*compared, Order.account_id, func.count())
            .where(Order.account_id.in_(missing), Order.external_ref.is_(None))
            .group_by(*compared, Order.account_id)
        )
        for row in rows:
            self.unreferenced[row[-2]][stored_values(row[:7])] += row[-1]


def apply_order_rows(
    rows: Iterable[ImportRow], context: ImportContext
) -> Iterator[ImportRowOutcome]:
    from b2b_loyalty.services.order_stats import refresh_order_stats

    run = _OrderRows(context)
    for chunk in chunks(rows, ORDER_CHUNK):
        yield from run.apply(chunk)
    if run.touched and not context.dry_run:
        refresh_order_stats(run.touched)


ORDERS = ImportEntity(
    name="orders",
    title="Orders",
    fields=FIELDS,
    apply_rows=apply_order_rows,
    weight=30,
    natural_key=(
        "Account and external reference; without a reference, the account, date, category, "
        "quantity, unit price, discount, unit cost and currency (the n-th identical line of "
        "the file matches the n-th identical stored order)."
    ),
    description="Purchases by your accounts, priced as the order form prices them.",
    mapped_one_of=(ACCOUNT_KEYS,),
)
