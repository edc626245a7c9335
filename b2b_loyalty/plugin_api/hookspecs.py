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
        ImportEntity,
        NavItem,
        PageAction,
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
        """Return sections for the review of ``account`` over [period_start, period_end].

        The printed review renders ``section.template`` with the section's
        ``context`` both as ``ctx`` and as top-level variables, plus ``account``,
        ``period_start`` and ``period_end``; the template must link to nothing
        and load nothing (the PDF renderer fetches no URL). ``section.sheets``
        (ReviewSheets) become sheets of the spreadsheet export, in section order.
        ``user`` has already passed the access check for ``account``; the
        section's queries are filtered by the same central rule.
        """

    @hookspec
    def page_actions(self, page: str, context: dict[str, Any], user: Any) -> Sequence[PageAction]:
        """Return PageActions (download buttons, links) for a core page, as seen by ``user``.

        ``page`` and what ``context`` holds:
        - ``"account"``: ``account`` (already passed the access check);
        - ``"dashboard"``: ``args``, the request's query arguments (period and filters);
        - ``"finance"``: ``margin_percent``, the gross margin the overview assumes.
        Unknown pages: return nothing. The core sorts by ``weight``.
        """

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

    @hookspec
    def import_entities(self) -> Sequence[ImportEntity]:
        """Return the ImportEntities this plugin can import from .xlsx and .csv files.

        The core's accounts, stakeholders, orders and wallet estimates are
        declared through this same hook. The core reads the file, matches its
        headers to each ImportField (key, label or a synonym), lets the user
        correct the mapping, and calls ``entity.apply_rows(rows, context)`` once
        per run, inside one transaction:

        - ``rows`` is an *iterator* of ImportRow, in file order; read it once.
        - Return (or yield) exactly one ImportRowOutcome per row, with that row's
          ``row_number``: ``create``, ``update``, ``unchanged`` or ``reject`` with
          the ImportProblems (field key and message, e.g. "Unknown account or not
          yours.", "Circle must be 1, 2 or 3.").
        - Validate with the same rules as the entity's pages and API (run the
          values through the entity's WTForms form, e.g. with
          ``b2b_loyalty.imports.form_rows.FormRowValidator``), and check
          references against the database. Every ORM query is already filtered
          by the importing user's access rules, so an account the user may not
          edit is simply not found: reject its rows, never write to it. Rows
          that belong to an account should declare
          ``b2b_loyalty.imports.account_lookup.ACCOUNT_FIELDS`` and find it with
          ``AccountLookup`` (by tax id, else by name), like the core's entities.
        - Write valid rows with the session (``db.session``; bulk ``insert()`` is
          fine) but never commit or roll back: the core commits once at the end,
          or rolls everything back for a dry run, or when a row is rejected and
          the user did not choose to skip rejected rows.
        - Match rows to existing records by the key named in ``natural_key``
          (an external reference, a tax id, ...), so importing the same file
          twice reports every row ``unchanged`` the second time. Two rows of one
          file with the same key: reject the second.
        - With ``context.dry_run`` the entity may skip its writes, but must report
          the outcomes a real run would.

        Entity names are global: a name another plugin (or the core) already
        uses stops the import pages with an error naming both.
        """
