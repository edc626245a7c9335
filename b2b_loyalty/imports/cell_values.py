"""Turning what people type in spreadsheets into what the forms parse.

The forms stay the judges: these functions only rewrite the common spellings
(``15.03.2024``, ``1 234,50``, ``Yes``, ``Economic buyer``) into the one the
form expects; anything they do not recognise is passed on unchanged and the
form rejects it with its own message.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

# Dates: ISO (optionally with a time, as a date cell reads), DD.MM.YYYY, YYYY/MM/DD.
# D/M/Y with slashes is refused on purpose: 03/04/2024 is March in one country and
# April in the next, and a silently wrong month is worse than a rejected row.
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?")
_SLASHED_ISO = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})")
DATE_FORMATS_HINT = "YYYY-MM-DD or DD.MM.YYYY"

_SPACES = re.compile(r"[\s\u00a0\u202f']")
_YES = frozenset({"1", "y", "yes", "true", "x", "да", "д", "истина", "+", "✓"})
_NO = frozenset({"0", "n", "no", "false", "нет", "н", "ложь", "-"})


def is_formula(text: str) -> bool:
    """A cell that holds a formula's text; it is kept as text, never evaluated."""
    return text.startswith("=")


@lru_cache(maxsize=4096)  # a file repeats its dates and prices: parse each spelling once
def iso_date(text: str) -> str:
    """``YYYY-MM-DD`` for the date spellings we accept; ``text`` unchanged otherwise."""
    for pattern, order in ((_ISO, "ymd"), (_DOTTED, "dmy"), (_SLASHED_ISO, "ymd")):
        match = pattern.fullmatch(text)
        if match:
            parts = dict(zip(order, map(int, match.groups()), strict=True))
            try:
                return date(parts["y"], parts["m"], parts["d"]).isoformat()
            except ValueError:
                return text
    return text


@lru_cache(maxsize=4096)
def decimal_text(text: str) -> str:
    """``1 234,50`` / ``1,234.50`` / ``1.234,50`` -> ``1234.50``; junk passes unchanged.

    Thousands separators (spaces, non-breaking spaces, apostrophes) are dropped;
    with both ``,`` and ``.`` the later one is the decimal mark; a single comma
    alone is a decimal comma (as in Russian and most of Europe).
    """
    compact = _SPACES.sub("", text)
    if "," in compact and "." in compact:
        if compact.rfind(",") > compact.rfind("."):
            compact = compact.replace(".", "").replace(",", ".")
        else:
            compact = compact.replace(",", "")
    elif compact.count(",") == 1:
        compact = compact.replace(",", ".")
    return compact


def yes_no(text: str) -> bool | None:
    """True/False for the usual spellings of yes and no (English and Russian); None otherwise."""
    word = text.strip().casefold()
    if word in _YES:
        return True
    if word in _NO:
        return False
    return None


def vocabulary_value(text: str, aliases: dict[str, str] | None = None) -> str:
    """``Economic buyer`` / ``economic-buyer`` -> ``economic_buyer``; ``aliases`` map other words."""
    word = re.sub(r"[\s\-]+", "_", text.strip().casefold())
    return (aliases or {}).get(word, word)


def name_key(text: str) -> str:
    """How names are compared: case and runs of spaces do not count."""
    return " ".join(text.casefold().split())
