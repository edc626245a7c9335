"""Forms of the engagement pages; the JSON API validates its bodies with the same classes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from b2b_loyalty.domain.decision_circles import INFLUENCE_MAX, INFLUENCE_MIN, Stance
from b2b_loyalty.form_choices import IdSelectMultipleField, choices
from plugins.engagement.domain.vocabulary import (
    CHANNEL_LABELS,
    INTERACTION_TYPE_LABELS,
    humanise,
)

TEXT_LIMIT = 10_000


class InteractionForm(FlaskForm):
    type = SelectField(
        _l("Type"),
        choices=choices((t.value, label) for t, label in INTERACTION_TYPE_LABELS.items()),
        validators=[InputRequired(_l("Choose the kind of interaction."))],
    )
    date = DateField(
        _l("Date"), format="%Y-%m-%d", validators=[InputRequired(_l("Give the date."))]
    )
    stakeholder_ids = IdSelectMultipleField(_l("People at the client"))
    our_people_ids = IdSelectMultipleField(_l("Our people"))
    channel = SelectField(
        _l("Channel"),
        choices=choices([("", "—")] + [(c.value, label) for c, label in CHANNEL_LABELS.items()]),
        validators=[Optional()],
    )
    summary = TextAreaField(
        _l("Summary"),
        validators=[InputRequired(_l("Say in a line what it was about.")), Length(max=TEXT_LIMIT)],
    )
    outcome = TextAreaField(_l("Outcome"), validators=[Optional(), Length(max=TEXT_LIMIT)])
    next_step = StringField(_l("Next step"), validators=[Optional(), Length(max=TEXT_LIMIT)])
    next_step_due = DateField(_l("Next step due"), format="%Y-%m-%d", validators=[Optional()])

    def set_choices(self, stakeholders: list, users: list) -> None:
        self.stakeholder_ids.choices = choices(
            (s.id, f"{s.name}" + ("" if s.active else " (left)")) for s in stakeholders
        )
        self.our_people_ids.choices = choices((u.id, u.name) for u in users)


class SurveyResponseForm(FlaskForm):
    score = IntegerField(
        _l("How likely to recommend us (0–10)"),
        validators=[
            InputRequired(_l("Give the answer, 0 to 10.")),
            NumberRange(0, 10, message=_l("The answer is a whole number from 0 to 10.")),
        ],
    )
    date = DateField(
        _l("Answered on"), format="%Y-%m-%d", validators=[InputRequired(_l("Give the date."))]
    )
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=TEXT_LIMIT)])


class StanceForm(FlaskForm):
    stance = SelectField(
        _l("Stance"), choices=choices((s.value, humanise(s.value)) for s in Stance)
    )
    influence = IntegerField(
        _l("Influence (1–5)"),
        validators=[
            InputRequired(_l("Give an influence from 1 to 5.")),
            NumberRange(INFLUENCE_MIN, INFLUENCE_MAX, message=_l("Influence runs from 1 to 5.")),
        ],
    )
    note = StringField(_l("Why (optional)"), validators=[Optional(), Length(max=2000)])


class CadenceForm(FlaskForm):
    circle_1 = IntegerField(
        _l("First circle: days between contacts"),
        validators=[Optional(), NumberRange(1, 3650, message=_l("From 1 to 3650 days."))],
    )
    circle_2 = IntegerField(
        _l("Second circle: days between contacts"),
        validators=[Optional(), NumberRange(1, 3650, message=_l("From 1 to 3650 days."))],
    )
    circle_3 = IntegerField(
        _l("Third circle: days between contacts"),
        validators=[Optional(), NumberRange(1, 3650, message=_l("From 1 to 3650 days."))],
    )


class ActionForm(FlaskForm):
    """An empty form: its CSRF token is what makes a one-button action safe."""
