"""URL rules of the engagement pages (under /engagement)."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint

from plugins.engagement.domain.vocabulary import CHANNEL_LABELS, INTERACTION_TYPE_LABELS
from plugins.engagement.web import views

PLUGIN_DIR = Path(__file__).resolve().parent.parent

bp = Blueprint(
    "engagement",
    __name__,
    url_prefix="/engagement",
    template_folder=str(PLUGIN_DIR / "templates"),
    static_folder=str(PLUGIN_DIR / "static"),
)


@bp.app_template_filter("engagement_label")
def engagement_label(value: str | None) -> str:
    """``email`` -> ``E-mail``, ``in_person`` -> ``In person``: the vocabulary's own labels."""
    labels = {k.value: v for k, v in {**INTERACTION_TYPE_LABELS, **CHANNEL_LABELS}.items()}
    return labels.get(value or "", (value or "").replace("_", " ").capitalize())


_account = "/accounts/<int:account_id>"
_interaction = f"{_account}/interactions/<int:interaction_id>"
_person = f"{_account}/people/<int:stakeholder_id>"

bp.add_url_rule("/my-week", "my_week", views.my_week)
bp.add_url_rule("/portfolio", "portfolio", views.portfolio)
bp.add_url_rule(_account, "account_engagement", views.account_engagement)
bp.add_url_rule(f"{_account}/cadence", "cadence", views.cadence, methods=["GET", "POST"])
bp.add_url_rule(
    f"{_account}/interactions/new",
    "new_interaction",
    views.edit_interaction,
    methods=["GET", "POST"],
)
bp.add_url_rule(
    f"{_interaction}/edit", "edit_interaction", views.edit_interaction, methods=["GET", "POST"]
)
bp.add_url_rule(
    f"{_interaction}/delete",
    "delete_interaction",
    views.delete_interaction,
    methods=["GET", "POST"],
)
bp.add_url_rule(
    f"{_interaction}/done", "complete_next_step", views.complete_next_step, methods=["POST"]
)
bp.add_url_rule(_person, "stakeholder_page", views.stakeholder_page)
bp.add_url_rule(f"{_person}/stance", "change_stance", views.change_stance, methods=["POST"])
bp.add_url_rule(
    f"{_person}/survey-responses/new",
    "new_survey_response",
    views.new_survey_response,
    methods=["GET", "POST"],
)
