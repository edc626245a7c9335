from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, DecimalField, IntegerField, SelectField, TextAreaField
from wtforms.validators import NumberRange, Optional

from b2b_loyalty.form_choices import choices


class SegmentRulesForm(FlaskForm):
    vip_min_revenue_12m = DecimalField(
        _l("VIP from a 12-month revenue of"),
        places=None,
        validators=[Optional(), NumberRange(min=0.01)],
    )
    vip_min_orders_12m = IntegerField(
        _l("… or from this many orders in 12 months"), validators=[Optional(), NumberRange(min=1)]
    )
    difficult_min_complaints = IntegerField(
        _l("Difficult from this many complaints in 12 months"),
        validators=[Optional(), NumberRange(min=1)],
    )


class HealthSettingsForm(FlaskForm):
    weight_revenue_trend = DecimalField(
        _l("Weight: revenue trend"),
        places=None,
        default=1,
        validators=[Optional(), NumberRange(min=0)],
    )
    weight_share_trend = DecimalField(
        _l("Weight: share-of-wallet trend"),
        places=None,
        default=1,
        validators=[Optional(), NumberRange(min=0)],
    )
    weight_order_recency = DecimalField(
        _l("Weight: order recency"),
        places=None,
        default=1,
        validators=[Optional(), NumberRange(min=0)],
    )
    revenue_trend_poor = DecimalField(
        _l("Revenue growth % that scores 0"), places=None, default=-20
    )
    revenue_trend_good = DecimalField(
        _l("Revenue growth % that scores 100"), places=None, default=10
    )
    share_trend_poor = DecimalField(
        _l("Share change (points) that scores 0"), places=None, default=-10
    )
    share_trend_good = DecimalField(
        _l("Share change (points) that scores 100"), places=None, default=5
    )
    order_recency_poor = DecimalField(
        _l("Cycles since last order that score 0"), places=None, default=2
    )
    order_recency_good = DecimalField(
        _l("Cycles since last order that score 100"), places=None, default=1
    )
    amber_from = DecimalField(
        _l("Amber from"), places=None, default=40, validators=[NumberRange(0, 100)]
    )
    green_from = DecimalField(
        _l("Green from"), places=None, default=70, validators=[NumberRange(0, 100)]
    )


class SegmentOverrideForm(FlaskForm):
    segment = SelectField(
        _l("Segment set by hand"),
        choices=choices(
            [
                ("", _l("— follow the rules —")),
                ("vip", "VIP"),
                ("current", _l("current")),
                ("difficult", _l("difficult")),
                ("none", _l("none")),
            ]
        ),
        validators=[Optional()],
    )
    reason = TextAreaField(_l("Reason"), validators=[Optional()])


class ClosedForm(FlaskForm):
    closed_on = DateField(
        _l("Closed on (empty: reopen)"), validators=[Optional()], format="%Y-%m-%d"
    )
    reason = TextAreaField(_l("Reason"), validators=[Optional()])
