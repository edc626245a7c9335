"""Queries for the schedule pages and the finance overview."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from b2b_loyalty.domain.schedule_workflow import ScheduleStatus
from b2b_loyalty.extensions import db
from b2b_loyalty.models import (
    Account,
    AuditEntry,
    ScheduleAssignment,
    ScheduleFamily,
    ScheduleVersion,
)


def families_with_versions() -> list[ScheduleFamily]:
    """Every schedule with all its versions and tiers (three statements in all)."""
    return list(
        db.session.scalars(
            select(ScheduleFamily)
            .options(selectinload(ScheduleFamily.versions).selectinload(ScheduleVersion.tiers))
            .order_by(ScheduleFamily.name)
        )
    )


def version_with_family(schedule_id: int) -> ScheduleVersion | None:
    return db.session.scalar(
        select(ScheduleVersion)
        .where(ScheduleVersion.id == schedule_id)
        .options(
            selectinload(ScheduleVersion.tiers),
            joinedload(ScheduleVersion.family).selectinload(ScheduleFamily.versions),
            joinedload(ScheduleVersion.created_by),
            joinedload(ScheduleVersion.decided_by),
        )
    )


def assignments_of(family_id: int) -> list[ScheduleAssignment]:
    return list(
        db.session.scalars(
            select(ScheduleAssignment)
            .where(ScheduleAssignment.family_id == family_id)
            .options(
                joinedload(ScheduleAssignment.category), joinedload(ScheduleAssignment.account)
            )
            .order_by(ScheduleAssignment.category_id, ScheduleAssignment.account_id)
        )
    )


def pending_versions() -> list[ScheduleVersion]:
    return list(
        db.session.scalars(
            select(ScheduleVersion)
            .where(ScheduleVersion.status == ScheduleStatus.PENDING_APPROVAL.value)
            .options(
                joinedload(ScheduleVersion.family),
                joinedload(ScheduleVersion.created_by),
                selectinload(ScheduleVersion.tiers),
            )
            .order_by(ScheduleVersion.submitted_at)
        )
    )


def audit_statement(family_id: int | None = None):
    from b2b_loyalty.services.security_audit import SECURITY_ACTIONS

    # Sign-ins, token use and denials are in the same log but are not changes.
    stmt = (
        select(AuditEntry)
        .where(AuditEntry.action.not_in(SECURITY_ACTIONS))
        .options(joinedload(AuditEntry.actor))
        .order_by(AuditEntry.id.desc())
    )
    if family_id is not None:
        stmt = stmt.where(AuditEntry.schedule_family_id == family_id)
    return stmt


def quotable_accounts() -> list[Account]:
    """Accounts the current user may quote (the access rule filters them)."""
    return list(db.session.scalars(select(Account).order_by(Account.name)))
