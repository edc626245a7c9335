"""Who exported what, when, with which filters: printed on the cover and in every workbook."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from flask_babel import gettext as _


@dataclass(frozen=True)
class ExportMeta:
    """``filters`` are (label, value) pairs as the reader should see them."""

    title: str
    exported_by: str
    exported_at: datetime  # UTC, without tzinfo (spreadsheets have no time zones)
    filters: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    @property
    def issued_on(self):  # noqa: ANN201 - a date
        return self.exported_at.date()


def exporter_label(user: Any) -> str:
    """``Name <email>`` of the exporting user, or the command line when no user acts."""
    if user is None or not getattr(user, "is_authenticated", False):
        return _("b2b-loyalty command line (all accounts)")
    return f"{user.name} <{user.email}>"


def make_meta(title: str, user: Any, filters: list[tuple[str, str]]) -> ExportMeta:
    now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    return ExportMeta(title, exporter_label(user), now, tuple(filters))
