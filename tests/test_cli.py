"""The b2b-loyalty command line, run against the test app."""

from __future__ import annotations

from click.testing import CliRunner
from flask.cli import ScriptInfo

from b2b_loyalty.cli import main
from b2b_loyalty.models import ApiToken


def _run(app, args, stdin=None):
    return CliRunner().invoke(main, args, input=stdin, obj=ScriptInfo(create_app=lambda: app))


def test_create_user_reads_password_from_stdin(app, client):
    result = _run(
        app,
        [
            "create-user",
            "Finance@Example.com",
            "--role",
            "finance",
            "--name",
            "Fiona",
            "--password-stdin",
        ],
        "a-long-password\n",
    )
    assert result.exit_code == 0, result.output
    response = client.post(
        "/login", data={"email": "finance@example.com", "password": "a-long-password"}
    )
    assert response.status_code == 302


def test_create_user_prompts_for_password(app):
    result = _run(
        app,
        ["create-user", "p@example.com", "--role", "admin"],
        "a-long-password\na-long-password\n",
    )
    assert result.exit_code == 0, result.output


def test_create_user_refuses_short_password_and_bad_role(app):
    result = _run(
        app, ["create-user", "s@example.com", "--role", "admin", "--password-stdin"], "short\n"
    )
    assert result.exit_code != 0
    assert "at least 12" in result.output
    result = _run(
        app,
        ["create-user", "s@example.com", "--role", "king", "--password-stdin"],
        "long-enough-pw\n",
    )
    assert result.exit_code != 0


def test_create_user_refuses_duplicate_email(app):
    _run(
        app,
        ["create-user", "d@example.com", "--role", "admin", "--password-stdin"],
        "a-long-password\n",
    )
    result = _run(
        app,
        ["create-user", "D@example.com", "--role", "admin", "--password-stdin"],
        "a-long-password\n",
    )
    assert result.exit_code != 0
    assert "already exists" in result.output


def test_create_token_prints_a_working_token_stored_hashed(app, client, make_user):
    user = make_user("sales_lead")
    result = _run(app, ["create-token", user.email])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    stored = ApiToken.query.one()
    assert stored.token_hash != token and stored.token_hash == ApiToken.digest(token)
    response = client.get("/api/v1/accounts", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert (
        client.get("/api/v1/accounts", headers={"Authorization": "Bearer nope"}).status_code == 401
    )


def test_create_token_for_unknown_user_fails(app):
    result = _run(app, ["create-token", "ghost@example.com"])
    assert result.exit_code != 0


def test_init_command(app):
    result = _run(app, ["init"])
    assert result.exit_code == 0, result.output
    assert "latest schema" in result.output
