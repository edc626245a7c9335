"""Forms of the pricing area: schedule editor, approval decisions, quotes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DecimalField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from b2b_loyalty.accounts.forms import optional_int, quantity_field, unit_price_field
from b2b_loyalty.domain.decision_circles import humanise
from b2b_loyalty.domain.discount_schedule import Basis, Mode, Scope
from b2b_loyalty.form_choices import IdSelectField, choices

BLANK_TIER_ROWS = 2


class TierRow(Form):
    """One row of the tier table; a row with both cells empty is ignored."""

    from_value = DecimalField(_l("From"), places=None, validators=[Optional()])
    percent = DecimalField(_l("Discount %"), places=None, validators=[Optional()])


class ScheduleForm(FlaskForm):
    name = StringField(
        _l("Name"), validators=[InputRequired(_l("Name is required.")), Length(max=200)]
    )
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    basis = SelectField(
        _l("Tiers count"),
        choices=choices(
            [
                (Basis.QUANTITY.value, _l("units bought")),
                (Basis.AMOUNT.value, _l("money spent (list value)")),
            ]
        ),
    )
    mode = SelectField(
        _l("A tier's rate applies to"),
        choices=choices(
            [
                (Mode.INCREMENTAL.value, _l("only the volume inside the tier (incremental)")),
                (Mode.ALL_UNITS.value, _l("the whole volume once the tier is reached (all units)")),
            ]
        ),
    )
    scope = SelectField(
        _l("Volume counted"),
        choices=choices(
            [
                (Scope.PER_ORDER.value, _l("each order on its own")),
                (Scope.CUMULATIVE_CALENDAR_YEAR.value, _l("everything bought this calendar year")),
                (
                    Scope.CUMULATIVE_ROLLING_12_MONTHS.value,
                    _l("everything bought in the last 12 months"),
                ),
            ]
        ),
    )
    effective_from = DateField(
        _l("Effective from"), validators=[InputRequired()], format="%Y-%m-%d"
    )
    change_note = TextAreaField(
        _l("What changed and why"), validators=[Optional(), Length(max=5000)]
    )
    tiers = FieldList(FormField(TierRow), min_entries=1)

    def tier_values(self) -> list[dict[str, str]]:
        """Non-empty rows as ``{"from", "percent"}`` text for the engine's validation."""
        rows = []
        for row in self.tiers:
            start, percent = row.from_value.data, row.percent.data
            if start is None and percent is None:
                continue
            rows.append(
                {
                    "from": "" if start is None else str(start),
                    "percent": "" if percent is None else str(percent),
                }
            )
        return rows

    def add_blank_rows(self, count: int = BLANK_TIER_ROWS) -> None:
        for _ in range(count):
            self.tiers.append_entry()


class DecisionForm(FlaskForm):
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=5000)])
    # The row version the page showed: approve, reject or submit only what was seen.
    row_version = HiddenField()

    def sent_version(self) -> int | None:
        try:
            return int(self.row_version.data or "") or None
        except ValueError:
            return None


class AssignmentForm(FlaskForm):
    category_id = IdSelectField(_l("Category"))
    account_id = SelectField(
        _l("Account (empty: default for every account)"),
        coerce=optional_int,
        validate_choice=False,
        validators=[Optional()],
    )


class PreviewForm(Form):
    """GET parameters of the schedule preview; all optional."""

    volume = DecimalField(_l("Volume"), places=None, validators=[Optional(), NumberRange(min=0)])
    unit_price = DecimalField(
        _l("Unit list price"), places=None, validators=[Optional(), NumberRange(min=0)]
    )
    prior_volume = DecimalField(
        _l("Already bought this period"), places=None, validators=[Optional(), NumberRange(min=0)]
    )
    margin_percent = DecimalField(
        _l("Gross margin %"), places=None, validators=[Optional(), NumberRange(min=0, max=100)]
    )


class QuoteForm(FlaskForm):
    account_id = IdSelectField(_l("Account"), validators=[InputRequired(_l("Choose an account."))])
    category_id = IdSelectField(
        _l("Category"), validators=[InputRequired(_l("Choose a category."))]
    )
    quantity = quantity_field()
    unit_price = unit_price_field()
    date = DateField(_l("Date"), validators=[Optional()], format="%Y-%m-%d")

    def set_choices(self, accounts: list, categories: list) -> None:
        self.account_id.choices = choices((a.id, a.name) for a in accounts)
        self.category_id.choices = choices((c.id, c.name) for c in categories)


def scope_label(scope: str) -> str:
    return humanise(scope)
