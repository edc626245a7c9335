from __future__ import annotations

import os

import pytest

from b2b_loyalty.config import build_config, enabled_plugin_names, normalise_database_url


def test_defaults_are_sqlite_in_instance_folder_and_a_persisted_secret(tmp_path, monkeypatch):
    for name in ("DATABASE_URL", "SECRET_KEY", "B2B_LOYALTY_PLUGINS", "B2B_LOYALTY_CURRENCY"):
        monkeypatch.delenv(name, raising=False)
    first = build_config(str(tmp_path))
    assert first["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/b2b_loyalty.sqlite"
    assert len(first["SECRET_KEY"]) == 64
    assert build_config(str(tmp_path))["SECRET_KEY"] == first["SECRET_KEY"]
    assert oct(os.stat(tmp_path / "secret_key").st_mode & 0o777) == "0o600"
    assert first["BASE_CURRENCY"] == "EUR"
    assert first["SESSION_COOKIE_HTTPONLY"] is True
    assert first["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_environment_overrides_defaults(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u@h/db")
    monkeypatch.setenv("SECRET_KEY", "from-env")
    monkeypatch.setenv("B2B_LOYALTY_CURRENCY", "rub")
    config = build_config(str(tmp_path))
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"
    assert config["SECRET_KEY"] == "from-env"
    assert config["BASE_CURRENCY"] == "RUB"
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("all", ["a", "b"]),
        ("", []),
        ("none", []),
        ("b", ["b"]),
        ("all,extra", ["a", "b", "extra"]),
        (" a , extra ", ["a", "extra"]),
        (None, ["a", "b"]),
    ],
)
def test_plugin_setting(setting, expected):
    assert enabled_plugin_names(setting, ["a", "b"]) == expected


def test_database_url_spellings():
    assert normalise_database_url("postgresql://x/y") == "postgresql+psycopg://x/y"
    assert normalise_database_url("sqlite:///a.db") == "sqlite:///a.db"
