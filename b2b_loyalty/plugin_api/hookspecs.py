"""The hook specifications: the whole contract between the core and its plugins.

Rules of the contract:
- The core calls every hook with keyword arguments. An implementation may accept
  fewer arguments than the spec, so specs can grow without breaking plugins.
- Hooks return data (the dataclasses in ``plugin_api.types``), never HTML.
- Anything ordered carries an explicit ``weight``/``stage`` and the core sorts by
  it (ties by plugin name); nobody relies on pluggy's registration order.
- Misspelled implementations fail at start-up: the host calls ``check_pending()``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date

    import click
    from flask import Blueprint, Flask

    from b2b_loyalty.plugin_api.types import (
        AccountAlert,
        AccountFact,
        AccountPanel,
        HealthMeasure,
        NavItem,
        PluginManifest,
        PriceAdjustment,
        QuoteContext,
        ReviewSection,
    )

PROJECT_NAME = "b2b_loyalty"
hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


class CoreHookSpecs:
    @hookspec(firstresult=True)
    def plugin_manifest(self) -> PluginManifest:
        """Return this plugin's PluginManifest (name, title, depends, migrations folder).

        Every plugin implements it; the host reads it before anything else.
        """

    @hookspec
    def configure_app(self, app: Flask) -> None:
        """Set defaults for the plugin's own settings keys (``app.config.setdefault``).

        Keys must start with the plugin's name in upper case (``TENURE_PRICING_*``).
        Runs before blueprints are registered; the configuration is frozen after.
        """

    @hookspec
    def blueprints(self) -> Sequence[Blueprint]:
        """Return the Flask blueprints to register (with their own template folders).

        A blueprint's name must be the plugin's name or start with it.
        """

    @hookspec
    def cli_commands(self) -> Sequence[click.Command]:
        """Return click commands to add to the ``b2b-loyalty`` command line."""

    @hookspec
    def navigation_items(self, user: Any) -> Sequence[NavItem]:
        """Return the NavItems this plugin adds to the main navigation for ``user``."""

    @hookspec
    def account_panels(self, account: Any, user: Any) -> Sequence[AccountPanel]:
        """Return AccountPanels for the page of ``account`` as seen by ``user``.

        ``account`` has already passed the access check; queries the panel makes
        are filtered by the same central rule.
        """

    @hookspec
    def price_adjustments(self, quote: QuoteContext) -> Sequence[PriceAdjustment]:
        """Return adjustments to apply after the volume discount, each with a ``stage``.

        The core applies them in stage order and shows each as a breakdown line.
        """

    @hookspec
    def review_sections(
        self, account: Any, period_start: date, period_end: date, user: Any
    ) -> Sequence[ReviewSection]:
        """Return sections for the review of ``account`` over [period_start, period_end]."""

    @hookspec
    def account_alerts(self, account_ids: Sequence[int], as_of: date) -> Sequence[AccountAlert]:
        """Return warning signs for the given accounts, in one batch (no query per account)."""

    @hookspec
    def account_facts(self, account_ids: Sequence[int], as_of: date) -> Sequence[AccountFact]:
        """Return facts about the given accounts (one batch; see AccountFact for the keys)."""

    @hookspec
    def account_health_measures(
        self, account_ids: Sequence[int], as_of: date
    ) -> Sequence[HealthMeasure]:
        """Return graded health measures for the given accounts, in one batch."""

    @hookspec
    def build_demo_data(self, as_of: date) -> None:
        """Add the plugin's demo data to the demo portfolio (called by ``b2b-loyalty demo``).

        Runs inside the demo's single transaction after the core data exists
        (users, accounts, stakeholders, orders); must be deterministic (seeded)
        and must not commit.
        """
