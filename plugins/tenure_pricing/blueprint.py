"""URL rules of the plugin's pages (blueprint ``tenure_pricing``, under /tenure)."""

from flask import Blueprint

from plugins.tenure_pricing import contract_views, schedule_views
from plugins.tenure_pricing.domain.calendar_months import describe_months

bp = Blueprint("tenure_pricing", __name__, url_prefix="/tenure", template_folder="templates")
# "38" → "3 years 2 months"; named after the plugin, since template filters are app-wide.
bp.add_app_template_filter(describe_months, "tenure_pricing_months")

_contracts = "/accounts/<int:account_id>/contracts"
bp.add_url_rule("/contracts/expiring", "expiring", contract_views.expiring)
bp.add_url_rule(
    f"{_contracts}/new", "new_contract", contract_views.edit_contract, methods=["GET", "POST"]
)
bp.add_url_rule(
    f"{_contracts}/<int:contract_id>/edit",
    "edit_contract",
    contract_views.edit_contract,
    methods=["GET", "POST"],
)
bp.add_url_rule(
    f"{_contracts}/<int:contract_id>/delete",
    "delete_contract",
    contract_views.delete_contract,
    methods=["GET", "POST"],
)
bp.add_url_rule(f"{_contracts}/<int:contract_id>/renewal", "renewal", contract_views.renewal)

bp.add_url_rule("/schedules", "list_schedules", schedule_views.list_schedules)
bp.add_url_rule(
    "/schedules/new", "new_schedule", schedule_views.edit_schedule, methods=["GET", "POST"]
)
bp.add_url_rule("/schedules/<int:schedule_id>", "schedule_detail", schedule_views.schedule_detail)
bp.add_url_rule(
    "/schedules/<int:schedule_id>/edit",
    "edit_schedule",
    schedule_views.edit_schedule,
    methods=["GET", "POST"],
)
bp.add_url_rule(
    "/schedules/<int:schedule_id>/<action>",
    "schedule_action",
    schedule_views.schedule_action,
    methods=["POST"],
)
