"""The vocabulary for the people inside a client (see DOMAIN.md, decision-maker circles).

The contact person's title does not show their real influence, so circle,
buying role, stance and influence are recorded separately.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum


class Circle(IntEnum):
    """How closely a stakeholder works with us; 1 is the innermost circle."""

    FIRST = 1  # buying units' direct representatives and the decision makers
    SECOND = 2  # support functions working with us: accounting, logistics, legal
    THIRD = 3  # influencers who never deal with us: security, IT, future units

    @property
    def label(self) -> str:
        return CIRCLE_LABELS[self]


CIRCLE_LABELS: dict[Circle, str] = {
    Circle.FIRST: "First circle: decision makers and direct representatives",
    Circle.SECOND: "Second circle: support functions",
    Circle.THIRD: "Third circle: influencers",
}


class BuyingRole(StrEnum):
    DECISION_MAKER = "decision_maker"
    ECONOMIC_BUYER = "economic_buyer"
    INFLUENCER = "influencer"
    USER = "user"
    GATEKEEPER = "gatekeeper"
    CHAMPION = "champion"
    TECHNICAL_BUYER = "technical_buyer"
    OTHER = "other"


class Stance(StrEnum):
    """Attitude towards us, from most to least favourable."""

    CHAMPION = "champion"
    SUPPORTER = "supporter"
    NEUTRAL = "neutral"
    SKEPTIC = "skeptic"
    BLOCKER = "blocker"


INFLUENCE_MIN = 1
INFLUENCE_MAX = 5


def humanise(value: str) -> str:
    """``economic_buyer`` -> ``Economic buyer`` for labels and select boxes."""
    return value.replace("_", " ").capitalize()
