"""Helpers shared by the tenure pricing tests."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from b2b_loyalty.extensions import db


def years_of_contracts(add_contract, account, first_start: date, years: int, **fields):
    """Consecutive yearly contracts; the last one active, the earlier ones expired."""
    contracts = []
    start = first_start
    for i in range(years):
        status = "active" if i == years - 1 else "expired"
        contracts.append(add_contract(account, start, 12, status=status, **fields))
        start = contracts[-1].end_date + timedelta(days=1)
    return contracts


def count_rows(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def count_change_entries() -> int:
    """Audit entries of changes (not sign-ins, token use or denials)."""
    from b2b_loyalty.models import AuditEntry
    from b2b_loyalty.services.security_audit import SECURITY_ACTIONS

    return db.session.scalar(select(func.count()).where(AuditEntry.action.not_in(SECURITY_ACTIONS)))
