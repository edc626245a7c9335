"""Reading what a request or a command asks for: period, format, margin, portfolio filters.

Bad input raises ``ValidationFailed`` (422 with the field and a readable message),
never a server error. The period is parsed by the core's own rules, so
``?period=2026-Q1`` means the same here as on the metrics API.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from b2b_loyalty.dashboard.request_args import filters_from, period_from
from b2b_loyalty.db_limits import db_int
from b2b_loyalty.domain.order_metrics import Period
from b2b_loyalty.domain.segmentation import Segment
from b2b_loyalty.queries.metrics import AccountFilter
from b2b_loyalty.services.errors import ValidationFailed, field_error
from plugins.account_review.domain.file_names import FORMATS
from plugins.account_review.services.schedule_report import DEFAULT_MARGIN_PERCENT

# The filters of the dashboard that the portfolio review carries over.
PORTFOLIO_ARGS = ("period", "from", "to", "owner", "region", "industry", "segment")


def review_period(args: MultiDict | dict) -> Period:
    return period_from(args if isinstance(args, MultiDict) else MultiDict(args))


def export_format(value: str | None) -> str:
    fmt = (value or "").strip().lower().lstrip(".")
    if fmt not in FORMATS:
        raise field_error("format", _("Choose pdf or xlsx."))
    return fmt


def margin_percent(raw: str | None) -> Decimal:
    """The assumed gross margin in percent, 0–100 (default 30, as the finance overview)."""
    if raw in (None, ""):
        return DEFAULT_MARGIN_PERCENT
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or not Decimal(0) <= value <= Decimal(100):
        raise field_error("margin_percent", _("Give a gross margin between 0 and 100 percent."))
    # 30.50 → 30.5 and 30.00 → 30, never 3E+1 nor -0: the figure is printed and names files.
    value = value.quantize(Decimal("0.01")).normalize()
    return Decimal(format(value.copy_abs() if value == 0 else value, "f"))


def portfolio_filters(args: MultiDict | dict) -> tuple[AccountFilter, str]:
    args = args if isinstance(args, MultiDict) else MultiDict(args)
    owner = args.get("owner") or args.get("owner_id")
    if owner and db_int(owner) is None:
        # An id beyond the database's integer range is an error there, not "no rows".
        raise ValidationFailed(_("Unknown account manager."), {"owner": [_("must be a user id")]})
    segment = (args.get("segment") or "").strip()
    if segment and segment not in {s.value for s in Segment}:
        raise ValidationFailed(
            _("Unknown segment."),
            {"segment": [_("Choose one of: %(s)s.", s=", ".join(s.value for s in Segment))]},
        )
    return filters_from(args), segment
