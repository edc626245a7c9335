"""Drafting, approving and versioning discount schedules; every change is audited."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from b2b_loyalty.db_limits import is_db_id
from b2b_loyalty.domain.discount_schedule import ScheduleValidationError, parse_schedule
from b2b_loyalty.domain.roles import Role
from b2b_loyalty.domain.schedule_workflow import (
    EDITABLE,
    ScheduleStatus,
    can_author_schedules,
)
from b2b_loyalty.extensions import db
from b2b_loyalty.models import (
    Account,
    DiscountTier,
    ProductCategory,
    ScheduleAssignment,
    ScheduleFamily,
    ScheduleVersion,
    User,
)
from b2b_loyalty.services import audit
from b2b_loyalty.services.approval_workflow import apply_transition
from b2b_loyalty.services.errors import Conflict, Forbidden, NotFound, ValidationFailed, field_error
from b2b_loyalty.services.row_versions import check_row_version, mark_edited
from b2b_loyalty.services.transaction import unit_of_work
from b2b_loyalty.services.values import clean


def snapshot(version: ScheduleVersion) -> dict[str, Any]:
    """The auditable state of a version: settings, status and tiers."""
    return {
        "name": version.family.name,
        "version": version.version,
        "basis": version.basis,
        "mode": version.mode,
        "scope": version.scope,
        "currency": version.currency,
        "status": version.status,
        "effective_from": version.effective_from,
        "effective_to": version.effective_to,
        "tiers": [{"from": t.from_value, "percent": t.percent} for t in version.tiers],
    }


def get_version(schedule_id: int) -> ScheduleVersion:
    version = db.session.get(ScheduleVersion, schedule_id) if is_db_id(schedule_id) else None
    if version is None:
        raise NotFound("No such discount schedule.")
    return version


def _require_author(actor: User) -> None:
    if not can_author_schedules(Role(actor.role)):
        raise Forbidden("Only finance or an administrator can change discount schedules.")


def _validated(data: dict[str, Any], currency: str) -> Any:
    """Check settings and tiers with the pricing engine's own validation."""
    try:
        return parse_schedule(
            basis=data.get("basis"),
            mode=data.get("mode"),
            tiers=data.get("tiers"),
            scope=data.get("scope") or "per_order",
            currency=data.get("currency") or currency,
        )
    except ScheduleValidationError as exc:
        raise ValidationFailed("The schedule has errors.", exc.field_errors) from None


def _set_tiers(version: ScheduleVersion, value: Any) -> None:
    if version.id is not None:
        # Delete the old rows first: (schedule, position) is unique.
        version.tiers.clear()
        db.session.flush()
    version.tiers = [
        DiscountTier(position=i, from_value=tier.from_, percent=tier.percent)
        for i, tier in enumerate(value.tiers)
    ]


def _effective_from(raw: Any) -> date:
    if raw in (None, ""):
        return date.today()
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        raise field_error("effective_from", "Use a date such as 2027-01-01.") from None


def create_schedule(actor: User, data: dict[str, Any], *, currency: str) -> ScheduleVersion:
    """Create a schedule (its family and draft version 1)."""
    _require_author(actor)
    name = clean(data.get("name"))
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = ["Name is required."]
    elif not isinstance(name, str) or len(name) > 200:
        errors["name"] = ["Use text of at most 200 characters."]
    try:
        value = _validated(data, currency)
    except ValidationFailed as exc:
        errors.update(exc.fields)
        value = None
    if errors:
        raise ValidationFailed("The schedule has errors.", errors)
    with unit_of_work(), db.session.no_autoflush:
        taken = db.session.scalar(
            select(ScheduleFamily.id).where(func.lower(ScheduleFamily.name) == name.lower())
        )
        if taken:
            raise field_error("name", "Another schedule already has this name.")
        family = ScheduleFamily(name=name, description=clean(data.get("description")))
        version = ScheduleVersion(
            family=family,
            version=1,
            basis=value.basis.value,
            mode=value.mode.value,
            scope=value.scope.value,
            currency=value.currency,
            status=ScheduleStatus.DRAFT.value,
            effective_from=_effective_from(data.get("effective_from")),
            change_note=clean(data.get("change_note")),
            created_by_id=actor.id,
        )
        _set_tiers(version, value)
        db.session.add(version)
        db.session.flush()
        audit.record(
            actor,
            "discount_schedule",
            version.id,
            "created",
            after=snapshot(version),
            schedule_family_id=family.id,
        )
    return version


def update_draft(
    actor: User,
    version: ScheduleVersion,
    data: dict[str, Any],
    *,
    expected_version: int | None = None,
) -> ScheduleVersion:
    """Change a draft's settings and tiers. Approved versions never change.

    ``expected_version`` is the ``row_version`` the editor read; another one
    raises StaleEdit (checked first: a version approved meanwhile is a change
    the editor has not seen either).
    """
    _require_author(actor)
    check_row_version(version, expected_version)
    if ScheduleStatus(version.status) not in EDITABLE:
        raise Conflict(
            "An approved or pending schedule cannot be edited; create a new version instead."
        )
    merged = {**snapshot(version), **{k: v for k, v in data.items() if v is not None}}
    value = _validated(merged, version.currency)
    with unit_of_work(), db.session.no_autoflush:
        before = snapshot(version)
        # Tiers are rows of their own: without this a tiers-only edit would not
        # move the version on.
        mark_edited(version)
        version.basis, version.mode, version.scope = (
            value.basis.value,
            value.mode.value,
            value.scope.value,
        )
        version.currency = value.currency
        if "effective_from" in data:
            version.effective_from = _effective_from(data["effective_from"])
        if "change_note" in data:
            version.change_note = clean(data["change_note"])
        if "description" in data:
            version.family.description = clean(data["description"])
        _set_tiers(version, value)
        version.status = ScheduleStatus.DRAFT.value
        db.session.flush()
        audit.record(
            actor,
            "discount_schedule",
            version.id,
            "updated",
            before=before,
            after=snapshot(version),
            schedule_family_id=version.family_id,
        )
    return version


def _transition(actor: User, version: ScheduleVersion, action: str, comment: str | None) -> None:
    apply_transition(
        actor,
        version,
        action,
        comment,
        snapshot=snapshot,
        audit_entity="discount_schedule",
        schedule_family_id=version.family_id,
    )


def submit(
    actor: User, version: ScheduleVersion, *, expected_version: int | None = None
) -> ScheduleVersion:
    """Submit a draft; ``expected_version`` (optional) is the ``row_version`` the user read."""
    with unit_of_work():
        check_row_version(version, expected_version)
        _transition(actor, version, "submit", None)
    return version


def reject(
    actor: User,
    version: ScheduleVersion,
    comment: str | None,
    *,
    expected_version: int | None = None,
) -> ScheduleVersion:
    with unit_of_work():
        check_row_version(version, expected_version)
        _transition(actor, version, "reject", comment)
    return version


def approve(
    actor: User,
    version: ScheduleVersion,
    comment: str | None,
    *,
    expected_version: int | None = None,
) -> ScheduleVersion:
    """Approve a pending version; the version it replaces stops the day before it starts.

    With ``expected_version`` (the ``row_version`` the approver read) a version
    changed since the approver looked at it is refused: approve what you saw.
    """
    with unit_of_work():
        check_row_version(version, expected_version)
        _transition(actor, version, "approve", comment)
        previous = db.session.scalars(
            select(ScheduleVersion).where(
                ScheduleVersion.family_id == version.family_id,
                ScheduleVersion.id != version.id,
                ScheduleVersion.status == ScheduleStatus.APPROVED.value,
            )
        ).all()
        for old in previous:
            before = snapshot(old)
            old.effective_to = version.effective_from - timedelta(days=1)
            old.status = ScheduleStatus.RETIRED.value
            audit.record(
                actor,
                "discount_schedule",
                old.id,
                "retired",
                before=before,
                after=snapshot(old),
                schedule_family_id=old.family_id,
                comment=f"replaced by version {version.version} from {version.effective_from.isoformat()}",
            )
    return version


def new_version(
    actor: User, version: ScheduleVersion, *, effective_from: Any = None
) -> ScheduleVersion:
    """Start a new draft from an approved (or any) version, copying its tiers."""
    _require_author(actor)
    with unit_of_work(), db.session.no_autoflush:
        pending = db.session.scalar(
            select(ScheduleVersion.id).where(
                ScheduleVersion.family_id == version.family_id,
                ScheduleVersion.status.in_(
                    [s.value for s in EDITABLE] + [ScheduleStatus.PENDING_APPROVAL.value]
                ),
            )
        )
        if pending:
            raise Conflict("This schedule already has a draft or pending version; edit that one.")
        latest = db.session.scalar(
            select(func.max(ScheduleVersion.version)).where(
                ScheduleVersion.family_id == version.family_id
            )
        )
        draft = ScheduleVersion(
            family_id=version.family_id,
            version=(latest or 0) + 1,
            basis=version.basis,
            mode=version.mode,
            scope=version.scope,
            currency=version.currency,
            status=ScheduleStatus.DRAFT.value,
            effective_from=_effective_from(effective_from)
            if effective_from
            else max(date.today(), version.effective_from + timedelta(days=1)),
            created_by_id=actor.id,
        )
        draft.tiers = [
            DiscountTier(position=t.position, from_value=t.from_value, percent=t.percent)
            for t in version.tiers
        ]
        db.session.add(draft)
        db.session.flush()
        db.session.refresh(draft)
        audit.record(
            actor,
            "discount_schedule",
            draft.id,
            "new_version",
            before=snapshot(version),
            after=snapshot(draft),
            schedule_family_id=version.family_id,
        )
    return draft


def assign(
    actor: User, family: ScheduleFamily, category: ProductCategory, account: Account | None = None
) -> ScheduleAssignment:
    """Make ``family`` the schedule for ``category`` (for one account, or as the default)."""
    _require_author(actor)
    with unit_of_work(), db.session.no_autoflush:
        existing = db.session.scalar(
            select(ScheduleAssignment).where(
                ScheduleAssignment.category_id == category.id,
                ScheduleAssignment.account_id.is_(None)
                if account is None
                else ScheduleAssignment.account_id == account.id,
            )
        )
        before = None
        if existing is not None:
            before = {
                "family_id": existing.family_id,
                "category": category.name,
                "account_id": existing.account_id,
            }
            existing.family_id = family.id
            assignment = existing
        else:
            assignment = ScheduleAssignment(
                family_id=family.id,
                category_id=category.id,
                account_id=account.id if account else None,
            )
            db.session.add(assignment)
        db.session.flush()
        audit.record(
            actor,
            "schedule_assignment",
            assignment.id,
            "assigned",
            before=before,
            after={
                "family_id": family.id,
                "schedule": family.name,
                "category": category.name,
                "account_id": account.id if account else None,
            },
            schedule_family_id=family.id,
        )
    return assignment


def unassign(actor: User, assignment: ScheduleAssignment) -> None:
    _require_author(actor)
    with unit_of_work():
        audit.record(
            actor,
            "schedule_assignment",
            assignment.id,
            "unassigned",
            before={
                "family_id": assignment.family_id,
                "category": assignment.category.name,
                "account_id": assignment.account_id,
            },
            schedule_family_id=assignment.family_id,
        )
        db.session.delete(assignment)
