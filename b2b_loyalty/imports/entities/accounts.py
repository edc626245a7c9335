"""Importing accounts: matched by tax id, else by name; validated by AccountForm."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import select

from b2b_loyalty.access import SKIP_SCOPE_OPTION
from b2b_loyalty.domain.roles import Role, can_assign_owner
from b2b_loyalty.extensions import db
from b2b_loyalty.imports.cell_values import name_key
from b2b_loyalty.imports.entity_support import chunks, form_problems, given, rejected
from b2b_loyalty.imports.form_rows import FormRowValidator
from b2b_loyalty.models.account import SIZE_BANDS
from b2b_loyalty.plugin_api.types import (
    ImportContext,
    ImportEntity,
    ImportField,
    ImportProblem,
    ImportRow,
    ImportRowOutcome,
)

FIELDS = (
    ImportField(
        "name",
        "Name",
        required=True,
        synonyms=(
            "Account",
            "Account name",
            "Company",
            "Company name",
            "Client",
            "Customer",
            "Organisation",
            "Organization",
            "Название",
            "Наименование",
            "Компания",
            "Клиент",
            "Организация",
            "Контрагент",
        ),
        example="Acme Industrial",
    ),
    ImportField(
        "tax_id",
        "Tax id",
        synonyms=("Tax number", "VAT", "VAT number", "VAT id", "TIN", "INN", "ИНН"),
        example="7707083893",
        format_hint="letters, digits, spaces, '.', '/' or '-'",
    ),
    ImportField(
        "industry", "Industry", synonyms=("Sector", "Отрасль", "Сфера"), example="Manufacturing"
    ),
    ImportField("region", "Region", synonyms=("Area", "Territory", "Регион"), example="North"),
    ImportField(
        "size_band",
        "Size (employees)",
        synonyms=("Size", "Size band", "Employees", "Headcount", "Численность", "Размер"),
        example="250-999",
        format_hint="one of " + ", ".join(SIZE_BANDS),
        choices=SIZE_BANDS,
    ),
    ImportField(
        "owner",
        "Owner e-mail",
        synonyms=("Owner", "Account manager", "Manager", "Ответственный", "Менеджер"),
        format_hint="e-mail of an account manager (administrators only; default: the importer)",
    ),
    ImportField(
        "notes",
        "Notes",
        synonyms=(
            "Note",
            "Comment",
            "Comments",
            "Примечание",
            "Примечания",
            "Комментарий",
            "Комментарии",
            "Заметка",
            "Заметки",
        ),
    ),
)
FORM_KEYS = ("name", "tax_id", "industry", "region", "size_band", "notes")
OWNER_ROLES = (Role.ACCOUNT_MANAGER.value, Role.ADMIN.value)


class _Owners:
    """Users that may own accounts, by e-mail, looked up once each."""

    def __init__(self) -> None:
        self._by_email: dict[str, Any] = {}

    def find(self, email: str):  # noqa: ANN201 - a User or None
        from b2b_loyalty.models import User

        key = User.normalise_email(email)
        if key not in self._by_email:
            user = db.session.scalar(select(User).where(User.email == key))
            ok = user is not None and user.active and user.role in OWNER_ROLES
            self._by_email[key] = user if ok else None
        return self._by_email[key]


def _owner_for(
    row: ImportRow, context: ImportContext, owners: _Owners, existing: Any
) -> tuple[int | None, ImportProblem | None]:
    """The owner id the row asks for (None: keep or default) or why it cannot have it."""
    email = row.values.get("owner", "")
    actor = context.actor
    if email:
        user = owners.find(email)
        if user is None:
            return None, ImportProblem("owner", "The owner must be an active account manager.")
        if actor is not None and not can_assign_owner(Role(actor.role)) and user.id != actor.id:
            return None, ImportProblem(
                "owner", "Only an administrator assigns accounts to another manager."
            )
        return user.id, None
    if existing is not None:
        return None, None
    default = context.owner or actor
    if default is None:
        return None, ImportProblem("owner", "Give the owner's e-mail, or import with --owner.")
    return default.id, None


def apply_account_rows(
    rows: Iterable[ImportRow], context: ImportContext
) -> Iterator[ImportRowOutcome]:
    from b2b_loyalty.accounts.forms import AccountForm
    from b2b_loyalty.models import Account

    validator = FormRowValidator(AccountForm)
    fields = {f.key: f for f in FIELDS}
    owners = _Owners()
    # Every account the importer may edit (the access rule filters the query) ...
    visible = list(db.session.scalars(select(Account)))
    by_tax_id = {a.tax_id: a for a in visible if a.tax_id}
    by_name: dict[str, list[Any]] = {}
    for account in visible:
        by_name.setdefault(name_key(account.name), []).append(account)
    # ... and every tax id in use, theirs or not: a tax id is unique across the portfolio.
    taken_tax_ids = set(
        db.session.scalars(
            select(Account.tax_id)
            .where(Account.tax_id.is_not(None))
            .execution_options(**{SKIP_SCOPE_OPTION: True})
        )
    )
    rows_by_tax_id: dict[str, int] = {}
    rows_by_name: dict[str, int] = {}

    for chunk in chunks(rows):
        outcomes = []
        for row in chunk:
            texts = given(row.values, FORM_KEYS)
            texts.setdefault("name", row.values.get("name", ""))
            data, errors = validator.validate(texts)
            problems = form_problems(errors, fields)
            name, tax_id = (data.get("name") or "").strip(), (data.get("tax_id") or "").strip()
            existing = None
            if not problems:
                existing, problem = _match(
                    name, tax_id, by_tax_id, by_name, taken_tax_ids, rows_by_tax_id
                )
                if problem is None and not tax_id:
                    earlier = rows_by_name.get(name_key(name))
                    if earlier is not None:
                        problem = ImportProblem(
                            "name", f"Row {earlier} has the same name and no tax id either."
                        )
                if problem:
                    problems.append(problem)
            owner_id, owner_problem = _owner_for(row, context, owners, existing)
            if owner_problem:
                problems.append(owner_problem)
            if problems:
                outcomes.append(rejected(row, problems))
                continue
            if tax_id:
                rows_by_tax_id[tax_id] = row.row_number
            else:
                rows_by_name[name_key(name)] = row.row_number
            values = {key: _clean(data[key]) for key in texts}
            outcomes.append(_write(row, existing, values, owner_id, context.dry_run))
        if not context.dry_run:
            db.session.flush()
        yield from outcomes


def _match(
    name: str,
    tax_id: str,
    by_tax_id: dict[str, Any],
    by_name: dict[str, list[Any]],
    taken_tax_ids: set[str],
    rows_by_tax_id: dict[str, int],
) -> tuple[Any, ImportProblem | None]:
    """The existing account a row updates (None: a new one), or why the row cannot go in."""
    if tax_id:
        if tax_id in rows_by_tax_id:
            return None, ImportProblem(
                "tax_id", f"Duplicate tax id: row {rows_by_tax_id[tax_id]} has it too."
            )
        if tax_id in by_tax_id:
            return by_tax_id[tax_id], None
        if tax_id in taken_tax_ids:
            return None, ImportProblem("tax_id", "Another account already uses this tax id.")
        # A tax id new to us may complete an account imported earlier without one.
        candidates = [a for a in by_name.get(name_key(name), []) if not a.tax_id]
        return (candidates[0] if len(candidates) == 1 else None), None
    matches = by_name.get(name_key(name), [])
    if len(matches) > 1:
        return None, ImportProblem(
            "name", "Several of your accounts have this name; add the tax id to say which."
        )
    return (matches[0] if matches else None), None


def _clean(value: Any) -> Any:
    return (value.strip() or None) if isinstance(value, str) else value


def _write(
    row: ImportRow,
    existing: Any,
    values: dict[str, Any],
    owner_id: int | None,
    dry_run: bool,
) -> ImportRowOutcome:
    from b2b_loyalty.models import Account

    if existing is None:
        if not dry_run:
            db.session.add(Account(**values, owner_id=owner_id))
        return ImportRowOutcome(row.row_number, "create")
    changes = {k: v for k, v in values.items() if getattr(existing, k) != v}
    if "name" in changes and name_key(changes["name"]) == name_key(existing.name):
        del changes["name"]  # the name matched; "ACME" in a file does not rename "Acme"
    if owner_id is not None and owner_id != existing.owner_id:
        changes["owner_id"] = owner_id
    if not changes:
        return ImportRowOutcome(row.row_number, "unchanged", account_id=existing.id)
    if not dry_run:
        for key, value in changes.items():
            setattr(existing, key, value)
    return ImportRowOutcome(row.row_number, "update", account_id=existing.id)


ACCOUNTS = ImportEntity(
    name="accounts",
    title="Accounts",
    fields=FIELDS,
    apply_rows=apply_account_rows,
    weight=10,
    natural_key=(
        "Tax id; without one, the name (ignoring case and extra spaces). "
        "Empty cells leave the stored value as it is."
    ),
    description="Corporate clients. New accounts go to the importer (or the chosen owner).",
)
