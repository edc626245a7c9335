from flask import Blueprint

from b2b_loyalty.auth import views

bp = Blueprint("auth", __name__)
bp.add_url_rule("/login", "login", views.login, methods=["GET", "POST"])
bp.add_url_rule("/logout", "logout", views.logout, methods=["POST"])
