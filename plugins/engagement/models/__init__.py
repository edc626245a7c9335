"""The engagement plugin's tables (``engagement_*``), one model per module.

Importing this package registers them on the shared metadata; every table
that belongs to an account carries ``account_id`` and ``__account_scope__``, so
the core's record-level access rule filters them for account managers.
"""

from plugins.engagement.models.cadence_override import CadenceOverride
from plugins.engagement.models.interaction import (
    Interaction,
    InteractionParticipant,
    interaction_colleagues,
)
from plugins.engagement.models.stance_change import StanceChangeRecord
from plugins.engagement.models.survey_response import SurveyResponse

__all__ = [
    "CadenceOverride",
    "Interaction",
    "InteractionParticipant",
    "StanceChangeRecord",
    "SurveyResponse",
    "interaction_colleagues",
]
