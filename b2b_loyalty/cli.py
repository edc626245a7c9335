"""The ``b2b-loyalty`` command line: Flask's CLI bound to the factory, plus our commands.

``b2b-loyalty run``, ``shell`` and ``db ...`` (Flask-Migrate) come with Flask;
plugins add theirs through the ``cli_commands`` hook.
"""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import FlaskGroup

from b2b_loyalty.app import create_app
from b2b_loyalty.services.errors import ServiceError


def _make_app():  # noqa: ANN202 - FlaskGroup calls it with no arguments
    return create_app()


@click.group(cls=FlaskGroup, create_app=_make_app, load_dotenv=False)
def main() -> None:
    """b2b_loyalty: B2B client relations and loyalty."""


@main.command("init")
def init_command() -> None:
    """Create the database or upgrade it to the latest schema (core and enabled plugins)."""
    from b2b_loyalty.schema import upgrade_database

    upgrade_database()
    click.echo("Database is at the latest schema.")


@main.command("create-user")
@click.argument("email")
@click.option(
    "--role",
    required=True,
    type=click.Choice(["account_manager", "sales_lead", "finance", "admin"]),
)
@click.option("--name", default=None, help="Display name (default: the part before @).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user_command(email: str, role: str, name: str | None, password_stdin: bool) -> None:
    """Create a user; asks for the password unless --password-stdin is given."""
    from b2b_loyalty.services.users import create_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create_user(email, name or "", role, password)
    except ServiceError as exc:
        raise click.ClickException(_describe(exc)) from None
    click.echo(f"Created {user.role} {user.email} (id {user.id}).")


@main.command("create-token")
@click.argument("email")
@click.option(
    "--days",
    type=click.IntRange(1, 3650),
    default=None,
    help="Days until the token expires (default: API_TOKEN_DAYS, 90).",
)
def create_token_command(email: str, days: int | None) -> None:
    """Print a new API token for the user with EMAIL (only a hash of it is stored)."""
    from b2b_loyalty.services.users import find_user_by_email, issue_api_token

    user = find_user_by_email(email)
    if user is None or not user.active:
        raise click.ClickException(f"No active user with e-mail {email}.")
    try:
        plain = issue_api_token(user, days=days)
    except ServiceError as exc:
        raise click.ClickException(_describe(exc)) from None
    from b2b_loyalty.services.api_tokens import find_token

    expires = find_token(plain).expires_at
    click.echo(f"Expires {expires:%Y-%m-%d %H:%M} UTC. The token (shown once):", err=True)
    click.echo(plain)


@main.command("revoke-token")
@click.argument("tokens", nargs=-1)
@click.option("--user", "email", default=None, help="Revoke every token of this user.")
def revoke_token_command(tokens: tuple[str, ...], email: str | None) -> None:
    """Revoke API tokens, given by id (as on the tokens page) or plain text, or all of --user."""
    from b2b_loyalty.services.api_tokens import find_token, revoke_all_tokens_of, revoke_token
    from b2b_loyalty.services.users import find_user_by_email

    if not tokens and not email:
        raise click.UsageError("Give token ids or tokens, or --user EMAIL.")
    if email:
        user = find_user_by_email(email)
        if user is None:
            raise click.ClickException(f"No user with e-mail {email}.")
        click.echo(f"Revoked {revoke_all_tokens_of(user, None)} token(s) of {user.email}.")
    missing = []
    for identifier in tokens:
        token = find_token(identifier)
        if token is None:
            missing.append(identifier if identifier.isdigit() else "(a token)")
            continue
        done = revoke_token(token, None)
        state = "revoked" if done else "was already revoked"
        click.echo(f"Token {token.id} ({token.hint}…) of {token.user.email} {state}.")
    if missing:
        raise click.ClickException(f"No such token: {', '.join(missing)}.")


@main.command("demo")
@click.option("--serve/--no-serve", default=True, help="Serve the app after building the data.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def demo_command(serve: bool, host: str, port: int) -> None:
    """Build a realistic demo database (idempotent), print the logins, then serve."""
    from b2b_loyalty.demo_data import DEMO_PASSWORD, build_demo
    from b2b_loyalty.schema import upgrade_database

    upgrade_database()
    summary = build_demo()
    if summary.created:
        from b2b_loyalty.services.health_snapshot import snapshot_recent_months

        # Three months of stored health scores, so trends show real history.
        snapshot_recent_months(3)
    click.echo(summary.describe())
    click.echo("")
    click.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for email, role in summary.logins:
        click.echo(f"  {role:<16} {email}")
    if serve:
        from werkzeug.serving import run_simple

        click.echo(f"\nServing on http://{host}:{port}/  (Ctrl+C to stop)")
        # Flask.run() does nothing when called from the flask command line, so
        # serve with werkzeug directly (the development server; gunicorn in production).
        run_simple(host, port, current_app._get_current_object(), use_reloader=False, threaded=True)


def _register_data_commands() -> None:
    from b2b_loyalty.imports.cli import import_command, purge_imports_command
    from b2b_loyalty.portability.commands import dump_command, restore_command

    main.add_command(import_command)
    main.add_command(purge_imports_command)
    main.add_command(dump_command)
    main.add_command(restore_command)


_register_data_commands()


def _describe(exc: ServiceError) -> str:
    details = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.fields.items())
    return f"{exc.message} {details}".strip()


@main.command("health-snapshot")
@click.option("--month", default=None, help="YYYY-MM to score (default: the current month so far).")
def health_snapshot_command(month: str | None) -> None:
    """Store every account's health score for a month (run monthly, e.g. from cron)."""
    from b2b_loyalty.services.health_snapshot import snapshot_month

    try:
        stored, month_start = snapshot_month(month)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Stored {stored} health scores for {month_start:%Y-%m}.")
