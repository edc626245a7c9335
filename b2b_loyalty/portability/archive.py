"""The archive format: canonical values, checksums, and reading/writing the zip.

See the package docstring (:mod:`b2b_loyalty.portability`) for the layout. This
module owns everything both directions must agree on:

- :class:`ColumnCodec`: how one column's value read from *any* backend becomes
  its canonical JSON value (``encode``) and back into a value to bind
  (``decode``);
- :func:`table_rows`: the SELECT that streams a table in primary-key order,
  already encoded, so a dump and the verification after a restore produce the
  very same lines from the very same data whatever the backend;
- :func:`canonical_line` and :class:`TableDigest`: the JSON-lines text and the
  SHA-256 over it;
- :class:`ArchiveWriter` / :class:`ArchiveReader`: the zip itself.

Everything here works on SQLAlchemy Core connections, never on the ORM
session, so the record-level access rule (``b2b_loyalty.access``, a
``do_orm_execute`` listener on ORM sessions) can never filter a dump or a
verification: every row of every table is read.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import tempfile
import uuid
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from sqlalchemy import (
    JSON,
    ForeignKeyConstraint,
    MetaData,
    String,
    Table,
    Text,
    cast,
    inspect,
    null,
    select,
    type_coerce,
)
from sqlalchemy.engine import Connection
from sqlalchemy.schema import sort_tables_and_constraints
from sqlalchemy.sql import sqltypes
from sqlalchemy.types import TypeDecorator, TypeEngine

from b2b_loyalty.models.columns import as_utc

FORMAT_NAME = "b2b_loyalty-archive"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
TABLES_FOLDER = "tables"
CHECKSUM_PREFIX = "sha256:"
# The table Alembic records the schema revisions in; not part of db.metadata.
ALEMBIC_TABLE = "alembic_version"
# A JSON column's JSON ``null`` document (as opposed to SQL NULL), and a
# document that happens to be a one-key object {"$json": ...}, are wrapped as
# {"$json": <document>} so SQL NULL can stay a plain ``null``.
JSON_WRAPPER_KEY = "$json"
DEFAULT_BATCH_SIZE = 1000


class ArchiveError(Exception):
    """The archive is unreadable, of another format, or holds a value we cannot encode."""


# ------------------------------------------------------------------ canonical values


def _quantum(scale: int) -> Decimal:
    return Decimal(1).scaleb(-scale)


def _encode_decimal(scale: int | None) -> Callable[[Any], str]:
    if scale is None:

        def encode(value: Any) -> str:
            number = value if isinstance(value, Decimal) else Decimal(str(value))
            if number == 0:
                return "0"
            return format(number.normalize(), "f")

        return encode
    quantum = _quantum(scale)

    def encode_scaled(value: Any) -> str:
        # SQLite keeps NUMERIC as a float: 11.44 may come back as 11.4399999...
        number = value if isinstance(value, Decimal) else Decimal(str(value))
        return str(number.quantize(quantum))

    return encode_scaled


def _to_utc(value: datetime) -> datetime:
    return as_utc(value)


def _encode_datetime_tz(value: datetime) -> str:
    return _to_utc(value).isoformat(timespec="microseconds")


def _encode_datetime_naive(value: datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat(timespec="microseconds")


def _encode_date(value: Any) -> str:
    if isinstance(value, datetime):  # a DATE column holding a timestamp (SQLite)
        value = value.date()
    return value.isoformat()


def _encode_time(value: time) -> str:
    return value.isoformat(timespec="microseconds")


def _encode_json_text(text: str | None) -> Any:
    """A JSON column read as text (so JSON ``null`` and SQL NULL stay apart)."""
    if text is None:
        return None
    if isinstance(text, bytes | bytearray | memoryview):
        text = bytes(text).decode("utf-8")
    # A driver may hand back the parsed document although we asked for text.
    document = json.loads(text) if isinstance(text, str) else text
    if document is None or (isinstance(document, dict) and set(document) == {JSON_WRAPPER_KEY}):
        return {JSON_WRAPPER_KEY: document}
    return document


def _decode_json(value: Any) -> Any:
    if value is None:
        return null()  # SQL NULL, whatever the column's none_as_null says
    if isinstance(value, dict) and set(value) == {JSON_WRAPPER_KEY}:
        inner = value[JSON_WRAPPER_KEY]
        return JSON.NULL if inner is None else inner
    return value


def _encode_binary(value: Any) -> str:
    return base64.b64encode(bytes(value)).decode("ascii")


def _encode_float(value: Any) -> float:
    return float(value)


def _encode_uuid(value: Any) -> str:
    return str(value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)))


@dataclass(frozen=True)
class ColumnCodec:
    """How one column travels: its kind, the type it is read and bound with, both codecs."""

    name: str
    kind: str
    sql_type: str
    io_type: TypeEngine
    encode: Callable[[Any], Any]
    decode: Callable[[Any], Any]
    scale: int | None = None
    timezone: bool = False
    nullable: bool = True

    @property
    def null_value(self) -> Any:
        """What to bind for SQL NULL (a JSON column would store None as JSON ``null``)."""
        return null() if self.kind == "json" else None

    def select_expression(self, column: Any) -> Any:
        if self.kind == "json":
            return cast(column, Text).label(self.name)
        if self.io_type is column.type:
            return column
        return type_coerce(column, self.io_type).label(self.name)

    def describe(self) -> dict[str, Any]:
        described: dict[str, Any] = {"name": self.name, "kind": self.kind, "type": self.sql_type}
        if self.kind == "decimal":
            described["scale"] = self.scale
        if self.kind == "datetime":
            described["timezone"] = self.timezone
        described["nullable"] = self.nullable
        return described


def _identity(value: Any) -> Any:
    return value


# The canonical kind of each supported column type, most specific first (Float is a
# Numeric, Enum a String).
_KINDS: tuple[tuple[type, str], ...] = (
    (sqltypes.Boolean, "boolean"),
    (sqltypes.Integer, "integer"),
    (sqltypes.Float, "float"),
    (sqltypes.Numeric, "decimal"),
    (sqltypes.DateTime, "datetime"),
    (sqltypes.Date, "date"),
    (sqltypes.Time, "time"),
    (sqltypes.JSON, "json"),
    (sqltypes._Binary, "binary"),
    (sqltypes.Uuid, "uuid"),
    (sqltypes.String, "string"),
)


def _kind_of(type_: TypeEngine) -> tuple[str, TypeEngine]:
    """The canonical kind of a column type, and the type to read and write it with."""
    if isinstance(type_, TypeDecorator):
        kind, _ = _kind_of(type_.impl_instance)
        return kind, type_.impl_instance
    if isinstance(type_, sqltypes.Enum):
        # Read and write the stored name itself, not an enum member.
        return "string", String()
    for sql_type, kind in _KINDS:
        if isinstance(type_, sql_type):
            return kind, type_
    raise ArchiveError(f"column type {type_!r} is not supported by the archive format")


def column_codec(column: Any) -> ColumnCodec:
    kind, io_type = _kind_of(column.type)
    try:
        sql_type = str(column.type.compile())
    except Exception:  # noqa: BLE001 - a type without a generic spelling
        sql_type = type(column.type).__name__
    common = {"name": column.name, "kind": kind, "sql_type": sql_type, "io_type": io_type}
    common["nullable"] = bool(column.nullable)
    if kind == "integer":
        return ColumnCodec(encode=int, decode=int, **common)
    if kind == "boolean":
        return ColumnCodec(encode=bool, decode=bool, **common)
    if kind == "float":
        return ColumnCodec(encode=_encode_float, decode=float, **common)
    if kind == "decimal":
        scale = getattr(io_type, "scale", None)
        return ColumnCodec(encode=_encode_decimal(scale), decode=Decimal, scale=scale, **common)
    if kind == "datetime":
        if getattr(io_type, "timezone", False):
            return ColumnCodec(
                encode=_encode_datetime_tz, decode=datetime.fromisoformat, timezone=True, **common
            )
        return ColumnCodec(encode=_encode_datetime_naive, decode=datetime.fromisoformat, **common)
    if kind == "date":
        return ColumnCodec(encode=_encode_date, decode=date.fromisoformat, **common)
    if kind == "time":
        return ColumnCodec(encode=_encode_time, decode=time.fromisoformat, **common)
    if kind == "json":
        return ColumnCodec(encode=_encode_json_text, decode=_decode_json, **common)
    if kind == "binary":
        return ColumnCodec(encode=_encode_binary, decode=base64.b64decode, **common)
    if kind == "uuid":
        as_uuid = getattr(io_type, "as_uuid", True)
        return ColumnCodec(
            encode=_encode_uuid, decode=uuid.UUID if as_uuid else _identity, **common
        )
    return ColumnCodec(encode=str, decode=_identity, **common)


def table_codecs(table: Table) -> list[ColumnCodec]:
    return [column_codec(column) for column in table.columns]


def canonical_line(values: list[Any]) -> str:
    """One row as its canonical JSON text: compact, keys sorted, UTF-8 (no \\u escapes)."""
    try:
        return json.dumps(
            values, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
        )
    except ValueError as exc:  # NaN or Infinity, which JSON cannot hold
        raise ArchiveError(f"a value cannot be written as JSON: {exc}: {values!r}") from exc


def order_columns(table: Table, dialect_name: str) -> list[Any]:
    """Primary-key order, the same on every backend.

    Strings compare by code point on SQLite (BINARY); PostgreSQL sorts by the
    database's locale unless told ``COLLATE "C"`` (byte order of UTF-8, which is
    code-point order). NULLs come first on SQLite and last on PostgreSQL, so a
    table without a primary key (ordered by all its columns) says NULLS FIRST.
    """
    columns = list(table.primary_key.columns)
    with_nulls = not columns
    if not columns:
        columns = [c for c in table.columns if _kind_of(c.type)[0] not in {"json", "binary"}]
    ordered = []
    for column in columns:
        expression = column
        if dialect_name == "postgresql" and _kind_of(column.type)[0] == "string":
            expression = column.collate("C")
        ordered.append(expression.asc().nulls_first() if with_nulls else expression.asc())
    return ordered


def table_rows(
    conn: Connection, table: Table, codecs: list[ColumnCodec], *, batch_size: int
) -> Iterator[list[Any]]:
    """Stream ``table`` in primary-key order, each row as its list of canonical values.

    ``stream_results`` keeps memory flat (a server-side cursor on PostgreSQL;
    SQLite steps through its cursor anyway), a million orders or ten.
    """
    columns = [table.c[codec.name] for codec in codecs]
    statement = select(
        *[codec.select_expression(column) for codec, column in zip(codecs, columns, strict=True)]
    ).order_by(*order_columns(table, conn.dialect.name))
    result = conn.execution_options(stream_results=True, yield_per=batch_size).execute(statement)
    encoders = [codec.encode for codec in codecs]
    try:
        for row in result:
            try:
                yield [
                    None if value is None else encode(value)
                    for encode, value in zip(encoders, row, strict=True)
                ]
            except (ValueError, TypeError, ArithmeticError) as exc:
                raise ArchiveError(
                    f"table {table.name}: cannot encode row {dict(row._mapping)!r}: {exc}"
                ) from exc
    finally:
        result.close()


@dataclass
class TableDigest:
    """Row count and SHA-256 over the table's canonical lines (each followed by \\n)."""

    rows: int = 0
    _hash: Any = field(default_factory=hashlib.sha256)

    def add_line(self, line: str) -> bytes:
        data = (line + "\n").encode("utf-8")
        self._hash.update(data)
        self.rows += 1
        return data

    @property
    def checksum(self) -> str:
        return CHECKSUM_PREFIX + self._hash.hexdigest()


def digest_table(
    conn: Connection, table: Table, codecs: list[ColumnCodec], *, batch_size: int
) -> TableDigest:
    digest = TableDigest()
    for values in table_rows(conn, table, codecs, batch_size=batch_size):
        digest.add_line(canonical_line(values))
    return digest


def load_order(metadata: MetaData) -> tuple[list[Table], dict[str, list[ForeignKeyConstraint]]]:
    """Tables parents first, and the foreign keys that must be filled in after loading.

    A self-referencing key (``stakeholders.reports_to_id``) and any key in a
    cycle between tables cannot be satisfied by the insert order alone: those
    columns are loaded as NULL and set by an UPDATE once every table is in.
    """
    tables: list[Table] = []
    deferred: dict[str, list[ForeignKeyConstraint]] = {}
    # Tables marked ``info={"archived": False}`` hold state derived from the data
    # (cache tokens), not data: a restore starts them afresh.
    ordered = sorted(
        (t for t in metadata.tables.values() if t.info.get("archived", True)),
        key=lambda t: t.key,
    )
    for table, constraints in sort_tables_and_constraints(ordered):
        if table is not None:
            tables.append(table)
            continue
        for constraint in constraints:
            deferred.setdefault(constraint.table.name, []).append(constraint)
    for table in tables:
        for constraint in sorted(table.foreign_key_constraints, key=lambda c: c.name or ""):
            if constraint.referred_table is table and constraint not in deferred.get(
                table.name, []
            ):
                deferred.setdefault(table.name, []).append(constraint)
    return tables, deferred


def alembic_heads(conn: Connection) -> list[str] | None:
    """The revisions recorded in ``alembic_version``, sorted; None when the table is missing."""
    if not inspect(conn).has_table(ALEMBIC_TABLE):
        return None
    rows = conn.exec_driver_sql(f"SELECT version_num FROM {ALEMBIC_TABLE}").scalars()
    return sorted(rows)


# --------------------------------------------------------------------------- the zip


def table_member(name: str) -> str:
    return f"{TABLES_FOLDER}/{name}.jsonl"


class ArchiveWriter:
    """Writes the zip to a temporary file beside ``path``, moved into place on success."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(
            prefix=f".{self.path.name}.", suffix=".part", dir=self.path.parent
        )
        os.close(handle)
        self._temp = Path(temp)
        self._zip = zipfile.ZipFile(
            self._temp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6, allowZip64=True
        )

    def open_table(self, name: str) -> IO[bytes]:
        return self._zip.open(table_member(name), "w", force_zip64=True)

    def finish(self, manifest: dict[str, Any]) -> None:
        text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
        self._zip.writestr(MANIFEST_NAME, text.encode("utf-8"))
        self._zip.close()
        os.replace(self._temp, self.path)

    def abort(self) -> None:
        self._zip.close()
        self._temp.unlink(missing_ok=True)


class ArchiveReader:
    """Opens an archive, checks its format and exposes its manifest and table lines."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        try:
            self._zip = zipfile.ZipFile(self.path)
        except (OSError, zipfile.BadZipFile) as exc:
            raise ArchiveError(f"{self.path} is not a readable archive: {exc}") from exc
        try:
            raw = self._zip.read(MANIFEST_NAME)
        except KeyError:
            self._zip.close()
            raise ArchiveError(f"{self.path} has no {MANIFEST_NAME}: not a dump") from None
        try:
            self.manifest: dict[str, Any] = json.loads(raw.decode("utf-8"))
        except ValueError as exc:
            self._zip.close()
            raise ArchiveError(f"{MANIFEST_NAME} is not valid JSON: {exc}") from exc
        self._check_format()

    def _check_format(self) -> None:
        manifest = self.manifest
        if manifest.get("format") != FORMAT_NAME:
            self.close()
            raise ArchiveError(
                f"{self.path} is not a {FORMAT_NAME} (format {manifest.get('format')!r})"
            )
        version = manifest.get("format_version")
        if not isinstance(version, int) or version > FORMAT_VERSION:
            self.close()
            raise ArchiveError(
                f"archive format version {version!r} is newer than this app reads "
                f"({FORMAT_VERSION}); restore it with a newer b2b_loyalty"
            )
        names = self._zip.namelist()
        for entry in manifest.get("tables", []):
            if entry.get("file") not in names:
                self.close()
                raise ArchiveError(f"table {entry.get('name')!r}: {entry.get('file')} is missing")

    @property
    def tables(self) -> list[dict[str, Any]]:
        return list(self.manifest.get("tables", []))

    def lines(self, entry: dict[str, Any]) -> Iterator[str]:
        """The table's lines, without the trailing newline, streamed from the zip."""
        with (
            self._zip.open(entry["file"]) as raw,
            io.TextIOWrapper(raw, encoding="utf-8", newline="\n") as text,
        ):
            for line in text:
                yield line[:-1] if line.endswith("\n") else line

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> ArchiveReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
