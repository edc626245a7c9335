"""Optimistic locking on the pages: what an edit form started from, and the conflict.

An edit page renders, beside its own fields, a :class:`RowStamp`: hidden fields
with the record's row version and the values the form showed. Saving sends them
back and the service compares the version with the row's current one (see
``services/row_versions.py``). If someone saved the record in between, nothing
is written and the page shows the form again with the *current* values and
version, and a note of every field someone else changed: their value and what
you had entered. Saving again then overwrites knowingly, never silently.

A POST without the stamp (an old tab, a script) is only protected against the
race between loading and saving (StaleDataError); pages always send it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from flask import flash
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import HiddenField

from b2b_loyalty.db_limits import is_db_id
from b2b_loyalty.services.row_versions import StaleEdit, current_state, row_version, same_value

STAMP_PREFIX = "stamp"
F = TypeVar("F", bound=FlaskForm)


def posted_version(text: str | None) -> int | None:
    """A row version as a form posted it: a positive id-sized integer, else None (no
    version offered: only the flush-time check then protects the row)."""
    try:
        value = int(text or "")
    except ValueError:
        return None
    return value if is_db_id(value) else None


class RowStamp(FlaskForm):
    """Hidden fields: the row version the form shows, and its values as JSON."""

    class Meta:
        csrf = False  # the edit form it sits in carries the token

    row_version = HiddenField()
    loaded = HiddenField()

    def sent_version(self) -> int | None:
        return posted_version(self.row_version.data)

    def loaded_values(self) -> dict[str, Any] | None:
        try:
            values = json.loads(self.loaded.data or "")
        except ValueError:
            return None
        return values if isinstance(values, dict) else None


def stamp_for(record: Any, describe: Callable[[Any], dict[str, Any]]) -> RowStamp:
    """The stamp of ``record`` as it is now (``describe`` is its serializer)."""
    stamp = RowStamp(formdata=None, prefix=STAMP_PREFIX)
    stamp.row_version.data = str(row_version(record))
    stamp.loaded.data = json.dumps(describe(record), default=str, sort_keys=True)
    return stamp


def flash_stale_delete(what: str) -> None:
    """A deletion refused because the record changed after its confirmation page was
    opened: nothing was deleted; the user looks again before deciding."""
    flash(
        _(
            "Someone else changed %(what)s after you opened the confirmation. Nothing was "
            "deleted: check it, then delete it again if you still mean to."
        )
        % {"what": what},
        "error",
    )


def submitted_stamp() -> RowStamp:
    """The stamp the edit form sent back."""
    return RowStamp(prefix=STAMP_PREFIX)


@dataclass(frozen=True)
class ChangedField:
    name: str
    label: str
    current: str
    yours: str


@dataclass(frozen=True)
class EditConflict:
    """What the page says when an edit was based on an outdated version."""

    message: str
    fields: tuple[ChangedField, ...]
    current_version: int | None
    # Fields only this editor changed: not saved either, listed so they can be redone.
    your_changes: tuple[ChangedField, ...] = ()

    @property
    def deleted(self) -> bool:
        return self.current_version is None


def explain_conflict(
    exc: StaleEdit,
    record: Any,
    describe: Callable[[Any], dict[str, Any]],
    form: FlaskForm,
    stamp: RowStamp,
    *,
    noun: str,
    yours: Mapping[str, Any] | None = None,
) -> EditConflict:
    """Describe ``exc`` for the page; marks each field someone else changed on ``form``.

    Call it after the service refused the edit (its transaction is rolled back);
    then fill the form from the record, which now holds the current values.
    ``yours`` defaults to the form's data by field name.
    """
    if exc.sent_version is None:  # a race caught at flush time
        exc.sent_version = stamp.sent_version()
    current, version = current_state(record, describe)
    if current is None:
        return EditConflict(
            _("Someone else deleted this %(noun)s while you were editing it. Nothing was saved.")
            % {"noun": noun},
            (),
            None,
        )
    names = [name for name in current if name in form._fields]
    yours = yours if yours is not None else {name: form[name].data for name in names}
    loaded = stamp.loaded_values()
    exc.explain(
        current={name: current[name] for name in names},
        current_version=version,
        yours={name: yours.get(name) for name in names},
        loaded={k: v for k, v in loaded.items() if k in names} if loaded is not None else None,
    )

    def line(name: str) -> ChangedField:
        return ChangedField(
            name=name,
            label=str(form[name].label.text),
            current=shown(current[name]),
            yours=shown(yours.get(name)),
        )

    changed = tuple(line(name) for name in exc.changes)
    mine = tuple(
        line(name)
        for name in names
        if loaded is not None
        and name in loaded
        and name not in exc.changes
        and not same_value(loaded[name], yours.get(name))
    )
    return EditConflict(
        _(
            "Someone else saved this %(noun)s while you were editing it (version %(sent)s, now "
            "%(current)s). Nothing you entered was saved: the form now shows the current "
            "values, and the fields they changed are marked with what you had entered. Make "
            "your changes again and save."
        )
        % {"noun": noun, "sent": exc.sent_version or "?", "current": version},
        changed,
        version,
        mine,
    )


def form_after_conflict(
    conflict: EditConflict, refill: Callable[[], F], *, editable: bool = True
) -> F | None:
    """After a refused edit, the form again: ``refill()`` fills it from the record as it
    is now, and each field someone else changed gets its note. None when the record is
    gone or may no longer be edited (``editable`` False, e.g. a schedule submitted in
    the meantime): the conflict's message is flashed and the caller redirects."""
    if conflict.deleted or not editable:
        flash(conflict.message, "error")
        return None
    form = refill()
    mark_changed_fields(form, conflict)
    return form


def mark_changed_fields(form: FlaskForm, conflict: EditConflict) -> None:
    """Put a note under each field someone else changed (call after refilling the form)."""
    for change in conflict.fields:
        field = form._fields.get(change.name)
        if field is None:
            continue
        note = _("Changed by someone else to %(current)s; you had entered %(yours)s.") % {
            "current": change.current,
            "yours": change.yours,
        }
        # FieldList rows keep their errors per row; a plain list holds the note.
        field.errors = [*(field.errors if isinstance(field.errors, list) else []), note]


def shown(value: Any) -> str:
    """A value as the note quotes it."""
    if value in (None, "", []):
        return _("(empty)")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, Decimal):
        return _plain(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "; ".join(shown(item) for item in value)
    if isinstance(value, Mapping):
        if {"from", "percent"} <= set(value):  # a discount tier
            return f"{_plain(value['from'])} → {_plain(value['percent'])} %"
        return ", ".join(f"{k}: {shown(v)}" for k, v in value.items())
    text = str(value)
    return f"“{text[:120]}…”" if len(text) > 120 else f"“{text}”"


def _plain(value: Any) -> str:
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return str(value)
    return format(number.normalize(), "f")
