"""Contract-based tenure pricing: the plugin's hook implementations.

Clients under contract earn a better price the longer they stay. Finance
approves a tenure schedule (thresholds, stacking rule, cap, grace, renewal
uplift); quotes get a tenure line after the volume discount; account managers
see contracts, tenure, renewals and membership-fee break-even on the account
page. Everything reaches the core through these hooks only.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from flask_babel import lazy_gettext as _l

from b2b_loyalty.domain.roles import Role
from b2b_loyalty.plugin_api import (
    AccountAlert,
    AccountPanel,
    HealthMeasure,
    ImportEntity,
    NavItem,
    PluginManifest,
    PriceAdjustment,
    ReviewColumn,
    ReviewSection,
    ReviewSheet,
    hookimpl,
)
from plugins.tenure_pricing import models  # noqa: F401 - register the plugin's tables
from plugins.tenure_pricing.settings import DEFAULTS

HERE = Path(__file__).parent
NAME = "tenure_pricing"


@hookimpl
def plugin_manifest() -> PluginManifest:
    return PluginManifest(
        name=NAME,
        title="Tenure pricing",
        migrations=str(HERE / "migrations" / "versions"),
        description="Contracts, tenure-based discounts approved by finance, renewal previews "
        "and membership-fee break-even.",
    )


@hookimpl
def configure_app(app) -> None:  # noqa: ANN001
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)


@hookimpl
def blueprints():  # noqa: ANN201
    from plugins.tenure_pricing.api import api
    from plugins.tenure_pricing.blueprint import bp

    return [bp, api]


@hookimpl
def navigation_items(user) -> list[NavItem]:  # noqa: ANN001
    return [
        NavItem(label=str(_l("Contracts expiring")), endpoint=f"{NAME}.expiring", weight=15),
        NavItem(
            label=str(_l("Tenure schedule")),
            endpoint=f"{NAME}.list_schedules",
            weight=35,
            roles=frozenset({Role.FINANCE.value, Role.ADMIN.value, Role.SALES_LEAD.value}),
        ),
    ]


@hookimpl
def account_panels(account, user) -> list[AccountPanel]:  # noqa: ANN001
    from plugins.tenure_pricing.services.contract_overview import contract_overview

    return [
        AccountPanel(
            key=f"{NAME}.contracts",
            title=str(_l("Contracts and tenure")),
            template="tenure_pricing/panel.html",
            weight=15,
            context={"overview": contract_overview(account.id, date.today())},
        )
    ]


@hookimpl
def price_adjustments(quote) -> list[PriceAdjustment]:  # noqa: ANN001
    from plugins.tenure_pricing.services.tenure import tenure_adjustment

    adjustment = tenure_adjustment(quote)
    return [adjustment] if adjustment is not None else []


@hookimpl
def review_sections(account, period_start: date, period_end: date, user) -> list[ReviewSection]:  # noqa: ANN001
    from plugins.tenure_pricing.services.signals import review_data

    if account is None:
        return []
    data = review_data(account.id, period_start, period_end)
    if not data:
        return []
    return [
        ReviewSection(
            key=f"{NAME}.contracts",
            title=str(_l("Contracts, tenure and renewal")),
            weight=60,
            template="tenure_pricing/review_section.html",
            context=data,
            sheets=(contracts_sheet(data),),
        )
    ]


def contracts_sheet(data: dict) -> ReviewSheet:
    """The contracts of the review period as a table for the spreadsheet export."""
    from flask_babel import gettext as _

    tenure = data["tenure"]
    return ReviewSheet(
        title=_("Contracts"),
        columns=(
            ReviewColumn(_("Contract")),
            ReviewColumn(_("Start"), "date"),
            ReviewColumn(_("End"), "date"),
            ReviewColumn(_("Term (months)"), "integer"),
            ReviewColumn(_("Status")),
            ReviewColumn(_("Renews automatically")),
            ReviewColumn(_("Annual value"), "money"),
            ReviewColumn(_("Membership fee"), "money"),
            ReviewColumn(_("Tenure discount"), "percent"),
            ReviewColumn(_("Tenure")),
        ),
        rows=tuple(
            (
                c["number"],
                c["start_date"],
                c["end_date"],
                c["term_months"],
                c["status"],
                _("yes") if c["auto_renew"] else _("no"),
                c["annual_value"],
                c["membership_fee"],
                None if tenure["percent"] is None else tenure["percent"] / 100,
                tenure["reason"],
            )
            for c in data["contracts"]
        ),
    )


@hookimpl
def account_alerts(account_ids, as_of: date) -> list[AccountAlert]:  # noqa: ANN001
    from plugins.tenure_pricing.services.signals import account_alerts as alerts

    return alerts(account_ids, as_of)


@hookimpl
def account_health_measures(account_ids, as_of: date) -> list[HealthMeasure]:  # noqa: ANN001
    from plugins.tenure_pricing.services.signals import account_health_measures as measures

    return measures(account_ids, as_of)


@hookimpl
def import_entities() -> list[ImportEntity]:
    from plugins.tenure_pricing.imports import CONTRACTS

    return [CONTRACTS]


@hookimpl
def build_demo_data(as_of: date) -> None:
    from plugins.tenure_pricing.demo import build_demo_contracts

    build_demo_contracts(as_of)
