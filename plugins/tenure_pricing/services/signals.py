"""Contract signals for many accounts at once: alerts, renewal health, review data.

Each function runs a fixed number of statements for any number of accounts:
the contracts of all of them, the schedule in force, and (for health) their
order totals, all grouped in Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from flask import current_app

from b2b_loyalty.plugin_api import AccountAlert, HealthMeasure
from plugins.tenure_pricing import queries
from plugins.tenure_pricing.domain.contracts import ContractStatus
from plugins.tenure_pricing.domain.renewal_risk import RenewalSituation, renewal_outlook
from plugins.tenure_pricing.domain.tenure import Tenure
from plugins.tenure_pricing.models import TenureContract
from plugins.tenure_pricing.services.contract_overview import (
    current_contract,
    later_contract,
    renewal_preview,
)
from plugins.tenure_pricing.services.tenure import grace_days, tenure_with
from plugins.tenure_pricing.settings import setting

SOURCE = "tenure_pricing"
LAPSE_REPORTED_FOR_DAYS = 365
URGENT_DAYS = 14


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def _expiry_alert(
    account_id: int, contract: TenureContract, contracts: list, as_of: date, grace: int
) -> AccountAlert | None:
    days_left = (contract.end_date - as_of).days
    renewal = later_contract(contracts, contract)
    if renewal is not None:
        gap = (renewal.start_date - contract.end_date).days - 1
        if gap <= 0:
            return None
        resets = gap > grace
        return AccountAlert(
            account_id=account_id,
            key="tenure_pricing.gap_in_cover",
            message=(
                f"Gap in cover: contract {renewal.number} starts {_days(gap)} after "
                f"{contract.number} ends on {contract.end_date.isoformat()}"
                + (f", beyond the {grace}-day grace: tenure will restart." if resets else ".")
            ),
            severity="warning" if resets else "info",
            source=SOURCE,
        )
    if days_left > setting("ALERT_DAYS"):
        return None
    if contract.auto_renew:
        message = (
            f"Contract {contract.number} ends on {contract.end_date.isoformat()} "
            f"(in {_days(days_left)}) and renews automatically."
        )
        severity = "info"
    else:
        message = (
            f"Contract {contract.number} ends on {contract.end_date.isoformat()} "
            f"(in {_days(days_left)}); no renewal drafted."
        )
        severity = "critical" if days_left <= URGENT_DAYS else "warning"
    return AccountAlert(
        account_id=account_id,
        key="tenure_pricing.contract_expiring",
        message=message,
        severity=severity,
        source=SOURCE,
    )


def _uncovered_alert(account_id: int, tenure: Tenure) -> AccountAlert | None:
    if tenure.last_end is None or tenure.covered:
        return None
    since = (tenure.last_end + timedelta(days=1)).isoformat()
    if tenure.has_tenure:
        reset_on = tenure.last_end + timedelta(days=tenure.grace_days + 1)
        return AccountAlert(
            account_id=account_id,
            key="tenure_pricing.gap_in_cover",
            message=(
                f"Gap in cover: no contract since {since}; tenure restarts on "
                f"{reset_on.isoformat()} unless a renewal is signed "
                f"({tenure.grace_days_left} grace days left)."
            ),
            severity="warning",
            source=SOURCE,
        )
    if tenure.days_uncovered <= LAPSE_REPORTED_FOR_DAYS:
        return AccountAlert(
            account_id=account_id,
            key="tenure_pricing.gap_in_cover",
            message=f"No contract since {since}: the grace period is over and tenure was lost.",
            severity="warning",
            source=SOURCE,
        )
    return None


def account_alerts(account_ids: Sequence[int], as_of: date) -> list[AccountAlert]:
    """Contract expiring soon (no renewal) and gaps in cover, for many accounts at once."""
    grouped = queries.contracts_by_account(account_ids)
    if not grouped:
        return []
    schedule = queries.schedule_in_force(as_of)
    grace = grace_days(schedule)
    alerts: list[AccountAlert] = []
    for account_id in account_ids:
        contracts = grouped.get(account_id)
        if not contracts:
            continue
        tenure = tenure_with(queries.cover_periods(contracts), as_of, schedule).tenure
        current = current_contract(contracts, as_of)
        alert = (
            _expiry_alert(account_id, current, contracts, as_of, grace)
            if current is not None
            else _uncovered_alert(account_id, tenure)
        )
        if alert is not None:
            alerts.append(alert)
    return alerts


def account_health_measures(account_ids: Sequence[int], as_of: date) -> list[HealthMeasure]:
    """The contract renewal outlook (0-100, higher is safer) of every account with contracts."""
    grouped = queries.contracts_by_account(account_ids)
    signed = {
        account_id: contracts
        for account_id, contracts in grouped.items()
        if queries.cover_periods(contracts)
    }
    if not signed:
        return []
    schedule = queries.schedule_in_force(as_of)
    totals = queries.order_totals(
        list(signed), as_of - timedelta(days=365), as_of, current_app.config["BASE_CURRENCY"]
    )
    measures = []
    for account_id in account_ids:
        contracts = signed.get(account_id)
        if not contracts:
            continue
        tenure = tenure_with(queries.cover_periods(contracts), as_of, schedule).tenure
        current = current_contract(contracts, as_of)
        situation = _situation(current, contracts, tenure, as_of, totals.get(account_id))
        outlook = renewal_outlook(situation)
        measures.append(
            HealthMeasure(
                account_id=account_id,
                key="contract_renewal",
                label="Contract renewal",
                score=outlook.score,
                explanation=outlook.explanation,
                source=SOURCE,
            )
        )
    return measures


def _situation(
    current: TenureContract | None,
    contracts: list[TenureContract],
    tenure: Tenure,
    as_of: date,
    totals: queries.OrderTotals | None,
) -> RenewalSituation:
    spend = totals.net_amount if totals is not None else None
    if current is None:
        return RenewalSituation(
            days_left=None,
            in_grace=tenure.has_tenure,
            lapsed=not tenure.has_tenure,
        )
    renewal = later_contract(contracts, current)
    signed = (
        renewal is not None
        and renewal.status != ContractStatus.DRAFT.value
        and (renewal.start_date - current.end_date).days - 1 <= tenure.grace_days
    )
    return RenewalSituation(
        days_left=(current.end_date - as_of).days,
        auto_renew=current.auto_renew,
        renewal_signed=signed,
        renewal_drafted=renewal is not None,
        spend_12m=spend,
        annual_value=current.annual_value,
    )


def review_data(account_id: int, period_start: date, period_end: date) -> dict[str, Any]:
    """Contracts, tenure and renewal of one account over a review period, as plain data."""
    contracts = queries.contracts_of(account_id)
    if not contracts:
        return {}
    schedule = queries.schedule_in_force(period_end)
    tenure = tenure_with(queries.cover_periods(contracts), period_end, schedule)
    in_period = [c for c in contracts if c.start_date <= period_end and c.end_date >= period_start]
    current = current_contract(contracts, period_end)
    renewal = None
    if current is not None and (current.end_date - period_end).days <= setting("EXPIRING_DAYS"):
        preview = renewal_preview(current, contracts, period_end, schedule)
        renewal = {
            "contract": current.number,
            "ends_on": current.end_date,
            "next_start": preview.start,
            "next_end": preview.end,
            "annual_value_now": preview.price.old,
            "annual_value_next": preview.price.new,
            "uplift_percent": preview.price.uplift_percent,
            "capped_by_list": preview.price.capped_by_list,
            "tenure_percent_now": preview.step_up.percent_now if preview.step_up else None,
            "tenure_percent_next": preview.step_up.percent_at_end if preview.step_up else None,
            "renewal_drafted": preview.renewal is not None,
        }
    return {
        "as_of": period_end,
        "contracts": [
            {
                "number": c.number,
                "start_date": c.start_date,
                "end_date": c.end_date,
                "term_months": c.term_months,
                "status": c.status,
                "auto_renew": c.auto_renew,
                "annual_value": c.annual_value,
                "membership_fee": c.membership_fee,
            }
            for c in sorted(in_period, key=lambda c: c.start_date)
        ],
        "tenure": {
            "since": tenure.tenure.since,
            "months": tenure.tenure.months,
            "reason": tenure.tenure.reason,
            "percent": tenure.percent,
            "schedule_version": schedule.version if schedule else None,
        },
        "renewal": renewal,
    }
