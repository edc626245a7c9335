"""``b2b-loyalty dump``: the whole database, streamed table by table into an archive."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata as importlib_metadata
from typing import Any

from sqlalchemy import MetaData, Table, inspect
from sqlalchemy.engine import Connection, Engine

from b2b_loyalty.portability.archive import (
    ALEMBIC_TABLE,
    DEFAULT_BATCH_SIZE,
    FORMAT_NAME,
    FORMAT_VERSION,
    ArchiveError,
    ArchiveWriter,
    TableDigest,
    alembic_heads,
    canonical_line,
    load_order,
    table_codecs,
    table_member,
    table_rows,
)

Progress = Callable[[str], None]


class DumpError(Exception):
    """The database cannot be dumped as it is (not migrated, tables missing)."""


@dataclass
class DumpResult:
    path: str
    manifest: dict[str, Any]
    # Tables in the database that the app's models do not know (a disabled plugin's).
    skipped_tables: list[str] = field(default_factory=list)

    @property
    def total_rows(self) -> int:
        return sum(entry["rows"] for entry in self.manifest["tables"])


def app_version() -> str:
    try:
        return importlib_metadata.version("b2b_loyalty")
    except importlib_metadata.PackageNotFoundError:
        return "unknown"


def archive_tables(metadata: MetaData) -> list[Table]:
    """Every table the app's models define, parents before children."""
    return load_order(metadata)[0]


def _snapshot(engine: Engine) -> Connection:
    """A connection whose reads all see one consistent state of the database."""
    if engine.dialect.name == "postgresql":
        return engine.connect().execution_options(
            isolation_level="REPEATABLE READ", postgresql_readonly=True
        )
    conn = engine.connect()
    if engine.dialect.name == "sqlite":
        # pysqlite opens no transaction for SELECTs; one BEGIN holds a single
        # snapshot (and a shared lock) until the dump's final rollback.
        conn.exec_driver_sql("BEGIN")
    return conn


def _ignorable(name: str) -> bool:
    return name == ALEMBIC_TABLE or name.startswith("sqlite_")


def dump_database(
    path: str | os.PathLike[str],
    engine: Engine,
    metadata: MetaData,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    plugins: list[str] | None = None,
    progress: Progress | None = None,
) -> DumpResult:
    """Write every table of ``metadata`` (and the Alembic revisions) to the archive ``path``.

    Reads through a Core connection: the ORM's record-level access rule never
    applies, every row is dumped. The archive is written beside ``path`` and
    moved into place only when complete.
    """
    say = progress or (lambda _message: None)
    tables = archive_tables(metadata)
    with _snapshot(engine) as conn:
        heads = alembic_heads(conn)
        if not heads:
            raise DumpError(
                "the database has no Alembic revision: it was never migrated "
                "(run `b2b-loyalty init`)"
            )
        present = set(inspect(conn).get_table_names())
        missing = [t.name for t in tables if t.name not in present]
        if missing:
            raise DumpError(
                "tables of the app's models are missing from the database: "
                + ", ".join(missing)
                + " (run `b2b-loyalty init` to migrate it first)"
            )
        # Tables the models define but the archive leaves out on purpose (derived
        # state, ``info={"archived": False}``) are known too: only a table no enabled
        # model defines is worth a warning.
        known = {t.name for t in metadata.tables.values()}
        skipped = sorted(n for n in present if n not in known and not _ignorable(n))

        manifest: dict[str, Any] = {
            "format": FORMAT_NAME,
            "format_version": FORMAT_VERSION,
            "app_version": app_version(),
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "source_dialect": engine.dialect.name,
            "plugins": list(plugins or []),
            "alembic_heads": heads,
            "checksum_algorithm": "sha256 over the table file (canonical JSON lines)",
            "tables": [],
        }
        writer = ArchiveWriter(path)
        try:
            for table in tables:
                codecs = table_codecs(table)
                digest = TableDigest()
                buffer: list[bytes] = []
                with writer.open_table(table.name) as out:
                    for values in table_rows(conn, table, codecs, batch_size=batch_size):
                        buffer.append(digest.add_line(canonical_line(values)))
                        if len(buffer) >= batch_size:
                            out.write(b"".join(buffer))
                            buffer.clear()
                    out.write(b"".join(buffer))
                manifest["tables"].append(
                    {
                        "name": table.name,
                        "file": table_member(table.name),
                        "primary_key": [c.name for c in table.primary_key.columns],
                        "columns": [codec.describe() for codec in codecs],
                        "rows": digest.rows,
                        "checksum": digest.checksum,
                    }
                )
                say(f"  {table.name:<36} {digest.rows:>10,} rows")
            writer.finish(manifest)
        except BaseException:
            writer.abort()
            raise
        finally:
            conn.rollback()
    return DumpResult(path=str(path), manifest=manifest, skipped_tables=skipped)


__all__ = ["ArchiveError", "DumpError", "DumpResult", "dump_database"]
