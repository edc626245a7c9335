"""URL rules of the pricing area."""

from flask import Blueprint

from b2b_loyalty.pricing import views
from b2b_loyalty.pricing.audit_text import audit_state

bp = Blueprint("pricing", __name__, url_prefix="/pricing")
bp.add_app_template_filter(audit_state, "audit_state")

bp.add_url_rule("/schedules/", "list_schedules", views.list_schedules)
bp.add_url_rule("/schedules/new", "new_schedule", views.edit_schedule, methods=["GET", "POST"])
bp.add_url_rule("/schedules/<int:schedule_id>", "schedule_detail", views.schedule_detail)
bp.add_url_rule(
    "/schedules/<int:schedule_id>/edit",
    "edit_schedule",
    views.edit_schedule,
    methods=["GET", "POST"],
)
bp.add_url_rule(
    "/schedules/<int:schedule_id>/assign",
    "assign_schedule",
    views.assign_schedule,
    methods=["POST"],
)
bp.add_url_rule(
    "/schedules/<int:schedule_id>/<action>",
    "schedule_action",
    views.schedule_action,
    methods=["POST"],
)
bp.add_url_rule("/quote", "quote", views.quote_page, methods=["GET", "POST"])
bp.add_url_rule("/finance", "finance_overview", views.finance_overview)
bp.add_url_rule("/audit", "audit_log", views.audit_log)
