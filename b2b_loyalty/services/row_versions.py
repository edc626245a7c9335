"""Optimistic locking: an edit names the row version it started from.

Rows that people edit carry ``row_version`` (SQLAlchemy's ``version_id_col``,
see ``models.columns.row_version_column``). Two checks keep one editor from
silently overwriting another:

1. **The version the editor saw.** A page or API client reads version N and
   sends N back with its change. If the row is at another version now, someone
   saved in between: :func:`check_row_version` refuses with :class:`StaleEdit`
   before anything is written. Only this check sees edits that happened while
   the editor was *thinking* (between their GET and their PATCH).
2. **The race inside one request.** Between loading the row and flushing the
   change, another transaction may commit. The ORM's UPDATE carries
   ``WHERE row_version = :loaded``, matches no row and raises StaleDataError;
   ``unit_of_work`` turns that into the same :class:`StaleEdit`.

Either way nothing is written, the transaction is rolled back and the caller
(API: 409 with what changed; pages: the form again with the current values)
explains the conflict.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.exc import InvalidRequestError
from sqlalchemy.orm.attributes import flag_modified

from b2b_loyalty.extensions import db
from b2b_loyalty.services.errors import Conflict

STALE_MESSAGE = (
    "Someone else changed this record since you read it (you sent version {sent}, it is now "
    "at version {current}). Nothing was saved: read it again, re-apply your change and send "
    "the current version."
)
RACE_MESSAGE = (
    "Someone else saved this record at the same moment. Nothing was saved: read it again, "
    "re-apply your change and send the current version."
)
DELETED_MESSAGE = "Someone else deleted this record while you were editing it. Nothing was saved."


class StaleEdit(Conflict):
    """An edit based on an outdated read of a row (HTTP 409).

    ``sent_version`` is what the editor read (None when the race was caught at
    flush time); ``current_version`` is the row's version now (None until the
    caller looks, or when the row is gone). The API and the pages fill in
    ``changes`` (field -> {"yours", "current"}) and ``current`` (the record as it
    is now) with :meth:`explain`, since only they know how a record reads.
    """

    def __init__(
        self,
        message: str = RACE_MESSAGE,
        *,
        sent_version: int | None = None,
        current_version: int | None = None,
    ) -> None:
        super().__init__(message)
        self.sent_version = sent_version
        self.current_version = current_version
        self.version_key = "version"
        self.changes: dict[str, dict[str, Any]] = {}
        self.current: dict[str, Any] | None = None
        self.deleted = False

    def explain(
        self,
        *,
        current: Mapping[str, Any] | None,
        current_version: int | None,
        yours: Mapping[str, Any],
        version_key: str = "version",
        loaded: Mapping[str, Any] | None = None,
    ) -> StaleEdit:
        """Describe the conflict against the record as it is now (None: it was deleted)."""
        self.version_key = version_key
        self.current_version = current_version
        if current is None:
            self.deleted = True
            self.message = DELETED_MESSAGE
            self.fields = {}
            return self
        self.current = dict(current)
        self.changes = changed_fields(yours=yours, current=current, loaded=loaded)
        if self.sent_version is not None:
            self.message = STALE_MESSAGE.format(sent=self.sent_version, current=current_version)
        self.fields = {
            name: [f"Changed meanwhile: it is now {_shown(change['current'])}."]
            for name, change in self.changes.items()
        }
        return self

    def details(self) -> dict[str, Any]:
        return {
            "conflict": {
                "version_key": self.version_key,
                "sent_version": self.sent_version,
                "current_version": self.current_version,
                "changes": self.changes,
                "current": self.current,
            }
        }


def row_version(record: Any) -> int:
    """The row version of a mapped record (its mapper's ``version_id_col``)."""
    mapper = inspect(record).mapper
    return getattr(record, mapper.get_property_by_column(mapper.version_id_col).key)


def check_row_version(record: Any, sent_version: int | None) -> None:
    """Refuse the edit when the editor read another version than the row's current one.

    ``sent_version`` None means the caller has no version to offer (a CLI or
    import run, a plugin); then only the flush-time check protects the row.
    """
    if sent_version is None:
        return
    current = row_version(record)
    if sent_version != current:
        raise StaleEdit(
            STALE_MESSAGE.format(sent=sent_version, current=current),
            sent_version=sent_version,
            current_version=current,
        )


def current_state(
    record: Any, describe: Callable[[Any], dict[str, Any]]
) -> tuple[dict[str, Any] | None, int | None]:
    """``describe(record)`` as the row is in the database now, and its version.

    (None, None) when the row is gone. Call it after a StaleEdit, whose
    transaction was rolled back, to tell the editor what they are up against.
    """
    try:
        db.session.refresh(record)
    except InvalidRequestError:  # ObjectDeletedError included: the row was deleted
        db.session.rollback()
        return None, None
    return describe(record), row_version(record)


def mark_edited(record: Any) -> None:
    """Make the coming flush UPDATE the row, so its version moves on and is checked.

    Without it an edit that changes only related rows (a schedule's tiers, an
    account's team) or changes nothing would leave the version where it was:
    a second editor could not tell, and the flush would not check for a race.
    """
    state = inspect(record)
    mapper = state.mapper
    for prop in mapper.column_attrs:
        column = prop.columns[0]
        if column.primary_key or column is mapper.version_id_col:
            continue
        getattr(record, prop.key)  # loaded, so it can be flagged
        flag_modified(record, prop.key)
        return


def changed_fields(
    *,
    yours: Mapping[str, Any],
    current: Mapping[str, Any],
    loaded: Mapping[str, Any] | None = None,
) -> dict[str, dict[str, Any]]:
    """Field -> {"yours", "current"} for the fields where the conflict matters.

    With ``loaded`` (the record as the editor first read it, which pages keep in
    the form) these are the fields someone else changed since. Without it (an
    API PATCH carries only what the client changes) they are the fields the
    client sent whose current value differs from what it sent.
    """
    if loaded is not None:
        names: Iterable[str] = [
            k for k in current if k in loaded and not same_value(loaded[k], current[k])
        ]
    else:
        names = [k for k in yours if k in current and not same_value(yours[k], current[k])]
    return {name: {"yours": yours.get(name), "current": current[name]} for name in names}


def same_value(a: Any, b: Any) -> bool:
    """Equal as a person reads them: "100" and "100.000" alike, "" and None alike."""
    if a in ("", None) or b in ("", None):
        return a in ("", None) and b in ("", None)
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b or str(a).lower() == str(b).lower()
    if isinstance(a, list | tuple) or isinstance(b, list | tuple):
        if not (isinstance(a, list | tuple) and isinstance(b, list | tuple)) or len(a) != len(b):
            return False
        return all(same_value(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, Mapping) or isinstance(b, Mapping):
        if not (isinstance(a, Mapping) and isinstance(b, Mapping)) or set(a) != set(b):
            return False
        return all(same_value(a[k], b[k]) for k in a)
    try:
        return Decimal(str(a)) == Decimal(str(b))
    except (InvalidOperation, ValueError):
        return str(a) == str(b)


def _shown(value: Any) -> str:
    if value in (None, ""):
        return "empty"
    text = str(value)
    return f"“{text[:80]}…”" if len(text) > 80 else f"“{text}”"
