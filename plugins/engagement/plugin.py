"""Stakeholder engagement tracking and the decision-maker circle map (issue 6).

Everything reaches the core through its hooks: pages and API routes
(``blueprints``), "My week" and the portfolio view (``navigation_items``), the
account page panel, warning signs, facts and health measures for the core's
metrics, a section of the account review, interactions for the spreadsheet
import (``import_entities``), and the demo's interactions.
Settings are ``ENGAGEMENT_*`` keys (see ``domain/settings.py`` for each
default and why); heavy imports happen inside the hooks.
"""

from __future__ import annotations

import os
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from b2b_loyalty.plugin_api import (
    AccountAlert,
    AccountFact,
    AccountPanel,
    HealthMeasure,
    NavItem,
    PluginManifest,
    ReviewColumn,
    ReviewSection,
    ReviewSheet,
    hookimpl,
)
from plugins.engagement import models  # noqa: F401 - register the plugin's tables

HERE = Path(__file__).parent
NAME = "engagement"
COMPLAINT_WINDOW_DAYS = 365


@hookimpl
def plugin_manifest() -> PluginManifest:
    return PluginManifest(
        name=NAME,
        title="Stakeholder engagement",
        migrations=str(HERE / "migrations" / "versions"),
        description="Interactions, engagement scores, contact cadence, NPS and the circle map.",
    )


@hookimpl
def configure_app(app) -> None:  # noqa: ANN001
    """Defaults for the ``ENGAGEMENT_*`` keys, overridable from the environment; checked once."""
    from plugins.engagement.domain.settings import default_config, settings_from_config
    from plugins.engagement.figures import EXTENSION_KEY

    for key, default in default_config().items():
        app.config.setdefault(key, os.environ.get(key, default))
    # Built once per app, so a bad value stops the start-up instead of a page.
    app.extensions[EXTENSION_KEY] = settings_from_config(app.config)


@hookimpl
def blueprints():
    from plugins.engagement.api.routes import api
    from plugins.engagement.web.blueprint import bp

    return [bp, api]


@hookimpl
def navigation_items(user):  # noqa: ANN001
    from flask_babel import lazy_gettext as _l

    from b2b_loyalty.domain.roles import Role

    return [
        NavItem(
            label=str(_l("My week")),
            endpoint="engagement.my_week",
            weight=15,
            roles=frozenset({Role.ACCOUNT_MANAGER.value, Role.ADMIN.value}),
        ),
        NavItem(
            label=str(_l("Engagement")),
            endpoint="engagement.portfolio",
            weight=35,
            roles=frozenset({Role.SALES_LEAD.value, Role.ADMIN.value}),
        ),
    ]


@hookimpl
def account_panels(account, user):  # noqa: ANN001
    from flask_babel import lazy_gettext as _l

    from plugins.engagement.figures import engagement_of_account
    from plugins.engagement.web import presenters

    figures = engagement_of_account(account.id, date.today())
    rows = presenters.map_rows(figures, {})
    return [
        AccountPanel(
            key="engagement.summary",
            title=str(_l("Engagement and the circle map")),
            template="engagement/panels/account.html",
            weight=12,
            context={
                "figures": figures,
                "rows": rows,
                "circle_map": presenters.circle_map(
                    figures, rows, f"Decision-maker circle map of {account.name}", "map-panel"
                ),
            },
        )
    ]


@hookimpl
def review_sections(account, period_start: date, period_end: date, user):  # noqa: ANN001
    from flask_babel import lazy_gettext as _l

    from plugins.engagement import queries
    from plugins.engagement.figures import engagement_of_account
    from plugins.engagement.web import presenters

    if account is None:
        return []
    figures = engagement_of_account(
        account.id, period_end, overrides=queries.cadence_overrides(account.id)
    )
    moves = presenters.recent_moves(account.id, period_end)
    moves = {k: m for k, m in moves.items() if m.changed_on >= period_start}
    rows = presenters.map_rows(figures, moves)
    return [
        ReviewSection(
            key="engagement.summary",
            title=str(_l("Relationships: engagement and decision-maker circles")),
            weight=40,
            template="engagement/review/section.html",
            sheets=review_sheets(figures, rows),
            context={
                "figures": figures,
                "rows": rows,
                "moves": moves,
                "circle_map": presenters.circle_map(
                    figures, rows, f"Decision-maker circle map of {account.name}", "map-review"
                ),
                "interactions_by_type": queries.count_interactions_by_type(
                    account.id, period_start, period_end
                ),
                "period_start": period_start,
                "period_end": period_end,
                "nps_by_circle": figures.nps_by_circle(),
                "nps_by_quarter": figures.nps_by_quarter(4),
            },
        )
    ]


def review_sheets(figures, rows) -> tuple[ReviewSheet, ...]:  # noqa: ANN001
    """The review section as tables for the spreadsheet export: people and coverage."""
    from flask_babel import gettext as _

    from plugins.engagement.domain.vocabulary import CIRCLE_NAMES, humanise

    nps_by_circle = figures.nps_by_circle()
    people = ReviewSheet(
        title=_("Stakeholders"),
        columns=(
            ReviewColumn(_("Name")),
            ReviewColumn(_("Title")),
            ReviewColumn(_("Circle"), "integer"),
            ReviewColumn(_("Stance")),
            ReviewColumn(_("Influence (1-5)"), "integer"),
            ReviewColumn(_("Buying role")),
            ReviewColumn(_("Engaged")),
            ReviewColumn(_("Last contact"), "date"),
            ReviewColumn(_("Touches, last 30 days"), "integer"),
            ReviewColumn(_("Engagement score"), "number"),
            ReviewColumn(_("Contact status")),
            ReviewColumn(_("Moved in the period")),
        ),
        rows=tuple(
            (
                row.person.name,
                row.person.title,
                row.person.circle,
                humanise(row.person.stance),
                row.person.influence,
                humanise(row.person.buying_role) if row.person.buying_role else None,
                _("yes") if row.engaged else _("no"),
                row.person.last_contact_on,
                row.person.touches_last_month,
                Decimal(row.score) if row.score is not None else None,
                row.status_text,
                row.move.description if row.move else None,
            )
            for row in rows
        ),
    )
    circles = [*figures.coverage.circles.values(), figures.coverage.overall]
    coverage = ReviewSheet(
        title=_("Engagement"),
        columns=(
            ReviewColumn(_("Circle")),
            ReviewColumn(_("People known"), "integer"),
            ReviewColumn(_("Engaged"), "integer"),
            ReviewColumn(_("Coverage"), "percent"),
            ReviewColumn(_("NPS (-100..100)"), "number"),
            ReviewColumn(_("What was counted")),
        ),
        rows=tuple(
            (
                CIRCLE_NAMES.get(c.circle, _("all circles")),
                c.known,
                c.engaged,
                c.ratio,
                (
                    nps_by_circle[c.circle].value
                    if c.circle in nps_by_circle
                    else figures.nps.value
                    if c is figures.coverage.overall
                    else None
                ),
                c.explanation,
            )
            for c in circles
        )
        + tuple(
            (_("Warning sign: %(kind)s", kind=a.kind.label), None, None, None, None, a.reason)
            for a in figures.alerts
        ),
    )
    return (people, coverage)


@hookimpl
def account_alerts(account_ids, as_of):  # noqa: ANN001
    from plugins.engagement.figures import engagement_of_accounts

    return [
        AccountAlert(
            account_id=alert.account_id,
            key=alert.key,
            message=alert.reason,
            severity=alert.severity,
            source=NAME,
        )
        for figures in engagement_of_accounts(account_ids, as_of).values()
        for alert in figures.alerts
    ]


@hookimpl
def account_facts(account_ids, as_of):  # noqa: ANN001
    from plugins.engagement import queries

    activity = queries.account_activity(account_ids, as_of, COMPLAINT_WINDOW_DAYS)
    facts = []
    for account_id in sorted(set(account_ids)):
        last, complaints = activity.get(account_id, (None, 0))
        facts.append(
            AccountFact(
                account_id,
                "last_interaction_on",
                last,
                "Latest recorded interaction" if last else "No interaction recorded",
                NAME,
            )
        )
        facts.append(
            AccountFact(
                account_id,
                "complaints_12m",
                complaints,
                f"Complaints recorded in the {COMPLAINT_WINDOW_DAYS} days up to {as_of}",
                NAME,
            )
        )
    return facts


def _score(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@hookimpl
def account_health_measures(account_ids, as_of):  # noqa: ANN001
    from plugins.engagement.figures import current_settings, health_figures_of_accounts

    nps_window_days = current_settings().nps_window_days
    measures = []
    for account_id, (overall, nps) in health_figures_of_accounts(account_ids, as_of).items():
        measures.append(
            HealthMeasure(
                account_id=account_id,
                key="engagement_coverage",
                label="Engagement coverage",
                score=_score((overall.ratio or Decimal(0)) * 100),
                explanation=(
                    f"{overall.engaged} of {overall.known} known people engaged within "
                    "their circle's cadence."
                    if overall.known
                    else "Nobody known at this client."
                ),
                source=NAME,
            )
        )
        if nps.value is not None:
            measures.append(
                HealthMeasure(
                    account_id=account_id,
                    key="nps",
                    label="Net Promoter Score",
                    score=_score((nps.value + 100) / 2),
                    explanation=(
                        f"NPS {nps.value} from {nps.answers} answer(s) in the last "
                        f"{nps_window_days} days ({nps.promoters} promoters, "
                        f"{nps.passives} passives, {nps.detractors} detractors), "
                        "scaled from −100..100 to 0..100."
                    ),
                    source=NAME,
                )
            )
    return measures


@hookimpl
def import_entities():
    """Interactions for the spreadsheet import (see ``plugins/engagement/imports.py``)."""
    from plugins.engagement.imports import INTERACTIONS

    return [INTERACTIONS]


@hookimpl
def build_demo_data(as_of: date) -> None:
    from plugins.engagement.demo import build_engagement_demo

    build_engagement_demo(as_of)
