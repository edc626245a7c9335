"""Stable names for exported files: the same review of the same period gets the same name.

``account-review_42_acme-industrial_2026-Q1.pdf``,
``portfolio-review_2026_anna-schmidt.xlsx``, ``discount-schedules_margin-30.xlsx``,
inside ``<exports>/<YYYY-MM-DD>/``.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal
from pathlib import Path

from anyascii import anyascii

from b2b_loyalty.domain.order_metrics import Period
from b2b_loyalty.domain.periods import month_end

FORMATS = ("pdf", "xlsx")
MAX_SLUG = 40


# Scripts whose letters have one accepted Latin spelling (anyascii's): Latin letters that
# accents alone do not explain (ł, ß, ø), Cyrillic and Greek names. Other scripts are
# left out rather than guessed (anyascii reads 東京 as Chinese, "DongJing", not "Tokyo").
_TRANSLITERATED = ("LATIN", "CYRILLIC", "GREEK")


def _ascii_letter(char: str) -> str:
    if char.isascii():
        return char
    if unicodedata.name(char, "").startswith(_TRANSLITERATED):
        return anyascii(char)
    return " "


def slugify(text: str, max_length: int = MAX_SLUG) -> str:
    """Lower-case ASCII words joined by ``-``; Latin, Cyrillic and Greek letters spelt in
    ASCII, other scripts dropped; ``"account"`` when nothing is left.

    >>> slugify("Müller & Söhne GmbH")
    'muller-sohne-gmbh'
    >>> slugify("Pomorskie Zakłady Spożywcze")
    'pomorskie-zaklady-spozywcze'
    >>> slugify("АО «Уральские Литейные Системы»")
    'ao-uralskie-liteynye-sistemy'
    """
    folded = "".join(_ascii_letter(char) for char in text)
    # The soft and hard signs come out as apostrophes: part of the word, not a break.
    folded = folded.replace("'", "")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    slug = slug[:max_length].rstrip("-")
    return slug or "account"


def period_label(period: Period) -> str:
    """The shortest name of a period: ``2026``, ``2026-Q1``, ``2026-03``, else ``2026-01-15_2026-02-14``."""
    start, end = period.start, period.end
    whole_months = start.day == 1 and end == month_end(end)
    if whole_months and start.year == end.year:
        months = end.month - start.month + 1
        if months == 12:
            return f"{start.year}"
        if months == 3 and start.month % 3 == 1:
            return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
        if months == 1:
            return f"{start.year}-{start.month:02d}"
    return f"{start.isoformat()}_{end.isoformat()}"


def _check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    return fmt


def account_review_name(account_id: int, account_name: str, period: Period, fmt: str) -> str:
    """``account-review_<id>_<slug>_<period>.<fmt>``: the id keeps two namesakes apart."""
    return f"account-review_{account_id}_{slugify(account_name)}_{period_label(period)}.{_check_format(fmt)}"


def portfolio_review_name(period: Period, fmt: str, scope: str = "") -> str:
    """``portfolio-review_<period>[_<scope>].<fmt>``; ``scope`` names whose portfolio or filter."""
    suffix = f"_{slugify(scope)}" if scope else ""
    return f"portfolio-review_{period_label(period)}{suffix}.{_check_format(fmt)}"


def schedule_report_name(margin_percent: Decimal, fmt: str) -> str:
    """``discount-schedules_margin-<m>.<fmt>``, ``m`` the assumed gross margin in percent."""
    margin = format(margin_percent.normalize(), "f").replace(".", "-")
    return f"discount-schedules_margin-{margin}.{_check_format(fmt)}"


def export_folder(root: Path, day: date) -> Path:
    """``<root>/<YYYY-MM-DD>``: one folder per day of export."""
    return root / day.isoformat()
