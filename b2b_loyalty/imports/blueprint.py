"""URL rules of the import area."""

from flask import Blueprint

from b2b_loyalty.imports import views

bp = Blueprint("imports", __name__, url_prefix="/imports")

bp.add_url_rule("/", "list_imports", views.list_imports)
bp.add_url_rule("/", "upload", views.upload, methods=["POST"])
bp.add_url_rule("/<int:batch_id>", "preview", views.preview)
bp.add_url_rule("/<int:batch_id>/mapping", "remap", views.remap, methods=["POST"])
bp.add_url_rule("/<int:batch_id>/commit", "commit", views.commit, methods=["POST"])
bp.add_url_rule("/<int:batch_id>/rejected-rows.csv", "rejections_csv", views.rejections_csv)
bp.add_url_rule("/templates/<entity_name>.xlsx", "template", views.template)
