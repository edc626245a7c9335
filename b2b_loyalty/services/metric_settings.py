"""Saving the admin's segment rules and health settings, and per-account segment/closed status."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from b2b_loyalty.domain.health_score import Thresholds
from b2b_loyalty.domain.roles import Role
from b2b_loyalty.domain.segmentation import Segment, SegmentRules
from b2b_loyalty.extensions import db
from b2b_loyalty.models import Account, HealthSettings, SegmentOverride, SegmentRuleSet, User
from b2b_loyalty.services import audit
from b2b_loyalty.services.errors import ValidationFailed, field_error
from b2b_loyalty.services.health import DEFAULT_THRESHOLDS
from b2b_loyalty.services.permissions import require_account_editor, require_role
from b2b_loyalty.services.transaction import unit_of_work
from b2b_loyalty.services.values import clean


def save_segment_rules(actor: User, data: dict[str, Any]) -> SegmentRuleSet:
    require_role(actor, Role.ADMIN)
    values = {
        k: data.get(k)
        for k in ("vip_min_revenue_12m", "vip_min_orders_12m", "difficult_min_complaints")
    }
    try:
        SegmentRules(**values)  # the domain's own validation
    except ValueError as exc:
        raise ValidationFailed(str(exc), {"vip_min_revenue_12m": [str(exc)]}) from None
    with unit_of_work():
        row = db.session.get(SegmentRuleSet, 1) or SegmentRuleSet(id=1)
        before = {k: getattr(row, k) for k in values} if row.id else None
        for key, value in values.items():
            setattr(row, key, value)
        row.updated_by_id = actor.id
        db.session.add(row)
        audit.record(actor, "segment_rules", 1, "updated", before=before, after=values)
    return row


def save_health_settings(actor: User, data: dict[str, Any]) -> HealthSettings:
    """``data``: ``weights`` {key: number}, ``thresholds`` {key: {poor, good}}, amber_from, green_from."""
    require_role(actor, Role.ADMIN)
    errors: dict[str, list[str]] = {}
    weights = {}
    for key, value in (data.get("weights") or {}).items():
        if value is None:
            continue
        if Decimal(value) < 0:
            errors[f"weight_{key}"] = ["A weight cannot be negative."]
        weights[key] = str(value)
    thresholds = {}
    for key in DEFAULT_THRESHOLDS:
        raw = (data.get("thresholds") or {}).get(key)
        if not raw:
            continue
        try:
            Thresholds(Decimal(raw["poor"]), Decimal(raw["good"]))
        except ValueError as exc:
            errors[f"{key}_good"] = [str(exc)]
        thresholds[key] = {"poor": str(raw["poor"]), "good": str(raw["good"])}
    amber, green = Decimal(data.get("amber_from", 40)), Decimal(data.get("green_from", 70))
    if not (0 <= amber < green <= 100):
        errors["green_from"] = ["Grades need 0 ≤ amber from < green from ≤ 100."]
    if errors:
        raise ValidationFailed("The health settings have errors.", errors)
    with unit_of_work():
        row = db.session.get(HealthSettings, 1) or HealthSettings(id=1)
        before = (
            {
                "weights": row.weights,
                "thresholds": row.thresholds,
                "amber_from": row.amber_from,
                "green_from": row.green_from,
            }
            if row.weights is not None
            else None
        )
        row.weights, row.thresholds, row.amber_from, row.green_from = (
            weights,
            thresholds,
            amber,
            green,
        )
        row.updated_by_id = actor.id
        db.session.add(row)
        audit.record(
            actor,
            "health_settings",
            1,
            "updated",
            before=before,
            after={
                "weights": weights,
                "thresholds": thresholds,
                "amber_from": amber,
                "green_from": green,
            },
        )
    return row


def set_segment_override(
    actor: User, account: Account, segment: str | None, reason: str | None
) -> None:
    """Set (or, with an empty segment, clear) the account's manual segment."""
    require_account_editor(actor)
    with unit_of_work():
        existing = db.session.get(SegmentOverride, account.id)
        before = {"segment": existing.segment, "reason": existing.reason} if existing else None
        if not segment:
            if existing:
                db.session.delete(existing)
            audit.record(actor, "account", account.id, "segment_override_cleared", before=before)
            return
        if segment not in {s.value for s in Segment}:
            raise field_error("segment", "Choose VIP, current, difficult or none.")
        if not clean(reason):
            raise field_error("reason", "Say why the segment is set by hand.")
        row = existing or SegmentOverride(account_id=account.id)
        row.segment, row.reason, row.set_by_id = segment, clean(reason), actor.id
        db.session.add(row)
        audit.record(
            actor,
            "account",
            account.id,
            "segment_override_set",
            before=before,
            after={"segment": segment, "reason": clean(reason)},
        )


def set_closed(actor: User, account: Account, closed_on: date | None, reason: str | None) -> None:
    """Mark the client closed (it ceased to exist) or reopen it (``closed_on`` None)."""
    require_account_editor(actor)
    if closed_on is not None and not clean(reason):
        raise field_error("reason", "Say why the client is closed.")
    with unit_of_work():
        before = {"closed_on": account.closed_on, "reason": account.closed_reason}
        account.closed_on, account.closed_reason = closed_on, clean(reason) if closed_on else None
        audit.record(
            actor,
            "account",
            account.id,
            "closed" if closed_on else "reopened",
            before=before,
            after={"closed_on": closed_on, "reason": account.closed_reason},
        )
