"""URL rules and request hooks of the JSON API v1."""

from __future__ import annotations

from b2b_loyalty.api import (
    accounts,
    categories,
    child_resources,
    discount_schedules,
    metrics,
    openapi_views,
    pricing,
    resources,
)
from b2b_loyalty.api.plugin_support import api_blueprint

bp = api_blueprint("api")


bp.add_url_rule("/accounts", "list_accounts", accounts.list_accounts, methods=["GET"])
bp.add_url_rule("/accounts", "create_account", accounts.create_account, methods=["POST"])
bp.add_url_rule("/accounts/<int:account_id>", "get_account", accounts.get_account, methods=["GET"])
bp.add_url_rule(
    "/accounts/<int:account_id>", "update_account", accounts.update_account, methods=["PATCH"]
)
bp.add_url_rule(
    "/accounts/<int:account_id>", "delete_account", accounts.delete_account, methods=["DELETE"]
)
for resource in resources.ALL:
    child_resources.register(bp, resource)
bp.add_url_rule("/categories", "list_categories", categories.list_categories, methods=["GET"])
bp.add_url_rule("/categories", "create_category", categories.post_category, methods=["POST"])

bp.add_url_rule("/pricing/preview", "pricing_preview", pricing.pricing_preview, methods=["POST"])
bp.add_url_rule("/quotes", "create_quote", pricing.create_quote, methods=["POST"])
_schedules = "/discount-schedules"
bp.add_url_rule(_schedules, "list_schedules", discount_schedules.list_schedules, methods=["GET"])
bp.add_url_rule(_schedules, "create_schedule", discount_schedules.create_schedule, methods=["POST"])
bp.add_url_rule(
    f"{_schedules}/<int:schedule_id>",
    "get_schedule",
    discount_schedules.get_schedule,
    methods=["GET"],
)
bp.add_url_rule(
    f"{_schedules}/<int:schedule_id>",
    "update_schedule",
    discount_schedules.update_schedule,
    methods=["PATCH"],
)
for _action in ("submit", "approve", "reject", "new_version"):
    bp.add_url_rule(
        f"{_schedules}/<int:schedule_id>/{_action.replace('_', '-')}",
        f"{_action}_schedule",
        getattr(discount_schedules, _action),
        methods=["POST"],
    )
bp.add_url_rule("/accounts/<int:account_id>/metrics", "account_metrics", metrics.account_metrics)
bp.add_url_rule("/portfolio/metrics", "portfolio_metrics", metrics.portfolio)
bp.add_url_rule("/openapi.json", "openapi_json", openapi_views.openapi_json, methods=["GET"])
bp.add_url_rule("/docs", "docs", openapi_views.docs, methods=["GET"])
