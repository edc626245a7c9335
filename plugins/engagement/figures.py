"""The engagement figures of accounts: queries in, domain rules applied, one object out.

``engagement_of_accounts`` serves the batch users (alerts, facts and health
hooks, "my week", the portfolio) in two statements whatever the number of
accounts, people or interactions; ``engagement_of_account`` adds the scores of
one account's people (also two statements).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

from flask import current_app

from b2b_loyalty.domain.nps import NetPromoterScore
from b2b_loyalty.plugin_api.request_memo import once_per_request
from plugins.engagement import queries
from plugins.engagement.domain.alerts import EngagementAlert, account_alerts
from plugins.engagement.domain.cadence import ContactStatus, window_start
from plugins.engagement.domain.coverage import (
    AccountCoverage,
    CircleCoverage,
    PersonFacts,
    account_coverage,
    overall_coverage_by_account,
)
from plugins.engagement.domain.coverage import statuses as contact_statuses
from plugins.engagement.domain.nps_trend import (
    NpsComparison,
    SurveyAnswer,
    compare_periods,
    current_nps,
    nps_by_circle,
    nps_by_quarter,
    quarter_bounds,
    quarter_of,
)
from plugins.engagement.domain.scoring import EngagementScore, engagement_score
from plugins.engagement.domain.settings import EngagementSettings
from plugins.engagement.domain.vocabulary import CIRCLES

EXTENSION_KEY = "engagement"
TREND_QUARTERS = 8


def current_settings() -> EngagementSettings:
    return current_app.extensions[EXTENSION_KEY]


def _memo(key: tuple, build):  # noqa: ANN001, ANN202
    """Reuse figures within one GET request: the account page asks for the same account's
    figures through its panel, the alerts hook and the health hook."""
    return once_per_request(("engagement", *key), build)


@dataclass
class AccountEngagement:
    """Everything the screens, hooks and API say about one account's engagement."""

    account_id: int
    as_of: date
    settings: EngagementSettings
    people: list[queries.PersonRow]  # everyone, including people who left
    cadences: dict[int, int]
    coverage: AccountCoverage
    facts: list[PersonFacts]  # the people as the domain rules read them
    nps: NetPromoterScore
    nps_comparison: NpsComparison
    answers: list[SurveyAnswer] = field(default_factory=list)
    scores: dict[int, EngagementScore] | None = None

    @cached_property
    def statuses(self) -> dict[int, ContactStatus]:
        """Each person's contact status against their circle's cadence. Worked out when
        read: the portfolio hooks need the coverage and the alerts of 10,000 accounts,
        not the status of their 100,000 people."""
        return contact_statuses(self.facts, self.as_of, self.cadences)

    @cached_property
    def alerts(self) -> list[EngagementAlert]:
        """Every warning sign, most severe first. Written when read: the health and
        facts hooks of a 10,000-account dashboard need the coverage and NPS, not a
        sentence per silent person."""
        return account_alerts(
            self.account_id,
            self.facts,
            self.as_of,
            self.cadences,
            self.settings,
            self.nps_comparison,
        )

    @property
    def active_people(self) -> list[queries.PersonRow]:
        return [p for p in self.people if p.active]

    def nps_by_circle(self) -> dict[int, NetPromoterScore]:
        return nps_by_circle(self.answers, self.as_of, self.settings.nps_window_days)

    def nps_by_quarter(self, quarters: int = TREND_QUARTERS):  # noqa: ANN201
        return nps_by_quarter(self.answers, self.as_of, quarters)


def _answers_since(as_of: date, settings: EngagementSettings, quarters: int = 0) -> date:
    since = min(
        as_of - timedelta(days=settings.nps_window_days - 1),
        as_of - timedelta(days=2 * settings.nps_period_days - 1),
    )
    if quarters:
        year, quarter = quarter_of(as_of)
        for _ in range(quarters - 1):
            year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
        since = min(since, quarter_bounds(year, quarter)[0])
    return since


def _cadences(people: Sequence[queries.PersonRow], settings: EngagementSettings) -> dict[int, int]:
    cadences = dict(settings.cadence_days)
    for person in people:
        if person.cadence_override:
            cadences[person.circle] = person.cadence_override
    return cadences


def _facts(person: queries.PersonRow, score: EngagementScore | None) -> PersonFacts:
    # Positional: built once per person of the portfolio (100,000 on a large dashboard).
    return PersonFacts(
        person.id,
        person.account_id,
        person.name,
        person.circle,
        person.stance,
        person.influence,
        person.buying_role,
        person.active,
        person.last_contact_on,
        person.touches_last_month,
        score.value if score is not None else None,
    )


def _assemble(
    account_id: int,
    people: list[queries.PersonRow],
    answers: list[SurveyAnswer],
    as_of: date,
    settings: EngagementSettings,
    cadences: dict[int, int] | None = None,
    scores: dict[int, EngagementScore] | None = None,
) -> AccountEngagement:
    cadences = cadences or _cadences(people, settings)
    facts = [_facts(p, scores.get(p.id) if scores else None) for p in people]
    comparison = compare_periods(answers, as_of, settings.nps_period_days, settings.nps_drop_points)
    return AccountEngagement(
        account_id=account_id,
        as_of=as_of,
        settings=settings,
        people=people,
        cadences=cadences,
        coverage=account_coverage(facts, as_of, cadences, settings.multi_thread_days),
        facts=facts,
        nps=current_nps(answers, as_of, settings.nps_window_days),
        nps_comparison=comparison,
        answers=answers,
        scores=scores,
    )


def engagement_of_accounts(
    account_ids: Sequence[int], as_of: date, settings: EngagementSettings | None = None
) -> dict[int, AccountEngagement]:
    """Figures of many accounts in two statements (people with contacts, NPS answers)."""
    settings = settings or current_settings()
    ids = sorted(set(account_ids))
    if len(ids) == 1:  # one account: the detailed figures cost no more and are shared
        return {ids[0]: engagement_of_account(ids[0], as_of, settings)}
    return _memo(("many", tuple(ids), as_of), lambda: _many(ids, as_of, settings))


def _many(
    ids: list[int], as_of: date, settings: EngagementSettings
) -> dict[int, AccountEngagement]:
    people_by_account: dict[int, list[queries.PersonRow]] = {i: [] for i in ids}
    for person in queries.people_with_contacts(ids, as_of):
        people_by_account[person.account_id].append(person)
    answers_by_account: dict[int, list[SurveyAnswer]] = {i: [] for i in ids}
    for account_id, answer in queries.survey_answers(ids, _answers_since(as_of, settings), as_of):
        answers_by_account[account_id].append(answer)
    return {
        i: _assemble(i, people_by_account[i], answers_by_account[i], as_of, settings) for i in ids
    }


NOBODY_KNOWN = CircleCoverage(0, 0, 0)


def health_figures_of_accounts(
    account_ids: Sequence[int], as_of: date, settings: EngagementSettings | None = None
) -> dict[int, tuple[CircleCoverage, NetPromoterScore]]:
    """Overall coverage and current NPS per account: all the health measures read.

    One account: from its full figures, which its page's panel shares. Many: two lean
    statements (active people's last contacts, the NPS window's answers) and no
    per-person objects — the full figures of a 10,000-account dashboard built
    100,000 of them and took half its time. Same numbers either way (tested).
    """
    settings = settings or current_settings()
    ids = sorted(set(account_ids))
    if len(ids) == 1:
        figures = engagement_of_account(ids[0], as_of, settings)
        return {ids[0]: (figures.coverage.overall, figures.nps)}
    coverage = overall_coverage_by_account(
        queries.active_contacts(ids, as_of), as_of, settings.cadence_days
    )
    window = settings.nps_window_days
    answers: dict[int, list[SurveyAnswer]] = {i: [] for i in ids}
    for account_id, answer in queries.survey_answers(ids, window_start(as_of, window), as_of):
        answers[account_id].append(answer)
    return {i: (coverage.get(i, NOBODY_KNOWN), current_nps(answers[i], as_of, window)) for i in ids}


def engagement_of_account(
    account_id: int,
    as_of: date,
    settings: EngagementSettings | None = None,
    *,
    overrides: dict[int, int] | None = None,
) -> AccountEngagement:
    """One account's figures with every person's score (two statements).

    ``overrides`` (the account's cadence overrides, when the caller loaded them)
    fixes the cadence of circles where nobody is known too.
    """
    settings = settings or current_settings()
    key = ("one", account_id, as_of, tuple(sorted(overrides.items())) if overrides else None)
    return _memo(key, lambda: _one(account_id, as_of, settings, overrides))


def _one(
    account_id: int, as_of: date, settings: EngagementSettings, overrides: dict[int, int] | None
) -> AccountEngagement:
    trend_quarters = TREND_QUARTERS
    people = queries.people_with_touches(account_id, as_of)
    since = _answers_since(as_of, settings, trend_quarters)
    answers = [a for _, a in queries.survey_answers([account_id], since, as_of)]
    scores = {
        p.id: engagement_score(
            p.touches or (),
            as_of,
            half_life_days=settings.half_life_days,
            weights=settings.type_weights,
        )
        for p in people
    }
    cadences = _cadences(people, settings)
    if overrides is not None:
        cadences = {c: overrides.get(c, settings.cadence_days[c]) for c in CIRCLES}
    return _assemble(account_id, people, answers, as_of, settings, cadences, scores)
