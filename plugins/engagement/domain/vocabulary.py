"""The words of engagement tracking: kinds of touch point, channels, who counts as key.

DOMAIN.md, "Engagement": touch points are meetings, calls, e-mails, events
("client days"), gifts and surveys; complaints are recorded too, because a
client who discusses problems openly is showing trust, and the core's
"difficult" segment counts them.
"""

from __future__ import annotations

from enum import StrEnum


class InteractionType(StrEnum):
    MEETING = "meeting"
    CALL = "call"
    EMAIL = "email"
    EVENT = "event"  # an event or client day: open office, themed event
    GIFT = "gift"
    SURVEY = "survey"
    COMPLAINT = "complaint"
    OTHER = "other"

    @property
    def label(self) -> str:
        return INTERACTION_TYPE_LABELS[self]


INTERACTION_TYPE_LABELS: dict[InteractionType, str] = {
    InteractionType.MEETING: "Meeting",
    InteractionType.CALL: "Call",
    InteractionType.EMAIL: "E-mail",
    InteractionType.EVENT: "Event / client day",
    InteractionType.GIFT: "Gift",
    InteractionType.SURVEY: "Survey",
    InteractionType.COMPLAINT: "Complaint",
    InteractionType.OTHER: "Other",
}

# A complaint is the client reaching us, not us reaching the client: it does not
# count towards over-contact, but it does count as engagement (they talk to us).
NOT_OUR_TOUCH: frozenset[InteractionType] = frozenset({InteractionType.COMPLAINT})


class Channel(StrEnum):
    IN_PERSON = "in_person"
    PHONE = "phone"
    VIDEO = "video"
    EMAIL = "email"
    LETTER = "letter"
    MESSENGER = "messenger"
    OTHER = "other"

    @property
    def label(self) -> str:
        return CHANNEL_LABELS[self]


CHANNEL_LABELS: dict[Channel, str] = {
    Channel.IN_PERSON: "In person",
    Channel.PHONE: "Phone",
    Channel.VIDEO: "Video call",
    Channel.EMAIL: "E-mail",
    Channel.LETTER: "Letter / post",
    Channel.MESSENGER: "Messenger",
    Channel.OTHER: "Other",
}

# Buying roles (core vocabulary values) that make a person a decision maker.
DECISION_MAKER_ROLES: frozenset[str] = frozenset({"decision_maker", "economic_buyer"})
CHAMPION = "champion"
BLOCKER = "blocker"

# Stances from most to least favourable (the core's Stance order), as ranks.
STANCE_RANK: dict[str, int] = {
    "champion": 4,
    "supporter": 3,
    "neutral": 2,
    "skeptic": 1,
    "blocker": 0,
}

CIRCLES: tuple[int, ...] = (1, 2, 3)
CIRCLE_NAMES: dict[int, str] = {1: "first circle", 2: "second circle", 3: "third circle"}


def is_champion(buying_role: str | None, stance: str) -> bool:
    """A champion either by buying role or by stance."""
    return buying_role == CHAMPION or stance == CHAMPION


def is_decision_maker(buying_role: str | None) -> bool:
    return buying_role in DECISION_MAKER_ROLES


def humanise(value: str) -> str:
    """``economic_buyer`` -> ``Economic buyer``."""
    return value.replace("_", " ").capitalize()
