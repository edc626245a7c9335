"""Shared fixtures: an app per test on a schema migrated once per session.

The database comes from ``B2B_LOYALTY_TEST_DATABASE_URL`` (``.ci/run`` points it
at PostgreSQL); without it, an SQLite file in a temporary folder. A separate
variable from ``DATABASE_URL`` on purpose: the suite empties every table, and
must never do that to a database someone runs the app on.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, event, text

FIXTURES = Path(__file__).parent / "fixtures"
# The test-only plugin is installed the way real ones are: a dist-info folder
# with an entry_points.txt, found by importlib.metadata on sys.path.
sys.path.insert(0, str(FIXTURES / "site"))

from b2b_loyalty import create_app  # noqa: E402
from b2b_loyalty.extensions import db  # noqa: E402

TEST_DB_ENV = "B2B_LOYALTY_TEST_DATABASE_URL"
PASSWORD = "correct horse battery"


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get(TEST_DB_ENV)
    if not url:
        return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite")
    from b2b_loyalty.config import normalise_database_url

    url = normalise_database_url(url)
    try:
        engine = create_engine(url)
        with engine.connect():
            pass
        engine.dispose()
    except Exception as exc:  # noqa: BLE001 - any connection failure
        message = f"test database {url} is unreachable: {exc}"
        if _in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return url


@pytest.fixture(autouse=True)
def _postgres_marker(request: pytest.FixtureRequest) -> None:
    """Tests marked ``postgres`` run only when the test database is PostgreSQL.

    ``.ci/run`` runs the suite a second time on PostgreSQL and, under CI=true,
    fails when PostgreSQL is unreachable, so these tests always run in CI.
    """
    if request.node.get_closest_marker("postgres") is None:
        return
    url = request.getfixturevalue("database_url")
    if not url.startswith("postgresql"):
        pytest.skip(f"needs PostgreSQL: set {TEST_DB_ENV} (the suite runs on SQLite)")


@pytest.fixture(scope="session")
def instance_path(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("instance"))


def _config(database_url: str, instance_path: str, **extra) -> dict:
    config = {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "INSTANCE_PATH": instance_path,
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        "B2B_LOYALTY_PLUGINS": "all",
        "BASE_CURRENCY": "EUR",
    }
    config.update(extra)
    return config


@pytest.fixture(scope="session")
def migrated_schema(database_url: str, instance_path: str) -> str:
    """Build the schema once, with Alembic, as a deployment would (core + plugin branches)."""
    app = create_app(_config(database_url, instance_path, B2B_LOYALTY_PLUGINS="all,testplugin"))
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "postgresql":
            with engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        else:
            db.drop_all()
            with engine.begin() as conn:
                conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        from b2b_loyalty.schema import upgrade_database

        upgrade_database()
        engine.dispose()
    return database_url


def _empty_all_tables() -> None:
    db.session.remove()
    tables = [t for t in reversed(db.metadata.sorted_tables)]
    with db.engine.begin() as conn:
        if db.engine.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(table.delete())


class IsolatedClient(FlaskClient):
    """A test client whose every request runs in a fresh app context.

    Flask reuses an app context that is already pushed (the ``app`` fixture
    keeps one for set-up code), which would share ``g``, the signed-in user and
    the database session between requests and with the test. In production
    every request has its own; so does every request here.
    """

    def open(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def make_app(migrated_schema: str, instance_path: str):
    """Factory for apps on the test database; every table is emptied afterwards."""
    apps = []

    def build(**extra):
        app = create_app(_config(migrated_schema, instance_path, **extra))
        app.test_client_class = IsolatedClient
        apps.append(app)
        return app

    yield build
    for app in apps[:1]:
        with app.app_context():
            _empty_all_tables()
    for app in apps:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    app = make_app()
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_user(app):
    from b2b_loyalty.services.users import create_user

    counter = iter(range(1, 10_000))

    def build(role: str = "account_manager", email: str | None = None, name: str | None = None):
        n = next(counter)
        return create_user(
            email or f"{role}{n}@example.com",
            name or f"{role.replace('_', ' ').title()} {n}",
            role,
            PASSWORD,
        )

    return build


@pytest.fixture
def login(client):
    def do(user, password: str = PASSWORD):
        client.post("/logout")
        response = client.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response

    return do


@pytest.fixture
def api_headers(app):
    from b2b_loyalty.services.users import issue_api_token

    def build(user) -> dict[str, str]:
        return {"Authorization": f"Bearer {issue_api_token(user)}"}

    return build


@pytest.fixture
def make_account(app):
    from b2b_loyalty.services.accounts import create_account

    def build(owner, name: str = "Acme Industrial", **fields):
        return create_account(owner, {"name": name, **fields})

    return build


@pytest.fixture
def category(app):
    from b2b_loyalty.models import ProductCategory

    cat = ProductCategory(name="Lamps")
    db.session.add(cat)
    db.session.commit()
    return cat


@contextmanager
def _count_statements(engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        if not re.match(r"\s*(SAVEPOINT|RELEASE|ROLLBACK)", statement):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)


@pytest.fixture
def count_statements(app):
    """``with count_statements() as seen: ...`` collects the SQL statements run."""
    return lambda: _count_statements(db.engine)
