"""The plugin's tables (``tenure_*``); importing this package registers them all."""

from plugins.tenure_pricing.models.contract import TenureContract
from plugins.tenure_pricing.models.tenure_schedule import TenureSchedule, TenureScheduleTier

__all__ = ["TenureContract", "TenureSchedule", "TenureScheduleTier"]
