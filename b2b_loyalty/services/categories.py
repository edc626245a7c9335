"""Product categories: read by everyone, created by finance and admin."""

from __future__ import annotations

from sqlalchemy import func, select

from b2b_loyalty.db_limits import is_db_id
from b2b_loyalty.domain.roles import Role
from b2b_loyalty.extensions import db
from b2b_loyalty.models import ProductCategory, User
from b2b_loyalty.services.errors import field_error
from b2b_loyalty.services.permissions import require_role
from b2b_loyalty.services.transaction import unit_of_work


def find_category(name: str | None = None, category_id: int | None = None) -> ProductCategory:
    """Look a category up by id or by name (case-insensitive); field error if unknown."""
    if category_id is not None:
        if not is_db_id(category_id):
            raise field_error("category_id", "A category id is a positive whole number.")
        category = db.session.get(ProductCategory, category_id)
        if category is None:
            raise field_error("category_id", f"Unknown category id {category_id}.")
        return category
    if not isinstance(name, str) or not name.strip():
        raise field_error("category", "Choose a product category (its name as text).")
    category = db.session.scalar(
        select(ProductCategory).where(func.lower(ProductCategory.name) == name.strip().lower())
    )
    if category is None:
        raise field_error("category", f"Unknown category {name.strip()!r}.")
    return category


def create_category(actor: User, name: str) -> ProductCategory:
    require_role(actor, Role.FINANCE, Role.ADMIN)
    name = (name or "").strip()
    if not name:
        raise field_error("name", "Name is required.")
    if len(name) > 120:
        raise field_error("name", "Use at most 120 characters.")
    with unit_of_work():
        exists = db.session.scalar(
            select(ProductCategory.id).where(func.lower(ProductCategory.name) == name.lower())
        )
        if exists:
            raise field_error("name", f"A category named {name!r} already exists.")
        category = ProductCategory(name=name)
        db.session.add(category)
    return category
