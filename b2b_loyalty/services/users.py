"""Users: created by an admin (or the CLI), never by themselves."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from b2b_loyalty.domain.password_policy import (
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    password_problems,
)
from b2b_loyalty.domain.roles import Role, parse_role
from b2b_loyalty.extensions import db
from b2b_loyalty.models import AuditEntry, User
from b2b_loyalty.services import security_audit as events
from b2b_loyalty.services.api_tokens import issue_api_token
from b2b_loyalty.services.errors import NotFound, ValidationFailed, field_error
from b2b_loyalty.services.transaction import unit_of_work

__all__ = [
    "MAX_PASSWORD_LENGTH",
    "MIN_PASSWORD_LENGTH",
    "change_own_password",
    "create_user",
    "find_user_by_email",
    "get_user",
    "issue_api_token",
    "update_user",
]


def _check_password(password: str, *, email: str | None, name: str | None) -> None:
    problems = password_problems(password or "", email=email, name=name)
    if problems:
        raise ValidationFailed(problems[0], {"password": problems})


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == User.normalise_email(email)))


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("No such user.")
    return user


def create_user(email: str, name: str, role: str, password: str, *, active: bool = True) -> User:
    try:
        role_value = parse_role(role).value
    except ValueError as exc:
        raise field_error("role", str(exc)) from None
    if not email or "@" not in email:
        raise field_error("email", "Give a valid e-mail address.")
    _check_password(password, email=email, name=name)
    with unit_of_work():
        if find_user_by_email(email):
            raise field_error("email", "A user with this e-mail already exists.")
        user = User(
            email=email, name=(name or email.split("@")[0]).strip(), role=role_value, active=active
        )
        user.set_password(password)
        db.session.add(user)
    return user


def update_user(user: User, data: dict[str, Any]) -> User:
    with unit_of_work():
        if "email" in data and User.normalise_email(data["email"]) != user.email:
            if find_user_by_email(data["email"]):
                raise field_error("email", "A user with this e-mail already exists.")
            user.email = data["email"]
        if data.get("name"):
            user.name = data["name"].strip()
        if data.get("role"):
            user.role = Role(data["role"]).value
        if "active" in data:
            user.active = bool(data["active"])
        if data.get("password"):
            _check_password(data["password"], email=user.email, name=user.name)
            user.set_password(data["password"])
            # A password set by an administrator signs the user out everywhere.
            user.end_other_sessions()
    return user


def change_own_password(user: User, current_password: str, new_password: str) -> None:
    """Set a new password after checking the current one; ends every other session.

    Raises ValidationFailed with a ``current_password`` or ``new_password`` field error.
    """
    if not user.check_password(current_password or ""):
        raise field_error("current_password", "The current password is not right.")
    problems = password_problems(new_password or "", email=user.email, name=user.name)
    if problems:
        raise ValidationFailed(problems[0], {"new_password": problems})
    if user.check_password(new_password):
        raise field_error("new_password", "Choose a password different from the current one.")
    with unit_of_work():
        user.set_password(new_password)
        user.end_other_sessions()
        db.session.add(
            AuditEntry(
                **events.security_event_row(
                    events.PASSWORD_CHANGED, entity="user", entity_id=user.id, actor_id=user.id
                )
            )
        )
