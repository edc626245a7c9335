"""Role checks for actions; record visibility itself is the central rule in access.py."""

from __future__ import annotations

from b2b_loyalty.domain.roles import Role, can_edit_accounts
from b2b_loyalty.services.errors import Forbidden


def require_account_editor(user) -> None:  # noqa: ANN001
    if not can_edit_accounts(Role(user.role)):
        raise Forbidden("Your role can read accounts but not change them.")


def require_role(user, *roles: Role) -> None:  # noqa: ANN001
    if Role(user.role) not in roles:
        raise Forbidden("Your role does not allow this action.")
