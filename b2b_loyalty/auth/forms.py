from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import InputRequired, Length, StopValidation


def plain_text(form, field) -> None:  # noqa: ANN001, ARG001
    """Refuse a value that is not text before any other check looks at it.

    Flask-WTF fills forms from a JSON body too, where a field may be a number,
    a list, an object or null; the length and e-mail checks would fail on those
    with a TypeError (a 500). Put it first in a text field's validators.
    """
    if field.raw_data and not all(isinstance(value, str) for value in field.raw_data):
        raise StopValidation(_l("Send text."))


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[plain_text, InputRequired(), Length(max=254)])
    password = PasswordField(
        _l("Password"), validators=[plain_text, InputRequired(), Length(max=1024)]
    )
