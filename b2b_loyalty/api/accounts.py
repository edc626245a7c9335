"""/api/v1/accounts"""

from __future__ import annotations

from flask import g, jsonify, request
from sqlalchemy.orm import selectinload

from b2b_loyalty.accounts.forms import AccountForm
from b2b_loyalty.api.form_input import json_body, validate_json
from b2b_loyalty.api.pages import paged_json
from b2b_loyalty.api.row_versions import (
    VERSION_KEY,
    conflicts_explained,
    sent_delete_version,
    sent_row_version,
    without,
)
from b2b_loyalty.api.serializers import account_json
from b2b_loyalty.db_limits import db_int
from b2b_loyalty.models import Account
from b2b_loyalty.queries import accounts as account_queries
from b2b_loyalty.services import accounts as account_service
from b2b_loyalty.services.permissions import require_account_editor

# ``version`` is read-only in a POST; a PATCH must send it (the version it read).
READ_ONLY = ("id", "created_at", "updated_at", VERSION_KEY)


def _prepare(form: AccountForm) -> None:
    form.set_user_choices([])


def list_accounts():
    args = request.args
    owner_id = db_int(args.get("owner_id"))
    sort = args.get("sort", "name")
    filters = account_queries.AccountFilters(
        search=args.get("q", ""),
        owner_id=owner_id,
        region=args.get("region", ""),
        industry=args.get("industry", ""),
        sort=sort if sort in account_queries.SORTABLE else "name",
        descending=args.get("dir") == "desc",
    )
    stmt = account_queries.account_rows_statement(filters).options(selectinload(Account.team))
    return paged_json(stmt, lambda row: account_json(row[0]), scalars=False)


def create_account():
    require_account_editor(g.api_user)
    data = validate_json(AccountForm, json_body(), read_only=READ_ONLY, prepare=_prepare)
    account = account_service.create_account(g.api_user, data)
    return jsonify(account_json(account)), 201


def get_account(account_id: int):
    return jsonify(account_json(account_service.get_account(account_id)))


def update_account(account_id: int):
    account = account_service.get_account(account_id)
    require_account_editor(g.api_user)
    body = json_body()
    current = {k: v for k, v in account_json(account).items() if k not in READ_ONLY}
    data = validate_json(AccountForm, body, base=current, read_only=READ_ONLY, prepare=_prepare)
    expected = sent_row_version(body)
    yours = without(body, *READ_ONLY)
    with conflicts_explained(account, account_json, yours, sent_version=expected):
        account_service.update_account(g.api_user, account, data, expected_version=expected)
    return jsonify(account_json(account))


def delete_account(account_id: int):
    account = account_service.get_account(account_id)
    require_account_editor(g.api_user)
    expected = sent_delete_version(request.args)
    with conflicts_explained(account, account_json, {}, sent_version=expected):
        account_service.delete_account(g.api_user, account, expected_version=expected)
    return "", 204
