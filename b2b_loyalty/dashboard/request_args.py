"""Reading the period and filters of metrics requests (pages and API alike)."""

from __future__ import annotations

from datetime import date

from werkzeug.datastructures import MultiDict

from b2b_loyalty.db_limits import db_int
from b2b_loyalty.domain.order_metrics import Period
from b2b_loyalty.domain.periods import parse_period
from b2b_loyalty.queries.metrics import AccountFilter
from b2b_loyalty.services.errors import ValidationFailed

# The query arguments that choose a report (period and filters): what links between the
# dashboard and its drill-down pages carry over. Not the drill-down's own ``metric`` and
# ``value``, nor its page and sort: carried into a link that sets its own, they would clash.
REPORT_ARGS = ("period", "from", "to", "owner", "owner_id", "region", "industry", "segment")


def report_args(args: MultiDict) -> dict[str, str]:
    """The report-choosing arguments of ``args`` (see ``REPORT_ARGS``)."""
    return {key: args[key] for key in REPORT_ARGS if args.get(key)}


def period_from(args: MultiDict, today: date | None = None) -> Period:
    try:
        return parse_period(
            args.get("period"), args.get("from"), args.get("to"), today=today or date.today()
        )
    except ValueError as exc:
        raise ValidationFailed(str(exc), {"period": [str(exc)]}) from None


def filters_from(args: MultiDict) -> AccountFilter:
    owner = args.get("owner") or args.get("owner_id")
    owner_id = db_int(owner) if owner else None
    if owner and owner_id is None:
        raise ValidationFailed("owner must be a user id", {"owner": ["must be a user id"]})
    return AccountFilter(
        owner_id=owner_id, region=args.get("region", ""), industry=args.get("industry", "")
    )
