from flask import Blueprint

from b2b_loyalty.metrics_admin import views

bp = Blueprint("metrics_admin", __name__)
bp.add_url_rule("/admin/metrics", "settings", views.settings_page, methods=["GET", "POST"])
bp.add_url_rule(
    "/accounts/<int:account_id>/status",
    "account_status",
    views.account_status,
    methods=["GET", "POST"],
)
