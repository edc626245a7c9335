"""Configuration: safe defaults, then environment variables, then explicit overrides.

Everything a deployment changes comes from the environment (twelve-factor), so
several stateless gunicorn workers on several machines share one configuration:

- ``DATABASE_URL``: SQLAlchemy URL; default an SQLite file in the instance folder.
- ``SECRET_KEY``: default a random key generated once and kept in the instance
  folder (so sessions survive restarts). Multi-server deployments must set it.
- ``B2B_LOYALTY_PLUGINS``: comma-separated plugin names to enable; ``all`` (the
  default) enables every bundled plugin; an empty value or ``none`` enables none.
- ``B2B_LOYALTY_CURRENCY``: the deployment's base currency, ISO 4217 (default EUR).
- ``B2B_LOYALTY_LOCALE``: default UI locale (default ``en``).
- ``SESSION_COOKIE_SECURE``: ``1`` when served over HTTPS (implied by
  ``PREFERRED_URL_SCHEME=https``, which also names the session cookie
  ``__Host-session`` and sends HSTS).
- ``B2B_LOYALTY_SESSION_IDLE_MINUTES``: sign out after this much inactivity
  (default 30; sessions also end 12 hours after sign-in).
- ``B2B_LOYALTY_PROXY_HOPS``: how many reverse proxies in front set
  ``X-Forwarded-For``/``-Proto`` (default 0: those headers are ignored, and the
  connection's address is the client's, e.g. for sign-in throttling).
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 200


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def persistent_secret_key(instance_path: str) -> str:
    """Return the secret key stored in the instance folder, creating it once.

    The file is created with mode 0600 so only the service user can read it.
    """
    key_file = Path(instance_path) / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_hex(32)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def normalise_database_url(url: str) -> str:
    """Accept the ``postgres://`` and ``postgresql://`` spellings and use psycopg 3."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def build_config(instance_path: str, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Assemble the app's configuration: defaults < environment < ``overrides``."""
    overrides = dict(overrides or {})
    env = os.environ
    database_url = overrides.pop("DATABASE_URL", None) or env.get("DATABASE_URL")
    if not database_url:
        database_url = "sqlite:///" + str(Path(instance_path) / "b2b_loyalty.sqlite")
    config: dict[str, Any] = {
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SECRET_KEY": env.get("SECRET_KEY") or None,
        "B2B_LOYALTY_PLUGINS": env.get("B2B_LOYALTY_PLUGINS", "all"),
        "BASE_CURRENCY": env.get("B2B_LOYALTY_CURRENCY", "EUR").upper(),
        "BABEL_DEFAULT_LOCALE": env.get("B2B_LOYALTY_LOCALE", "en"),
        "SUPPORTED_LOCALES": ["en", "ru"],
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _truthy(env.get("SESSION_COOKIE_SECURE")),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": _truthy(env.get("SESSION_COOKIE_SECURE")),
        "PREFERRED_URL_SCHEME": env.get("PREFERRED_URL_SCHEME", "http").strip().lower(),
        "PROXY_FIX_HOPS": int(env.get("B2B_LOYALTY_PROXY_HOPS") or 0),
        # Idle timeout (the signed cookie is refreshed on every request) and
        # absolute timeout after sign-in; see auth/session_policy.py.
        "PERMANENT_SESSION_LIFETIME": timedelta(
            minutes=int(env.get("B2B_LOYALTY_SESSION_IDLE_MINUTES") or 30)
        ),
        "SESSION_ABSOLUTE_LIFETIME_SECONDS": 12 * 60 * 60,
        # Sign-in throttling, counted in the database (services/login_throttle.py).
        "LOGIN_FAILURES_PER_EMAIL": 5,
        "LOGIN_FAILURES_PER_ADDRESS": 20,
        "LOGIN_FAILURE_WINDOW_SECONDS": 15 * 60,
        "API_TOKEN_DAYS": 90,
        "WTF_CSRF_TIME_LIMIT": None,
        "PAGE_SIZE": DEFAULT_PAGE_SIZE,
        "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
        "EXPORTS_DIR": env.get("B2B_LOYALTY_EXPORTS_DIR") or str(PROJECT_ROOT / "exports"),
    }
    config.update(overrides)
    if "DATABASE_URL" in config:
        config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(config.pop("DATABASE_URL"))
    if not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = persistent_secret_key(instance_path)
    _secure_cookies_over_https(config, overrides)
    return config


def _secure_cookies_over_https(config: dict[str, Any], overrides: dict[str, Any]) -> None:
    """Served over HTTPS, cookies are Secure and the session cookie gets the __Host- prefix.

    The prefix makes browsers refuse the cookie unless it is Secure, host-only
    and for path /, so a sibling subdomain cannot plant or overwrite it.
    """
    if str(config.get("PREFERRED_URL_SCHEME", "")).lower() != "https":
        return
    for key in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
        if key not in overrides:
            config[key] = True
    if (
        config.get("SESSION_COOKIE_SECURE")
        and "SESSION_COOKIE_NAME" not in overrides
        and not config.get("SESSION_COOKIE_DOMAIN")
        and config.get("SESSION_COOKIE_PATH") in (None, "/")
        and config.get("APPLICATION_ROOT", "/") == "/"
    ):
        config["SESSION_COOKIE_NAME"] = "__Host-session"


def enabled_plugin_names(setting: str | list[str] | None, bundled: list[str]) -> list[str]:
    """Resolve the ``B2B_LOYALTY_PLUGINS`` setting into a list of plugin names.

    ``all`` means every bundled plugin (third-party plugins are never enabled just
    because they are installed); ``none`` or empty means no plugin; otherwise the
    listed names, and ``all`` may be combined with extra names (``all,acme``).
    """
    if setting is None:
        setting = "all"
    names = setting if isinstance(setting, list) else [n.strip() for n in setting.split(",")]
    names = [n for n in names if n]
    result: list[str] = []
    for name in names:
        if name == "none":
            continue
        for item in bundled if name == "all" else [name]:
            if item not in result:
                result.append(item)
    return result
