"""The forms of accounts and what hangs off them.

The JSON API validates its bodies with these same classes (see api/form_input.py),
so a field has one name, one parser and one message everywhere.
"""

from __future__ import annotations

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    AnyOf,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
)

from b2b_loyalty.domain.decision_circles import (
    CIRCLE_LABELS,
    INFLUENCE_MAX,
    INFLUENCE_MIN,
    BuyingRole,
    Stance,
    humanise,
)
from b2b_loyalty.domain.money import MAX_INPUT_NUMBER
from b2b_loyalty.edit_conflicts import posted_version
from b2b_loyalty.form_choices import IdSelectMultipleField, choices
from b2b_loyalty.models.account import SIZE_BANDS
from b2b_loyalty.models.wallet_estimate import CONFIDENCE_LEVELS


def optional_int(value):  # noqa: ANN001, ANN201 - a WTForms coerce function
    if value in (None, "", "None"):
        return None
    return int(value)


def number_or_none(value):  # noqa: ANN001, ANN201 - a WTForms coerce function
    """An int, or None for anything that is not one: the field's validators then refuse
    it with their one message, instead of WTForms' "could not coerce" on top of it."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# Every amount or quantity a form takes stays below a trillion (domain.money.MAX_INPUT_NUMBER):
# the pricing engine refuses more, and products of two such values fit the money columns'
# arithmetic.
BELOW_A_TRILLION = NumberRange(max=MAX_INPUT_NUMBER - 1, message=_l("Keep it below a trillion."))


def amount_field(label: str, negative: str, required: str | None = None) -> DecimalField:
    """A decimal amount or quantity: ``required`` is the message when it is missing (None:
    optional), ``negative`` the one when it is below 0; always below a trillion."""
    return DecimalField(
        label,
        places=None,
        validators=[
            InputRequired(required) if required else Optional(),
            NumberRange(min=0, message=negative),
            BELOW_A_TRILLION,
        ],
    )


def quantity_field() -> DecimalField:
    """An order's or a quote's quantity."""
    return amount_field(
        _l("Quantity"), _l("Quantity cannot be negative."), required=_l("Give a quantity.")
    )


def unit_price_field() -> DecimalField:
    """An order's or a quote's unit list price."""
    return amount_field(
        _l("Unit list price"),
        _l("The price cannot be negative."),
        required=_l("Give a unit price."),
    )


class AccountForm(FlaskForm):
    name = StringField(
        _l("Name"), validators=[InputRequired(_l("Name is required.")), Length(max=200)]
    )
    tax_id = StringField(
        _l("Tax id"),
        validators=[
            Optional(),
            Length(max=64),
            Regexp(
                r"^[A-Za-z0-9 ./-]+$", message=_l("Use letters, digits, spaces, '.', '/' or '-'.")
            ),
        ],
    )
    industry = StringField(_l("Industry"), validators=[Optional(), Length(max=100)])
    region = StringField(_l("Region"), validators=[Optional(), Length(max=100)])
    size_band = SelectField(
        _l("Size (employees)"),
        choices=choices([("", "—")] + [(b, b) for b in SIZE_BANDS]),
        validators=[Optional()],
    )
    owner_id = SelectField(
        _l("Owner"), coerce=optional_int, validate_choice=False, validators=[Optional()]
    )
    team_ids = IdSelectMultipleField(_l("Account team"))
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=10_000)])

    def set_user_choices(self, users: list) -> None:
        options = choices((u.id, f"{u.name} ({u.email})") for u in users)
        self.owner_id.choices = options
        self.team_ids.choices = options


class StakeholderForm(FlaskForm):
    name = StringField(
        _l("Name"), validators=[InputRequired(_l("Name is required.")), Length(max=200)]
    )
    title = StringField(_l("Title"), validators=[Optional(), Length(max=200)])
    department = StringField(_l("Department"), validators=[Optional(), Length(max=200)])
    email = StringField(
        _l("E-mail"),
        validators=[Optional(), Email(_l("Not a valid e-mail address.")), Length(max=254)],
    )
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=50)])
    circle = SelectField(
        _l("Circle"),
        coerce=number_or_none,
        choices=choices((int(c), label) for c, label in CIRCLE_LABELS.items()),
        validate_choice=False,
        validators=[
            InputRequired(_l("Choose a circle.")),
            AnyOf(
                [1, 2, 3],
                message=_l(
                    "Circle must be 1 (decision makers), 2 (support functions) or 3 (influencers)."
                ),
            ),
        ],
    )
    buying_role = SelectField(
        _l("Buying role"),
        choices=choices([("", "—")] + [(r.value, humanise(r.value)) for r in BuyingRole]),
        validators=[Optional()],
    )
    stance = SelectField(
        _l("Stance"),
        choices=choices((s.value, humanise(s.value)) for s in Stance),
        default=Stance.NEUTRAL.value,
    )
    influence = IntegerField(
        _l("Influence (1–5)"),
        default=3,
        validators=[
            InputRequired(_l("Give an influence from 1 to 5.")),
            NumberRange(INFLUENCE_MIN, INFLUENCE_MAX, message=_l("Influence runs from 1 to 5.")),
        ],
    )
    reports_to_id = SelectField(
        _l("Reports to"), coerce=optional_int, validate_choice=False, validators=[Optional()]
    )
    active = BooleanField(_l("Still at the company"), default=True)
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=10_000)])

    def set_colleague_choices(self, stakeholders: list, exclude_id: int | None = None) -> None:
        self.reports_to_id.choices = choices(
            [("", "—")] + [(s.id, s.name) for s in stakeholders if s.id != exclude_id]
        )


class OrderForm(FlaskForm):
    date = DateField(
        _l("Date"),
        validators=[InputRequired(_l("Give the order date."))],
        format="%Y-%m-%d",
    )
    category_id = SelectField(
        _l("Category"), coerce=optional_int, validate_choice=False, validators=[Optional()]
    )
    category = StringField(_l("Category name"), validators=[Optional(), Length(max=120)])
    quantity = quantity_field()
    unit_price = unit_price_field()
    discount_amount = amount_field(_l("Discount given"), _l("A discount cannot be negative."))
    unit_cost = amount_field(_l("Unit cost"), _l("A cost cannot be negative."))
    currency = StringField(
        _l("Currency"),
        validators=[
            Optional(),
            Regexp(r"^[A-Za-z]{3}$", message=_l("Use a 3-letter ISO 4217 code.")),
        ],
    )
    external_ref = StringField(_l("External reference"), validators=[Optional(), Length(max=100)])

    def set_category_choices(self, categories: list) -> None:
        self.category_id.choices = choices([("", "—")] + [(c.id, c.name) for c in categories])


class WalletEstimateForm(FlaskForm):
    year = IntegerField(
        _l("Year"),
        validators=[
            InputRequired(_l("Give the year.")),
            NumberRange(1990, 2100, message=_l("Give a year between 1990 and 2100.")),
        ],
    )
    category_id = SelectField(
        _l("Category (empty: all categories)"),
        coerce=optional_int,
        validate_choice=False,
        validators=[Optional()],
    )
    category = StringField(_l("Category name"), validators=[Optional(), Length(max=120)])
    estimated_spend = amount_field(
        _l("Estimated total spend"),
        _l("Spend cannot be negative."),
        required=_l("Give the estimated spend."),
    )
    source = StringField(_l("Source"), validators=[Optional(), Length(max=200)])
    confidence = SelectField(
        _l("Confidence"),
        choices=choices([("", "—")] + [(c, c.capitalize()) for c in CONFIDENCE_LEVELS]),
        validators=[Optional()],
    )
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=10_000)])

    def set_category_choices(self, categories: list) -> None:
        self.category_id.choices = choices([("", "—")] + [(c.id, c.name) for c in categories])


class ConfirmDeleteForm(FlaskForm):
    """The delete button's form: its CSRF token makes it safe, and ``row_version`` (on
    records that have one) is the version the confirmation page showed, so that a
    record someone changed since is not deleted unseen (see ``services.row_versions``)."""

    row_version = HiddenField()

    @classmethod
    def for_record(cls, record: object) -> ConfirmDeleteForm:
        """What was sent (a POST), or the form for ``record`` as the page shows it now."""
        if request.method == "POST":
            return cls()
        return cls(data={"row_version": getattr(record, "row_version", None)})

    def sent_version(self) -> int | None:
        return posted_version(self.row_version.data)


class SupplierRankingForm(FlaskForm):
    year = IntegerField(
        _l("Year"),
        validators=[
            InputRequired(_l("Give the year.")),
            NumberRange(1990, 2100, message=_l("Give a year between 1990 and 2100.")),
        ],
    )
    rank = IntegerField(
        _l("Our rank (1 = preferred supplier)"),
        validators=[
            InputRequired(_l("Give our rank.")),
            NumberRange(min=1, message=_l("The rank starts at 1.")),
        ],
    )
    supplier_count = IntegerField(
        _l("Number of suppliers"),
        validators=[
            InputRequired(_l("Give the number of suppliers.")),
            NumberRange(1, 1000, message=_l("Between 1 and 1,000 suppliers.")),
        ],
    )
    source = StringField(_l("Source"), validators=[Optional(), Length(max=200)])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=10_000)])
