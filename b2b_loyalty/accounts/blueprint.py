"""URL rules of the accounts area."""

from flask import Blueprint

from b2b_loyalty.accounts import order_views, ranking_views, stakeholder_views, views, wallet_views

bp = Blueprint("accounts", __name__, url_prefix="/accounts")

bp.add_url_rule("/", "list_accounts", views.list_accounts)
bp.add_url_rule("/new", "new_account", views.edit_account, methods=["GET", "POST"])
bp.add_url_rule("/<int:account_id>", "account_detail", views.account_detail)
bp.add_url_rule(
    "/<int:account_id>/edit", "edit_account", views.edit_account, methods=["GET", "POST"]
)
bp.add_url_rule(
    "/<int:account_id>/delete", "delete_account", views.delete_account, methods=["GET", "POST"]
)
bp.add_url_rule(
    "/<int:account_id>/orders/<int:item_id>/pricing", "order_pricing", order_views.pricing
)

for prefix, module, noun in (
    ("stakeholders", stakeholder_views, "stakeholder"),
    ("orders", order_views, "order"),
    ("wallet-estimates", wallet_views, "wallet_estimate"),
    ("supplier-rankings", ranking_views, "supplier_ranking"),
):
    bp.add_url_rule(
        f"/<int:account_id>/{prefix}/new", f"new_{noun}", module.edit, methods=["GET", "POST"]
    )
    bp.add_url_rule(
        f"/<int:account_id>/{prefix}/<int:item_id>/edit",
        f"edit_{noun}",
        module.edit,
        methods=["GET", "POST"],
    )
    bp.add_url_rule(
        f"/<int:account_id>/{prefix}/<int:item_id>/delete",
        f"delete_{noun}",
        module.delete,
        methods=["GET", "POST"],
    )
