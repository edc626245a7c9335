"""An account's own contact cadence per circle, replacing the admin defaults."""

from __future__ import annotations

from sqlalchemy import select

from b2b_loyalty.extensions import db
from b2b_loyalty.models import Account, User
from b2b_loyalty.services import audit
from b2b_loyalty.services.errors import ValidationFailed
from b2b_loyalty.services.permissions import require_account_editor
from b2b_loyalty.services.transaction import unit_of_work
from plugins.engagement.domain.vocabulary import CIRCLES
from plugins.engagement.models import CadenceOverride

MAX_DAYS = 3650


def set_cadence_overrides(actor: User, account: Account, days: dict[int, int | None]) -> None:
    """Set (a number of days) or clear (None) the account's cadence of each given circle."""
    require_account_editor(actor)
    errors = {
        f"circle_{c}": [f"Give a number of days from 1 to {MAX_DAYS}, or leave it empty."]
        for c, d in days.items()
        if c not in CIRCLES or (d is not None and not 1 <= d <= MAX_DAYS)
    }
    if errors:
        raise ValidationFailed("The cadence has invalid values.", errors)
    with unit_of_work():
        existing = {
            o.circle: o
            for o in db.session.scalars(
                select(CadenceOverride).where(CadenceOverride.account_id == account.id)
            )
        }
        before = {c: o.days for c, o in existing.items()}
        for circle, value in days.items():
            row = existing.get(circle)
            if value is None and row is not None:
                db.session.delete(row)
            elif value is not None and row is None:
                db.session.add(
                    CadenceOverride(
                        account_id=account.id, circle=circle, days=value, updated_by_id=actor.id
                    )
                )
            elif value is not None and row.days != value:
                row.days, row.updated_by_id = value, actor.id
        after = {**before, **{c: d for c, d in days.items()}}
        after = {str(c): d for c, d in after.items() if d is not None}
        if {str(c): d for c, d in before.items()} != after:
            audit.record(
                actor,
                "engagement_cadence",
                account.id,
                "update",
                before={str(c): d for c, d in before.items()},
                after=after,
            )
