"""Warning signs at one account, each with its kind and a reason a manager can act on.

The rules (days follow cadence.py: "cadence" = engaged while age ≤ N days,
"window" = the N days ending on ``as_of``):

- ``single_threaded``: exactly one active person took part in an interaction
  in the multi-threading window (default 90 days).
- ``silent_key_person``: an active decision maker (buying role decision maker
  or economic buyer) or champion (buying role or stance) not contacted within
  their circle's cadence, or never.
- ``circle_gap``: a circle in which no active person was contacted within the
  circle's cadence, including a circle where nobody is known (when somebody
  is known elsewhere at the account).
- ``key_person_left``: an inactive (left the company) decision maker,
  champion or person of influence ≥ ``key_min_influence`` whom we were in touch
  with in the last ``left_alert_days`` days (older departures are history).
- ``influential_blocker``: an active blocker of influence ≥ ``blocker_min_influence``.
- ``over_contact``: an active person received more of our touches (complaints
  excluded) in the last 30 days than the circle's monthly tolerance.
- ``falling_nps``: see ``nps_trend.compare_periods``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from plugins.engagement.domain.cadence import contact_status, describe_cadence, in_window
from plugins.engagement.domain.coverage import PersonFacts
from plugins.engagement.domain.nps_trend import NpsComparison
from plugins.engagement.domain.settings import EngagementSettings
from plugins.engagement.domain.vocabulary import (
    BLOCKER,
    CIRCLE_NAMES,
    CIRCLES,
    is_champion,
    is_decision_maker,
)

MONTH_DAYS = 30


class AlertKind(StrEnum):
    SINGLE_THREADED = "single_threaded"
    SILENT_KEY_PERSON = "silent_key_person"
    CIRCLE_GAP = "circle_gap"
    KEY_PERSON_LEFT = "key_person_left"
    INFLUENTIAL_BLOCKER = "influential_blocker"
    OVER_CONTACT = "over_contact"
    FALLING_NPS = "falling_nps"

    @property
    def label(self) -> str:
        return ALERT_LABELS[self]


ALERT_LABELS: dict[AlertKind, str] = {
    AlertKind.SINGLE_THREADED: "Single-threaded",
    AlertKind.SILENT_KEY_PERSON: "Key person silent",
    AlertKind.CIRCLE_GAP: "Circle not reached",
    AlertKind.KEY_PERSON_LEFT: "Key person left",
    AlertKind.INFLUENTIAL_BLOCKER: "Influential blocker",
    AlertKind.OVER_CONTACT: "Over-contact",
    AlertKind.FALLING_NPS: "Falling NPS",
}

SEVERITY: dict[AlertKind, str] = {
    AlertKind.SINGLE_THREADED: "critical",
    AlertKind.SILENT_KEY_PERSON: "warning",
    AlertKind.CIRCLE_GAP: "warning",
    AlertKind.KEY_PERSON_LEFT: "critical",
    AlertKind.INFLUENTIAL_BLOCKER: "critical",
    AlertKind.OVER_CONTACT: "warning",
    AlertKind.FALLING_NPS: "warning",
}
SEVERITY_RANK = {"critical": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class EngagementAlert:
    account_id: int
    kind: AlertKind
    reason: str
    stakeholder_id: int | None = None
    circle: int | None = None

    @property
    def severity(self) -> str:
        return SEVERITY[self.kind]

    @property
    def key(self) -> str:
        """Unique per account: the kind plus the person or circle it is about."""
        suffix = self.stakeholder_id if self.stakeholder_id is not None else self.circle
        return f"engagement.{self.kind.value}" + (f".{suffix}" if suffix is not None else "")


def _is_key(person: PersonFacts, settings: EngagementSettings) -> bool:
    return (
        is_decision_maker(person.buying_role)
        or is_champion(person.buying_role, person.stance)
        or person.influence >= settings.key_min_influence
    )


def _role_words(person: PersonFacts) -> str:
    if is_champion(person.buying_role, person.stance):
        return "champion"
    if is_decision_maker(person.buying_role):
        return "decision maker"
    return f"influence {person.influence}/5"


def account_alerts(
    account_id: int,
    people: Iterable[PersonFacts],
    as_of: date,
    cadences: Mapping[int, int],
    settings: EngagementSettings,
    nps: NpsComparison | None = None,
) -> list[EngagementAlert]:
    """Every warning sign at the account, most severe first (see the module's rules)."""
    people = sorted(people, key=lambda p: (p.circle, -p.influence, p.name, p.id))
    active = [p for p in people if p.active]
    alerts: list[EngagementAlert] = []

    def add(kind: AlertKind, reason: str, person: PersonFacts | None = None, circle=None) -> None:  # noqa: ANN001
        alerts.append(
            EngagementAlert(account_id, kind, reason, person.id if person else None, circle)
        )

    engaged_lately = [
        p for p in active if in_window(p.last_contact_on, as_of, settings.multi_thread_days)
    ]
    if len(engaged_lately) == 1:
        add(
            AlertKind.SINGLE_THREADED,
            f"Only {engaged_lately[0].name} took part in an interaction in the last "
            f"{settings.multi_thread_days} days: the relation hangs on one person.",
            engaged_lately[0],
        )
    for person in active:
        status = contact_status(person.last_contact_on, as_of, cadences[person.circle])
        key_role = is_decision_maker(person.buying_role) or is_champion(
            person.buying_role, person.stance
        )
        if key_role and status.overdue:
            when = (
                "has never been contacted"
                if status.never_contacted
                else f"was last contacted on {person.last_contact_on.isoformat()}, "
                f"{status.days_overdue} days beyond the cadence"
            )
            add(
                AlertKind.SILENT_KEY_PERSON,
                f"{person.name} ({_role_words(person)}, {CIRCLE_NAMES[person.circle]}) {when} "
                f"({describe_cadence(status.cadence_days)}).",
                person,
            )
        if person.stance == BLOCKER and person.influence >= settings.blocker_min_influence:
            add(
                AlertKind.INFLUENTIAL_BLOCKER,
                f"{person.name} is a blocker with influence {person.influence}/5.",
                person,
            )
        limit = settings.max_touches_per_month[person.circle]
        if person.touches_last_month > limit:
            add(
                AlertKind.OVER_CONTACT,
                f"{person.name} had {person.touches_last_month} touches in the last "
                f"{MONTH_DAYS} days; the {CIRCLE_NAMES[person.circle]} tolerates {limit}.",
                person,
            )
    if active:
        for circle in CIRCLES:
            members = [p for p in active if p.circle == circle]
            cadence = cadences[circle]
            if not members:
                reason = f"Nobody is known in the {CIRCLE_NAMES[circle]}."
            elif not any(
                contact_status(p.last_contact_on, as_of, cadence).engaged for p in members
            ):
                cadence_text = describe_cadence(cadence)
                if len(members) == 1:
                    reason = (
                        f"{members[0].name}, the only person known in the "
                        f"{CIRCLE_NAMES[circle]}, was not contacted within its cadence "
                        f"({cadence_text})."
                    )
                else:
                    reason = (
                        f"None of the {len(members)} people in the {CIRCLE_NAMES[circle]} was "
                        f"contacted within its cadence ({cadence_text})."
                    )
            else:
                continue
            add(AlertKind.CIRCLE_GAP, reason, circle=circle)
    for person in people:
        if person.active or not _is_key(person, settings):
            continue
        if in_window(person.last_contact_on, as_of, settings.left_alert_days):
            add(
                AlertKind.KEY_PERSON_LEFT,
                f"{person.name} ({_role_words(person)}) left the company; last contact "
                f"{person.last_contact_on.isoformat()}. Find out who took over.",
                person,
            )
    if nps is not None and nps.falling:
        add(AlertKind.FALLING_NPS, f"NPS is falling: {nps.explanation}")
    return sorted(alerts, key=lambda a: SEVERITY_RANK[a.severity])
