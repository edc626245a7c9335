"""The core's own navigation and account-page panels, through the same hooks as plugins."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from b2b_loyalty.domain.roles import Role
from b2b_loyalty.plugin_api import AccountPanel, NavItem, PluginManifest, hookimpl


@hookimpl
def plugin_manifest() -> PluginManifest:
    return PluginManifest(name="core", title="Core")


@hookimpl
def navigation_items(user) -> list[NavItem]:  # noqa: ANN001
    return [
        NavItem(label=str(_l("Dashboard")), endpoint="dashboard.dashboard", weight=5),
        NavItem(label=str(_l("Accounts")), endpoint="accounts.list_accounts", weight=10),
        NavItem(label=str(_l("Quote")), endpoint="pricing.quote", weight=20),
        NavItem(label=str(_l("Discount schedules")), endpoint="pricing.list_schedules", weight=30),
        NavItem(
            label=str(_l("Finance")),
            endpoint="pricing.finance_overview",
            weight=40,
            roles=frozenset({Role.FINANCE.value, Role.ADMIN.value}),
        ),
        NavItem(
            label=str(_l("Metric settings")),
            endpoint="metrics_admin.settings",
            weight=910,
            roles=frozenset({Role.ADMIN.value}),
        ),
        NavItem(
            label=str(_l("Users")),
            endpoint="users.list_users",
            weight=900,
            roles=frozenset({Role.ADMIN.value}),
        ),
    ]


@hookimpl
def account_panels(account, user) -> list[AccountPanel]:  # noqa: ANN001
    from b2b_loyalty.services.account_metrics_panel import metrics_panel_context

    return [
        AccountPanel(
            key="core.metrics",
            title=str(_l("Metrics, last 12 months")),
            template="accounts/panels/metrics.html",
            weight=5,
            context=metrics_panel_context(account),
        ),
        AccountPanel(
            key="core.stakeholders",
            title=str(_l("People by decision-maker circle")),
            template="accounts/panels/stakeholders.html",
            weight=10,
        ),
        AccountPanel(
            key="core.orders",
            title=str(_l("Orders")),
            template="accounts/panels/orders.html",
            weight=20,
        ),
        AccountPanel(
            key="core.wallet",
            title=str(_l("Wallet estimates")),
            template="accounts/panels/wallet_estimates.html",
            weight=30,
        ),
    ]
