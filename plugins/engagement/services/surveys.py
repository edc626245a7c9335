"""Recording NPS answers: "0-10, how likely are you to recommend us?"."""

from __future__ import annotations

from datetime import date
from typing import Any

from b2b_loyalty.extensions import db
from b2b_loyalty.models import Stakeholder, User
from b2b_loyalty.services.errors import ValidationFailed
from b2b_loyalty.services.permissions import require_account_editor
from b2b_loyalty.services.transaction import unit_of_work
from b2b_loyalty.services.values import clean
from plugins.engagement.models import SurveyResponse

COMMENT_LIMIT = 10_000


def record_survey_response(
    actor: User, stakeholder: Stakeholder, data: dict[str, Any], *, today: date | None = None
) -> SurveyResponse:
    """Store one answer (``score`` 0-10, ``date``, optional ``comment``) of ``stakeholder``."""
    require_account_editor(actor)
    errors: dict[str, list[str]] = {}
    score = data.get("score")
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 10:
        errors["score"] = ["The answer is a whole number from 0 to 10."]
    answered_on = data.get("date")
    if not isinstance(answered_on, date):
        errors["date"] = ["Give the date of the answer."]
    elif answered_on > (today or date.today()):
        errors["date"] = ["An answer cannot be dated in the future."]
    comment = clean(data.get("comment"))
    if comment and len(comment) > COMMENT_LIMIT:
        errors["comment"] = [f"At most {COMMENT_LIMIT:,} characters."]
    if errors:
        raise ValidationFailed("The survey answer has invalid fields.", errors)
    with unit_of_work():
        response = SurveyResponse(
            account_id=stakeholder.account_id,
            stakeholder_id=stakeholder.id,
            answered_on=answered_on,
            score=score,
            comment=comment,
            recorded_by_id=actor.id,
        )
        db.session.add(response)
    return response
