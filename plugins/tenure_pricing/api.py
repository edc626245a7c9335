"""/api/v1/accounts/<id>/contracts and /api/v1/accounts/<id>/tenure (bearer tokens).

Contracts use the core's child-resource flow (list, create, read, patch,
delete), validated with the same ``ContractForm`` the pages use. They are
versioned: a contract carries ``version`` and a PATCH must send back the one it
read (409 with what changed otherwise).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import jsonify, request

from b2b_loyalty.api.child_resources import ChildResource, register
from b2b_loyalty.api.openapi import DATE, ID, ApiDoc, api_doc, decimal_schema, nullable, obj
from b2b_loyalty.api.plugin_support import api_blueprint
from b2b_loyalty.services import accounts as account_service
from b2b_loyalty.services.errors import field_error
from plugins.tenure_pricing import queries
from plugins.tenure_pricing.forms import ContractForm
from plugins.tenure_pricing.models import TenureContract
from plugins.tenure_pricing.services import contracts as service
from plugins.tenure_pricing.services.tenure import account_tenure

api = api_blueprint("tenure_pricing_api", __name__)


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


def contract_json(contract: TenureContract) -> dict[str, Any]:
    return {
        "id": contract.id,
        "account_id": contract.account_id,
        **{name: _plain(getattr(contract, name)) for name in service.FIELDS},
        "version": contract.row_version,
    }


CONTRACTS = ChildResource(
    path="contracts",
    endpoint="contract",
    form_class=ContractForm,
    to_json=contract_json,
    list_statement=queries.contracts_statement,
    get=service.get_contract,
    create=service.create_contract,
    update=service.update_contract,
    delete=service.delete_contract,
    defaults={"status": "active", "auto_renew": False},
    current_values=lambda c: {
        k: v for k, v in contract_json(c).items() if k not in ("id", "account_id")
    },
    read_only=("id", "account_id"),
    versioned=True,
)
register(api, CONTRACTS)


TENURE_DOC = ApiDoc(
    query=(
        {
            "name": "on",
            "in": "query",
            "required": False,
            "description": "The day to measure tenure on (default today).",
            "schema": DATE,
        },
    ),
    response_name="AccountTenure",
    # Exactly the keys of get_tenure: account_id plus AccountTenure.as_json().
    response_schema=obj(
        {
            "account_id": ID,
            "on": DATE,
            "since": nullable(DATE),
            "months": {"type": "integer"},
            "years": {"type": "integer"},
            "days": {"type": "integer"},
            "covered": {"type": "boolean"},
            "grace_days": {"type": "integer"},
            "bridged_gaps": {
                "type": "array",
                "items": obj({"from": DATE, "days": {"type": "integer"}}),
            },
            "reason": {"type": "string"},
            "percent": decimal_schema(minimum=0),
            "schedule": nullable(
                obj(
                    {
                        "id": ID,
                        "version": {"type": "integer"},
                        "stacking": {"type": "string", "enum": ["additive", "compound", "best_of"]},
                        "max_total_percent": decimal_schema(minimum=0),
                    }
                )
            ),
        }
    ),
    errors=(401, 404, 422),
)


@api.get("/accounts/<int:account_id>/tenure")
@api_doc(TENURE_DOC)
def get_tenure(account_id: int):
    """Tenure of the account on ``?on=DATE`` (default today), with its reason and rate."""
    account = account_service.get_account(account_id)
    raw = request.args.get("on")
    try:
        on = date.fromisoformat(raw) if raw else date.today()
    except ValueError:
        raise field_error("on", "Use a date such as 2026-03-01.") from None
    return jsonify({"account_id": account.id, **account_tenure(account.id, on).as_json()})
