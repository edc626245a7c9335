"""OpenAPI descriptions of the engagement API: request forms and the serializers' key sets.

Each response schema lists exactly the keys its serializer in ``serializers.py``
returns (closed objects), so the fuzz test catches a serializer that drifts.
"""

from __future__ import annotations

from typing import Any

from b2b_loyalty.api.openapi import DATE, DATE_TIME, ID, ApiDoc, decimal_schema, nullable, obj
from b2b_loyalty.domain.decision_circles import Stance
from plugins.engagement.domain.alerts import SEVERITY, AlertKind
from plugins.engagement.domain.vocabulary import Channel, InteractionType
from plugins.engagement.web.forms import InteractionForm, SurveyResponseForm

DEC = decimal_schema()
INT = {"type": "integer"}
COUNT = {"type": "integer", "minimum": 0}
TEXT = {"type": "string"}
CIRCLE_KEY = {"type": "string", "pattern": r"^[0-9]+$"}


def _by_circle(item: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "type": "object",
        "propertyNames": CIRCLE_KEY,
        "additionalProperties": item,
        "description": description,
    }


def interaction_schema() -> dict[str, Any]:
    """``interaction_json``: the ``InteractionForm`` fields plus ids, follow-up and audit keys.

    Written out rather than introspected: a form needs an app context, a view's
    ``api_doc`` is made at import time.
    """
    return obj(
        {
            "id": ID,
            "account_id": ID,
            "type": {"type": "string", "enum": [t.value for t in InteractionType]},
            "date": DATE,
            "stakeholder_ids": {"type": "array", "items": ID},
            "our_people_ids": {"type": "array", "items": ID},
            "channel": nullable({"type": "string", "enum": [c.value for c in Channel]}),
            "summary": TEXT,
            "outcome": nullable(TEXT),
            "next_step": nullable(TEXT),
            "next_step_due": nullable(DATE),
            "next_step_done_on": nullable(DATE),
            "created_by_id": nullable(ID),
            "updated_by_id": nullable(ID),
            "created_at": DATE_TIME,
            "updated_at": DATE_TIME,
            "version": {"type": "integer", "minimum": 1},
        }
    )


def survey_response_schema() -> dict[str, Any]:
    """``survey_response_json``: the ``SurveyResponseForm`` fields plus ids."""
    return obj(
        {
            "id": ID,
            "account_id": ID,
            "stakeholder_id": ID,
            "score": {"type": "integer", "minimum": 0, "maximum": 10},
            "date": DATE,
            "comment": nullable(TEXT),
            "recorded_by_id": nullable(ID),
        }
    )


def _nps_properties() -> dict[str, dict[str, Any]]:
    """``nps_json``: NPS points (null without answers) with its counts."""
    return {
        "value": nullable(DEC),
        "answers": COUNT,
        "promoters": COUNT,
        "passives": COUNT,
        "detractors": COUNT,
        "formula": TEXT,
    }


def _coverage_schema() -> dict[str, Any]:
    """``coverage_json``."""
    return obj(
        {
            "known": COUNT,
            "engaged": COUNT,
            "ratio": nullable(DEC),
            "cadence_days": nullable(INT),
            "explanation": TEXT,
        }
    )


def engagement_schema() -> dict[str, Any]:
    """``engagement_json``: scores, coverage, multi-threading, alerts and NPS of an account."""
    person = obj(
        {
            "stakeholder_id": ID,
            "name": TEXT,
            "circle": INT,
            "stance": {"type": "string", "enum": [s.value for s in Stance]},
            "influence": INT,
            "active": {"type": "boolean"},
            "score": nullable(DEC),
            "counted": obj(
                {
                    "interactions": COUNT,
                    "by_type": {"type": "object", "additionalProperties": COUNT},
                    "first_on": nullable(DATE),
                    "last_on": nullable(DATE),
                }
            ),
            "explanation": TEXT,
            "last_contact_on": nullable(DATE),
            "cadence_days": INT,
            "engaged": {"type": "boolean"},
            "due_on": nullable(DATE),
            "days_overdue": nullable(INT),
            "touches_last_30_days": COUNT,
        }
    )
    alert = obj(
        {
            "kind": {"type": "string", "enum": [k.value for k in AlertKind]},
            "reason": TEXT,
            "severity": {"type": "string", "enum": sorted(set(SEVERITY.values()))},
            "stakeholder_id": nullable(ID),
            "circle": nullable(INT),
        }
    )
    nps = obj(_nps_properties())
    return obj(
        {
            "account_id": ID,
            "as_of": DATE,
            "settings": obj(
                {
                    "half_life_days": INT,
                    "type_weights": {"type": "object", "additionalProperties": DEC},
                }
            ),
            "scores": {"type": "array", "items": person},
            "coverage": _by_circle(_coverage_schema(), "Coverage per circle (key: circle)."),
            "coverage_overall": _coverage_schema(),
            "multi_threading": obj({"people": COUNT, "window_days": INT, "explanation": TEXT}),
            "influence_weighted_engagement": obj(
                {"value": nullable(DEC), "total_influence": INT, "explanation": TEXT}
            ),
            "alerts": {"type": "array", "items": alert},
            "nps": obj(
                {
                    **_nps_properties(),
                    "window_days": INT,
                    "by_circle": _by_circle(nps, "NPS per circle (key: circle)."),
                    "by_quarter": {
                        "type": "array",
                        "items": obj({"quarter": TEXT, **_nps_properties()}),
                    },
                    "change_points": nullable(DEC),
                    "falling": {"type": "boolean"},
                }
            ),
        }
    )


AS_OF = {
    "name": "as_of",
    "in": "query",
    "required": False,
    "description": "Figures as of this day (default today).",
    "schema": DATE,
}


def list_interactions_doc() -> ApiDoc:
    return ApiDoc(
        summary="List the interactions of an account",
        response_name="Interaction",
        response_schema=interaction_schema(),
        paged=True,
    )


def create_interaction_doc(defaults: dict[str, Any]) -> ApiDoc:
    return ApiDoc(
        summary="Record an interaction with an account",
        request_form=InteractionForm,
        request_defaults=defaults,
        request_read_only=("id", "account_id"),
        response_name="Interaction",
        response_schema=interaction_schema(),
        status=201,
    )


def account_engagement_doc() -> ApiDoc:
    return ApiDoc(
        summary="Engagement figures of an account",
        description="Scores per person, coverage per circle, multi-threading, alerts and NPS.",
        query=(AS_OF,),
        response_name="AccountEngagement",
        response_schema=engagement_schema(),
        errors=(401, 404, 422),
    )


def create_survey_response_doc(defaults: dict[str, Any]) -> ApiDoc:
    return ApiDoc(
        summary="Record a stakeholder's NPS answer",
        request_form=SurveyResponseForm,
        request_defaults=defaults,
        response_name="SurveyResponse",
        response_schema=survey_response_schema(),
        status=201,
    )
