"""Creating, changing and deleting accounts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from b2b_loyalty.access import SKIP_SCOPE_OPTION, scoped_get
from b2b_loyalty.db_limits import is_db_id
from b2b_loyalty.domain.roles import Role, can_assign_owner
from b2b_loyalty.extensions import db
from b2b_loyalty.models import Account, User
from b2b_loyalty.services.errors import NotFound, ValidationFailed
from b2b_loyalty.services.permissions import require_account_editor
from b2b_loyalty.services.row_versions import check_row_version, mark_edited
from b2b_loyalty.services.transaction import unit_of_work
from b2b_loyalty.services.values import clean

ACCOUNT_FIELDS = ("name", "tax_id", "industry", "region", "size_band", "notes")
OWNER_ROLES = (Role.ACCOUNT_MANAGER.value, Role.ADMIN.value)


def get_account(account_id: int) -> Account:
    """The account if the current user may see it; NotFound otherwise (never 403).

    Answering 404 for an account that exists but is not yours does not reveal
    that it exists.
    """
    account = scoped_get(Account, account_id)
    if account is None:
        raise NotFound("No such account.")
    return account


def _check_tax_id_free(tax_id: str | None, account_id: int | None) -> None:
    if not tax_id:
        return
    stmt = select(Account.id).where(Account.tax_id == tax_id)
    if account_id is not None:
        stmt = stmt.where(Account.id != account_id)
    taken = db.session.execute(stmt.execution_options(**{SKIP_SCOPE_OPTION: True})).first()
    if taken:
        raise ValidationFailed(
            "Another account already uses this tax id.",
            {"tax_id": ["Another account already uses this tax id."]},
        )


def _users_by_id(ids: list[int]) -> dict[int, User]:
    ids = [i for i in ids if is_db_id(i)]
    if not ids:
        return {}
    rows = db.session.scalars(select(User).where(User.id.in_(ids))).all()
    return {u.id: u for u in rows}


def _resolve_owner(owner_id: int | None) -> User:
    user = _users_by_id([owner_id]).get(owner_id) if owner_id else None
    if user is None or not user.active or user.role not in OWNER_ROLES:
        raise ValidationFailed(
            "The owner must be an active account manager.",
            {"owner_id": ["The owner must be an active account manager."]},
        )
    return user


def _resolve_team(team_ids: list[int] | None) -> list[User]:
    ids = sorted(set(team_ids or []))
    found = {i: u for i, u in _users_by_id(ids).items() if u.active}
    missing = [i for i in ids if i not in found]
    if missing:
        message = f"Unknown or inactive user id(s) in the team: {', '.join(map(str, missing))}."
        raise ValidationFailed(message, {"team_ids": [message]})
    return [found[i] for i in ids]


def create_account(actor: User, data: dict[str, Any]) -> Account:
    """Create an account. A manager's new account is theirs; only admin picks an owner."""
    require_account_editor(actor)
    with unit_of_work():
        values = {f: clean(data.get(f)) for f in ACCOUNT_FIELDS}
        if not values["name"]:
            raise ValidationFailed("Name is required.", {"name": ["Name is required."]})
        _check_tax_id_free(values["tax_id"], None)
        if can_assign_owner(Role(actor.role)) and data.get("owner_id"):
            owner = _resolve_owner(data["owner_id"])
        else:
            owner = actor
        account = Account(**values, owner=owner)
        account.team = [u for u in _resolve_team(data.get("team_ids")) if u.id != owner.id]
        db.session.add(account)
    return account


def update_account(
    actor: User, account: Account, data: dict[str, Any], *, expected_version: int | None = None
) -> Account:
    """Change the given fields of ``account``; ``owner_id`` is honoured for admin only.

    ``expected_version`` is the ``row_version`` the editor read; another one
    raises StaleEdit and nothing changes (see ``services.row_versions``).
    """
    require_account_editor(actor)
    with unit_of_work():
        check_row_version(account, expected_version)
        mark_edited(account)
        for field in ACCOUNT_FIELDS:
            if field in data:
                setattr(account, field, clean(data[field]))
        if not account.name:
            raise ValidationFailed("Name is required.", {"name": ["Name is required."]})
        _check_tax_id_free(account.tax_id, account.id)
        if (
            can_assign_owner(Role(actor.role))
            and data.get("owner_id")
            and data["owner_id"] != account.owner_id
        ):
            account.owner = _resolve_owner(data["owner_id"])
        if "team_ids" in data:
            team = _resolve_team(data["team_ids"])
            account.team = [u for u in team if u.id != account.owner_id]
    return account


def delete_account(actor: User, account: Account, *, expected_version: int | None = None) -> None:
    """Delete the account and everything that hangs off it (stakeholders, orders, ...).

    ``expected_version`` is the ``row_version`` the deleting user saw: an account
    changed since is not deleted (StaleEdit)."""
    require_account_editor(actor)
    check_row_version(account, expected_version)
    with unit_of_work():
        db.session.delete(account)
