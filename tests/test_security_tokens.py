"""API tokens: expiry, revocation, who may list and revoke them, the CLI, recorded use."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from b2b_loyalty.extensions import db
from b2b_loyalty.models import ApiToken, AuditEntry
from b2b_loyalty.services.api_tokens import aware
from tests.security_support import Clock


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app(make_app, clock):
    app = make_app(SECURITY_CLOCK=clock)
    with app.app_context():
        yield app


def _issue(user, days=None) -> tuple[str, ApiToken]:
    from b2b_loyalty.services.users import issue_api_token

    plain = issue_api_token(user, days=days)
    return plain, db.session.scalar(
        select(ApiToken).where(ApiToken.token_hash == ApiToken.digest(plain))
    )


def _bearer(plain: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {plain}"}


def test_tokens_expire_after_90_days_by_default(client, make_user, clock):
    plain, token = _issue(make_user())
    assert aware(token.expires_at) == clock.now + timedelta(days=90)
    assert client.get("/api/v1/accounts", headers=_bearer(plain)).status_code == 200
    clock.advance(days=90)
    response = client.get("/api/v1/accounts", headers=_bearer(plain))
    assert response.status_code == 401
    assert "expired" in response.json["error"]["message"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_is_refused(client, make_user):
    from b2b_loyalty.services.api_tokens import revoke_token

    plain, token = _issue(make_user())
    assert client.get("/api/v1/accounts", headers=_bearer(plain)).status_code == 200
    revoke_token(token, None)
    response = client.get("/api/v1/accounts", headers=_bearer(plain))
    assert response.status_code == 401
    assert response.json == {"error": {"message": "This API token has been revoked.", "fields": {}}}


def test_a_deactivated_users_token_is_refused(client, make_user):
    from b2b_loyalty.services.users import update_user

    user = make_user()
    plain, _ = _issue(user)
    update_user(user, {"active": False})
    assert client.get("/api/v1/accounts", headers=_bearer(plain)).status_code == 401


def test_cli_create_token_takes_days_and_revoke_token_revokes(app, client, make_user, clock):
    from b2b_loyalty.cli import main

    user = make_user()
    runner = app.test_cli_runner()
    result = runner.invoke(main, ["create-token", user.email, "--days", "7"])
    assert result.exit_code == 0, result.output
    plain = result.output.strip().splitlines()[-1]
    token = db.session.scalar(select(ApiToken))
    assert aware(token.expires_at) == clock.now + timedelta(days=7)
    assert runner.invoke(main, ["create-token", user.email, "--days", "0"]).exit_code != 0

    result = runner.invoke(main, ["revoke-token", str(token.id)])
    assert result.exit_code == 0 and "revoked" in result.output
    assert client.get("/api/v1/accounts", headers=_bearer(plain)).status_code == 401
    assert "already revoked" in runner.invoke(main, ["revoke-token", plain]).output
    assert runner.invoke(main, ["revoke-token", "999999"]).exit_code != 0


def test_cli_revokes_every_token_of_a_user(app, client, make_user):
    from b2b_loyalty.cli import main

    user, other = make_user(), make_user()
    mine = [_issue(user)[0] for _ in range(3)]
    theirs, _ = _issue(other)
    result = app.test_cli_runner().invoke(main, ["revoke-token", "--user", user.email])
    assert "Revoked 3 token(s)" in result.output
    assert all(client.get("/api/v1/accounts", headers=_bearer(p)).status_code == 401 for p in mine)
    assert client.get("/api/v1/accounts", headers=_bearer(theirs)).status_code == 200


def test_token_page_lists_only_the_users_own_tokens(client, login, make_user):
    user, other = make_user(), make_user()
    _, mine = _issue(user)
    _, theirs = _issue(other)
    login(user)
    page = client.get("/users/me/tokens")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert mine.hint in html and theirs.hint not in html
    assert "never" in html  # not used yet
    assert client.get(f"/users/{other.id}/tokens").status_code == 403
    assert client.get(f"/users/{user.id}/tokens").status_code == 200


def test_a_user_cannot_revoke_someone_elses_token(client, login, make_user):
    user, other = make_user(), make_user("sales_lead")
    plain, theirs = _issue(other)
    login(user)
    assert client.get(f"/users/tokens/{theirs.id}/revoke").status_code == 403
    assert client.post(f"/users/tokens/{theirs.id}/revoke").status_code == 403
    db.session.expire_all()
    assert db.session.get(ApiToken, theirs.id).revoked_at is None
    assert client.get("/api/v1/accounts", headers=_bearer(plain)).status_code == 200


def test_a_user_revokes_their_own_token_after_confirming(client, login, make_user):
    user = make_user()
    plain, token = _issue(user)
    login(user)
    confirm = client.get(f"/users/tokens/{token.id}/revoke")
    assert confirm.status_code == 200 and "Yes, revoke" in confirm.get_data(as_text=True)
    assert db.session.get(ApiToken, token.id).revoked_at is None  # GET changes nothing
    response = client.post(f"/users/tokens/{token.id}/revoke")
    assert response.status_code == 302 and response.headers["Location"].endswith("/users/me/tokens")
    assert client.get("/api/v1/accounts", headers=_bearer(plain)).status_code == 401
    assert "revoked" in client.get("/users/me/tokens").get_data(as_text=True)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "token_revoked"))
    assert entry.actor_id == user.id and entry.entity_id == token.id


def test_an_admin_sees_and_revokes_anyones_tokens(client, login, make_user):
    admin, user = make_user("admin"), make_user()
    plain, token = _issue(user)
    login(admin)
    listing = client.get(f"/users/{user.id}/tokens")
    assert listing.status_code == 200 and token.hint in listing.get_data(as_text=True)
    assert f"/users/{user.id}/tokens" in client.get("/users/").get_data(as_text=True)
    response = client.post(f"/users/tokens/{token.id}/revoke")
    assert response.headers["Location"].endswith(f"/users/{user.id}/tokens")
    assert client.get("/api/v1/accounts", headers=_bearer(plain)).status_code == 401
    assert client.get("/users/999999/tokens").status_code == 404


def test_last_use_is_written_at_most_once_a_minute_per_address(client, make_user, clock):
    plain, token = _issue(make_user())

    def used_entries() -> int:
        return len(
            db.session.scalars(select(AuditEntry).where(AuditEntry.action == "token_used")).all()
        )

    first = clock.now
    for _ in range(3):
        assert client.get("/api/v1/accounts", headers=_bearer(plain)).status_code == 200
    db.session.expire_all()
    token = db.session.get(ApiToken, token.id)
    assert aware(token.last_used_at) == first and token.last_used_from == "127.0.0.1"
    assert used_entries() == 1

    client.get("/api/v1/accounts", headers=_bearer(plain), environ_base={"REMOTE_ADDR": "10.9.8.7"})
    assert used_entries() == 2  # a new address is recorded at once
    clock.advance(seconds=61)
    client.get("/api/v1/accounts", headers=_bearer(plain), environ_base={"REMOTE_ADDR": "10.9.8.7"})
    assert used_entries() == 3
    db.session.expire_all()
    assert aware(db.session.get(ApiToken, token.id).last_used_at) == clock.now


def test_migration_0010_gives_older_tokens_an_expiry_and_downgrades(tmp_path):
    """On a database of its own (SQLite): 0009 -> token without expiry -> 0010 -> 0009 -> 0010."""
    from datetime import UTC, datetime

    from flask_migrate import downgrade, upgrade
    from sqlalchemy import inspect, text

    from b2b_loyalty import create_app

    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": "sqlite:///" + str(tmp_path / "migrate.sqlite"),
            "INSTANCE_PATH": str(tmp_path),
            "SECRET_KEY": "x",
            "B2B_LOYALTY_PLUGINS": "none",
        }
    )
    with app.app_context():
        try:
            upgrade(revision="0009")
            with db.engine.begin() as conn:
                conn.execute(
                    text(
                        "INSERT INTO users (id, email, name, role, password_hash, active, created_at)"
                        " VALUES (1, 'old@example.com', 'Old', 'admin', 'x', true, :now)"
                    ),
                    {"now": datetime.now(UTC)},
                )
                conn.execute(
                    text(
                        "INSERT INTO api_tokens (user_id, token_hash, hint, created_at)"
                        " VALUES (1, :digest, 'b2bl_old', :now)"
                    ),
                    {"digest": "0" * 64, "now": datetime.now(UTC)},
                )
            upgrade(revision="0010")
            with db.engine.connect() as conn:
                expires = conn.execute(text("SELECT expires_at FROM api_tokens")).scalar_one()
                version = conn.execute(text("SELECT session_version FROM users")).scalar_one()
            expires = datetime.fromisoformat(str(expires)).replace(tzinfo=UTC)
            assert timedelta(days=89) < expires - datetime.now(UTC) <= timedelta(days=90)
            assert version == 0
            assert "login_attempts" in inspect(db.engine).get_table_names()

            downgrade(revision="0009")
            inspector = inspect(db.engine)
            assert "login_attempts" not in inspector.get_table_names()
            assert "remote_addr" not in {c["name"] for c in inspector.get_columns("audit_entries")}
            upgrade(revision="0010")
        finally:
            db.engine.dispose()
