"""Recording, changing and deleting interactions; every change leaves an audit entry."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from b2b_loyalty.extensions import db
from b2b_loyalty.models import Account, Stakeholder, User
from b2b_loyalty.services import audit
from b2b_loyalty.services.errors import NotFound, ValidationFailed
from b2b_loyalty.services.permissions import require_account_editor
from b2b_loyalty.services.row_versions import check_row_version, mark_edited
from b2b_loyalty.services.transaction import unit_of_work
from b2b_loyalty.services.values import clean
from plugins.engagement import queries
from plugins.engagement.domain.vocabulary import Channel, InteractionType
from plugins.engagement.models import Interaction, InteractionParticipant

TEXT_LIMIT = 10_000
MAX_ID = 2**31 - 1  # ids are INTEGER: a bigger one cannot exist, and asking would overflow
AUDITED = (
    "type",
    "date",
    "stakeholder_ids",
    "our_people_ids",
    "channel",
    "summary",
    "outcome",
    "next_step",
    "next_step_due",
    "next_step_done_on",
)


def get_interaction(account: Account, interaction_id: int) -> Interaction:
    interaction = queries.get_interaction(account.id, interaction_id)
    if interaction is None:
        raise NotFound("No such interaction at this account.")
    return interaction


def snapshot(interaction: Interaction) -> dict[str, Any]:
    """The audited fields of an interaction, as the audit trail stores them."""
    return {
        "type": interaction.type,
        "date": interaction.occurred_on,
        "stakeholder_ids": interaction.stakeholder_ids,
        "our_people_ids": sorted(u.id for u in interaction.colleagues),
        "channel": interaction.channel,
        "summary": interaction.summary,
        "outcome": interaction.outcome,
        "next_step": interaction.next_step,
        "next_step_due": interaction.next_step_due,
        "next_step_done_on": interaction.next_step_done_on,
    }


def _people(account: Account, ids: list[int], errors: dict[str, list[str]]) -> list[int]:
    wanted = sorted({int(i) for i in ids or []})
    if not wanted:
        errors["stakeholder_ids"] = ["Choose at least one person at the client."]
        return []
    plausible = [i for i in wanted if 0 < i <= MAX_ID]
    found = set(
        db.session.scalars(
            select(Stakeholder.id).where(
                Stakeholder.account_id == account.id, Stakeholder.id.in_(plausible)
            )
        )
    )
    missing = [i for i in wanted if i not in found]
    if missing:
        errors["stakeholder_ids"] = [
            "Not a person at this account: " + ", ".join(str(i) for i in missing) + "."
        ]
    return wanted


def _colleagues(ids: list[int] | None, errors: dict[str, list[str]]) -> list[User]:
    wanted = sorted({int(i) for i in ids or []})
    if not wanted:
        return []
    plausible = [i for i in wanted if 0 < i <= MAX_ID]
    users = list(db.session.scalars(select(User).where(User.id.in_(plausible), User.active)))
    if len(users) != len(wanted):
        known = {u.id for u in users}
        errors["our_people_ids"] = [
            "Unknown or inactive user id(s): "
            + ", ".join(str(i) for i in wanted if i not in known)
            + "."
        ]
    return users


def _validated(account: Account, data: dict[str, Any], today: date) -> dict[str, Any]:
    """Clean values of the form's fields, or ValidationFailed naming every bad field."""
    errors: dict[str, list[str]] = {}
    values = {
        "type": clean(data.get("type")),
        "occurred_on": data.get("date"),
        "channel": clean(data.get("channel")),
        "summary": clean(data.get("summary")),
        "outcome": clean(data.get("outcome")),
        "next_step": clean(data.get("next_step")),
        "next_step_due": data.get("next_step_due"),
    }
    if values["type"] not in {t.value for t in InteractionType}:
        errors["type"] = ["Choose the kind of interaction."]
    if values["channel"] is not None and values["channel"] not in {c.value for c in Channel}:
        errors["channel"] = ["Not a known channel."]
    occurred = values["occurred_on"]
    if not isinstance(occurred, date):
        errors["date"] = ["Give the date of the interaction."]
    elif occurred > today:
        errors["date"] = ["An interaction cannot be in the future; plan it as a next step."]
    if not values["summary"]:
        errors["summary"] = ["Say in a line what it was about."]
    for name in ("summary", "outcome", "next_step"):
        if values[name] and len(values[name]) > TEXT_LIMIT:
            errors[name] = [f"At most {TEXT_LIMIT:,} characters."]
    due = values["next_step_due"]
    if due is not None and not values["next_step"]:
        errors["next_step"] = ["Say what the next step is, or leave its due date empty."]
    if due is not None and isinstance(occurred, date) and due < occurred:
        errors["next_step_due"] = ["The next step cannot be due before the interaction."]
    values["stakeholder_ids"] = _people(account, data.get("stakeholder_ids") or [], errors)
    values["colleagues"] = _colleagues(data.get("our_people_ids"), errors)
    if errors:
        raise ValidationFailed("The interaction has invalid fields.", errors)
    return values


def _apply(interaction: Interaction, account: Account, values: dict[str, Any]) -> None:
    for name in ("type", "occurred_on", "channel", "summary", "outcome", "next_step"):
        setattr(interaction, name, values[name])
    if interaction.next_step_due != values["next_step_due"] or not values["next_step"]:
        interaction.next_step_done_on = None
    interaction.next_step_due = values["next_step_due"]
    wanted = values["stakeholder_ids"]
    interaction.participants = [p for p in interaction.participants if p.stakeholder_id in wanted]
    present = {p.stakeholder_id for p in interaction.participants}
    for stakeholder_id in wanted:
        if stakeholder_id not in present:
            interaction.participants.append(
                InteractionParticipant(stakeholder_id=stakeholder_id, account_id=account.id)
            )
    interaction.colleagues = values["colleagues"]


def create_interaction(
    actor: User, account: Account, data: dict[str, Any], *, today: date | None = None
) -> Interaction:
    """Record an interaction at ``account``; ``data`` holds the form's field names."""
    require_account_editor(actor)
    with unit_of_work(), db.session.no_autoflush:
        values = _validated(account, data, today or date.today())
        interaction = Interaction(
            account_id=account.id, created_by_id=actor.id, updated_by_id=actor.id
        )
        _apply(interaction, account, values)
        db.session.add(interaction)
        db.session.flush()
        audit.record(
            actor, queries.AUDIT_ENTITY, interaction.id, "create", after=snapshot(interaction)
        )
    return interaction


def update_interaction(
    actor: User,
    account: Account,
    interaction: Interaction,
    data: dict[str, Any],
    *,
    today: date | None = None,
    expected_version: int | None = None,
) -> Interaction:
    """Change the interaction; ``expected_version`` is the ``row_version`` the editor read
    (an interaction changed since is not overwritten: StaleEdit)."""
    require_account_editor(actor)
    with unit_of_work(), db.session.no_autoflush:
        check_row_version(interaction, expected_version)
        mark_edited(interaction)
        before = snapshot(interaction)
        values = _validated(account, data, today or date.today())
        _apply(interaction, account, values)
        after = snapshot(interaction)
        changed = [k for k in AUDITED if before[k] != after[k]]
        if changed:
            interaction.updated_by_id = actor.id
            audit.record(
                actor,
                queries.AUDIT_ENTITY,
                interaction.id,
                "update",
                before={k: before[k] for k in changed},
                after={k: after[k] for k in changed},
            )
    return interaction


def complete_next_step(
    actor: User, interaction: Interaction, *, today: date | None = None
) -> Interaction:
    """Mark the interaction's next step done today (no-op when already done)."""
    require_account_editor(actor)
    if not interaction.next_step:
        raise ValidationFailed(
            "This interaction has no next step.", {"next_step": ["No next step to complete."]}
        )
    with unit_of_work():
        if interaction.next_step_done_on is None:
            interaction.next_step_done_on = today or date.today()
            interaction.updated_by_id = actor.id
            audit.record(
                actor,
                queries.AUDIT_ENTITY,
                interaction.id,
                "complete_next_step",
                before={"next_step_done_on": None},
                after={"next_step_done_on": interaction.next_step_done_on},
            )
    return interaction


def delete_interaction(
    actor: User, interaction: Interaction, *, expected_version: int | None = None
) -> None:
    """``expected_version``: the ``row_version`` the deleting user saw; an interaction
    changed since is not deleted (StaleEdit)."""
    require_account_editor(actor)
    check_row_version(interaction, expected_version)
    with unit_of_work():
        audit.record(
            actor, queries.AUDIT_ENTITY, interaction.id, "delete", before=snapshot(interaction)
        )
        db.session.delete(interaction)
