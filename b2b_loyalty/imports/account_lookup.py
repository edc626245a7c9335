"""Finding the account a row belongs to, among the accounts the importer may edit.

Rows of people, orders, estimates (and plugins' contracts, interactions...)
name their account by tax id or by name, in the columns ``account_tax_id`` and
``account`` (use the ACCOUNT_FIELDS below in a plugin's entity, so every
import reads accounts the same way). The accounts are read through the ORM,
so the central access rule hides every account the importer may not edit: a
row for another manager's account finds nothing and is rejected as "unknown
account or not yours", without saying whether the account exists.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from sqlalchemy import select

from b2b_loyalty.extensions import db
from b2b_loyalty.imports.cell_values import name_key
from b2b_loyalty.plugin_api.types import ImportField, ImportProblem

ACCOUNT_FIELDS = (
    ImportField(
        key="account",
        label="Account",
        synonyms=(
            "Account name",
            "Client",
            "Client name",
            "Customer",
            "Company",
            "Company name",
            "Organisation",
            "Organization",
            "Клиент",
            "Компания",
            "Организация",
            "Контрагент",
            "Наименование клиента",
            "Название компании",
        ),
        example="Acme Industrial",
        format_hint="The account's name as in the app (or give its tax id)",
    ),
    ImportField(
        key="account_tax_id",
        label="Account tax id",
        synonyms=(
            "Tax id",
            "Tax number",
            "VAT",
            "VAT number",
            "TIN",
            "INN",
            "Client tax id",
            "Customer tax id",
            "Company tax id",
            "ИНН",
            "ИНН клиента",
            "ИНН компании",
            "ИНН контрагента",
        ),
        example="7707083893",
        format_hint="Matched before the name when both are given",
    ),
)
ACCOUNT_KEYS = ("account", "account_tax_id")


class AccountLookup:
    """The importer's editable accounts by tax id and by name, read once per import."""

    def __init__(self) -> None:
        from b2b_loyalty.models import Account

        self.by_tax_id: dict[str, int] = {}
        self.by_name: dict[str, list[int]] = defaultdict(list)
        rows = db.session.execute(select(Account.id, Account.name, Account.tax_id))
        for account_id, name, tax_id in rows:
            if tax_id:
                self.by_tax_id[tax_id] = account_id
            self.by_name[name_key(name)].append(account_id)

    def find(self, values: Mapping[str, str]) -> tuple[int | None, ImportProblem | None]:
        """``(account id, None)`` or ``(None, the problem)`` for a row's account columns."""
        tax_id = values.get("account_tax_id", "")
        name = values.get("account", "")
        if tax_id:
            found = self.by_tax_id.get(tax_id)
            if found is None:
                return None, ImportProblem(
                    "account_tax_id", f"Unknown account or not yours: tax id {tax_id}."
                )
            return found, None
        if not name:
            return None, ImportProblem("account", "Give the account's name or tax id.")
        matches = self.by_name.get(name_key(name), [])
        if not matches:
            return None, ImportProblem("account", f"Unknown account or not yours: {name}.")
        if len(matches) > 1:
            return None, ImportProblem(
                "account", f"Several accounts are named {name}; give the account's tax id."
            )
        return matches[0], None

    def remember(self, account_id: int, name: str, tax_id: str | None) -> None:
        if tax_id:
            self.by_tax_id[tax_id] = account_id
        ids = self.by_name[name_key(name)]
        if account_id not in ids:
            ids.append(account_id)
