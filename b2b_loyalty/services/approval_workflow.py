"""One step of the four-eyes workflow for any versioned, finance-approved schedule.

Discount schedules (core) and tenure schedules (plugin) share it: the rules live
in ``domain/schedule_workflow.py``; this applies a step to a version row and
writes the audit entry in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from b2b_loyalty.domain.roles import Role
from b2b_loyalty.domain.schedule_workflow import (
    ScheduleStatus,
    WorkflowError,
    can_author_schedules,
    check_decision,
    next_status,
)
from b2b_loyalty.models import User
from b2b_loyalty.services import audit
from b2b_loyalty.services.errors import Forbidden, field_error
from b2b_loyalty.services.values import clean

PAST_TENSE = {"submit": "submitted", "approve": "approved", "reject": "rejected"}


def apply_transition(
    actor: User,
    version: Any,
    action: str,
    comment: str | None,
    *,
    snapshot: Callable[[Any], dict[str, Any]],
    audit_entity: str,
    **audit_extra: Any,
) -> None:
    """Submit, approve or reject ``version`` (a row with status, created_by_id,
    submitted_at, decided_by_id, decided_at and decision_comment)."""
    try:
        if action in ("approve", "reject"):
            check_decision(action, actor.id, Role(actor.role), version.created_by_id)
        elif not can_author_schedules(Role(actor.role)):
            raise WorkflowError("Only finance or an administrator can submit schedules.")
        target = next_status(action, ScheduleStatus(version.status))
    except WorkflowError as exc:
        raise Forbidden(str(exc)) from None
    if action == "reject" and not (comment or "").strip():
        raise field_error("comment", "Say why the schedule is rejected.")
    before = snapshot(version)
    version.status = target.value
    now = datetime.now(UTC)
    if action == "submit":
        version.submitted_at = now
    else:
        version.decided_by_id, version.decided_at = actor.id, now
        version.decision_comment = clean(comment)
    audit.record(
        actor,
        audit_entity,
        version.id,
        PAST_TENSE[action],
        before=before,
        after=snapshot(version),
        comment=clean(comment),
        **audit_extra,
    )
