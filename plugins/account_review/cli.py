"""``b2b-loyalty export review|portfolio|schedules``: the reviews written to the export folder.

Files land in ``<EXPORTS_DIR>/<YYYY-MM-DD>/`` (``--output`` to change the root)
with stable names, so a nightly run overwrites the same files. ``--as EMAIL``
exports as that user, under their access rule: an account manager's export
holds only their accounts. Without it the command line acts for the operator
and sees every account, like the core's other commands.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext

from b2b_loyalty.db_limits import MAX_DB_ID
from b2b_loyalty.domain.order_metrics import Period
from plugins.account_review.domain.file_names import FORMATS, export_folder

# Ids as the database holds them: a larger number is a usage error, not a failed query.
DB_ID = click.IntRange(1, MAX_DB_ID)
FORMAT_OPTION = click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="pdf", show_default=True
)
AS_OPTION = click.option(
    "--as",
    "as_email",
    default=None,
    metavar="EMAIL",
    help="Export as this user, under their access rule (default: every account).",
)
OUTPUT_OPTION = click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Root folder (default: EXPORTS_DIR); files go into ROOT/YYYY-MM-DD/.",
)


def _period_options(command):  # noqa: ANN001, ANN202
    command = click.option("--to", "end", default=None, help="Last day, YYYY-MM-DD (with --from).")(
        command
    )
    command = click.option(
        "--from", "start", default=None, help="First day, YYYY-MM-DD (with --to)."
    )(command)
    return click.option(
        "--period",
        default=None,
        help="2026, 2026-Q1 or 2026-03 (default: the last 12 months).",
    )(command)


def _period(period: str | None, start: str | None, end: str | None) -> Period:
    from b2b_loyalty.domain.periods import parse_period

    try:
        return parse_period(period, start, end, today=date.today())
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--period / --from / --to") from None


def _acting_user(email: str | None) -> Any:
    """The ``--as`` user, whose access rule now filters every query of this command.

    The session's previous scope comes back when the command ends (the session may
    outlive the command when the command line runs inside an app context).
    """
    from b2b_loyalty.access import SCOPE_KEY, AccessScope, current_access_scope, set_access_scope
    from b2b_loyalty.extensions import db
    from b2b_loyalty.services.users import find_user_by_email

    previous = current_access_scope()

    def restore() -> None:
        if previous is None:
            db.session.info.pop(SCOPE_KEY, None)
        else:
            set_access_scope(previous)

    click.get_current_context().call_on_close(restore)
    if not email:
        return None
    user = find_user_by_email(email)
    if user is None or not user.active:
        raise click.ClickException(f"No active user with e-mail {email}.")
    set_access_scope(AccessScope.for_user(user))
    return user


def _folder(output: Path | None) -> Path:
    root = output or Path(current_app.config["EXPORTS_DIR"])
    return export_folder(root, date.today())


def _fail(exc: Exception) -> click.ClickException:
    return click.ClickException(getattr(exc, "message", None) or str(exc))


@click.group("export")
def export_group() -> None:
    """Export account reviews, the portfolio review or the discount schedules (PDF or Excel)."""


@export_group.command("review")
@click.option(
    "--account", "account_ids", type=DB_ID, multiple=True, help="Account id (repeatable)."
)
@click.option("--all", "all_accounts", is_flag=True, help="Every account the user may see.")
@_period_options
@FORMAT_OPTION
@AS_OPTION
@OUTPUT_OPTION
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes for --all (default: one per CPU).",
)
@with_appcontext
def review_command(
    account_ids: tuple[int, ...],
    all_accounts: bool,
    period: str | None,
    start: str | None,
    end: str | None,
    fmt: str,
    as_email: str | None,
    output: Path | None,
    workers: int | None,
) -> None:
    """Account reviews: --account ID (repeatable) or --all, for --period."""
    from b2b_loyalty.services.errors import ValidationFailed
    from plugins.account_review import batch, queries
    from plugins.account_review.services.account_review import comparison_period
    from plugins.account_review.settings import setting

    if bool(account_ids) == all_accounts:
        raise click.UsageError("Give --account ID (one or more) or --all.")
    review_period = _period(period, start, end)
    try:
        comparison_period(review_period)
    except ValidationFailed as exc:
        raise click.BadParameter(exc.message, param_hint="--period / --from / --to") from None
    user = _acting_user(as_email)
    user_id = user.id if user is not None else None
    folder = _folder(output)
    if all_accounts:
        ids = queries.visible_account_ids()
        workers = workers or setting("WORKERS") or os.cpu_count() or 1
    else:
        ids = list(dict.fromkeys(account_ids))
        workers = 1
    workers = max(1, min(workers, len(ids) or 1))
    if workers > 1:
        outcomes = batch.export_in_processes(
            current_app._get_current_object(), ids, review_period, fmt, folder, user_id, workers
        )
        click.echo(f"{len(ids)} account reviews with {workers} worker processes.", err=True)
    else:
        outcomes = batch.export_in_this_process(ids, review_period, fmt, folder, user_id)
    failed = []
    written = []
    with click.progressbar(
        outcomes, length=len(ids), label="Exporting reviews", file=sys.stderr, show_pos=True
    ) as bar:
        for outcome in bar:
            if outcome.error:
                failed.append(outcome)
            else:
                written.append(outcome)
    for outcome in sorted(written, key=lambda o: o.path or ""):
        click.echo(outcome.path)
    for outcome in failed:
        click.echo(f"account {outcome.account_id}: {outcome.error}", err=True)
    click.echo(f"{len(written)} written to {folder}, {len(failed)} failed.", err=True)
    if failed:
        sys.exit(1)


@export_group.command("portfolio")
@_period_options
@click.option(
    "--owner", "owner_id", type=DB_ID, default=None, help="Only this manager's (user id)."
)
@click.option("--region", default="", help="Only this region.")
@click.option("--industry", default="", help="Only this industry.")
@click.option("--segment", default="", help="Only this segment (vip, current, difficult, none).")
@FORMAT_OPTION
@AS_OPTION
@OUTPUT_OPTION
@with_appcontext
def portfolio_command(
    period: str | None,
    start: str | None,
    end: str | None,
    owner_id: int | None,
    region: str,
    industry: str,
    segment: str,
    fmt: str,
    as_email: str | None,
    output: Path | None,
) -> None:
    """The portfolio review: every account the user may see, ranked."""
    from b2b_loyalty.services.errors import ServiceError
    from plugins.account_review.batch import write_export
    from plugins.account_review.exports import portfolio_review_file
    from plugins.account_review.request_input import portfolio_filters

    review_period = _period(period, start, end)
    user = _acting_user(as_email)
    args = {
        "owner": str(owner_id or ""),
        "region": region,
        "industry": industry,
        "segment": segment,
    }
    try:
        filters, segment = portfolio_filters({k: v for k, v in args.items() if v})
        export = portfolio_review_file(review_period, fmt, user, filters, segment=segment)
    except ServiceError as exc:
        raise _fail(exc) from None
    click.echo(write_export(_folder(output), export))


@export_group.command("schedules")
@click.option(
    "--margin-percent",
    default=None,
    help="Assumed gross margin on list price, percent (default 30).",
)
@FORMAT_OPTION
@AS_OPTION
@OUTPUT_OPTION
@with_appcontext
def schedules_command(
    margin_percent: str | None, fmt: str, as_email: str | None, output: Path | None
) -> None:
    """The discount schedule report: versions, tiers, approval trail, margin impact."""
    from b2b_loyalty.services.errors import ServiceError
    from plugins.account_review.batch import write_export
    from plugins.account_review.exports import schedule_report_file
    from plugins.account_review.request_input import margin_percent as parse_margin

    user = _acting_user(as_email)
    try:
        export = schedule_report_file(parse_margin(margin_percent), fmt, user)
    except ServiceError as exc:
        raise _fail(exc) from None
    click.echo(write_export(_folder(output), export))
