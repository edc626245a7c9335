"""Changing a person's stance and influence (core fields) and keeping their history."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from b2b_loyalty.extensions import db
from b2b_loyalty.models import Account, Stakeholder, User
from b2b_loyalty.services.errors import ValidationFailed
from b2b_loyalty.services.permissions import require_account_editor
from b2b_loyalty.services.stakeholders import update_stakeholder
from b2b_loyalty.services.values import clean
from plugins.engagement.models import StanceChangeRecord


def _last_recorded(stakeholder: Stakeholder) -> StanceChangeRecord | None:
    return db.session.scalar(
        select(StanceChangeRecord)
        .where(StanceChangeRecord.stakeholder_id == stakeholder.id)
        .order_by(StanceChangeRecord.changed_on.desc(), StanceChangeRecord.id.desc())
        .limit(1)
    )


def seed_history(stakeholder: Stakeholder, on: date, actor: User | None = None) -> None:
    """Add a seed row with the person's current values (no ``before``): tracking begins."""
    db.session.add(
        StanceChangeRecord(
            account_id=stakeholder.account_id,
            stakeholder_id=stakeholder.id,
            changed_on=on,
            stance_before=None,
            stance_after=stakeholder.stance,
            influence_before=None,
            influence_after=stakeholder.influence,
            note="Recorded when tracking began.",
            changed_by_id=actor.id if actor else None,
        )
    )


def change_stance(
    actor: User,
    account: Account,
    stakeholder: Stakeholder,
    stance: str,
    influence: int,
    note: str | None = None,
    *,
    today: date | None = None,
) -> Stakeholder:
    """Set stance and influence through the core's service, recording the change.

    The history row and the core change are committed together (the core's
    unit of work commits the session), or neither is. A person without history
    first gets a seed row with their current values; a change made on the core
    person form since the last row is recorded too, dated when the person was
    last updated, so the history never jumps.
    """
    require_account_editor(actor)
    today = today or date.today()
    if stance == stakeholder.stance and influence == stakeholder.influence:
        raise ValidationFailed(
            "Nothing changed.", {"stance": ["Choose a different stance or influence."]}
        )
    with db.session.no_autoflush:
        last = _last_recorded(stakeholder)
        if last is None:
            created = getattr(stakeholder, "created_at", None)
            seed_history(stakeholder, min(created.date(), today) if created else today)
        elif (last.stance_after, last.influence_after) != (
            stakeholder.stance,
            stakeholder.influence,
        ):
            updated = getattr(stakeholder, "updated_at", None)
            db.session.add(
                StanceChangeRecord(
                    account_id=stakeholder.account_id,
                    stakeholder_id=stakeholder.id,
                    changed_on=min(updated.date(), today) if updated else today,
                    stance_before=last.stance_after,
                    stance_after=stakeholder.stance,
                    influence_before=last.influence_after,
                    influence_after=stakeholder.influence,
                    note="Changed on the person's form.",
                )
            )
        db.session.add(
            StanceChangeRecord(
                account_id=stakeholder.account_id,
                stakeholder_id=stakeholder.id,
                changed_on=today,
                stance_before=stakeholder.stance,
                stance_after=stance,
                influence_before=stakeholder.influence,
                influence_after=influence,
                note=clean(note),
                changed_by_id=actor.id,
            )
        )
    try:
        return update_stakeholder(
            actor, account, stakeholder, {"stance": stance, "influence": influence}
        )
    except BaseException:
        db.session.rollback()  # the history rows must not outlive a refused change
        raise
