"""The core's models, one per module; importing this package registers them all."""

from b2b_loyalty.models.account import Account, account_team
from b2b_loyalty.models.account_month_totals import AccountMonthTotals
from b2b_loyalty.models.account_order_stats import AccountOrderStats
from b2b_loyalty.models.api_token import ApiToken
from b2b_loyalty.models.audit_entry import AuditEntry
from b2b_loyalty.models.data_generation import DataGeneration
from b2b_loyalty.models.discount_schedule import DiscountTier, ScheduleFamily, ScheduleVersion
from b2b_loyalty.models.health import AccountHealthScore, HealthSettings
from b2b_loyalty.models.import_batch import ImportBatch
from b2b_loyalty.models.login_attempt import LoginAttempt
from b2b_loyalty.models.order import Order
from b2b_loyalty.models.order_pricing import OrderPricing
from b2b_loyalty.models.product_category import ProductCategory
from b2b_loyalty.models.schedule_assignment import ScheduleAssignment
from b2b_loyalty.models.segmentation import SegmentOverride, SegmentRuleSet
from b2b_loyalty.models.stakeholder import Stakeholder
from b2b_loyalty.models.supplier_ranking import SupplierRanking
from b2b_loyalty.models.user import User
from b2b_loyalty.models.wallet_estimate import WalletEstimate

__all__ = [
    "Account",
    "AccountHealthScore",
    "AccountMonthTotals",
    "AccountOrderStats",
    "ApiToken",
    "AuditEntry",
    "DataGeneration",
    "DiscountTier",
    "HealthSettings",
    "ImportBatch",
    "LoginAttempt",
    "Order",
    "OrderPricing",
    "ProductCategory",
    "ScheduleAssignment",
    "ScheduleFamily",
    "ScheduleVersion",
    "SegmentOverride",
    "SegmentRuleSet",
    "Stakeholder",
    "SupplierRanking",
    "User",
    "WalletEstimate",
    "account_team",
]
