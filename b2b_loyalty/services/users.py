"""Users: created by an admin (or the CLI), never by themselves."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from b2b_loyalty.domain.roles import Role, parse_role
from b2b_loyalty.extensions import db
from b2b_loyalty.models import ApiToken, User
from b2b_loyalty.services.errors import NotFound, field_error
from b2b_loyalty.services.transaction import unit_of_work

MIN_PASSWORD_LENGTH = 10


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise field_error("password", f"Use at least {MIN_PASSWORD_LENGTH} characters.")


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
    _check_password(password)
    if not email or "@" not in email:
        raise field_error("email", "Give a valid e-mail address.")
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
            _check_password(data["password"])
            user.set_password(data["password"])
    return user


def issue_api_token(user: User) -> str:
    """Create an API token for ``user``; returns the plain token, shown once."""
    with unit_of_work():
        token, plain = ApiToken.issue(user)
        db.session.add(token)
    return plain
