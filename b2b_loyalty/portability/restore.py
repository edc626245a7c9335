"""``b2b-loyalty restore``: an archive into an empty, migrated database, then verified.

The whole load runs in one transaction on one Core connection (the ORM's
record-level access rule never applies):

1. refuse, before writing anything, a target that is not migrated, is at other
   Alembic revisions than the archive, misses tables or columns, or holds rows;
2. insert table by table, parents first (``load_order``), in batches of
   ``batch_size`` rows streamed from the zip (memory stays flat for a million
   orders); self-referencing keys (``stakeholders.reports_to_id``) are loaded as
   NULL and set afterwards, so rows may point to later rows;
3. read every table back in primary-key order and compare its row count and
   checksum with the manifest (and with the file as read, which tells a
   tampered archive from a faulty load);
4. on PostgreSQL, move every serial/identity sequence past the restored ids;
5. commit only when every table matches; otherwise roll back, so a failed
   restore leaves the database as empty as it was.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import MetaData, Table, and_, bindparam, exists, inspect, select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from b2b_loyalty.portability.archive import (
    DEFAULT_BATCH_SIZE,
    ArchiveError,
    ArchiveReader,
    ColumnCodec,
    TableDigest,
    alembic_heads,
    column_codec,
    digest_table,
    load_order,
    table_codecs,
)

Progress = Callable[[str], None]


class RestoreRefused(Exception):
    """The target database is not one the archive may be loaded into; nothing was written."""


class RestoreFailed(Exception):
    """The database rejected a row while loading; the transaction was rolled back."""


@dataclass
class TableCheck:
    name: str
    expected_rows: int
    file_rows: int
    restored_rows: int
    expected_checksum: str
    file_checksum: str
    restored_checksum: str

    @property
    def ok(self) -> bool:
        return (
            self.expected_rows == self.file_rows == self.restored_rows
            and self.expected_checksum == self.file_checksum == self.restored_checksum
        )

    @property
    def problem(self) -> str:
        if self.ok:
            return ""
        if (self.file_rows, self.file_checksum) != (self.expected_rows, self.expected_checksum):
            return "the archive's table file does not match its manifest (corrupt or edited)"
        return "the rows read back from the database differ from the archive"


@dataclass
class RestoreResult:
    path: str
    manifest: dict[str, Any]
    target_dialect: str
    checks: list[TableCheck] = field(default_factory=list)
    sequences_reset: list[str] = field(default_factory=list)
    committed: bool = False

    @property
    def ok(self) -> bool:
        return self.committed and all(check.ok for check in self.checks)

    @property
    def mismatched(self) -> list[TableCheck]:
        return [check for check in self.checks if not check.ok]

    @property
    def total_rows(self) -> int:
        return sum(check.restored_rows for check in self.checks)


# ------------------------------------------------------------------------ checks


def _check_target(
    conn: Connection, manifest: dict[str, Any], tables: list[Table]
) -> dict[str, dict[str, Any]]:
    """Refuse a target the archive does not fit; return the archive's entries by table."""
    heads = alembic_heads(conn)
    if not heads:
        raise RestoreRefused(
            "the target database is not migrated (no Alembic revision): "
            "run `b2b-loyalty init` against it first"
        )
    archive_heads = sorted(manifest.get("alembic_heads") or [])
    if heads != archive_heads:
        raise RestoreRefused(
            "schema version mismatch: the archive was dumped at revision(s) "
            f"{', '.join(archive_heads) or 'none'}, the target is at {', '.join(heads)}. "
            "Install the same b2b_loyalty release, enable the same plugins "
            "(B2B_LOYALTY_PLUGINS) and run `b2b-loyalty init` on the target"
        )
    entries = {entry["name"]: entry for entry in manifest.get("tables", [])}
    known = {table.name: table for table in tables}
    present = set(inspect(conn).get_table_names())
    missing = sorted(name for name in set(entries) | set(known) if name not in present)
    if missing:
        raise RestoreRefused(
            "tables missing from the target database: "
            + ", ".join(missing)
            + " (migrate it with `b2b-loyalty init` and the same plugins enabled)"
        )
    unknown = sorted(set(entries) - set(known))
    if unknown:
        raise RestoreRefused(
            "the archive holds tables this app does not define: "
            + ", ".join(unknown)
            + " (enable the same plugins as on the source)"
        )
    absent = sorted(set(known) - set(entries))
    if absent:
        raise RestoreRefused(
            "the app defines tables the archive does not hold: "
            + ", ".join(absent)
            + " (enable the same plugins as on the source)"
        )
    for name, entry in entries.items():
        target = {codec.name: codec for codec in table_codecs(known[name])}
        archived = {column["name"]: column for column in entry["columns"]}
        if set(target) != set(archived):
            raise RestoreRefused(
                f"table {name}: columns differ (archive only: "
                f"{', '.join(sorted(set(archived) - set(target))) or '-'}; target only: "
                f"{', '.join(sorted(set(target) - set(archived))) or '-'})"
            )
        for column, codec in target.items():
            if archived[column]["kind"] != codec.kind:
                raise RestoreRefused(
                    f"column {name}.{column} is {archived[column]['kind']} in the archive "
                    f"and {codec.kind} in the target"
                )
    not_empty = [t.name for t in tables if conn.execute(select(exists().select_from(t))).scalar()]
    if not_empty:
        raise RestoreRefused(
            "the target database is not empty (rows in: "
            + ", ".join(not_empty)
            + "); restore only into a freshly migrated, empty database"
        )
    return entries


# ------------------------------------------------------------------------- load


@dataclass
class _TablePlan:
    table: Table
    entry: dict[str, Any]
    codecs: list[ColumnCodec]  # in the archive's column order
    deferred: list[str]  # columns loaded as NULL and set afterwards
    pending: list[dict[str, Any]] = field(default_factory=list)

    def insert_statement(self) -> Any:
        return self.table.insert().values(
            {
                codec.name: bindparam(f"p{i}", type_=codec.io_type)
                for i, codec in enumerate(self.codecs)
            }
        )

    def update_statement(self) -> Any:
        keys = list(self.table.primary_key.columns)
        by_name = {codec.name: codec for codec in self.codecs}
        values: dict[str, Any] = {
            name: bindparam(f"d_{name}", type_=by_name[name].io_type) for name in self.deferred
        }
        # Core would stamp ``onupdate`` columns (updated_at) with "now": keep them.
        for column in self.table.columns:
            if column.onupdate is not None and column.name not in values:
                values[column.name] = column
        where = and_(*[key == bindparam(f"k_{key.name}") for key in keys])
        return self.table.update().where(where).values(values)


def _plans(
    tables: list[Table], deferred: dict[str, list[Any]], entries: dict[str, dict[str, Any]]
) -> list[_TablePlan]:
    plans = []
    for table in tables:
        entry = entries[table.name]
        by_name = {codec.name: codec for codec in table_codecs(table)}
        codecs = [by_name[column["name"]] for column in entry["columns"]]
        late: list[str] = []
        for constraint in deferred.get(table.name, []):
            for column in constraint.columns:
                if column.nullable and column.name not in late:
                    late.append(column.name)
        if late and not table.primary_key.columns:
            late = []  # nothing to find the row by afterwards: rely on the order
        plans.append(_TablePlan(table=table, entry=entry, codecs=codecs, deferred=late))
    return plans


def _load_table(
    conn: Connection, reader: ArchiveReader, plan: _TablePlan, batch_size: int
) -> TableDigest:
    """Insert the table's rows batch by batch; return the digest of the file as read."""
    digest = TableDigest()
    statement = plan.insert_statement()
    decoders = [(codec.decode, codec.null_value) for codec in plan.codecs]
    width = len(plan.codecs)
    names = [codec.name for codec in plan.codecs]
    late = [(names.index(name), name) for name in plan.deferred]
    keys = [(names.index(key.name), key.name) for key in plan.table.primary_key.columns]
    batch: list[dict[str, Any]] = []
    first_row = 1

    def flush() -> None:
        nonlocal first_row
        if not batch:
            return
        try:
            conn.execute(statement, batch)
        except DBAPIError as exc:
            raise RestoreFailed(
                f"table {plan.table.name}, rows {first_row}-{first_row + len(batch) - 1} "
                f"of the archive: {exc.orig}"
            ) from exc
        first_row += len(batch)
        batch.clear()

    for number, line in enumerate(reader.lines(plan.entry), start=1):
        digest.add_line(line)
        try:
            values = json.loads(line)
            if not isinstance(values, list) or len(values) != width:
                raise ValueError(f"expected a list of {width} values")
            decoded = [
                sql_null if value is None else decode(value)
                for (decode, sql_null), value in zip(decoders, values, strict=True)
            ]
        except (ValueError, TypeError, ArithmeticError) as exc:
            raise ArchiveError(
                f"table {plan.table.name}, line {number} of {plan.entry['file']}: {exc}"
            ) from exc
        if late:
            later = {f"d_{name}": decoded[i] for i, name in late}
            if any(value is not None for value in later.values()):
                later.update({f"k_{name}": decoded[i] for i, name in keys})
                plan.pending.append(later)
            for i, _name in late:
                decoded[i] = None
        batch.append({f"p{i}": value for i, value in enumerate(decoded)})
        if len(batch) >= batch_size:
            flush()
    flush()
    return digest


def _apply_deferred(conn: Connection, plan: _TablePlan, batch_size: int) -> None:
    if not plan.pending:
        return
    statement = plan.update_statement()
    for start in range(0, len(plan.pending), batch_size):
        chunk = plan.pending[start : start + batch_size]
        try:
            conn.execute(statement, chunk)
        except DBAPIError as exc:
            raise RestoreFailed(
                f"table {plan.table.name}: setting {', '.join(plan.deferred)}: {exc.orig}"
            ) from exc
    plan.pending.clear()


def _reset_sequences(conn: Connection, tables: list[Table]) -> list[str]:
    """Move each serial/identity sequence past the highest restored id (PostgreSQL)."""
    preparer = conn.dialect.identifier_preparer
    reset = []
    for table in tables:
        for column in table.primary_key.columns:
            if column_codec(column).kind != "integer":
                continue
            qualified = preparer.format_table(table)
            sequence = conn.execute(
                text("SELECT pg_get_serial_sequence(:table, :column)"),
                {"table": qualified, "column": column.name},
            ).scalar()
            if not sequence:
                continue
            quoted = preparer.quote(column.name)
            conn.execute(
                text(
                    "SELECT setval(CAST(:sequence AS regclass), "
                    f"COALESCE((SELECT MAX({quoted}) FROM {qualified}), 0) + 1, false)"
                ),
                {"sequence": sequence},
            )
            reset.append(sequence)
    return reset


def renew_generations(conn: Connection) -> None:
    """Every data generation gets a new token: app processes that kept figures computed
    from the database before the restore (services.data_generations) drop them."""
    from b2b_loyalty.models import DataGeneration

    table = DataGeneration.__table__
    for key in conn.execute(select(table.c.key)).scalars().all():
        conn.execute(
            table.update().where(table.c.key == key).values(generation=secrets.randbits(62))
        )


def restore_database(
    path: str | os.PathLike[str],
    engine: Engine,
    metadata: MetaData,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress | None = None,
) -> RestoreResult:
    """Load the archive ``path`` into the empty database behind ``engine`` and verify it.

    Raises :class:`~b2b_loyalty.portability.archive.ArchiveError` for an
    unreadable archive, :class:`RestoreRefused` for an unfit target (nothing is
    written) and :class:`RestoreFailed` when the database rejects a row (rolled
    back). Otherwise returns the per-table comparison; ``result.committed`` is
    False (rolled back) when any table differs from the archive.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    say = progress or (lambda _message: None)
    tables, deferred = load_order(metadata)
    with ArchiveReader(path) as reader, engine.connect() as conn:
        result = RestoreResult(
            path=str(path), manifest=reader.manifest, target_dialect=engine.dialect.name
        )
        transaction = conn.begin()
        try:
            entries = _check_target(conn, reader.manifest, tables)
            plans = _plans(tables, deferred, entries)
            file_digests: dict[str, TableDigest] = {}
            for plan in plans:
                say(f"  loading {plan.table.name:<36} {plan.entry['rows']:>10,} rows")
                file_digests[plan.table.name] = _load_table(conn, reader, plan, batch_size)
            for plan in plans:
                _apply_deferred(conn, plan, batch_size)
            renew_generations(conn)  # before the checks, which stream their reads
            say("  verifying row counts and checksums ...")
            for plan in plans:
                restored = digest_table(conn, plan.table, plan.codecs, batch_size=batch_size)
                read = file_digests[plan.table.name]
                result.checks.append(
                    TableCheck(
                        name=plan.table.name,
                        expected_rows=int(plan.entry["rows"]),
                        file_rows=read.rows,
                        restored_rows=restored.rows,
                        expected_checksum=str(plan.entry["checksum"]),
                        file_checksum=read.checksum,
                        restored_checksum=restored.checksum,
                    )
                )
            if result.mismatched:
                transaction.rollback()
                return result
            if conn.dialect.name == "postgresql":
                result.sequences_reset = _reset_sequences(conn, tables)
            transaction.commit()
            result.committed = True
        except BaseException:
            if transaction.is_active:
                transaction.rollback()
            raise
    return result


__all__ = [
    "ArchiveError",
    "RestoreFailed",
    "RestoreRefused",
    "RestoreResult",
    "TableCheck",
    "restore_database",
]
