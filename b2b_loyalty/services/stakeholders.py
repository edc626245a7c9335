"""Creating, changing and deleting the people at a client."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from b2b_loyalty.access import scoped_get
from b2b_loyalty.domain.decision_circles import (
    INFLUENCE_MAX,
    INFLUENCE_MIN,
    BuyingRole,
    Circle,
    Stance,
)
from b2b_loyalty.domain.org_chart import reports_to_creates_cycle
from b2b_loyalty.extensions import db
from b2b_loyalty.models import Account, Stakeholder, User
from b2b_loyalty.services.errors import NotFound, ValidationFailed, field_error
from b2b_loyalty.services.permissions import require_account_editor
from b2b_loyalty.services.row_versions import check_row_version, mark_edited
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


def _check_vocabulary(stakeholder: Stakeholder) -> None:
    """The rules the forms also check, repeated here for callers without a form (CLI, plugins)."""
    errors: dict[str, list[str]] = {}
    if not stakeholder.name:
        errors["name"] = ["Name is required."]
    if stakeholder.circle not in {int(c) for c in Circle}:
        errors["circle"] = [
            "Circle must be 1 (decision makers), 2 (support functions) or 3 (influencers)."
        ]
    if not isinstance(stakeholder.influence, int) or not (
        INFLUENCE_MIN <= stakeholder.influence <= INFLUENCE_MAX
    ):
        errors["influence"] = ["Influence runs from 1 to 5."]
    if stakeholder.stance not in {s.value for s in Stance}:
        errors["stance"] = ["Not a valid stance."]
    if stakeholder.buying_role is not None and stakeholder.buying_role not in {
        r.value for r in BuyingRole
    }:
        errors["buying_role"] = ["Not a valid buying role."]
    if errors:
        raise ValidationFailed("The person has invalid fields.", errors)


def _apply(stakeholder: Stakeholder, data: dict[str, Any]) -> None:
    for field in STAKEHOLDER_FIELDS:
        if field in data:
            setattr(stakeholder, field, clean(data[field]))
    if stakeholder.stance is None:
        stakeholder.stance = Stance.NEUTRAL.value
    if stakeholder.influence is None:
        stakeholder.influence = 3
    if stakeholder.active is None:
        stakeholder.active = True
    _check_vocabulary(stakeholder)


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
    actor: User,
    account: Account,
    stakeholder: Stakeholder,
    data: dict[str, Any],
    *,
    expected_version: int | None = None,
) -> Stakeholder:
    """Change the given fields; ``expected_version`` is the ``row_version`` the editor read."""
    require_account_editor(actor)
    with unit_of_work(), db.session.no_autoflush:
        check_row_version(stakeholder, expected_version)
        mark_edited(stakeholder)
        _apply(stakeholder, data)
        if "reports_to_id" in data:
            _check_reports_to(account, stakeholder, data["reports_to_id"])
            stakeholder.reports_to_id = data["reports_to_id"]
    return stakeholder


def delete_stakeholder(
    actor: User, stakeholder: Stakeholder, *, expected_version: int | None = None
) -> None:
    """``expected_version``: the ``row_version`` the deleting user saw (see delete_account)."""
    require_account_editor(actor)
    check_row_version(stakeholder, expected_version)
    with unit_of_work():
        db.session.delete(stakeholder)


__all__ = [
    "ValidationFailed",
    "create_stakeholder",
    "delete_stakeholder",
    "get_stakeholder",
    "update_stakeholder",
]
