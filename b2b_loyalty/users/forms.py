from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import Email, EqualTo, InputRequired, Length, Optional, ValidationError

from b2b_loyalty.auth.forms import plain_text
from b2b_loyalty.domain.password_policy import MIN_PASSWORD_LENGTH, password_problems
from b2b_loyalty.domain.roles import Role
from b2b_loyalty.form_choices import choices

# Input longer than this is refused before any work; the policy's own maximum
# (128 characters) gives the message a person sees.
MAX_PASSWORD_INPUT = 1024


class UserForm(FlaskForm):
    email = EmailField(
        _l("E-mail"),
        validators=[
            plain_text,
            InputRequired(),
            Email(_l("Not a valid e-mail address.")),
            Length(max=254),
        ],
    )
    name = StringField(_l("Name"), validators=[plain_text, InputRequired(), Length(max=120)])
    role = SelectField(_l("Role"), choices=choices((r.value, r.label) for r in Role))
    active = BooleanField(_l("Active"), default=True)
    password = PasswordField(
        _l("New password (leave empty to keep)"),
        validators=[plain_text, Optional(), Length(max=MAX_PASSWORD_INPUT)],
        description=_l(
            "At least %(n)d characters; a phrase of several words is easy to remember.",
            n=MIN_PASSWORD_LENGTH,
        ),
    )

    def validate_password(self, field) -> None:  # noqa: ANN001
        problems = password_problems(field.data, email=self.email.data, name=self.name.data)
        if problems:
            raise ValidationError(" ".join(problems))


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[plain_text, InputRequired(), Length(max=MAX_PASSWORD_INPUT)],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = PasswordField(
        _l("New password"),
        validators=[plain_text, InputRequired(), Length(max=MAX_PASSWORD_INPUT)],
        render_kw={"autocomplete": "new-password"},
    )
    confirm_password = PasswordField(
        _l("New password again"),
        validators=[
            plain_text,
            InputRequired(),
            EqualTo("new_password", _l("The two new passwords differ.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class ConfirmForm(FlaskForm):
    """No fields: the CSRF token of a confirmation button."""
