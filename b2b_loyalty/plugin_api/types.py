"""Small immutable values that hooks return; the core sorts and renders them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class PluginManifest:
    """Who a plugin is and what it needs, declared by its ``plugin_manifest`` hook.

    ``depends``: names of plugins that must be enabled too (load order follows).
    ``migrations``: the folder of the plugin's own Alembic branch, if it has tables:
    ``<plugin package>/migrations/versions``, with ``branch_labels = ("<name>",)``
    on its first revision and ``depends_on`` the core revision it needs.
    """

    name: str
    title: str
    version: str = "0.1.0"
    depends: tuple[str, ...] = ()
    migrations: str | None = None
    description: str = ""


@dataclass(frozen=True)
class NavItem:
    """An entry of the main navigation. Lower ``weight`` comes first."""

    label: str
    endpoint: str
    weight: int = 100
    url_kwargs: dict[str, Any] = field(default_factory=dict)
    # Roles (Role values) allowed to see the entry; None means every signed-in user.
    roles: frozenset[str] | None = None


@dataclass(frozen=True)
class AccountPanel:
    """A panel of the account page: a template and its context, rendered by the core."""

    key: str
    title: str
    template: str
    weight: int = 100
    context: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class QuoteContext:
    """What a price adjustment sees: the volume price and who it is for."""

    account_id: int | None
    category_id: int | None
    quantity: Decimal | None
    list_total: Decimal
    volume_discount_percent: Decimal
    currency: str
    as_of: date


@dataclass(frozen=True)
class PriceAdjustment:
    """A pricing stage after the volume discount (e.g. tenure); ``stage`` orders them.

    ``percent`` is a further discount in percent of the list price; ``explanation``
    is the line the quote breakdown shows.
    """

    stage: int
    key: str
    label: str
    percent: Decimal
    explanation: str = ""
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ReviewSection:
    """A section of an account review; lower ``weight`` comes first."""

    key: str
    title: str
    weight: int
    template: str
    context: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AccountAlert:
    """A warning sign on an account (e.g. only one person engaged)."""

    account_id: int
    key: str
    message: str
    severity: str = "warning"  # info | warning | critical
    source: str = "core"


@dataclass(frozen=True)
class AccountFact:
    """A fact a plugin knows about an account, for the core's metrics.

    Well-known keys the core reads (others are ignored):
    - ``last_interaction_on`` (``date``): the latest recorded touch point, used
      by the lifecycle stage ("no order and no interaction for two cycles");
    - ``complaints_12m`` (``int``): complaints in the trailing 12 months, used by
      the "difficult" segment rule.
    """

    account_id: int
    key: str
    value: Any
    explanation: str = ""
    source: str = ""


@dataclass(frozen=True)
class HealthMeasure:
    """One graded measure of an account's health, 0–100 (higher is healthier).

    ``key`` names the measure (``engagement_coverage``, ``nps``, ...); an admin
    sets its weight in the health score (unknown keys get ``default_weight``).
    ``explanation`` says what was counted, e.g. "4 of 9 known people engaged".
    """

    account_id: int
    key: str
    label: str
    score: Decimal
    explanation: str
    default_weight: Decimal = Decimal(1)
    source: str = ""
