"""Every SELECT of the engagement plugin, each a fixed number of statements at any size.

Figures that span many interactions (last contact, touches per month,
complaints) are aggregated in SQL, so a portfolio of a million interactions
sends back one row per person, not one per interaction. Mapped classes are
used throughout, so the core's record-level access rule filters every query.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from b2b_loyalty.extensions import db
from b2b_loyalty.models import Account, AuditEntry, Stakeholder, User, account_team
from b2b_loyalty.queries.id_lists import among
from plugins.engagement.domain.alerts import MONTH_DAYS
from plugins.engagement.domain.cadence import window_start
from plugins.engagement.domain.nps_trend import SurveyAnswer
from plugins.engagement.domain.scoring import Touch
from plugins.engagement.domain.stance_moves import StanceChange
from plugins.engagement.models import (
    CadenceOverride,
    Interaction,
    InteractionParticipant,
    StanceChangeRecord,
    SurveyResponse,
)

COMPLAINT = "complaint"
AUDIT_ENTITY = "engagement_interaction"


class PersonRow(NamedTuple):
    """A stakeholder with their contact figures as of a day (``touches`` only in detail).

    A named tuple, not a dataclass: the portfolio figures build one per person
    (100,000 for a 10,000-account dashboard) and a tuple costs a third as much."""

    id: int
    account_id: int
    name: str
    title: str | None
    circle: int
    stance: str
    influence: int
    buying_role: str | None
    active: bool
    reports_to_id: int | None
    cadence_override: int | None
    last_contact_on: date | None = None
    touches_last_month: int = 0
    touches: list[Touch] | None = None


_PERSON_COLUMNS = (
    Stakeholder.id,
    Stakeholder.account_id,
    Stakeholder.name,
    Stakeholder.title,
    Stakeholder.circle,
    Stakeholder.stance,
    Stakeholder.influence,
    Stakeholder.buying_role,
    Stakeholder.active,
    Stakeholder.reports_to_id,
    CadenceOverride.days,
)


# A person's cadence override: their account's, for their circle.
_OWN_OVERRIDE = and_(
    CadenceOverride.account_id == Stakeholder.account_id,
    CadenceOverride.circle == Stakeholder.circle,
)


def _people_base(account_ids: Sequence[int]) -> Select:
    return (
        select(*_PERSON_COLUMNS)
        .outerjoin(CadenceOverride, _OWN_OVERRIDE)
        .where(among(Stakeholder.account_id, account_ids))
    )


def _our_touch(month_start: date):  # noqa: ANN202 - a SQL expression
    return case(
        (and_(Interaction.occurred_on >= month_start, Interaction.type != COMPLAINT), 1), else_=0
    )


def _contacts(account_ids: Sequence[int], as_of: date):  # noqa: ANN202 - a subquery
    """Per person: last contact up to ``as_of`` and our touches in the 30 days before."""
    month_start = window_start(as_of, MONTH_DAYS)
    return (
        select(
            InteractionParticipant.stakeholder_id,
            func.max(Interaction.occurred_on).label("last_contact_on"),
            func.sum(_our_touch(month_start)).label("touches"),
        )
        .join(Interaction, Interaction.id == InteractionParticipant.interaction_id)
        .where(
            among(InteractionParticipant.account_id, account_ids),
            Interaction.occurred_on <= as_of,
        )
        .group_by(InteractionParticipant.stakeholder_id)
        .subquery()
    )


def people_with_contacts(account_ids: Sequence[int], as_of: date) -> list[PersonRow]:
    """Every person at the accounts with last contact and touches in the last 30 days.

    One statement: the people, their account's cadence override for their
    circle and an aggregate of their interactions up to ``as_of``.
    """
    if not account_ids:
        return []
    contacts = _contacts(account_ids, as_of)
    stmt = (
        _people_base(account_ids)
        .add_columns(contacts.c.last_contact_on, contacts.c.touches)
        .outerjoin(contacts, contacts.c.stakeholder_id == Stakeholder.id)
        .order_by(Stakeholder.account_id, Stakeholder.id)
    )
    # A person nobody has met has no aggregate row: the outer join gives NULLs.
    return [PersonRow(*row[:12], int(row[12] or 0)) for row in db.session.execute(stmt)]


class ActiveContacts(NamedTuple):
    """How many active people of an account share a circle and a last contact, with the
    account's cadence override for that circle (None: the admin default)."""

    account_id: int
    circle: int
    last_contact_on: date | None
    cadence_override: int | None
    people: int


def active_contacts(account_ids: Sequence[int], as_of: date) -> list[ActiveContacts]:
    """The active people of the accounts counted per circle and last contact up to
    ``as_of``: what coverage reads, for the portfolio's health measures (one statement,
    at most a row per person; ``people_with_contacts`` carries thirteen columns for
    every person). People never contacted fall into one row per account and circle."""
    if not account_ids:
        return []
    contacts = _contacts(account_ids, as_of)
    stmt = (
        select(
            Stakeholder.account_id,
            Stakeholder.circle,
            contacts.c.last_contact_on,
            CadenceOverride.days,
            func.count(),
        )
        .outerjoin(CadenceOverride, _OWN_OVERRIDE)
        .outerjoin(contacts, contacts.c.stakeholder_id == Stakeholder.id)
        .where(among(Stakeholder.account_id, account_ids), Stakeholder.active.is_(True))
        .group_by(
            Stakeholder.account_id,
            Stakeholder.circle,
            contacts.c.last_contact_on,
            CadenceOverride.days,
        )
    )
    return [ActiveContacts(*row) for row in db.session.execute(stmt)]


def people_with_touches(account_id: int, as_of: date) -> list[PersonRow]:
    """The people of one account with every touch up to ``as_of`` (per type and day).

    One statement; rows are grouped by person, type and day, so the score can
    be computed without loading single interactions.
    """
    touches = (
        select(
            InteractionParticipant.stakeholder_id,
            Interaction.type,
            Interaction.occurred_on,
            func.count().label("n"),
        )
        .join(Interaction, Interaction.id == InteractionParticipant.interaction_id)
        .where(InteractionParticipant.account_id == account_id, Interaction.occurred_on <= as_of)
        .group_by(InteractionParticipant.stakeholder_id, Interaction.type, Interaction.occurred_on)
        .subquery()
    )
    stmt = (
        _people_base([account_id])
        .add_columns(touches.c.type, touches.c.occurred_on, touches.c.n)
        .outerjoin(touches, touches.c.stakeholder_id == Stakeholder.id)
        .order_by(Stakeholder.id)
    )
    month_start = window_start(as_of, MONTH_DAYS)
    people: dict[int, tuple] = {}
    touches_of: dict[int, list[Touch]] = {}
    last_of: dict[int, date | None] = {}
    month_touches: dict[int, int] = {}
    for row in db.session.execute(stmt):
        person_id = row[0]
        if person_id not in people:
            people[person_id] = tuple(row[:11])
            touches_of[person_id], last_of[person_id], month_touches[person_id] = [], None, 0
        kind, day, count = row[11], row[12], row[13]
        if day is None:
            continue
        touches_of[person_id].append(Touch(day, kind, int(count)))
        if last_of[person_id] is None or day > last_of[person_id]:
            last_of[person_id] = day
        if day >= month_start and kind != COMPLAINT:
            month_touches[person_id] += int(count)
    return [
        PersonRow(*fields, last_of[i], month_touches[i], touches_of[i])
        for i, fields in people.items()
    ]


def survey_answers(
    account_ids: Sequence[int], since: date, as_of: date
) -> list[tuple[int, SurveyAnswer]]:
    """NPS answers dated ``since``..``as_of`` with the circle of who gave them."""
    if not account_ids:
        return []
    stmt = (
        select(
            SurveyResponse.account_id,
            SurveyResponse.stakeholder_id,
            Stakeholder.circle,
            SurveyResponse.answered_on,
            SurveyResponse.score,
            SurveyResponse.id,
        )
        .join(Stakeholder, Stakeholder.id == SurveyResponse.stakeholder_id)
        .where(
            among(SurveyResponse.account_id, account_ids),
            SurveyResponse.answered_on.between(since, as_of),
        )
        .order_by(SurveyResponse.answered_on, SurveyResponse.id)
    )
    return [(row[0], SurveyAnswer(*row[1:])) for row in db.session.execute(stmt)]


def cadence_overrides(account_id: int) -> dict[int, int]:
    stmt = select(CadenceOverride.circle, CadenceOverride.days).where(
        CadenceOverride.account_id == account_id
    )
    return dict(db.session.execute(stmt).all())


def account_activity(
    account_ids: Sequence[int], as_of: date, complaint_days: int = 365
) -> dict[int, tuple[date | None, int]]:
    """Per account: the latest interaction up to ``as_of`` and complaints in the window."""
    if not account_ids:
        return {}
    first = window_start(as_of, complaint_days)
    complaints = case(
        (and_(Interaction.type == COMPLAINT, Interaction.occurred_on >= first), 1), else_=0
    )
    stmt = (
        select(Interaction.account_id, func.max(Interaction.occurred_on), func.sum(complaints))
        .where(among(Interaction.account_id, account_ids), Interaction.occurred_on <= as_of)
        .group_by(Interaction.account_id)
    )
    return {row[0]: (row[1], int(row[2] or 0)) for row in db.session.execute(stmt)}


def interactions_statement(account_id: int, stakeholder_id: int | None = None) -> Select:
    """Interactions of an account (or of one person there), newest first, people loaded."""
    stmt = (
        select(Interaction)
        .where(Interaction.account_id == account_id)
        .options(
            selectinload(Interaction.participants).joinedload(InteractionParticipant.stakeholder),
            selectinload(Interaction.colleagues),
        )
        .order_by(Interaction.occurred_on.desc(), Interaction.id.desc())
    )
    if stakeholder_id is not None:
        involved = select(InteractionParticipant.interaction_id).where(
            InteractionParticipant.stakeholder_id == stakeholder_id
        )
        stmt = stmt.where(Interaction.id.in_(involved))
    return stmt


def interaction_day_at(account_id: int, stakeholder_id: int | None, position: int) -> date | None:
    """The date of the interaction at ``position`` (0-based) in ``interactions_statement`` order."""
    stmt = select(Interaction.occurred_on).where(Interaction.account_id == account_id)
    if stakeholder_id is not None:
        involved = select(InteractionParticipant.interaction_id).where(
            InteractionParticipant.stakeholder_id == stakeholder_id
        )
        stmt = stmt.where(Interaction.id.in_(involved))
    stmt = stmt.order_by(Interaction.occurred_on.desc(), Interaction.id.desc())
    return db.session.scalar(stmt.offset(position).limit(1))


def get_interaction(account_id: int, interaction_id: int) -> Interaction | None:
    return db.session.scalar(
        interactions_statement(account_id).where(Interaction.id == interaction_id)
    )


def interaction_history(interaction_id: int) -> list[tuple[AuditEntry, str | None]]:
    """Who changed what on an interaction, oldest first, with the actor's name."""
    stmt = (
        select(AuditEntry, User.name)
        .outerjoin(User, User.id == AuditEntry.actor_id)
        .where(AuditEntry.entity == AUDIT_ENTITY, AuditEntry.entity_id == interaction_id)
        .order_by(AuditEntry.at, AuditEntry.id)
    )
    return [(entry, name) for entry, name in db.session.execute(stmt)]


def stance_changes(
    account_id: int, stakeholder_id: int | None = None
) -> list[tuple[StanceChange, StanceChangeRecord]]:
    stmt = (
        select(StanceChangeRecord)
        .where(StanceChangeRecord.account_id == account_id)
        .options(joinedload(StanceChangeRecord.changed_by))
        .order_by(StanceChangeRecord.changed_on, StanceChangeRecord.id)
    )
    if stakeholder_id is not None:
        stmt = stmt.where(StanceChangeRecord.stakeholder_id == stakeholder_id)
    return [
        (
            StanceChange(
                r.stakeholder_id,
                r.changed_on,
                r.stance_before,
                r.stance_after,
                r.influence_before,
                r.influence_after,
                r.id,
            ),
            r,
        )
        for r in db.session.scalars(stmt)
    ]


def survey_responses_of(stakeholder_id: int) -> list[SurveyResponse]:
    return list(
        db.session.scalars(
            select(SurveyResponse)
            .where(SurveyResponse.stakeholder_id == stakeholder_id)
            .order_by(SurveyResponse.answered_on.desc(), SurveyResponse.id.desc())
        )
    )


def my_accounts(user_id: int) -> list[tuple[int, str]]:
    """(id, name) of the accounts ``user_id`` owns or is on the team of."""
    team = select(account_team.c.account_id).where(account_team.c.user_id == user_id)
    stmt = (
        select(Account.id, Account.name)
        .where(or_(Account.owner_id == user_id, Account.id.in_(team)))
        .order_by(func.lower(Account.name), Account.id)
    )
    return [tuple(row) for row in db.session.execute(stmt)]


def visible_accounts(owner_id: int | None = None) -> list[tuple[int, str, int, str]]:
    """(id, name, owner id, owner name) of every account the current user sees, by name."""
    stmt = (
        select(Account.id, Account.name, Account.owner_id, User.name)
        .join(User, User.id == Account.owner_id)
        .order_by(func.lower(Account.name), Account.id)
    )
    if owner_id:
        stmt = stmt.where(Account.owner_id == owner_id)
    return [tuple(row) for row in db.session.execute(stmt)]


def visible_owners() -> list[tuple[int, str]]:
    """(id, name) of the owners of the accounts the current user sees."""
    owners = select(Account.owner_id).distinct().scalar_subquery()
    stmt = select(User.id, User.name).where(User.id.in_(owners)).order_by(User.name, User.id)
    return [tuple(row) for row in db.session.execute(stmt)]


def open_next_steps(
    account_ids: Sequence[int], due_until: date, limit: int | None = None
) -> list[tuple[Interaction, str]]:
    """Open next steps due up to ``due_until`` (overdue ones too), earliest first, with the
    account's name; at most ``limit`` of them."""
    if not account_ids:
        return []
    stmt = (
        select(Interaction, Account.name)
        .join(Account, Account.id == Interaction.account_id)
        .where(
            among(Interaction.account_id, account_ids),
            Interaction.next_step.is_not(None),
            Interaction.next_step_done_on.is_(None),
            Interaction.next_step_due <= due_until,
        )
        .options(
            selectinload(Interaction.participants).joinedload(InteractionParticipant.stakeholder)
        )
        .order_by(Interaction.next_step_due, Interaction.id)
        .limit(limit)
    )
    return [(interaction, name) for interaction, name in db.session.execute(stmt)]


def count_interactions_by_type(account_id: int, first: date, last: date) -> dict[str, int]:
    stmt = (
        select(Interaction.type, func.count())
        .where(Interaction.account_id == account_id, Interaction.occurred_on.between(first, last))
        .group_by(Interaction.type)
    )
    return dict(db.session.execute(stmt).all())
