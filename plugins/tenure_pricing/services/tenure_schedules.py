"""Drafting, approving and versioning the tenure schedule, with the core's workflow rules.

The same life as a discount schedule (``b2b_loyalty.domain.schedule_workflow``):
finance drafts and submits, a *different* finance user or an admin approves or
rejects (four eyes), approved versions never change, a change is a new version,
and approving it retires the previous one from the day before it takes effect.
Every step is written to the core's append-only audit trail.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from b2b_loyalty.domain.roles import Role
from b2b_loyalty.domain.schedule_workflow import (
    EDITABLE,
    ScheduleStatus,
    can_author_schedules,
)
from b2b_loyalty.extensions import db
from b2b_loyalty.models import User
from b2b_loyalty.services import audit
from b2b_loyalty.services.approval_workflow import apply_transition
from b2b_loyalty.services.errors import Conflict, Forbidden, NotFound, ValidationFailed, field_error
from b2b_loyalty.services.row_versions import check_row_version, mark_edited
from b2b_loyalty.services.transaction import unit_of_work
from b2b_loyalty.services.values import clean
from plugins.tenure_pricing.domain.tenure_schedule import (
    TenureSchedule as ScheduleValue,
)
from plugins.tenure_pricing.domain.tenure_schedule import (
    TenureScheduleError,
    parse_tenure_schedule,
)
from plugins.tenure_pricing.models import TenureSchedule, TenureScheduleTier
from plugins.tenure_pricing.queries import AUDIT_ENTITY

_OPEN = [s.value for s in EDITABLE] + [ScheduleStatus.PENDING_APPROVAL.value]


def snapshot(version: TenureSchedule) -> dict[str, Any]:
    """The auditable state of a version: rules, status and tiers."""
    return {
        "version": version.version,
        "status": version.status,
        "stacking": version.stacking,
        "max_total_percent": version.max_total_percent,
        "grace_days": version.grace_days,
        "renewal_uplift_percent": version.renewal_uplift_percent,
        "effective_from": version.effective_from,
        "effective_to": version.effective_to,
        "tiers": [{"from_months": t.from_months, "percent": t.percent} for t in version.tiers],
    }


def get_schedule(schedule_id: int) -> TenureSchedule:
    version = db.session.get(TenureSchedule, schedule_id)
    if version is None:
        raise NotFound("No such tenure schedule.")
    return version


def _require_author(actor: User) -> None:
    if not can_author_schedules(Role(actor.role)):
        raise Forbidden("Only finance or an administrator can change the tenure schedule.")


def _validated(data: dict[str, Any]) -> ScheduleValue:
    try:
        return parse_tenure_schedule(
            tiers=data.get("tiers"),
            stacking=data.get("stacking"),
            max_total_percent=data.get("max_total_percent"),
            grace_days=data.get("grace_days"),
            renewal_uplift_percent=data.get("renewal_uplift_percent"),
        )
    except TenureScheduleError as exc:
        raise ValidationFailed("The tenure schedule has errors.", exc.field_errors) from None


def _effective_from(raw: Any) -> date:
    if raw in (None, ""):
        return date.today()
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        raise field_error("effective_from", "Use a date such as 2027-01-01.") from None


def _set_rules(version: TenureSchedule, value: ScheduleValue) -> None:
    version.stacking = value.stacking.value
    version.max_total_percent = value.max_total_percent
    version.grace_days = value.grace_days
    version.renewal_uplift_percent = value.renewal_uplift_percent
    if version.id is not None:
        # Delete the old rows first: (schedule, position) is unique.
        version.tiers.clear()
        db.session.flush()
    version.tiers = [
        TenureScheduleTier(position=i, from_months=t.from_months, percent=t.percent)
        for i, t in enumerate(value.tiers)
    ]


def _refuse_second_open_version() -> None:
    if db.session.scalar(select(TenureSchedule.id).where(TenureSchedule.status.in_(_OPEN))):
        raise Conflict(
            "A draft or pending tenure schedule exists already; edit or decide it first."
        )


def _next_number() -> int:
    return (db.session.scalar(select(func.max(TenureSchedule.version))) or 0) + 1


def create_draft(actor: User, data: dict[str, Any]) -> TenureSchedule:
    """A new draft version from ``data`` (tiers, stacking, cap, grace, uplift, effective_from)."""
    _require_author(actor)
    value = _validated(data)
    effective_from = _effective_from(data.get("effective_from"))
    with unit_of_work(), db.session.no_autoflush:
        _refuse_second_open_version()
        version = TenureSchedule(
            version=_next_number(),
            status=ScheduleStatus.DRAFT.value,
            effective_from=effective_from,
            change_note=clean(data.get("change_note")),
            created_by_id=actor.id,
        )
        _set_rules(version, value)
        db.session.add(version)
        db.session.flush()
        audit.record(actor, AUDIT_ENTITY, version.id, "created", after=snapshot(version))
    return version


def update_draft(
    actor: User,
    version: TenureSchedule,
    data: dict[str, Any],
    *,
    expected_version: int | None = None,
) -> TenureSchedule:
    """Change a draft (or rejected) version; approved and pending ones never change.

    ``expected_version`` is the ``row_version`` the editor read; another one raises
    StaleEdit (checked first: a version submitted meanwhile is a change the editor has
    not seen either)."""
    _require_author(actor)
    check_row_version(version, expected_version)
    if ScheduleStatus(version.status) not in EDITABLE:
        raise Conflict(
            "An approved or pending tenure schedule cannot be edited; start a new version."
        )
    merged = {**snapshot(version), **{k: v for k, v in data.items() if v is not None}}
    value = _validated(merged)
    effective_from = _effective_from(data["effective_from"]) if "effective_from" in data else None
    with unit_of_work(), db.session.no_autoflush:
        before = snapshot(version)
        # Tiers are rows of their own: without this a tiers-only edit would not move
        # the version on.
        mark_edited(version)
        _set_rules(version, value)
        if effective_from is not None:
            version.effective_from = effective_from
        if "change_note" in data:
            version.change_note = clean(data["change_note"])
        version.status = ScheduleStatus.DRAFT.value
        db.session.flush()
        audit.record(
            actor, AUDIT_ENTITY, version.id, "updated", before=before, after=snapshot(version)
        )
    return version


def _transition(actor: User, version: TenureSchedule, action: str, comment: str | None) -> None:
    apply_transition(actor, version, action, comment, snapshot=snapshot, audit_entity=AUDIT_ENTITY)


def submit(
    actor: User, version: TenureSchedule, *, expected_version: int | None = None
) -> TenureSchedule:
    """Submit a draft; ``expected_version`` (optional) is the ``row_version`` the user read."""
    check_row_version(version, expected_version)
    with unit_of_work():
        _transition(actor, version, "submit", None)
    return version


def reject(
    actor: User,
    version: TenureSchedule,
    comment: str | None,
    *,
    expected_version: int | None = None,
) -> TenureSchedule:
    check_row_version(version, expected_version)
    with unit_of_work():
        _transition(actor, version, "reject", comment)
    return version


def approve(
    actor: User,
    version: TenureSchedule,
    comment: str | None,
    *,
    expected_version: int | None = None,
) -> TenureSchedule:
    """Approve a pending version; the approved one it replaces stops the day before.

    With ``expected_version`` (the ``row_version`` the approver read) a version changed
    since — withdrawn and edited, say — is refused rather than approved unseen."""
    check_row_version(version, expected_version)
    with unit_of_work():
        _transition(actor, version, "approve", comment)
        previous = db.session.scalars(
            select(TenureSchedule).where(
                TenureSchedule.id != version.id,
                TenureSchedule.status == ScheduleStatus.APPROVED.value,
            )
        ).all()
        for old in previous:
            before = snapshot(old)
            old.effective_to = version.effective_from - timedelta(days=1)
            old.status = ScheduleStatus.RETIRED.value
            audit.record(
                actor,
                AUDIT_ENTITY,
                old.id,
                "retired",
                before=before,
                after=snapshot(old),
                comment=(
                    f"replaced by version {version.version} "
                    f"from {version.effective_from.isoformat()}"
                ),
            )
    return version


def new_version(actor: User, version: TenureSchedule) -> TenureSchedule:
    """Start a new draft copying ``version``'s rules and tiers, effective from tomorrow at the
    earliest."""
    _require_author(actor)
    with unit_of_work(), db.session.no_autoflush:
        _refuse_second_open_version()
        draft = TenureSchedule(
            version=_next_number(),
            status=ScheduleStatus.DRAFT.value,
            effective_from=max(
                date.today() + timedelta(days=1), version.effective_from + timedelta(days=1)
            ),
            created_by_id=actor.id,
        )
        _set_rules(draft, version.as_value())
        db.session.add(draft)
        db.session.flush()
        audit.record(
            actor,
            AUDIT_ENTITY,
            draft.id,
            "new_version",
            before=snapshot(version),
            after=snapshot(draft),
        )
    return draft
