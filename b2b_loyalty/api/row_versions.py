"""Optimistic locking in the API: a PATCH names the version it read; a stale one is a 409.

Every versioned resource answers with its row version (``version``; on discount
schedules ``row_version``, since ``version`` is the schedule's version number)
and a PATCH must send it back. If the record changed since, the answer is 409
and the error object carries ``conflict``: the version sent, the current one,
the fields where the current record differs from what was sent
(``{"name": {"yours": ..., "current": ...}}``) and the whole current record.
The same 409 answers a change that lost a race with another one saved at the
same moment (StaleDataError at flush, see ``services.row_versions``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from b2b_loyalty.db_limits import is_db_id
from b2b_loyalty.services.errors import field_error
from b2b_loyalty.services.row_versions import StaleEdit, current_state

VERSION_KEY = "version"


def sent_row_version(body: Mapping[str, Any], key: str = VERSION_KEY) -> int:
    """The row version a PATCH body names; 422 when it is missing or not a positive integer."""
    value = body.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or not is_db_id(value):
        raise field_error(
            key,
            f"Send the `{key}` you read with the record (an integer): a change must say "
            "which version it is based on.",
        )
    return value


def sent_delete_version(args: Mapping[str, str], key: str = VERSION_KEY) -> int | None:
    """The row version a DELETE names in its query (``?version=N``), None when it names
    none. Optional, unlike a PATCH's: a client that sends it deletes only the version it
    read (a stale one is a 409, nothing deleted); 422 when it is not a positive integer."""
    raw = args.get(key)
    if raw is None:
        return None
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if not is_db_id(value):
        raise field_error(key, f"`{key}` must be the record's version, a positive integer.")
    return value


def without(body: Mapping[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k not in keys}


@contextmanager
def conflicts_explained(
    record: Any,
    to_json: Callable[[Any], dict[str, Any]],
    yours: Mapping[str, Any],
    key: str = VERSION_KEY,
    *,
    sent_version: int | None = None,
) -> Iterator[None]:
    """Turn a StaleEdit raised inside into a 409 that says what changed (re-raised).

    ``sent_version`` is the version the client sent: a race caught at flush time
    does not know it, the answer still names it.
    """
    try:
        yield
    except StaleEdit as exc:
        if exc.sent_version is None:
            exc.sent_version = sent_version
        current, version = current_state(record, to_json)
        raise exc.explain(
            current=current, current_version=version, yours=yours, version_key=key
        ) from exc.__cause__
