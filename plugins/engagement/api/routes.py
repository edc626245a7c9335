"""/api/v1 routes of the engagement plugin: interactions, engagement figures, NPS answers."""

from __future__ import annotations

from datetime import date

from flask import g, jsonify, request

from b2b_loyalty.access import scoped_get
from b2b_loyalty.api.form_input import json_body, validate_json
from b2b_loyalty.api.openapi import api_doc
from b2b_loyalty.api.pages import paged_json
from b2b_loyalty.api.plugin_support import api_blueprint
from b2b_loyalty.domain.periods import FIRST_YEAR, LAST_YEAR
from b2b_loyalty.models import Stakeholder
from b2b_loyalty.services.accounts import get_account
from b2b_loyalty.services.errors import NotFound, ValidationFailed
from b2b_loyalty.services.permissions import require_account_editor
from plugins.engagement import queries
from plugins.engagement.api import schemas
from plugins.engagement.api.serializers import (
    engagement_json,
    interaction_json,
    survey_response_json,
)
from plugins.engagement.figures import engagement_of_account
from plugins.engagement.services import interactions as interaction_service
from plugins.engagement.services import surveys as survey_service
from plugins.engagement.services.interactions import MAX_ID
from plugins.engagement.web.forms import InteractionForm, SurveyResponseForm

api = api_blueprint("engagement_api", __name__)

INTERACTION_DEFAULTS = {
    "channel": None,
    "outcome": None,
    "next_step": None,
    "next_step_due": None,
    "stakeholder_ids": [],
    "our_people_ids": [],
}
SURVEY_DEFAULTS = {"comment": None}


def _account(account_id: int):  # noqa: ANN202
    """The account (404 when not visible); an id beyond INTEGER is simply not found."""
    if not 0 < account_id <= MAX_ID:
        raise NotFound("No such account.")
    return get_account(account_id)


def _as_of() -> date:
    raw = request.args.get("as_of")
    if not raw:
        return date.today()
    try:
        as_of = date.fromisoformat(raw)
    except ValueError:
        raise ValidationFailed(
            "as_of must be a date (YYYY-MM-DD).", {"as_of": ["Not a date."]}
        ) from None
    # The figures look back and forward by quarters: keep them inside the calendar.
    if not FIRST_YEAR <= as_of.year <= LAST_YEAR:
        raise ValidationFailed(
            f"as_of must lie between {FIRST_YEAR} and {LAST_YEAR}.",
            {"as_of": [f"Give a date between {FIRST_YEAR} and {LAST_YEAR}."]},
        )
    return as_of


@api.get("/accounts/<int:account_id>/interactions")
@api_doc(schemas.list_interactions_doc())
def list_interactions(account_id: int):
    account = _account(account_id)
    return paged_json(queries.interactions_statement(account.id), interaction_json)


@api.post("/accounts/<int:account_id>/interactions")
@api_doc(schemas.create_interaction_doc(INTERACTION_DEFAULTS))
def create_interaction(account_id: int):
    require_account_editor(g.api_user)
    account = _account(account_id)
    data = validate_json(
        InteractionForm, json_body(), base=INTERACTION_DEFAULTS, read_only=("id", "account_id")
    )
    interaction = interaction_service.create_interaction(g.api_user, account, data)
    return jsonify(interaction_json(interaction)), 201


@api.get("/accounts/<int:account_id>/engagement")
@api_doc(schemas.account_engagement_doc())
def account_engagement(account_id: int):
    account = _account(account_id)
    figures = engagement_of_account(
        account.id, _as_of(), overrides=queries.cadence_overrides(account.id)
    )
    return jsonify(engagement_json(figures))


@api.post("/stakeholders/<int:stakeholder_id>/survey-responses")
@api_doc(schemas.create_survey_response_doc(SURVEY_DEFAULTS))
def create_survey_response(stakeholder_id: int):
    require_account_editor(g.api_user)
    stakeholder = scoped_get(Stakeholder, stakeholder_id) if 0 < stakeholder_id <= MAX_ID else None
    if stakeholder is None:
        raise NotFound("No such stakeholder.")
    data = validate_json(SurveyResponseForm, json_body(), base=SURVEY_DEFAULTS)
    response = survey_service.record_survey_response(g.api_user, stakeholder, data)
    return jsonify(survey_response_json(response)), 201
