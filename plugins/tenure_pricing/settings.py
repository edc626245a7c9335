"""The plugin's settings (``TENURE_PRICING_*``), with their defaults.

A deployment overrides them in its configuration; finance's own rules (grace
period, cap, uplift) live in the approved tenure schedule, and the grace here is
only used while no schedule is in force.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import current_app

DEFAULTS: dict[str, Any] = {
    # Days between two contracts that do not break tenure (no schedule in force).
    "TENURE_PRICING_GRACE_DAYS": 30,
    # The "expiring" list and the renewal preview look this many days ahead.
    "TENURE_PRICING_EXPIRING_DAYS": 90,
    # An account alert is raised this many days before a contract ends.
    "TENURE_PRICING_ALERT_DAYS": 60,
    # Gross margin assumed for the seller's side of a membership fee when the
    # account's orders carry no unit costs, in percent of list.
    "TENURE_PRICING_DEFAULT_MARGIN_PERCENT": Decimal(30),
    # The pricing stage of the tenure adjustment (after the volume discount).
    "TENURE_PRICING_PRICE_STAGE": 10,
}


def setting(name: str) -> Any:
    """``TENURE_PRICING_<name>`` from the app's configuration."""
    return current_app.config[f"TENURE_PRICING_{name}"]
