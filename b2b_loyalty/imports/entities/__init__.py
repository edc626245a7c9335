"""The core's own import entities, declared like any plugin's (see ``import_hooks``)."""

from __future__ import annotations

from b2b_loyalty.plugin_api.types import ImportEntity


def core_import_entities() -> list[ImportEntity]:
    from b2b_loyalty.imports.entities.accounts import ACCOUNTS
    from b2b_loyalty.imports.entities.orders import ORDERS
    from b2b_loyalty.imports.entities.stakeholders import STAKEHOLDERS
    from b2b_loyalty.imports.entities.wallet_estimates import WALLET_ESTIMATES

    return [ACCOUNTS, STAKEHOLDERS, ORDERS, WALLET_ESTIMATES]
