"""/api/v1/accounts/<id>/metrics and /api/v1/portfolio/metrics"""

from __future__ import annotations

from flask import jsonify, request

from b2b_loyalty.dashboard.request_args import filters_from, period_from
from b2b_loyalty.queries.metrics import AccountFilter
from b2b_loyalty.services import accounts as account_service
from b2b_loyalty.services.bulk_build import collector_paused
from b2b_loyalty.services.metrics_json import account_metrics_json, portfolio_json
from b2b_loyalty.services.portfolio_metrics import portfolio_metrics


def account_metrics(account_id: int):
    account = account_service.get_account(account_id)
    report = portfolio_metrics(period_from(request.args), AccountFilter(account_ids=(account.id,)))
    body = account_metrics_json(report.accounts[0])
    body["period"] = {"from": report.period.start.isoformat(), "to": report.period.end.isoformat()}
    return jsonify(body)


@collector_paused()
def portfolio():
    report = portfolio_metrics(
        period_from(request.args),
        filters_from(request.args),
        segment=request.args.get("segment", ""),
    )
    return jsonify(portfolio_json(report))
