"""Importing contracts from spreadsheets (the core's ``import_entities`` hook).

A row names its account like the core's child entities (tax id, else name,
among the accounts the importer may edit) and is matched to a stored contract
by account and contract number (case ignored). Values go through the plugin's
ContractForm and then the same rules as the pages and the API
(``services.contracts._apply``: end before start, overlapping active contracts,
negative amounts...). Empty cells leave the stored value as it is. Nothing is
committed here: the core commits, or rolls back, the whole import.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from sqlalchemy import select

from b2b_loyalty.extensions import db
from b2b_loyalty.imports.account_lookup import ACCOUNT_FIELDS, ACCOUNT_KEYS, AccountLookup
from b2b_loyalty.imports.cell_values import (
    DATE_FORMATS_HINT,
    decimal_text,
    iso_date,
    vocabulary_value,
    yes_no,
)
from b2b_loyalty.imports.entity_support import form_problems, formula_problems, given, rejected
from b2b_loyalty.imports.form_rows import FormRowValidator
from b2b_loyalty.plugin_api.types import (
    ImportContext,
    ImportEntity,
    ImportField,
    ImportProblem,
    ImportRow,
    ImportRowOutcome,
)
from b2b_loyalty.queries.id_lists import among
from b2b_loyalty.services.errors import ValidationFailed
from plugins.tenure_pricing.domain.contracts import ContractStatus, OtherContract

STATUSES = tuple(s.value for s in ContractStatus)
STATUS_ALIASES = {
    "черновик": "draft",
    "действует": "active",
    "действующий": "active",
    "активный": "active",
    "истек": "expired",
    "истёк": "expired",
    "расторгнут": "terminated",
}

FIELDS = (
    *ACCOUNT_FIELDS,
    ImportField(
        "number",
        "Contract number",
        required=True,
        synonyms=("Number", "Contract", "Contract no", "Номер договора", "№ договора", "Договор"),
        example="C-2024-01",
    ),
    ImportField(
        "start_date",
        "Start date",
        synonyms=("Start", "Valid from", "Начало", "Дата начала", "Действует с"),
        example="2024-01-01",
        format_hint=DATE_FORMATS_HINT,
    ),
    ImportField(
        "end_date",
        "End date",
        synonyms=("End", "Valid to", "Valid until", "Окончание", "Дата окончания", "Действует по"),
        example="2024-12-31",
        format_hint=f"{DATE_FORMATS_HINT}, the last day; or give the term",
    ),
    ImportField(
        "term_months",
        "Term (months)",
        synonyms=("Term", "Months", "Срок", "Срок (мес.)", "Срок в месяцах"),
        example="12",
        format_hint="whole months, 1 to 240",
    ),
    ImportField(
        "auto_renew",
        "Renews automatically",
        synonyms=("Auto renew", "Auto-renew", "Автопролонгация", "Автопродление"),
        example="yes",
        format_hint="yes or no",
    ),
    ImportField(
        "status",
        "Status",
        synonyms=("Contract status", "Статус"),
        example="active",
        choices=STATUSES,
    ),
    ImportField(
        "annual_value",
        "Annual committed value",
        synonyms=("Annual value", "Committed value", "Годовой объем", "Сумма договора"),
        example="120000",
        format_hint="an amount, 0 or more",
    ),
    ImportField(
        "list_annual_value",
        "Same volume at list prices",
        synonyms=("List annual value", "List value"),
        format_hint="an amount, 0 or more",
    ),
    ImportField(
        "membership_fee",
        "Membership fee",
        synonyms=("Membership fee (prepaid)", "Fee", "Членский взнос"),
        format_hint="an amount, 0 or more",
    ),
    ImportField(
        "membership_discount_percent",
        "Discount the fee buys (%)",
        synonyms=("Membership discount", "Membership discount percent"),
        format_hint="a percent, 0 to 100",
    ),
    ImportField(
        "document_ref",
        "Signed document reference",
        synonyms=("Document", "Document ref", "Document reference", "Документ"),
    ),
    ImportField("notes", "Notes", synonyms=("Note", "Comment", "Примечание", "Комментарий")),
)
DATE_KEYS = ("start_date", "end_date")
DECIMAL_KEYS = (
    "annual_value",
    "list_annual_value",
    "membership_fee",
    "membership_discount_percent",
)
FORM_KEYS = (
    "number",
    *DATE_KEYS,
    "term_months",
    "status",
    *DECIMAL_KEYS,
    "document_ref",
    "notes",
)


# Rows are checked this many at a time: their accounts' contracts are read in one
# statement per chunk, not two per row.
CHUNK_ROWS = 500


class ContractBook:
    """The stored contracts of the file's accounts, read a chunk of rows at a time and
    kept current as rows create and change contracts (the next rows' checks see them)."""

    def __init__(self) -> None:
        self._of: dict[int, list[Any]] = {}
        self.accounts: dict[int, Any] = {}  # held here: the session keeps no strong reference

    def read(self, account_ids: Iterable[int]) -> None:
        """Load the accounts (for the rules) and their contracts not read yet."""
        from b2b_loyalty.models import Account
        from plugins.tenure_pricing.models import TenureContract

        missing = sorted(set(account_ids) - self._of.keys())
        if not missing:
            return
        for account_id in missing:
            self._of[account_id] = []
        for account in db.session.scalars(select(Account).where(among(Account.id, missing))):
            self.accounts[account.id] = account
        stmt = select(TenureContract).where(among(TenureContract.account_id, missing))
        for contract in db.session.scalars(stmt):
            self._of[contract.account_id].append(contract)

    def numbered(self, account_id: int, number: str) -> Any | None:  # noqa: ANN401 - a contract
        """The account's contract with this number, case ignored."""
        key = number.strip().lower()
        return next((c for c in self._of[account_id] if c.number.lower() == key), None)

    def others(self, account_id: int, contract: Any | None) -> list[OtherContract]:  # noqa: ANN401
        """The account's contracts other than ``contract``, as the rules read them."""
        return [
            OtherContract(c.number, c.start_date, c.end_date, c.status)
            for c in self._of[account_id]
            if c is not contract
        ]

    def add(self, contract: Any) -> None:  # noqa: ANN401 - a contract
        self._of[contract.account_id].append(contract)


def apply_contract_rows(
    rows: Iterable[ImportRow], context: ImportContext
) -> Iterator[ImportRowOutcome]:
    from plugins.tenure_pricing.forms import ContractForm

    validator = FormRowValidator(ContractForm)
    fields = {f.key: f for f in FIELDS}
    accounts = AccountLookup()
    book = ContractBook()
    in_file: dict[tuple[int, str], int] = {}
    rows = iter(rows)
    while chunk := list(islice(rows, CHUNK_ROWS)):
        found = [(row, *accounts.find(row.values)) for row in chunk]
        book.read(account_id for _, account_id, _ in found if account_id is not None)
        for row, account_id, problem in found:
            problems = [problem] if problem else []
            problems += formula_problems(row.values, (*DATE_KEYS, "term_months", *DECIMAL_KEYS))
            data, more = _row_data(row.values, validator, fields)
            problems += more
            key = (account_id, (data.get("number") or "").strip().lower())
            if not problems and key in in_file:
                problems.append(
                    ImportProblem("number", f"Row {in_file[key]} has this contract number too.")
                )
            if problems:
                yield rejected(row, problems)
                continue
            in_file[key] = row.row_number
            try:
                action = _upsert(account_id, data, book)
            except ValidationFailed as error:
                yield rejected(row, form_problems(error.fields, fields))
                continue
            yield ImportRowOutcome(row.row_number, action, account_id=account_id)


def _row_data(
    values: dict[str, str], validator: FormRowValidator, fields: dict[str, ImportField]
) -> tuple[dict[str, Any], list[ImportProblem]]:
    """The row's non-empty cells parsed by ContractForm, as the service's ``data``."""
    texts = given(values, FORM_KEYS)
    texts.setdefault("number", "")  # the key: the form says it is missing
    for key in DATE_KEYS:
        if key in texts:
            texts[key] = iso_date(texts[key])
    for key in DECIMAL_KEYS:
        if key in texts:
            texts[key] = decimal_text(texts[key])
    if "status" in texts:
        texts["status"] = vocabulary_value(texts["status"], STATUS_ALIASES)
    parsed, errors = validator.validate(texts)
    problems = form_problems(errors, fields)
    data = {k: v for k, v in parsed.items() if k not in errors}
    if values.get("auto_renew"):
        renew = yes_no(values["auto_renew"])
        if renew is None:
            problems.append(ImportProblem("auto_renew", "Write yes or no."))
        else:
            data["auto_renew"] = renew
    # The end and the term describe one thing: the one given wins, the other is derived.
    if ("start_date" in data or "end_date" in data) and "term_months" not in data:
        data["term_months"] = None
    if "term_months" in data and "end_date" not in data:
        data["end_date"] = None
    return data, problems


def _upsert(account_id: int, data: dict[str, Any], book: ContractBook) -> str:
    """Create or update the account's contract numbered ``data["number"]``; the action taken.

    Raises ValidationFailed (nothing changed) when the merged contract breaks a rule.
    """
    from plugins.tenure_pricing.models import TenureContract
    from plugins.tenure_pricing.services.contracts import FIELDS as CONTRACT_FIELDS
    from plugins.tenure_pricing.services.contracts import _apply, snapshot

    account = book.accounts[account_id]
    existing = book.numbered(account_id, data["number"])
    if existing is None:
        contract = TenureContract(account_id=account_id)
        data.setdefault("status", ContractStatus.ACTIVE.value)
        _apply(contract, account, data, book.others(account_id, None))
        db.session.add(contract)
        db.session.flush()
        book.add(contract)  # the next rows' overlap checks see it
        return "create"
    # Check on a detached copy, so an unchanged row does not touch the stored one.
    data["number"] = existing.number  # matched ignoring case: keep its spelling
    before = snapshot(existing)
    probe = TenureContract(id=existing.id, account_id=account_id, **before)
    _apply(probe, account, data, book.others(account_id, existing))
    after = snapshot(probe)
    if after == before:
        return "unchanged"
    for name in CONTRACT_FIELDS:
        setattr(existing, name, after[name])
    db.session.flush()
    return "update"


CONTRACTS = ImportEntity(
    name="contracts",
    title="Contracts",
    fields=FIELDS,
    apply_rows=apply_contract_rows,
    weight=60,
    natural_key=(
        "Account and contract number (case ignored). Empty cells leave the stored value as it is."
    ),
    description="Clients' signed contracts: the periods tenure pricing counts from.",
    mapped_one_of=(ACCOUNT_KEYS,),
)
