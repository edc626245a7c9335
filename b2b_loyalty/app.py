"""The application factory."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask, g, redirect, request, url_for
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from b2b_loyalty.access import AccessScope, set_access_scope
from b2b_loyalty.config import PROJECT_ROOT, build_config
from b2b_loyalty.db_limits import DatabaseIdConverter
from b2b_loyalty.extensions import babel, csrf, db, login_manager, migrate
from b2b_loyalty.json_provider import JSONProvider
from b2b_loyalty.plugin_host import EXTENSION_KEY, create_plugin_host

PACKAGE_DIR = Path(__file__).resolve().parent
MIGRATIONS_DIR = PACKAGE_DIR / "migrations"

# Endpoints reachable without signing in. Everything else requires a login:
# the rule lives here, once, instead of a decorator each view could forget.
PUBLIC_ENDPOINTS = frozenset({"auth.login", "static", "liveness"})
API_PREFIX = "/api"


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build a configured app. ``config`` overrides environment and defaults (tests)."""
    instance_path = (config or {}).get("INSTANCE_PATH") or os.environ.get("B2B_LOYALTY_INSTANCE")
    app = Flask(
        "b2b_loyalty",
        instance_path=str(Path(instance_path).resolve()) if instance_path else None,
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PACKAGE_DIR / "static"),
    )
    # Every <int:id> in a URL is a database id: out-of-range ids are a 404, not an error.
    app.url_map.converters["int"] = DatabaseIdConverter
    app.json = JSONProvider(app)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(build_config(app.instance_path, config))
    hops = int(app.config.get("PROXY_FIX_HOPS") or 0)
    if hops > 0:
        # Trust X-Forwarded-For/-Proto only from the configured number of proxies:
        # otherwise any client could pick the address that sign-in throttling counts.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)

    from b2b_loyalty import database, models  # noqa: F401 - tables and engine settings

    db.init_app(app)
    login_manager.init_app(app)
    csrf.init_app(app)
    from b2b_loyalty.i18n import init_i18n

    init_i18n(app, babel)
    _init_plugins(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)
    from b2b_loyalty import schema  # noqa: F401 - adds plugin migration folders to Alembic

    _register_blueprints(app)
    _register_request_hooks(app)
    from b2b_loyalty.auth.denials import init_denial_audit
    from b2b_loyalty.errors import register_error_handlers
    from b2b_loyalty.security_headers import init_security_headers

    register_error_handlers(app)
    init_denial_audit(app)
    init_security_headers(app)
    return app


def _init_plugins(app: Flask) -> None:
    from b2b_loyalty import core_hooks
    from b2b_loyalty.imports import import_hooks

    host = create_plugin_host(app, core_plugins=[core_hooks, import_hooks])
    app.extensions[EXTENSION_KEY] = host
    host.manager.hook.configure_app(app=app)
    for command in host.call("cli_commands"):
        app.cli.add_command(command)
    from b2b_loyalty.page_actions import page_actions

    # Templates ask for the buttons plugins add to a page: page_actions("account", account=...).
    app.jinja_env.globals["page_actions"] = page_actions
    from b2b_loyalty.page_links import url_with_args

    app.jinja_env.globals["url_with_args"] = url_with_args


def _register_blueprints(app: Flask) -> None:
    from b2b_loyalty.accounts.blueprint import bp as accounts_bp
    from b2b_loyalty.api.blueprint import bp as api_bp
    from b2b_loyalty.auth.blueprint import bp as auth_bp
    from b2b_loyalty.dashboard.blueprint import bp as dashboard_bp
    from b2b_loyalty.imports.blueprint import bp as imports_bp
    from b2b_loyalty.metrics_admin.blueprint import bp as metrics_admin_bp
    from b2b_loyalty.pricing.blueprint import bp as pricing_bp
    from b2b_loyalty.users.blueprint import bp as users_bp

    for blueprint in (
        auth_bp,
        accounts_bp,
        dashboard_bp,
        imports_bp,
        metrics_admin_bp,
        pricing_bp,
        users_bp,
        api_bp,
    ):
        app.register_blueprint(blueprint)
    host = app.extensions[EXTENSION_KEY]
    for blueprint in host.plugin_blueprints():
        app.register_blueprint(blueprint)

    @app.get("/")
    def index():
        return redirect(url_for("accounts.list_accounts"))

    @app.get("/healthz", endpoint="liveness")
    def liveness():
        # For load balancers: the process answers. It touches no database and no
        # session, so it is also the load benchmark's bare-Flask baseline.
        return {"status": "ok"}


def _register_request_hooks(app: Flask) -> None:
    from b2b_loyalty.auth.session_policy import end_session, session_has_expired
    from b2b_loyalty.models import User
    from b2b_loyalty.request_text import refuse_nul_characters

    # First of all hooks: text the database cannot store never reaches a view.
    app.before_request(refuse_nul_characters)

    @login_manager.user_loader
    def load_user(session_user_id: str) -> User | None:
        # "<id>:<session_version>" (User.get_id): a session from before the
        # user's last password change no longer matches and is signed out.
        user_id, _, version = session_user_id.partition(":")
        if not (user_id.isdecimal() and version.isdecimal()):
            return None
        user = db.session.get(User, int(user_id))
        if user is None or not user.active or user.session_version != int(version):
            return None
        return user

    login_manager.login_view = "auth.login"
    login_manager.session_protection = "strong"

    @app.context_processor
    def navigation():
        if not getattr(current_user, "is_authenticated", False):
            return {"nav_items": []}
        items = app.extensions[EXTENSION_KEY].call_sorted(
            "navigation_items", key=lambda item: item.weight, user=current_user
        )
        return {"nav_items": [i for i in items if i.roles is None or current_user.role in i.roles]}

    @app.before_request
    def require_login_and_scope_queries():
        # The API (core and plugin API blueprints alike, all under /api/)
        # authenticates by bearer token in its own blueprint hook.
        if request.path.startswith(API_PREFIX + "/"):
            return None
        if current_user.is_authenticated and session_has_expired():
            end_session()
        set_access_scope(AccessScope.for_user(current_user))
        if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
            return None
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        g.user = current_user
        return None
