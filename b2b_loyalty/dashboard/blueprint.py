from flask import Blueprint

from b2b_loyalty.dashboard import views

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")
bp.add_app_template_global(views.current_report_args, "dashboard_report_args")
bp.add_url_rule("/", "dashboard", views.dashboard)
bp.add_url_rule("/accounts", "drill_down", views.drill_down)
