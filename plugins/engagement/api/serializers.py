"""Engagement figures and records -> JSON: Decimals as strings, dates ISO 8601."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from b2b_loyalty.domain.nps import NetPromoterScore
from plugins.engagement.domain.coverage import CircleCoverage
from plugins.engagement.figures import AccountEngagement
from plugins.engagement.models import Interaction, SurveyResponse


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def interaction_json(interaction: Interaction) -> dict[str, Any]:
    return {
        "id": interaction.id,
        "account_id": interaction.account_id,
        "type": interaction.type,
        "date": _plain(interaction.occurred_on),
        "stakeholder_ids": interaction.stakeholder_ids,
        "our_people_ids": sorted(u.id for u in interaction.colleagues),
        "channel": interaction.channel,
        "summary": interaction.summary,
        "outcome": interaction.outcome,
        "next_step": interaction.next_step,
        "next_step_due": _plain(interaction.next_step_due),
        "next_step_done_on": _plain(interaction.next_step_done_on),
        "created_by_id": interaction.created_by_id,
        "updated_by_id": interaction.updated_by_id,
        "created_at": _plain(interaction.created_at),
        "updated_at": _plain(interaction.updated_at),
        # Edits through the pages send it back: an interaction changed since is not
        # overwritten (there is no PATCH for interactions in the API).
        "version": interaction.row_version,
    }


def survey_response_json(response: SurveyResponse) -> dict[str, Any]:
    return {
        "id": response.id,
        "account_id": response.account_id,
        "stakeholder_id": response.stakeholder_id,
        "score": response.score,
        "date": _plain(response.answered_on),
        "comment": response.comment,
        "recorded_by_id": response.recorded_by_id,
    }


def nps_json(nps: NetPromoterScore) -> dict[str, Any]:
    return {
        "value": _plain(nps.value),
        "answers": nps.answers,
        "promoters": nps.promoters,
        "passives": nps.passives,
        "detractors": nps.detractors,
        "formula": nps.formula,
    }


def coverage_json(coverage: CircleCoverage) -> dict[str, Any]:
    return {
        "known": coverage.known,
        "engaged": coverage.engaged,
        "ratio": _plain(coverage.ratio),
        "cadence_days": coverage.cadence_days,
        "explanation": coverage.explanation,
    }


def engagement_json(figures: AccountEngagement) -> dict[str, Any]:
    scores = figures.scores or {}
    people = []
    for person in figures.people:
        score = scores.get(person.id)
        status = figures.statuses[person.id]
        people.append(
            {
                "stakeholder_id": person.id,
                "name": person.name,
                "circle": person.circle,
                "stance": person.stance,
                "influence": person.influence,
                "active": person.active,
                "score": _plain(score.value) if score else None,
                "counted": {
                    "interactions": score.touches if score else 0,
                    "by_type": dict(score.by_type) if score else {},
                    "first_on": _plain(score.first_on) if score else None,
                    "last_on": _plain(score.last_on) if score else None,
                },
                "explanation": score.explanation if score else "",
                "last_contact_on": _plain(person.last_contact_on),
                "cadence_days": status.cadence_days,
                "engaged": status.engaged,
                "due_on": _plain(status.due_on),
                "days_overdue": status.days_overdue,
                "touches_last_30_days": person.touches_last_month,
            }
        )
    coverage = figures.coverage
    comparison = figures.nps_comparison
    return {
        "account_id": figures.account_id,
        "as_of": _plain(figures.as_of),
        "settings": {
            "half_life_days": figures.settings.half_life_days,
            "type_weights": {k: _plain(v) for k, v in figures.settings.type_weights.items()},
        },
        "scores": people,
        "coverage": {str(c): coverage_json(v) for c, v in coverage.circles.items()},
        "coverage_overall": coverage_json(coverage.overall),
        "multi_threading": {
            "people": coverage.multi_threading,
            "window_days": coverage.multi_thread_days,
            "explanation": coverage.multi_threading_explanation,
        },
        "influence_weighted_engagement": {
            "value": _plain(coverage.influence_weighted),
            "total_influence": coverage.influence_total,
            "explanation": coverage.influence_weighted_explanation,
        },
        "alerts": [
            {
                "kind": alert.kind.value,
                "reason": alert.reason,
                "severity": alert.severity,
                "stakeholder_id": alert.stakeholder_id,
                "circle": alert.circle,
            }
            for alert in figures.alerts
        ],
        "nps": {
            **nps_json(figures.nps),
            "window_days": figures.settings.nps_window_days,
            "by_circle": {str(c): nps_json(v) for c, v in figures.nps_by_circle().items()},
            "by_quarter": [
                {"quarter": label, **nps_json(value)} for label, value in figures.nps_by_quarter()
            ],
            "change_points": _plain(comparison.change),
            "falling": comparison.falling,
        },
    }
