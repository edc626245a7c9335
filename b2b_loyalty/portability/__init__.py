"""Moving a deployment between databases: ``b2b-loyalty dump`` and ``b2b-loyalty restore``.

``dump FILE`` writes every table of ``db.metadata`` (the core's and the enabled
plugins') plus the Alembic revisions to one portable archive; ``restore FILE``
loads it into an *empty* database of either kind (SQLite or PostgreSQL) that is
already migrated to the same revisions, then reads every table back and
compares row counts and checksums with the archive, table by table.

Archive format (version 1)
==========================

A zip file (deflate, zip64) holding:

``manifest.json``
    ``{"format": "b2b_loyalty-archive", "format_version": 1,
    "app_version": "0.1.0", "created_at": "2026-11-26T09:31:26+00:00",
    "source_dialect": "sqlite", "plugins": ["engagement", ...],
    "alembic_heads": ["0007", "eng0001", ...], "checksum_algorithm": "...",
    "tables": [{"name": "accounts", "file": "tables/accounts.jsonl",
    "primary_key": ["id"], "columns": [{"name": "id", "kind": "integer",
    "type": "INTEGER", "nullable": false}, ...], "rows": 30,
    "checksum": "sha256:<hex>"}, ...]}``. Tables are listed parents first.

``tables/<table>.jsonl``
    One line per row, ordered by primary key (strings in code-point order on
    every backend), each line a JSON array of the row's values in the order of
    the manifest's ``columns``, written canonically: ``json.dumps(values,
    ensure_ascii=False, sort_keys=True, separators=(",", ":"))``, UTF-8, each
    line ending in ``\\n``.

Canonical values, by column kind (the same whatever the backend returned):

- ``integer``: JSON integer; ``boolean``: ``true``/``false`` (SQLite's 0/1 too);
- ``decimal``: string quantized to the column's declared scale, so
  ``Numeric(16, 2)`` gives ``"11.40"`` (SQLite stores NUMERIC as a float; the
  scale restores the exact value); without a scale, the shortest exact form;
- ``float``: JSON number;
- ``date``: ``"2026-11-26"``; ``time``: ``"09:31:26.013530"``;
- ``datetime`` with a time zone: UTC, ISO 8601 with microseconds,
  ``"2026-11-26T09:31:26.013530+00:00"`` (SQLite returns naive datetimes for
  these columns: they are taken as UTC, which is all the app writes); without
  a time zone: the same without the offset;
- ``string``: JSON string (Cyrillic and other non-ASCII text as is);
- ``json``: the document itself (keys sorted); SQL NULL is ``null``, while a
  JSON ``null`` document, and a document that is exactly a one-key object
  ``{"$json": ...}``, are wrapped as ``{"$json": <document>}``;
- ``binary``: base64 string; ``uuid``: canonical lower-case string;
- SQL NULL of any other kind: ``null``.

A table's ``checksum`` is the SHA-256 of its ``.jsonl`` file, i.e. of the
canonical lines, so dumps of the same data from SQLite and from PostgreSQL
have byte-identical table files and identical checksums, and anyone can check
a file with ``sha256sum``. The restore compares three things per table: the
manifest, the file as it reads it (catches a damaged or edited archive) and
the rows it reads back from the database (catches a lossy load). It commits
only when all agree, and otherwise rolls back, leaving the target empty.

Both commands use SQLAlchemy Core connections on ``db.engine``, never the ORM
session, so the record-level access rule (``b2b_loyalty.access``) cannot filter
them; both stream (bounded batches, server-side cursors on PostgreSQL), so a
million orders never sit in memory at once. The dump reads one consistent
snapshot (one transaction; REPEATABLE READ on PostgreSQL); the restore runs in
one transaction, inserts parents before children, loads self-referencing keys
(``stakeholders.reports_to_id``) as NULL and sets them once all rows are in,
and on PostgreSQL moves every serial/identity sequence past the restored ids.
"""

from b2b_loyalty.portability.archive import FORMAT_VERSION, ArchiveError
from b2b_loyalty.portability.dump import DumpError, DumpResult, dump_database
from b2b_loyalty.portability.restore import (
    RestoreFailed,
    RestoreRefused,
    RestoreResult,
    restore_database,
)

__all__ = [
    "FORMAT_VERSION",
    "ArchiveError",
    "DumpError",
    "DumpResult",
    "RestoreFailed",
    "RestoreRefused",
    "RestoreResult",
    "dump_database",
    "restore_database",
]
