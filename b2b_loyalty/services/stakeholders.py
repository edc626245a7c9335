"""Creating, changing and deleting the people at a client."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from b2b_loyalty.access import scoped_get
from b2b_loyalty.domain.org_chart import reports_to_creates_cycle
from b2b_loyalty.extensions import db
from b2b_loyalty.models import Account, Stakeholder, User
from b2b_loyalty.services.errors import NotFound, ValidationFailed, field_error
from b2b_loyalty.services.permissions import require_account_editor
from b2b_loyalty.services.transaction import unit_of_work
from b2b_loyalty.services.values import clean

STAKEHOLDER_FIELDS = (
    "name",
    "title",
    "department",
    "email",
    "phone",
    "circle",
    "buying_role",
    "stance",
    "influence",
    "active",
    "notes",
)


def get_stakeholder(account: Account, stakeholder_id: int) -> Stakeholder:
    stakeholder = scoped_get(Stakeholder, stakeholder_id)
    if stakeholder is None or stakeholder.account_id != account.id:
        raise NotFound("No such stakeholder at this account.")
    return stakeholder


def _check_reports_to(account: Account, stakeholder: Stakeholder, manager_id: int | None) -> None:
    if manager_id is None:
        return
    manager_of = dict(
        db.session.execute(
            select(Stakeholder.id, Stakeholder.reports_to_id).where(
                Stakeholder.account_id == account.id
            )
        ).all()
    )
    if manager_id not in manager_of:
        raise field_error("reports_to_id", "Reports-to must be another person at the same account.")
    if manager_id == stakeholder.id:
        raise field_error("reports_to_id", "A person cannot report to themselves.")
    if reports_to_creates_cycle(stakeholder.id, manager_id, manager_of):
        raise field_error(
            "reports_to_id", "This reports-to line would make a loop in the org chart."
        )


def _apply(stakeholder: Stakeholder, data: dict[str, Any]) -> None:
    for field in STAKEHOLDER_FIELDS:
        if field in data:
            setattr(stakeholder, field, clean(data[field]))
    if not stakeholder.name:
        raise field_error("name", "Name is required.")


def create_stakeholder(actor: User, account: Account, data: dict[str, Any]) -> Stakeholder:
    require_account_editor(actor)
    with unit_of_work(), db.session.no_autoflush:
        stakeholder = Stakeholder(account_id=account.id)
        _apply(stakeholder, data)
        _check_reports_to(account, stakeholder, data.get("reports_to_id"))
        stakeholder.reports_to_id = data.get("reports_to_id")
        db.session.add(stakeholder)
    return stakeholder


def update_stakeholder(
    actor: User, account: Account, stakeholder: Stakeholder, data: dict[str, Any]
) -> Stakeholder:
    require_account_editor(actor)
    with unit_of_work(), db.session.no_autoflush:
        _apply(stakeholder, data)
        if "reports_to_id" in data:
            _check_reports_to(account, stakeholder, data["reports_to_id"])
            stakeholder.reports_to_id = data["reports_to_id"]
    return stakeholder


def delete_stakeholder(actor: User, stakeholder: Stakeholder) -> None:
    require_account_editor(actor)
    with unit_of_work():
        db.session.delete(stakeholder)


__all__ = [
    "ValidationFailed",
    "create_stakeholder",
    "delete_stakeholder",
    "get_stakeholder",
    "update_stakeholder",
]
