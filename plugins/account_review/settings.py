"""The plugin's settings (``ACCOUNT_REVIEW_*``), their defaults and why.

- ``ACCOUNT_REVIEW_PDF_MAX_ACCOUNTS`` (1000): the portfolio PDF lists this many
  of the largest accounts; the workbook always holds every account. A PDF of
  10,000 table rows is some 250 pages nobody reads and takes minutes to lay out.
- ``ACCOUNT_REVIEW_PDF_MAX_ORDERS`` (500): the account review PDF lists every order of
  the period up to this many, else the largest ones (the totals and the tier
  breakdown always cover every order; the workbook lists them all).
- ``ACCOUNT_REVIEW_WORKERS`` (0 = one per CPU): processes of ``export review --all``.

The export folder is the core's ``EXPORTS_DIR`` (``B2B_LOYALTY_EXPORTS_DIR``,
default ``exports/`` at the project root); files go to ``<EXPORTS_DIR>/<YYYY-MM-DD>/``.
"""

from __future__ import annotations

import os
from typing import Any

from flask import current_app

DEFAULTS: dict[str, Any] = {
    "ACCOUNT_REVIEW_PDF_MAX_ACCOUNTS": 1000,
    "ACCOUNT_REVIEW_PDF_MAX_ORDERS": 500,
    "ACCOUNT_REVIEW_WORKERS": 0,
}


def configure(app: Any) -> None:
    for key, default in DEFAULTS.items():
        raw = os.environ.get(key)
        app.config.setdefault(key, int(raw) if raw not in (None, "") else default)


def setting(key: str) -> Any:
    return current_app.config.get(f"ACCOUNT_REVIEW_{key}", DEFAULTS[f"ACCOUNT_REVIEW_{key}"])
