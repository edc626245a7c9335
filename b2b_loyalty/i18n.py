"""Language and number formatting: Flask-Babel with the user's locale.

Money is shown in the deployment's one base currency (``BASE_CURRENCY``) and
formatted by the user's locale (``1,234.50 €`` vs ``1 234,50 €``).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from flask import Flask, current_app, request
from flask_babel import Babel, format_currency, format_date, format_datetime, format_decimal
from flask_login import current_user

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"


def select_locale() -> str | None:
    supported = current_app.config["SUPPORTED_LOCALES"]
    if getattr(current_user, "is_authenticated", False) and current_user.locale in supported:
        return current_user.locale
    return request.accept_languages.best_match(supported) if request else None


def money(amount: Decimal | str | None, currency: str | None = None) -> str:
    """Format an amount (a Decimal, or a Decimal's text as stored in JSON records)."""
    if amount is None or amount == "":
        return "—"
    if isinstance(amount, str):
        amount = Decimal(amount)
    return format_currency(amount, currency or current_app.config["BASE_CURRENCY"])


def negated(amount: Decimal | str | None) -> Decimal | None:
    """−amount, for showing a discount line as a deduction."""
    return None if amount is None or amount == "" else -Decimal(str(amount))


def number(value: Decimal | int | None, digits: int | None = None) -> str:
    if value is None:
        return "—"
    if digits is not None:
        return format_decimal(value, format="#,##0." + "0" * digits if digits else "#,##0")
    return format_decimal(value)


def day(value: date | datetime | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return format_datetime(value, "medium")
    return format_date(value, "medium")


def init_i18n(app: Flask, babel: Babel) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS_DIR))
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters.update(money=money, number=number, day=day, negated=negated)
    app.jinja_env.globals.update(base_currency=lambda: current_app.config["BASE_CURRENCY"])
