from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import Email, InputRequired, Length, Optional

from b2b_loyalty.domain.roles import Role
from b2b_loyalty.form_choices import choices
from b2b_loyalty.services.users import MIN_PASSWORD_LENGTH


class UserForm(FlaskForm):
    email = EmailField(
        _l("E-mail"),
        validators=[InputRequired(), Email(_l("Not a valid e-mail address.")), Length(max=254)],
    )
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=120)])
    role = SelectField(_l("Role"), choices=choices((r.value, r.label) for r in Role))
    active = BooleanField(_l("Active"), default=True)
    password = PasswordField(
        _l("New password (leave empty to keep)"),
        validators=[
            Optional(),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=1024,
                message=_l("Use at least %(n)d characters.", n=MIN_PASSWORD_LENGTH),
            ),
        ],
    )
