"""The ``dump`` and ``restore`` commands (registered on the ``b2b-loyalty`` group).

Both run inside the app context (``flask.cli.with_appcontext``) and talk to
``db.engine`` through Core connections: no request, no signed-in user, and no
ORM session, so the record-level access rule never narrows what they read.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from b2b_loyalty.extensions import db
from b2b_loyalty.portability.archive import DEFAULT_BATCH_SIZE, ArchiveError, ArchiveReader
from b2b_loyalty.portability.dump import DumpError, dump_database
from b2b_loyalty.portability.restore import (
    RestoreFailed,
    RestoreRefused,
    RestoreResult,
    restore_database,
)

_BATCH_SIZE = click.option(
    "--batch-size",
    default=DEFAULT_BATCH_SIZE,
    show_default=True,
    type=click.IntRange(min=1),
    help="Rows read or inserted per round trip.",
)


def _database_label() -> str:
    return db.engine.url.render_as_string(hide_password=True)


def _enabled_plugins() -> list[str]:
    from b2b_loyalty.plugin_host import plugin_host

    return list(plugin_host(current_app).enabled)


@click.command("dump")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
@_BATCH_SIZE
@with_appcontext
def dump_command(file: Path, force: bool, batch_size: int) -> None:
    """Write the whole database (core and enabled plugins) to the archive FILE (a zip)."""
    if file.exists() and not force:
        raise click.ClickException(f"{file} exists; pass --force to overwrite it.")
    click.echo(f"Dumping {_database_label()} to {file}")
    try:
        result = dump_database(
            file,
            db.engine,
            db.metadata,
            batch_size=batch_size,
            plugins=_enabled_plugins(),
            progress=click.echo,
        )
    except (DumpError, ArchiveError) as exc:
        raise click.ClickException(f"cannot dump: {exc}") from None
    for name in result.skipped_tables:
        click.echo(
            f"Warning: table {name} is in the database but no enabled plugin defines it; "
            "it is NOT in the archive (enable its plugin and dump again to keep it).",
            err=True,
        )
    manifest = result.manifest
    click.echo(
        f"Wrote {file}: {len(manifest['tables'])} tables, {result.total_rows:,} rows, "
        f"schema {', '.join(manifest['alembic_heads'])}."
    )


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_BATCH_SIZE
@with_appcontext
def restore_command(file: Path, batch_size: int) -> None:
    """Load the archive FILE into this empty, migrated database and verify every table.

    Exits with status 1 when any table's row count or checksum differs from the
    archive (the restore is then rolled back) or when the target is refused.
    """
    try:
        with ArchiveReader(file) as reader:
            manifest = reader.manifest
    except ArchiveError as exc:
        raise click.ClickException(f"cannot read the archive: {exc}") from None
    click.echo(
        f"Restoring {file} (format {manifest['format_version']}, b2b_loyalty "
        f"{manifest.get('app_version')}, dumped from {manifest.get('source_dialect')} "
        f"at {manifest.get('created_at')}) into {_database_label()}"
    )
    try:
        result = restore_database(
            file, db.engine, db.metadata, batch_size=batch_size, progress=click.echo
        )
    except RestoreRefused as exc:
        raise click.ClickException(f"refusing to restore: {exc}") from None
    except ArchiveError as exc:
        raise click.ClickException(
            f"the archive is damaged: {exc}. The restore was rolled back; "
            "the database is unchanged."
        ) from None
    except RestoreFailed as exc:
        raise click.ClickException(
            f"the database rejected a row: {exc}. The restore was rolled back; "
            "the database is unchanged."
        ) from None
    _report(result)
    if not result.ok:
        raise click.exceptions.Exit(1)


def _report(result: RestoreResult) -> None:
    click.echo("")
    click.echo(f"  {'table':<36} {'archive':>10} {'restored':>10}  checksum")
    for check in result.checks:
        verdict = "OK" if check.ok else f"MISMATCH: {check.problem}"
        click.echo(
            f"  {check.name:<36} {check.expected_rows:>10,} {check.restored_rows:>10,}  {verdict}"
        )
    heads = ", ".join(result.manifest.get("alembic_heads") or [])
    click.echo(f"  {'alembic_version':<36} {'':>10} {'':>10}  OK (revisions {heads})")
    if result.sequences_reset:
        click.echo(
            f"Reset {len(result.sequences_reset)} PostgreSQL sequences past the restored ids."
        )
    click.echo("")
    if result.ok:
        click.echo(
            f"OK: {len(result.checks)} tables, {result.total_rows:,} rows restored; "
            "every row count and checksum matches the archive."
        )
        return
    names = ", ".join(check.name for check in result.mismatched)
    click.echo(
        f"MISMATCH: {len(result.mismatched)} of {len(result.checks)} tables differ from the "
        f"archive ({names}). The restore was rolled back; the database is still empty."
    )
