"""The life of a discount schedule version: draft → pending approval → approved → retired.

Finance drafts a schedule and submits it; a *different* finance user (or an
admin) approves or rejects it with a comment. An approved version is never
changed again: editing it means a new draft version, and approving that one
retires the old one from the new version's effective date.
"""

from __future__ import annotations

from enum import StrEnum

from b2b_loyalty.domain.roles import Role


class ScheduleStatus(StrEnum):
    DRAFT = "draft"
    PENDING_APPROVAL = "pending_approval"
    APPROVED = "approved"
    REJECTED = "rejected"
    RETIRED = "retired"


# Statuses whose tiers can still be changed. A rejected draft is edited and
# submitted again rather than copied.
EDITABLE = frozenset({ScheduleStatus.DRAFT, ScheduleStatus.REJECTED})
# Statuses that price orders within their effective dates.
IN_FORCE = frozenset({ScheduleStatus.APPROVED, ScheduleStatus.RETIRED})

_TRANSITIONS: dict[str, tuple[frozenset[ScheduleStatus], ScheduleStatus]] = {
    "submit": (
        frozenset({ScheduleStatus.DRAFT, ScheduleStatus.REJECTED}),
        ScheduleStatus.PENDING_APPROVAL,
    ),
    "approve": (frozenset({ScheduleStatus.PENDING_APPROVAL}), ScheduleStatus.APPROVED),
    "reject": (frozenset({ScheduleStatus.PENDING_APPROVAL}), ScheduleStatus.REJECTED),
}


class WorkflowError(ValueError):
    """An action that the schedule's status or the actor's role does not allow."""


def can_author_schedules(role: Role) -> bool:
    return role in (Role.FINANCE, Role.ADMIN)


def next_status(action: str, current: ScheduleStatus) -> ScheduleStatus:
    """The status after ``action``; WorkflowError when the current status forbids it."""
    allowed_from, target = _TRANSITIONS[action]
    if current not in allowed_from:
        raise WorkflowError(
            f"Cannot {action} a schedule that is {current.value.replace('_', ' ')}."
        )
    return target


def check_decision(action: str, actor_id: int, actor_role: Role, author_id: int | None) -> None:
    """Approve or reject: finance or admin only, and never on one's own draft (four eyes)."""
    if actor_role not in (Role.FINANCE, Role.ADMIN):
        raise WorkflowError(f"Only finance or an administrator can {action} a schedule.")
    if author_id is not None and actor_id == author_id:
        raise WorkflowError(f"You drafted this schedule; someone else must {action} it.")
