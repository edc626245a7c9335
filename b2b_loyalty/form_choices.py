"""Select boxes for WTForms: choices in the form the installed version prefers, and
selects of record ids.

WTForms 3.3 deprecates ``(value, label)`` tuples in favour of ``SelectChoice``;
older releases only know tuples. Forms build their choices through here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, SelectMultipleField

try:  # WTForms >= 3.3
    from wtforms.fields.choices import SelectChoice
except ImportError:  # pragma: no cover - older WTForms
    SelectChoice = None


def choices(pairs: Iterable[tuple[Any, str]]) -> list:
    if SelectChoice is None:
        return list(pairs)
    return [SelectChoice(value, label) for value, label in pairs]


# Only a hand-made or tampered request sends a value that is not an id: say what to do,
# not WTForms' "Invalid Choice: could not coerce." (the field's other validators and
# the services still check that the record exists and may be used).
NOT_AN_OPTION = _l("Choose one of the listed options.")


class _RecordIds:
    """What a select of record ids adds to WTForms' select fields: ints, choices not
    enforced (the services check the records), and ``NOT_AN_OPTION`` for a value that
    is no id. Mixed in before the WTForms field class."""

    def __init__(self, label=None, validators=None, **kwargs) -> None:  # noqa: ANN001
        super().__init__(label, validators, coerce=int, validate_choice=False, **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(str(NOT_AN_OPTION)) from exc


class IdSelectField(_RecordIds, SelectField):
    """A select of one record id."""


class IdSelectMultipleField(_RecordIds, SelectMultipleField):
    """A select of several record ids."""
