"""``b2b-loyalty import ENTITY FILE``: the same import as the web pages, from a terminal."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from b2b_loyalty.plugin_api.types import ImportEntity

CORE_ENTITIES = "accounts, stakeholders, orders, wallet-estimates"


@click.command("import")
@click.argument("entity_name", metavar="ENTITY")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check every row and report; write nothing.")
@click.option(
    "--owner",
    "owner_email",
    default=None,
    help="Account manager (e-mail) that new accounts go to and whose access rules apply.",
)
@click.option(
    "--skip-rejected",
    is_flag=True,
    help="Write the valid rows even if some are rejected (default: all or nothing).",
)
@click.option(
    "--map",
    "column_map",
    multiple=True,
    metavar="HEADER=FIELD",
    help="Correct the automatic mapping: feed FIELD from the column HEADER ('HEADER=' ignores it).",
)
@with_appcontext
def import_command(
    entity_name: str,
    file: Path,
    dry_run: bool,
    owner_email: str | None,
    skip_rejected: bool,
    column_map: tuple[str, ...],
) -> None:
    """Import ENTITY rows from FILE (.xlsx or .csv).

    ENTITY is one of: accounts, stakeholders, orders, wallet-estimates (or an
    enabled plugin's entity). Exits with status 1 when any row is rejected; then
    nothing is written unless --skip-rejected is given.
    """
    from b2b_loyalty.imports.readers import read_sheet
    from b2b_loyalty.imports.registry import import_entities
    from b2b_loyalty.imports.service import (
        change_mapping,
        check_import,
        commit_import,
        start_import,
    )
    from b2b_loyalty.services.errors import ServiceError

    entities = import_entities()
    if entity_name not in entities:
        known = ", ".join(entities) or CORE_ENTITIES
        raise click.BadParameter(f"choose one of: {known}", param_hint="ENTITY")
    entity = entities[entity_name]
    owner = _owner(owner_email) if owner_email else None
    try:
        data = file.read_bytes()
        sheet = read_sheet(data, file.name)
        # The service runs the rows under the owner's access rules (access_of).
        batch = start_import(
            owner, entity_name, file.name, data, owner=owner, source="cli", sheet=sheet
        )
        if column_map:
            change_mapping(batch, _corrected(batch.headers, batch.mapping, column_map, entity))
        _show_mapping(batch.headers, batch.mapping, entity)
        with click.progressbar(
            length=max(sheet.estimated_rows, 1),
            label="Checking" if dry_run else "Importing",
            file=sys.stderr,
        ) as bar:
            if dry_run:
                report = check_import(batch, owner, progress=bar.update, sheet=sheet)
            else:
                report = commit_import(
                    batch, owner, skip_rejected=skip_rejected, progress=bar.update, sheet=sheet
                )
    except ServiceError as exc:
        details = "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in exc.fields.items())
        raise click.ClickException(details or exc.message) from None
    click.echo(report.describe())
    for rejection in report.rejections:
        where = f"column {rejection.column!r}" if rejection.column else "row"
        value = f" (value: {rejection.value!r})" if rejection.value else ""
        click.echo(f"  row {rejection.row}, {where}: {rejection.message}{value}")
    if report.rejected > len(report.rejections):
        click.echo(f"  ... and more; the first {len(report.rejections)} problems are listed.")
    if dry_run:
        click.echo(f"Dry run: nothing was written (import log #{batch.id}).")
    elif report.committed:
        click.echo(f"Written: {report.created} created, {report.updated} updated (#{batch.id}).")
    else:
        click.echo("Nothing was written: fix the rejected rows, or use --skip-rejected.")
    if report.rejected and not (report.committed and skip_rejected):
        raise SystemExit(1)


def _owner(email: str):  # noqa: ANN202 - a User
    from b2b_loyalty.imports.entities.accounts import OWNER_ROLES
    from b2b_loyalty.services.users import find_user_by_email

    user = find_user_by_email(email)
    if user is None or not user.active or user.role not in OWNER_ROLES:
        raise click.ClickException(f"{email} is not an active account manager or admin.")
    return user


def _corrected(
    headers: list[str], mapping: list[str], column_map: tuple[str, ...], entity: ImportEntity
) -> list[str]:
    from b2b_loyalty.imports.header_matching import normalise_header

    keys = {f.key for f in entity.fields}
    corrected = list(mapping)
    for item in column_map:
        header, _, key = item.partition("=")
        key = key.strip()
        if key and key not in keys:
            raise click.BadParameter(f"{key!r} is not a field of {entity.name}", param_hint="--map")
        matches = [
            i for i, h in enumerate(headers) if normalise_header(h) == normalise_header(header)
        ]
        if not matches:
            raise click.BadParameter(f"the file has no column {header!r}", param_hint="--map")
        for index, current in enumerate(corrected):
            if key and current == key:
                corrected[index] = ""
        corrected[matches[0]] = key
    return corrected


def _show_mapping(headers: list[str], mapping: list[str], entity: ImportEntity) -> None:
    labels = {f.key: f.label for f in entity.fields}
    pairs = [
        f"{h or '?'} -> {labels.get(k, k)}" for h, k in zip(headers, mapping, strict=False) if k
    ]
    ignored = [h for h, k in zip(headers, mapping, strict=False) if not k and h]
    click.echo("Columns: " + ("; ".join(pairs) or "none matched"))
    if ignored:
        click.echo("Ignored: " + ", ".join(ignored))


@click.command("purge-imports")
@click.option(
    "--days",
    # A century at most: beyond it the cut-off date would overflow (a traceback, not an answer).
    type=click.IntRange(min=1, max=36_500),
    default=30,
    show_default=True,
    help="Delete uploads never imported that are older than this.",
)
@with_appcontext
def purge_imports_command(days: int) -> None:
    """Delete uploaded files that were never imported (run daily, e.g. from cron).

    An imported file is dropped when its rows are written; the log keeps every batch's
    counts and rejected rows. An upload left at the mapping or preview step keeps its
    copy of the client's file until this command removes the batch.
    """
    from b2b_loyalty.extensions import db
    from b2b_loyalty.imports.service import purge_abandoned_batches

    deleted = purge_abandoned_batches(days)
    db.session.commit()
    click.echo(f"Deleted {deleted} upload(s) older than {days} days that were never imported.")
