"""Import batches: upload, dry run, commit. One user action, one transaction.

A dry run executes the entity exactly as a commit would, inside a transaction
that is always rolled back, so its counts are the commit's counts. A commit is
all-or-nothing: when any row is rejected everything is rolled back, unless the
user chose to skip rejected rows. Either way the batch row records the counts,
which makes ``import_batches`` the import log.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from b2b_loyalty.access import SCOPE_KEY, AccessScope, current_access_scope, set_access_scope
from b2b_loyalty.domain.roles import Role
from b2b_loyalty.extensions import db
from b2b_loyalty.imports.header_matching import auto_mapping, column_label, mapping_problems
from b2b_loyalty.imports.readers import RowTexts, Sheet, data_rows, read_sheet
from b2b_loyalty.imports.registry import get_entity
from b2b_loyalty.models import ImportBatch, User
from b2b_loyalty.models.columns import utcnow
from b2b_loyalty.plugin_api.types import ImportContext, ImportEntity, ImportRow
from b2b_loyalty.services.errors import Conflict, NotFound, ValidationFailed
from b2b_loyalty.services.permissions import require_account_editor

# Rejections kept per batch (the counts are always complete); the first ones are
# what a user fixes before uploading again.
MAX_STORED_REJECTIONS = 10_000
# Rows between two progress reports (the CLI's progress bar).
PROGRESS_EVERY = 500

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Rejection:
    row: int
    field: str
    column: str
    value: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "field": self.field,
            "column": self.column,
            "value": self.value,
            "message": self.message,
        }


@dataclass
class ImportReport:
    """What a run did (or would do): counts per action and every rejected row."""

    dry_run: bool
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    committed: bool = False

    @property
    def written(self) -> int:
        return self.created + self.updated

    def describe(self) -> str:
        return (
            f"{self.total} rows: {self.created} to create, {self.updated} to update, "
            f"{self.unchanged} unchanged, {self.rejected} rejected."
        )


ALREADY_COMMITTED = "This import is already committed; upload the file again to re-import."


def require_importer(actor: User | None) -> None:
    """Account managers and admins import (into what they may edit); None is the CLI's system."""
    if actor is not None:
        require_account_editor(actor)


def visible_batches_statement(actor: User):  # noqa: ANN201 - a Select
    stmt = select(ImportBatch).order_by(ImportBatch.created_at.desc(), ImportBatch.id.desc())
    if actor.role != Role.ADMIN.value:
        stmt = stmt.where(ImportBatch.created_by_id == actor.id)
    return stmt


def get_batch(actor: User, batch_id: int) -> ImportBatch:
    """The batch if ``actor`` uploaded it (or is admin); NotFound otherwise."""
    batch = db.session.scalar(visible_batches_statement(actor).where(ImportBatch.id == batch_id))
    if batch is None:
        raise NotFound("No such import.")
    return batch


def start_import(
    actor: User | None,
    entity_name: str,
    file_name: str,
    data: bytes,
    *,
    owner: User | None = None,
    source: str = "web",
    sheet: Sheet | None = None,
) -> ImportBatch:
    """Keep the uploaded file in a new batch with the automatic mapping; nothing is checked yet.

    ``sheet``: the file already read by the caller (the command line), so it is read once.
    """
    require_importer(actor)
    entity = get_entity(entity_name)
    sheet = sheet or read_sheet(data, file_name)
    batch = ImportBatch(
        entity=entity.name,
        file_name=file_name[-255:] or "upload",
        file_format=sheet.file_format,
        file_size=len(data),
        file_sha256=hashlib.sha256(data).hexdigest(),
        file_bytes=data,
        encoding=sheet.encoding,
        delimiter=sheet.delimiter,
        header_row=sheet.header_row,
        headers=sheet.headers,
        samples=[texts for _, texts in sheet.samples],
        mapping=auto_mapping(entity, sheet.headers),
        status="uploaded",
        source=source,
        created_by_id=actor.id if actor else None,
        owner_id=owner.id if owner else None,
        rejections=[],
    )
    db.session.add(batch)
    db.session.commit()
    return batch


def change_mapping(batch: ImportBatch, mapping: Sequence[str]) -> None:
    """Store the user's mapping (one field key or "" per column); refused once committed."""
    if batch.is_committed:
        raise Conflict(ALREADY_COMMITTED)
    entity = get_entity(batch.entity)
    mapping = list(mapping)[: len(batch.headers)]
    problems = mapping_problems(entity, mapping)
    if any(p.startswith(("Unknown", "Two")) for p in problems):
        raise ValidationFailed(" ".join(problems), {"mapping": problems})
    batch.mapping = mapping
    batch.status = "uploaded"
    db.session.commit()


def check_import(
    batch: ImportBatch,
    actor: User | None,
    progress: Progress | None = None,
    sheet: Sheet | None = None,
) -> ImportReport:
    """Dry run: what a commit would do, row by row; nothing is written but the batch's counts.

    ``sheet``: the batch's file as the caller read it for ``start_import`` (saves a read).
    """
    require_importer(actor)
    if batch.is_committed:  # its file is gone (see ``_record``) and its rows are written
        raise Conflict(ALREADY_COMMITTED)
    batch_id = batch.id
    try:
        report = _run(batch, actor, dry_run=True, progress=progress, sheet=sheet)
    finally:
        db.session.rollback()
    _record(batch_id, report, status="checked", skip_rejected=False)
    db.session.commit()
    return report


def commit_import(
    batch: ImportBatch,
    actor: User | None,
    *,
    skip_rejected: bool = False,
    progress: Progress | None = None,
    sheet: Sheet | None = None,
) -> ImportReport:
    """Write the rows in one transaction; nothing at all while a row is rejected, unless skipped."""
    require_importer(actor)
    batch_id = batch.id
    # Claim the batch first: a second commit (another click, another server) waits
    # on this row and then finds it committed.
    claimed = db.session.execute(
        update(ImportBatch)
        .where(ImportBatch.id == batch_id, ImportBatch.status != "committed")
        .values(status="committing")
    )
    if claimed.rowcount != 1:
        db.session.rollback()
        raise Conflict("This import is already committed.")
    try:
        report = _run(batch, actor, dry_run=False, progress=progress, sheet=sheet)
    except IntegrityError as exc:
        db.session.rollback()
        raise Conflict(
            "The import conflicts with data saved at the same time; check it again."
        ) from exc
    except BaseException:
        db.session.rollback()
        raise
    if report.rejected and not skip_rejected:
        db.session.rollback()
        _record(batch_id, report, status="checked", skip_rejected=False)
    else:
        report.committed = True
        _record(batch_id, report, status="committed", skip_rejected=skip_rejected)
    try:
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        raise Conflict(
            "The import conflicts with data saved at the same time; check it again."
        ) from exc
    return report


def _record(batch_id: int, report: ImportReport, *, status: str, skip_rejected: bool) -> None:
    now = utcnow()
    values: dict[str, Any] = {
        "status": status,
        "skip_rejected": skip_rejected,
        "rows_total": report.total,
        "rows_created": report.created,
        "rows_updated": report.updated,
        "rows_unchanged": report.unchanged,
        "rows_rejected": report.rejected,
        "rejections": [r.as_dict() for r in report.rejections],
        "checked_at": now,
    }
    if status == "committed":
        values["committed_at"] = now
        # The uploaded copy of the client's file is not kept once its rows are in the
        # database: the log keeps the counts and the rejected rows (data minimisation,
        # SECURITY.md 8.1.2). Nothing reads a committed batch's file again.
        values["file_bytes"] = b""
    db.session.execute(update(ImportBatch).where(ImportBatch.id == batch_id).values(**values))
    db.session.expire_all()


def _run(
    batch: ImportBatch,
    actor: User | None,
    *,
    dry_run: bool,
    progress: Progress | None,
    sheet: Sheet | None = None,
) -> ImportReport:
    entity = get_entity(batch.entity)
    problems = mapping_problems(entity, batch.mapping)
    if problems:
        raise ValidationFailed(" ".join(problems), {"mapping": problems})
    if sheet is not None:
        rows = sheet.rows()
    else:
        rows = data_rows(batch.file_bytes, batch.file_name, batch.header_row)
    headers, mapping = list(batch.headers), list(batch.mapping)
    owner = db.session.get(User, batch.owner_id) if batch.owner_id else None
    context = ImportContext(
        actor=actor,
        owner=owner,
        dry_run=dry_run,
        base_currency=current_app.config["BASE_CURRENCY"],
    )
    with access_of(actor):
        return _tally(entity, rows, headers, mapping, context, progress)


@contextmanager
def access_of(actor: User | None) -> Iterator[None]:
    """Run the block under ``actor``'s access rules (None: leave the scope as it is).

    A web request has already set them; the command line sets them for --owner.
    The previous scope comes back afterwards, so a long-lived session (a shell,
    the tests) is not left with the importer's.
    """
    if actor is None:
        yield
        return
    previous = current_access_scope()
    set_access_scope(AccessScope.for_user(actor))
    try:
        yield
    finally:
        if previous is None:
            db.session.info.pop(SCOPE_KEY, None)
        else:
            set_access_scope(previous)


def _tally(
    entity: ImportEntity,
    sheet_rows: Iterator[RowTexts],
    headers: list[str],
    mapping: list[str],
    context: ImportContext,
    progress: Progress | None,
) -> ImportReport:
    report = ImportReport(dry_run=context.dry_run)
    columns = [(index, key) for index, key in enumerate(mapping) if key]
    column_of = {key: index for index, key in columns}
    texts_by_row: dict[int, dict[str, str]] = {}

    def import_rows() -> Iterator[ImportRow]:
        for number, texts in sheet_rows:
            width = len(texts)
            values = {key: texts[i] if i < width else "" for i, key in columns}
            texts_by_row[number] = values
            report.total += 1
            yield ImportRow(number, values)

    done = 0
    rows = import_rows()
    for outcome in entity.apply_rows(rows, context):
        values = texts_by_row.pop(outcome.row_number, {})
        if outcome.action == "reject":
            report.rejected += 1
            for problem in outcome.problems or ():
                if len(report.rejections) >= MAX_STORED_REJECTIONS:
                    break
                index = column_of.get(problem.field)
                report.rejections.append(
                    Rejection(
                        row=outcome.row_number,
                        field=problem.field,
                        column=column_label(headers, index) if index is not None else "",
                        value=values.get(problem.field, "")[:200],
                        message=problem.message,
                    )
                )
        elif outcome.action == "create":
            report.created += 1
        elif outcome.action == "update":
            report.updated += 1
        else:
            report.unchanged += 1
        done += 1
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(PROGRESS_EVERY)
    if progress is not None and done % PROGRESS_EVERY:
        progress(done % PROGRESS_EVERY)
    for _unread in rows:  # rows the entity never read still count, and must be reported
        pass
    counted = report.created + report.updated + report.unchanged + report.rejected
    if counted != report.total:
        raise RuntimeError(
            f"import entity {entity.name!r} reported {counted} outcomes for {report.total} rows"
        )
    report.rejections.sort(key=lambda r: r.row)
    return report


def purge_abandoned_batches(older_than_days: int, now: datetime | None = None) -> int:
    """Delete the batches uploaded more than ``older_than_days`` ago and never imported,
    with their copy of the file; the number deleted. Imported batches stay in the log
    (their file is already gone, see ``_record``). The caller commits."""
    if older_than_days < 1:
        raise ValueError("keep uploads at least one day")
    cutoff = (now or utcnow()) - timedelta(days=older_than_days)
    result = db.session.execute(
        delete(ImportBatch).where(
            ImportBatch.status != "committed", ImportBatch.created_at < cutoff
        )
    )
    return result.rowcount or 0
