"""Select-box choices for WTForms, in the form the installed version prefers.

WTForms 3.3 deprecates ``(value, label)`` tuples in favour of ``SelectChoice``;
older releases only know tuples. Forms build their choices through here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

try:  # WTForms >= 3.3
    from wtforms.fields.choices import SelectChoice
except ImportError:  # pragma: no cover - older WTForms
    SelectChoice = None


def choices(pairs: Iterable[tuple[Any, str]]) -> list:
    if SelectChoice is None:
        return list(pairs)
    return [SelectChoice(value, label) for value, label in pairs]
