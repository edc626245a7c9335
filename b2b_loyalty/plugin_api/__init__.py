"""What a plugin may import: the hook markers and the data types hooks return.

This package imports nothing from the core's feature areas, so a plugin can
import it at module level without circular imports.
"""

from b2b_loyalty.plugin_api.hookspecs import PROJECT_NAME, hookimpl, hookspec
from b2b_loyalty.plugin_api.types import (
    AccountAlert,
    AccountFact,
    AccountPanel,
    HealthMeasure,
    ImportContext,
    ImportEntity,
    ImportField,
    ImportProblem,
    ImportRow,
    ImportRowOutcome,
    NavItem,
    PageAction,
    PluginManifest,
    PriceAdjustment,
    QuoteContext,
    ReviewColumn,
    ReviewSection,
    ReviewSheet,
)

__all__ = [
    "PROJECT_NAME",
    "AccountAlert",
    "AccountFact",
    "AccountPanel",
    "HealthMeasure",
    "ImportContext",
    "ImportEntity",
    "ImportField",
    "ImportProblem",
    "ImportRow",
    "ImportRowOutcome",
    "NavItem",
    "PageAction",
    "PluginManifest",
    "PriceAdjustment",
    "QuoteContext",
    "ReviewColumn",
    "ReviewSection",
    "ReviewSheet",
    "hookimpl",
    "hookspec",
]
