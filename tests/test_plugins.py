"""The plugin host: discovery by entry point, enabling by setting, the hook contract."""

from __future__ import annotations

import pluggy
import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo

from b2b_loyalty.plugin_api import NavItem, PluginManifest, hookimpl
from b2b_loyalty.plugin_host import PluginError, bundled_names, discover_entry_points, plugin_host


@pytest.fixture
def with_plugin(make_app):
    app = make_app(B2B_LOYALTY_PLUGINS="all,testplugin")
    with app.app_context():
        yield app


@pytest.fixture
def without_plugin(make_app):
    app = make_app(B2B_LOYALTY_PLUGINS="all")
    with app.app_context():
        yield app


def _signed_in_client(app, make_user_fn):
    from tests.conftest import PASSWORD

    user = make_user_fn()
    client = app.test_client()
    assert (
        client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    )
    return client, user


def _manager(app):
    from b2b_loyalty.services.users import create_user
    from tests.conftest import PASSWORD

    return lambda: create_user(
        f"pm{id(app)}@example.com", "Plugin Manager", "account_manager", PASSWORD
    )


def test_test_plugin_is_found_through_its_entry_point():
    found = discover_entry_points()
    assert "testplugin" in found
    assert "testplugin" not in bundled_names(found)  # installed is not the same as bundled


def test_enabled_plugin_adds_navigation_entry_and_page(with_plugin):
    client, _ = _signed_in_client(with_plugin, _manager(with_plugin))
    page = client.get("/accounts/").get_data(as_text=True)
    assert 'href="/testplugin/"' in page
    # Weight 50 puts it after Accounts (10): the core sorts, not registration order.
    assert page.index(">Accounts<") < page.index(">Test plugin<")
    assert "hello from the test plugin" in client.get("/testplugin/").get_data(as_text=True)


def test_enabled_plugin_adds_an_account_page_panel_in_weight_order(with_plugin):
    from b2b_loyalty.services.accounts import create_account

    client, user = _signed_in_client(with_plugin, _manager(with_plugin))
    account = create_account(user, {"name": "Panel Test Ltd"})
    page = client.get(f"/accounts/{account.id}").get_data(as_text=True)
    assert "Panel for Panel Test Ltd" in page
    # Weight 15 sits between the core's people (10) and orders (20) panels.
    assert (
        page.index("People by decision-maker circle")
        < page.index("Test plugin panel")
        < page.index(">Orders<")
    )


def test_enabled_plugin_adds_page_actions_sorted_by_weight(with_plugin):
    from b2b_loyalty.page_actions import page_actions
    from b2b_loyalty.services.accounts import create_account

    client, user = _signed_in_client(with_plugin, _manager(with_plugin))
    account = create_account(user, {"name": "Action Test Ltd"})
    page = client.get(f"/accounts/{account.id}").get_data(as_text=True)
    early = page.index(f'href="/testplugin/?early={account.id}"')
    late = page.index(f'href="/testplugin/?late={account.id}"')
    assert early < late  # weight 1 before weight 90, whatever the registration order
    with with_plugin.test_request_context():
        actions = page_actions("account", account=account)
        weights = [a.weight for a in actions]
        assert weights == sorted(weights) and "Test early action" in [a.label for a in actions]


def test_enabled_plugin_adds_a_cli_command(with_plugin):
    from b2b_loyalty.cli import main

    result = CliRunner().invoke(
        main, ["testplugin-hello"], obj=ScriptInfo(create_app=lambda: with_plugin)
    )
    assert result.exit_code == 0, result.output
    assert "hello from testplugin" in result.output


def test_disabled_plugin_leaves_no_trace(without_plugin):
    from b2b_loyalty.cli import main

    client, _ = _signed_in_client(without_plugin, _manager(without_plugin))
    page = client.get("/accounts/").get_data(as_text=True)
    assert "Test plugin" not in page
    assert client.get("/testplugin/").status_code == 404
    result = CliRunner().invoke(
        main, ["testplugin-hello"], obj=ScriptInfo(create_app=lambda: without_plugin)
    )
    assert result.exit_code != 0
    assert "testplugin" not in plugin_host(without_plugin).enabled


def test_app_runs_with_every_plugin_disabled(make_app):
    app = make_app(B2B_LOYALTY_PLUGINS="none")
    with app.app_context():
        assert plugin_host(app).enabled == []
        client, _ = _signed_in_client(app, _manager(app))
        assert client.get("/accounts/").status_code == 200


def test_hooks_return_data_sorted_by_the_core(with_plugin):
    host = plugin_host(with_plugin)
    from datetime import date
    from decimal import Decimal

    from b2b_loyalty.plugin_api import QuoteContext

    adjustments = host.call_sorted(
        "price_adjustments",
        key=lambda a: a.stage,
        quote=QuoteContext(1, 1, Decimal(1), Decimal(10), Decimal(0), "EUR", date(2026, 1, 1)),
    )
    assert [a.key for a in adjustments] == ["testplugin"]
    # The test plugin's review_sections takes fewer arguments than the spec: allowed.
    sections = host.call(
        "review_sections",
        account=None,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 3, 31),
        user=None,
    )
    assert [s.key for s in sections] == ["testplugin"]
    alerts = host.call("account_alerts", account_ids=[1, 2], as_of=date(2026, 1, 1))
    assert [a.account_id for a in alerts if a.key == "testplugin"] == [1, 2]


def test_plugin_migration_branch_was_applied(with_plugin):
    from sqlalchemy import inspect

    from b2b_loyalty.extensions import db

    assert "testplugin_notes" in inspect(db.engine).get_table_names()


def test_unknown_plugin_name_fails_at_start_up(make_app):
    with pytest.raises(PluginError, match="unknown plugin"):
        make_app(B2B_LOYALTY_PLUGINS="no_such_plugin")


def test_misspelled_hook_implementation_fails_loudly():
    """check_pending() at start-up turns a typo in a hook name into an error."""
    from b2b_loyalty.plugin_api.hookspecs import PROJECT_NAME, CoreHookSpecs

    class Typo:
        @hookimpl
        def navigaton_items(self, user):  # misspelled on purpose
            return []

    manager = pluggy.PluginManager(PROJECT_NAME)
    manager.add_hookspecs(CoreHookSpecs)
    manager.register(Typo())
    with pytest.raises(pluggy.PluginValidationError):
        manager.check_pending()


def test_host_reports_misspelled_hook_of_an_enabled_plugin(make_app, monkeypatch):
    import b2b_loyalty.plugin_host as host_module

    class BadPlugin:
        @hookimpl
        def plugin_manifest(self):
            return PluginManifest(name="bad", title="Bad")

        @hookimpl
        def acount_panels(self, account, user):  # misspelled on purpose
            return []

    class FakeEntryPoint:
        name = "bad"
        value = "elsewhere:bad"

        def load(self):
            return BadPlugin()

    real = host_module.discover_entry_points
    monkeypatch.setattr(
        host_module, "discover_entry_points", lambda: {**real(), "bad": FakeEntryPoint()}
    )
    with pytest.raises(PluginError, match="acount_panels"):
        make_app(B2B_LOYALTY_PLUGINS="bad")


def test_nav_items_respect_roles(with_plugin):
    from b2b_loyalty.services.users import create_user
    from tests.conftest import PASSWORD

    admin = create_user("nav-admin@example.com", "Admin", "admin", PASSWORD)
    client = with_plugin.test_client()
    client.post("/login", data={"email": admin.email, "password": PASSWORD})
    assert 'href="/users/"' in client.get("/accounts/").get_data(as_text=True)
    client2, _ = _signed_in_client(with_plugin, _manager(with_plugin))
    assert 'href="/users/"' not in client2.get("/accounts/").get_data(as_text=True)
    assert client2.get("/users/").status_code == 403
    assert isinstance(NavItem(label="x", endpoint="y").weight, int)


def test_core_never_imports_a_plugin():
    import ast
    from pathlib import Path

    core = Path(__file__).resolve().parent.parent / "b2b_loyalty"
    offenders = []
    for path in core.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [
                f"{path.name}: {n}" for n in names if n == "plugins" or n.startswith("plugins.")
            ]
    assert offenders == []


def test_plugin_blueprint_outside_its_namespace_is_refused(make_app, monkeypatch):
    from flask import Blueprint

    import b2b_loyalty.plugin_host as host_module

    class Squatter:
        @hookimpl
        def plugin_manifest(self):
            return PluginManifest(name="squatter", title="Squatter")

        @hookimpl
        def blueprints(self):
            return [Blueprint("accounts_v2", __name__)]

    class FakeEntryPoint:
        name = "squatter"
        value = "elsewhere:squatter"

        def load(self):
            return Squatter()

    real = host_module.discover_entry_points
    monkeypatch.setattr(
        host_module, "discover_entry_points", lambda: {**real(), "squatter": FakeEntryPoint()}
    )
    with pytest.raises(PluginError, match="must be named 'squatter'"):
        make_app(B2B_LOYALTY_PLUGINS="squatter")
