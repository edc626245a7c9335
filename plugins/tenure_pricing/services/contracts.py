"""Recording an account's contracts; each change is one transaction with its audit entry."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from b2b_loyalty.access import scoped_get
from b2b_loyalty.extensions import db
from b2b_loyalty.models import Account, User
from b2b_loyalty.services import audit
from b2b_loyalty.services.errors import NotFound, ValidationFailed
from b2b_loyalty.services.permissions import require_account_editor
from b2b_loyalty.services.row_versions import check_row_version, mark_edited
from b2b_loyalty.services.transaction import unit_of_work
from b2b_loyalty.services.values import clean
from plugins.tenure_pricing.domain.contracts import (
    ContractTerms,
    OtherContract,
    completed_terms,
    contract_errors,
)
from plugins.tenure_pricing.models import TenureContract
from plugins.tenure_pricing.queries import CONTRACT_AUDIT_ENTITY

FIELDS = (
    "number",
    "start_date",
    "end_date",
    "term_months",
    "auto_renew",
    "status",
    "annual_value",
    "list_annual_value",
    "membership_fee",
    "membership_discount_percent",
    "document_ref",
    "notes",
)


def snapshot(contract: TenureContract) -> dict[str, Any]:
    return {name: getattr(contract, name) for name in FIELDS}


def get_contract(account: Account, contract_id: int) -> TenureContract:
    """The contract if it belongs to ``account`` and the user may see it; NotFound otherwise."""
    contract = scoped_get(TenureContract, contract_id)
    if contract is None or contract.account_id != account.id:
        raise NotFound("No such contract at this account.")
    return contract


def _date(value: Any, field: str, errors: dict[str, list[str]]) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        errors.setdefault(field, []).append("Use a date such as 2027-01-31.")
        return None


def _decimal(value: Any, field: str, errors: dict[str, list[str]]) -> Decimal | None:
    if value in (None, ""):
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    errors.setdefault(field, []).append("Give a number.")
    return None


def _terms(contract: TenureContract, data: dict[str, Any]) -> tuple[ContractTerms, dict]:
    """Merge ``data`` over the contract's current values into terms to check."""
    errors: dict[str, list[str]] = {}

    def value(name: str) -> Any:
        return data[name] if name in data else getattr(contract, name)

    terms = ContractTerms(
        number=clean(value("number")),
        start_date=_date(value("start_date"), "start_date", errors),
        end_date=_date(value("end_date"), "end_date", errors),
        term_months=value("term_months") or None,
        status=clean(value("status")),
        annual_value=_decimal(value("annual_value"), "annual_value", errors),
        list_annual_value=_decimal(value("list_annual_value"), "list_annual_value", errors),
        membership_fee=_decimal(value("membership_fee"), "membership_fee", errors),
        membership_discount_percent=_decimal(
            value("membership_discount_percent"), "membership_discount_percent", errors
        ),
    )
    return completed_terms(terms), errors


def _others(account: Account, contract: TenureContract) -> list[OtherContract]:
    stmt = select(
        TenureContract.number,
        TenureContract.start_date,
        TenureContract.end_date,
        TenureContract.status,
    ).where(TenureContract.account_id == account.id)
    if contract.id is not None:
        stmt = stmt.where(TenureContract.id != contract.id)
    return [OtherContract(*row) for row in db.session.execute(stmt)]


def _apply(
    contract: TenureContract,
    account: Account,
    data: dict[str, Any],
    others: list[OtherContract] | None = None,
) -> None:
    """Check every rule against the account's other contracts, then set the values.

    ``others``: those contracts when the caller already holds them (the import reads
    them for many rows at once); read here otherwise."""
    terms, errors = _terms(contract, data)
    if others is None:
        others = _others(account, contract)
    for field, messages in contract_errors(terms, others).items():
        errors.setdefault(field, []).extend(messages)
    if terms.number and any(o.number.lower() == terms.number.lower() for o in others):
        errors.setdefault("number", []).append("Another contract of this account has this number.")
    if errors:
        raise ValidationFailed("The contract has errors.", errors)
    for name in ContractTerms.__slots__:
        setattr(contract, name, getattr(terms, name))
    if "auto_renew" in data:
        contract.auto_renew = bool(data["auto_renew"])
    elif contract.auto_renew is None:
        contract.auto_renew = False
    for name in ("document_ref", "notes"):
        if name in data:
            setattr(contract, name, clean(data[name]))


def create_contract(actor: User, account: Account, data: dict[str, Any]) -> TenureContract:
    require_account_editor(actor)
    with unit_of_work(), db.session.no_autoflush:
        contract = TenureContract(account_id=account.id)
        _apply(contract, account, data)
        db.session.add(contract)
        db.session.flush()
        audit.record(actor, CONTRACT_AUDIT_ENTITY, contract.id, "created", after=snapshot(contract))
    return contract


def update_contract(
    actor: User,
    account: Account,
    contract: TenureContract,
    data: dict[str, Any],
    *,
    expected_version: int | None = None,
) -> TenureContract:
    """Change the given fields; ``expected_version`` is the ``row_version`` the editor read."""
    require_account_editor(actor)
    with unit_of_work(), db.session.no_autoflush:
        check_row_version(contract, expected_version)
        mark_edited(contract)
        before = snapshot(contract)
        _apply(contract, account, data)
        db.session.flush()
        audit.record(
            actor,
            CONTRACT_AUDIT_ENTITY,
            contract.id,
            "updated",
            before=before,
            after=snapshot(contract),
        )
    return contract


def delete_contract(
    actor: User, contract: TenureContract, *, expected_version: int | None = None
) -> None:
    """``expected_version``: the ``row_version`` the deleting user saw; a contract changed
    since is not deleted (StaleEdit)."""
    require_account_editor(actor)
    check_row_version(contract, expected_version)
    with unit_of_work():
        audit.record(
            actor, CONTRACT_AUDIT_ENTITY, contract.id, "deleted", before=snapshot(contract)
        )
        db.session.delete(contract)
