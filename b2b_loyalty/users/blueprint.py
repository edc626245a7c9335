from flask import Blueprint

from b2b_loyalty.users import views

bp = Blueprint("users", __name__, url_prefix="/users")
bp.add_url_rule("/", "list_users", views.list_users)
bp.add_url_rule("/new", "new_user", views.edit_user, methods=["GET", "POST"])
bp.add_url_rule("/<int:user_id>/edit", "edit_user", views.edit_user, methods=["GET", "POST"])
