"""Interactions, next steps, NPS answers and stance history for the demo portfolio.

Deterministic: one ``random.Random`` seeded from the core's demo seed, loops
over accounts and people in id order, dates counted back from ``as_of``. It
follows each demo account's story (``b2b_loyalty.demo_data.ACCOUNTS``): lost
clients went quiet, new ones were met lately, declining ones complain and
their NPS falls, the champion who left was in touch until a year ago, and the
third circle is mostly left alone — so the alerts have something to say.
Runs inside the demo's transaction and never commits.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select

from b2b_loyalty.demo_data import ACCOUNTS, DECLINING, DEMO_DOMAIN, DEMO_SEED, LOST, NEW
from b2b_loyalty.extensions import db
from b2b_loyalty.models import Account, Stakeholder, User
from plugins.engagement.models import (
    Interaction,
    InteractionParticipant,
    StanceChangeRecord,
    SurveyResponse,
)

HISTORY_DAYS = 540
# Typical days between touches per circle, and the touch types each circle gets.
INTERVAL = {1: 24, 2: 75, 3: 140}
TYPES = {
    1: (("meeting", 35), ("call", 30), ("email", 25), ("event", 6), ("gift", 4)),
    2: (("email", 40), ("call", 35), ("meeting", 15), ("event", 10)),
    3: (("event", 40), ("meeting", 30), ("email", 30)),
}
CHANNEL = {
    "meeting": "in_person",
    "call": "phone",
    "email": "email",
    "event": "in_person",
    "gift": "letter",
    "survey": "email",
    "complaint": "phone",
    "other": "other",
}
SUMMARIES = {
    "meeting": (
        "Quarterly business review",
        "Site visit and walk through the plant",
        "Framework agreement: volumes for next year",
        "Introduced our new service engineer",
    ),
    "call": ("Delivery schedule check", "Follow-up on the last quote", "Price list questions"),
    "email": ("Sent the updated price list", "Shared the product roadmap", "Invoice questions"),
    "event": ("Client day at our training centre", "Themed evening at the trade fair"),
    "gift": ("New-year congratulation and calendar",),
    "complaint": ("Late delivery, production line waited", "Wrong cable gauge delivered"),
}
NEXT_STEPS = (
    "Send a revised quote",
    "Book a visit to the second site",
    "Introduce our logistics lead",
    "Share the maintenance plan",
    "Invite to the next client day",
)
STANCE_STORY = ("skeptic", "neutral")  # where a warming person started


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([k for k, _ in weighted], weights=[w for _, w in weighted])[0]


def build_engagement_demo(as_of: date) -> None:
    rng = random.Random(DEMO_SEED + 6)
    specs = {spec.name: spec for spec in ACCOUNTS}
    demo_users = select(User.id).where(User.email.like(f"%@{DEMO_DOMAIN}"))
    accounts = list(
        db.session.scalars(
            select(Account).where(Account.owner_id.in_(demo_users)).order_by(Account.id)
        )
    )
    people = {}
    for person in db.session.scalars(
        select(Stakeholder)
        .where(Stakeholder.account_id.in_([a.id for a in accounts]))
        .order_by(Stakeholder.id)
    ):
        people.setdefault(person.account_id, []).append(person)
    start = as_of - timedelta(days=HISTORY_DAYS)
    for account in accounts:
        spec = specs.get(account.name)
        if spec is None:
            continue
        _account_story(rng, account, spec, people.get(account.id, []), start, as_of)


def _account_story(rng, account, spec, people, start, as_of) -> None:  # noqa: ANN001, C901
    first_day, last_day = start, as_of
    if spec.pattern == LOST:
        last_day = as_of - timedelta(days=150 + rng.randint(0, 60))
    if spec.pattern == NEW:
        first_day = as_of - timedelta(days=80)
    team = [account.owner, *account.team]
    interactions: list[Interaction] = []

    def add(day: date, kind: str, persons: list, summary: str | None = None) -> Interaction:
        day = min(day, as_of)
        interaction = Interaction(
            account_id=account.id,
            type=kind,
            occurred_on=day,
            channel=CHANNEL[kind],
            summary=summary or rng.choice(SUMMARIES.get(kind, ("Talked",))),
            outcome=rng.choice((None, None, "Agreed to follow up", "Positive, asked for details")),
            created_by_id=account.owner_id,
            updated_by_id=account.owner_id,
        )
        interaction.participants = [
            InteractionParticipant(stakeholder_id=p.id, account_id=account.id) for p in persons
        ]
        helpers = [u for u in team if u is not account.owner]
        interaction.colleagues = [account.owner] + (
            [rng.choice(helpers)] if helpers and rng.random() < 0.3 else []
        )
        interactions.append(interaction)
        return interaction

    # Some people are neglected: we stopped calling them half a year ago.
    for person in people:
        neglected = person.circle > 1 and rng.random() < 0.35
        if person.circle == 3 and rng.random() < 0.5:
            continue  # the usual gap: the third circle never contacted
        until = last_day
        if neglected:
            until = min(until, as_of - timedelta(days=200 + rng.randint(0, 120)))
        if not person.active:
            until = min(until, as_of - timedelta(days=250 + rng.randint(0, 60)))
        day = first_day + timedelta(days=rng.randint(0, INTERVAL[person.circle]))
        while day <= until:
            others = [p for p in people if p is not person and p.active and p.circle <= 2]
            group = [person]
            if others and rng.random() < 0.25:
                group.append(rng.choice(others))
            add(day, _pick(rng, TYPES[person.circle]), group)
            interval = INTERVAL[person.circle]
            if spec.pattern == DECLINING and (as_of - day).days < 180:
                interval *= 2  # the relation cools down
            day += timedelta(days=max(3, int(rng.gauss(interval, interval / 4))))
    active = [p for p in people if p.active]
    if spec.pattern == DECLINING and active:
        for k in range(3):
            add(as_of - timedelta(days=20 + 70 * k), "complaint", [rng.choice(active)])
    if account.name.startswith("Nordwind") and active:
        # Over-contact: a mailing campaign hit one person four times this month.
        target = max(active, key=lambda p: (p.circle, p.id))
        for k in range(4):
            add(as_of - timedelta(days=3 + 6 * k), "email", [target], "Newsletter and offers")
    # Next steps on the latest interactions: some overdue, some this week, some done.
    recent = sorted(
        (i for i in interactions if (as_of - i.occurred_on).days <= 45),
        key=lambda i: (i.occurred_on, i.summary),
    )
    for interaction in recent[-3:]:
        interaction.next_step = rng.choice(NEXT_STEPS)
        interaction.next_step_due = interaction.occurred_on + timedelta(days=rng.randint(7, 40))
        if rng.random() < 0.25:
            interaction.next_step_done_on = min(as_of, interaction.next_step_due)
    db.session.add_all(interactions)
    _surveys(rng, account, spec, active, as_of)
    _stance_history(rng, account, people, start, as_of)


def _surveys(rng, account, spec, active, as_of) -> None:  # noqa: ANN001
    if spec.pattern in (LOST, NEW) or not active:
        return
    respondents = [p for p in active if p.circle <= 2][:4]
    for half_year in (1, 0):  # the half-year before last, then the last one
        for person in respondents:
            if rng.random() < 0.3:
                continue
            if spec.pattern == DECLINING:
                score = rng.randint(8, 10) if half_year else rng.randint(3, 6)
            else:
                score = rng.choice((7, 8, 9, 9, 10, 10))
            day = as_of - timedelta(days=180 * half_year + rng.randint(10, 170))
            db.session.add(
                SurveyResponse(
                    account_id=account.id,
                    stakeholder_id=person.id,
                    answered_on=day,
                    score=score,
                    comment=rng.choice((None, None, "Reliable deliveries.", "Prices went up.")),
                    recorded_by_id=account.owner_id,
                )
            )


def _stance_history(rng, account, people, start, as_of) -> None:  # noqa: ANN001
    for person in people:
        warmed = person.stance in ("supporter", "champion") and rng.random() < 0.3
        cooled = person.stance == "blocker"
        first = STANCE_STORY[rng.randint(0, 1)] if warmed else person.stance
        if cooled:
            first = "neutral"
        db.session.add(
            StanceChangeRecord(
                account_id=account.id,
                stakeholder_id=person.id,
                changed_on=start,
                stance_before=None,
                stance_after=first,
                influence_before=None,
                influence_after=person.influence,
                note="Recorded when tracking began.",
                changed_by_id=account.owner_id,
            )
        )
        if first != person.stance:
            db.session.add(
                StanceChangeRecord(
                    account_id=account.id,
                    stakeholder_id=person.id,
                    changed_on=as_of - timedelta(days=rng.randint(20, 300)),
                    stance_before=first,
                    stance_after=person.stance,
                    influence_before=person.influence,
                    influence_after=person.influence,
                    note="Won over after the site visit." if warmed else "New in the role.",
                    changed_by_id=account.owner_id,
                )
            )
