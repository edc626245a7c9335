"""Forms of the plugin; the API validates its JSON bodies with the same classes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

# Amounts as the core's forms take them (below a trillion: a money column would overflow).
from b2b_loyalty.accounts.forms import amount_field
from b2b_loyalty.form_choices import choices
from plugins.tenure_pricing.domain.contracts import MAX_TERM_MONTHS, ContractStatus
from plugins.tenure_pricing.domain.tenure_schedule import MAX_GRACE_DAYS, Stacking

BLANK_TIER_ROWS = 2
_PERCENT = NumberRange(0, 100, message=_l("A percent runs from 0 to 100."))


class ContractForm(FlaskForm):
    number = StringField(
        _l("Contract number"),
        validators=[InputRequired(_l("Give the contract number.")), Length(max=60)],
    )
    start_date = DateField(
        _l("Start date"),
        validators=[InputRequired(_l("Give the start date."))],
        format="%Y-%m-%d",
    )
    end_date = DateField(_l("End date (last day)"), validators=[Optional()], format="%Y-%m-%d")
    term_months = IntegerField(
        _l("Term (months)"),
        validators=[
            Optional(),
            NumberRange(1, MAX_TERM_MONTHS, message=_l("A term runs from 1 to 240 months.")),
        ],
    )
    status = SelectField(
        _l("Status"),
        choices=choices((s.value, s.value.capitalize()) for s in ContractStatus),
        default=ContractStatus.ACTIVE.value,
    )
    auto_renew = BooleanField(_l("Renews automatically"))
    annual_value = amount_field(
        _l("Annual committed value"),
        _l("The annual value cannot be negative."),
        required=_l("Give the annual committed value (0 if none)."),
    )
    list_annual_value = amount_field(
        _l("Same volume at list prices"), _l("A list value cannot be negative.")
    )
    membership_fee = amount_field(_l("Membership fee (prepaid)"), _l("A fee cannot be negative."))
    membership_discount_percent = DecimalField(
        _l("Discount the fee buys (%)"), places=None, validators=[Optional(), _PERCENT]
    )

    document_ref = StringField(
        _l("Signed document reference"), validators=[Optional(), Length(max=200)]
    )
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=10_000)])

    def validate_end_date(self, field: DateField) -> None:
        # Also checked by the service; here so the form shows it with the other errors.
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("The contract cannot end before it starts."))


class TierRow(Form):
    """One row of the tier table; a row with both cells empty is ignored."""

    from_months = IntegerField(_l("From (months of tenure)"), validators=[Optional()])
    percent = DecimalField(_l("Tenure discount %"), places=None, validators=[Optional(), _PERCENT])


class TenureScheduleForm(FlaskForm):
    effective_from = DateField(
        _l("Effective from"), validators=[InputRequired()], format="%Y-%m-%d"
    )
    stacking = SelectField(
        _l("With the volume discount"),
        choices=choices(
            [
                (Stacking.ADDITIVE.value, _l("Additive (5 + 4 = 9 %)")),
                (Stacking.COMPOUND.value, _l("Compound (8.8 %)")),
                (Stacking.BEST_OF.value, _l("Best of (5 %)")),
            ]
        ),
    )
    max_total_percent = DecimalField(
        _l("Maximum total discount %"),
        places=None,
        validators=[InputRequired(_l("Give the cap on the total discount.")), _PERCENT],
    )
    grace_days = IntegerField(
        _l("Grace between contracts (days)"),
        default=30,
        validators=[
            InputRequired(_l("Give the grace period in days.")),
            NumberRange(0, MAX_GRACE_DAYS, message=_l("Give 0 to 366 days.")),
        ],
    )
    renewal_uplift_percent = DecimalField(
        _l("Renewal uplift %"),
        places=None,
        default=0,
        validators=[InputRequired(_l("Give the renewal uplift (0 for none).")), _PERCENT],
    )
    change_note = TextAreaField(
        _l("What changed and why"), validators=[Optional(), Length(max=5000)]
    )
    tiers = FieldList(FormField(TierRow), min_entries=1)

    def tier_values(self) -> list[dict[str, str]]:
        """Non-empty rows as ``{"from_months", "percent"}`` for the domain's validation."""
        rows = []
        for row in self.tiers:
            start, percent = row.from_months.data, row.percent.data
            if start is None and percent is None:
                continue
            rows.append(
                {
                    "from_months": "" if start is None else str(start),
                    "percent": "" if percent is None else str(percent),
                }
            )
        return rows

    def add_blank_rows(self, count: int = BLANK_TIER_ROWS) -> None:
        for _ in range(count):
            self.tiers.append_entry()


class SchedulePreviewForm(Form):
    """GET parameters of the schedule preview."""

    volume_percent = DecimalField(
        _l("Volume discount %"), places=None, validators=[Optional(), _PERCENT]
    )
