"""Roles and what each may do; record-level visibility is enforced in ``access.py``.

- account managers see and edit only the accounts they own or are on the team of;
- sales leadership reads everything;
- finance reads everything and approves discount schedules;
- admin manages users and may do everything.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ACCOUNT_MANAGER = "account_manager"
    SALES_LEAD = "sales_lead"
    FINANCE = "finance"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS: dict[Role, str] = {
    Role.ACCOUNT_MANAGER: "Account manager",
    Role.SALES_LEAD: "Sales leadership",
    Role.FINANCE: "Finance",
    Role.ADMIN: "Administrator",
}


def parse_role(value: str) -> Role:
    """Return the Role named ``value`` or raise ValueError listing the valid names."""
    try:
        return Role(value)
    except ValueError:
        valid = ", ".join(r.value for r in Role)
        raise ValueError(f"unknown role {value!r}; choose one of: {valid}") from None


def sees_all_accounts(role: Role) -> bool:
    """Everyone but an account manager reads the whole portfolio."""
    return role is not Role.ACCOUNT_MANAGER


def can_edit_accounts(role: Role) -> bool:
    """Who may create and change accounts and what hangs off them (within what they see)."""
    return role in (Role.ACCOUNT_MANAGER, Role.ADMIN)


def can_assign_owner(role: Role) -> bool:
    """Only an admin reassigns an account to another manager."""
    return role is Role.ADMIN


def can_manage_categories(role: Role) -> bool:
    return role in (Role.FINANCE, Role.ADMIN)


def can_manage_users(role: Role) -> bool:
    return role is Role.ADMIN
