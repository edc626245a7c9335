from flask import Blueprint

from b2b_loyalty.users import security_views, views

bp = Blueprint("users", __name__, url_prefix="/users")
bp.add_url_rule("/", "list_users", views.list_users)
bp.add_url_rule("/new", "new_user", views.edit_user, methods=["GET", "POST"])
bp.add_url_rule("/<int:user_id>/edit", "edit_user", views.edit_user, methods=["GET", "POST"])
bp.add_url_rule(
    "/me/password", "change_password", security_views.change_password, methods=["GET", "POST"]
)
bp.add_url_rule("/me/tokens", "own_tokens", security_views.own_tokens)
bp.add_url_rule("/<int:user_id>/tokens", "user_tokens", security_views.user_tokens)
bp.add_url_rule(
    "/tokens/<int:token_id>/revoke",
    "revoke_token",
    security_views.revoke_token,
    methods=["GET", "POST"],
)
