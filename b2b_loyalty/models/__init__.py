"""The core's models, one per module; importing this package registers them all."""

from b2b_loyalty.models.account import Account, account_team
from b2b_loyalty.models.api_token import ApiToken
from b2b_loyalty.models.order import Order
from b2b_loyalty.models.product_category import ProductCategory
from b2b_loyalty.models.stakeholder import Stakeholder
from b2b_loyalty.models.user import User
from b2b_loyalty.models.wallet_estimate import WalletEstimate

__all__ = [
    "Account",
    "ApiToken",
    "Order",
    "ProductCategory",
    "Stakeholder",
    "User",
    "WalletEstimate",
    "account_team",
]
