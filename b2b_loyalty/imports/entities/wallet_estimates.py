"""Importing wallet estimates: one per account, year and category (empty: all categories)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select, update

from b2b_loyalty.extensions import db
from b2b_loyalty.imports.account_lookup import ACCOUNT_FIELDS, ACCOUNT_KEYS, AccountLookup
from b2b_loyalty.imports.cell_values import decimal_text, vocabulary_value
from b2b_loyalty.imports.entity_support import (
    chunks,
    form_problems,
    formula_problems,
    given,
    rejected,
)
from b2b_loyalty.imports.form_rows import FormRowValidator
from b2b_loyalty.models.wallet_estimate import CONFIDENCE_LEVELS
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
        "year",
        "Year",
        required=True,
        synonyms=("Fiscal year", "Год", "Финансовый год"),
        example="2024",
        format_hint="a year between 1990 and 2100",
    ),
    ImportField(
        "category",
        "Category",
        synonyms=("Product category", "Категория", "Товарная группа"),
        example="Lamps",
        format_hint="a product category's name; empty for all categories",
    ),
    ImportField(
        "estimated_spend",
        "Estimated total spend",
        required=True,
        synonyms=(
            "Estimated spend",
            "Spend",
            "Total spend",
            "Annual spend",
            "Wallet",
            "Wallet size",
            "Budget",
            "Оценка затрат",
            "Затраты",
            "Бюджет",
            "Объем закупок",
            "Годовой объем закупок",
        ),
        example="250000",
        format_hint="an amount, 0 or more",
    ),
    ImportField("source", "Source", synonyms=("Источник",), example="Annual report"),
    ImportField(
        "confidence",
        "Confidence",
        synonyms=("Certainty", "Уверенность", "Достоверность"),
        example="medium",
        choices=CONFIDENCE_LEVELS,
    ),
    ImportField(
        "note", "Note", synonyms=("Notes", "Comment", "Примечание", "Комментарий", "Заметка")
    ),
)
FORM_KEYS = ("year", "category", "estimated_spend", "source", "confidence", "note")
CONFIDENCE_ALIASES = {"низкая": "low", "средняя": "medium", "высокая": "high"}
COLUMNS = ("estimated_spend", "source", "confidence", "note")


def apply_wallet_rows(
    rows: Iterable[ImportRow], context: ImportContext
) -> Iterator[ImportRowOutcome]:
    from b2b_loyalty.accounts.forms import WalletEstimateForm
    from b2b_loyalty.models import ProductCategory, WalletEstimate

    validator = FormRowValidator(WalletEstimateForm)
    fields = {f.key: f for f in FIELDS}
    accounts = AccountLookup()
    categories = {
        name.strip().casefold(): category_id
        for category_id, name in db.session.execute(
            select(ProductCategory.id, ProductCategory.name)
        )
    }
    in_file: dict[tuple, int] = {}
    for chunk in chunks(rows):
        accepted: list[tuple[ImportRow, tuple, dict[str, Any]]] = []
        outcomes: dict[int, ImportRowOutcome] = {}
        for row in chunk:
            account_id, problem = accounts.find(row.values)
            problems = [problem] if problem else []
            problems += formula_problems(row.values, ("year", "estimated_spend"))
            texts = given(row.values, FORM_KEYS)
            texts.setdefault("year", "")
            texts.setdefault("estimated_spend", "")
            texts["estimated_spend"] = decimal_text(texts["estimated_spend"])
            if "confidence" in texts:
                texts["confidence"] = vocabulary_value(texts["confidence"], CONFIDENCE_ALIASES)
            data, errors = validator.validate(texts)
            problems += form_problems(errors, fields)
            category_name = (data.get("category") or "").strip()
            category_id = categories.get(category_name.casefold()) if category_name else None
            if category_name and category_id is None:
                problems.append(ImportProblem("category", f"Unknown category {category_name!r}."))
            key = (account_id, data.get("year"), category_id)
            if not problems and key in in_file:
                problems.append(
                    ImportProblem("year", f"Row {in_file[key]} has this year and category too.")
                )
            if problems:
                outcomes[row.row_number] = rejected(row, problems)
                continue
            in_file[key] = row.row_number
            columns = {k: data[k] for k in COLUMNS if k in texts}
            columns = {
                k: (v.strip() or None) if isinstance(v, str) else v for k, v in columns.items()
            }
            accepted.append((row, key, columns))
        stored = _stored(WalletEstimate, {key for _, key, _ in accepted})
        creates, updates = [], []
        for row, key, columns in accepted:
            existing = stored.get(key)
            if existing is None:
                action = "create"
                creates.append(
                    {"account_id": key[0], "year": key[1], "category_id": key[2], **columns}
                )
            elif all(_same(existing[k], v) for k, v in columns.items()):
                action = "unchanged"
            else:
                action = "update"
                updates.append({"id": existing["id"], **columns})
            outcomes[row.row_number] = ImportRowOutcome(row.row_number, action, account_id=key[0])
        if not context.dry_run:
            if creates:
                db.session.execute(insert(WalletEstimate), creates)
            if updates:
                db.session.execute(update(WalletEstimate), updates)
        yield from (outcomes[row.row_number] for row in chunk)


def _same(stored: Any, value: Any) -> bool:
    if isinstance(value, Decimal) and stored is not None:
        return Decimal(stored).quantize(Decimal("0.01")) == value.quantize(Decimal("0.01"))
    return stored == value


def _stored(model: Any, keys: set[tuple]) -> dict[tuple, dict[str, Any]]:
    """The stored estimates of the accounts and years in ``keys``, by (account, year, category)."""
    if not keys:
        return {}
    account_ids = {k[0] for k in keys}
    years = {k[1] for k in keys}
    columns = [getattr(model, c) for c in COLUMNS]
    rows = db.session.execute(
        select(model.id, model.account_id, model.year, model.category_id, *columns).where(
            model.account_id.in_(account_ids), model.year.in_(years)
        )
    )
    return {
        (row[1], row[2], row[3]): {"id": row[0], **dict(zip(COLUMNS, row[4:], strict=True))}
        for row in rows
    }


WALLET_ESTIMATES = ImportEntity(
    name="wallet-estimates",
    title="Wallet estimates",
    fields=FIELDS,
    apply_rows=apply_wallet_rows,
    weight=40,
    natural_key=(
        "Account, year and category (an empty category is the all-categories estimate). "
        "Empty cells leave the stored value as it is."
    ),
    description="What each client spends in a year on a category: share of wallet's denominator.",
    mapped_one_of=(ACCOUNT_KEYS,),
)
