"""/api/v1/accounts/<id>/stakeholders, /orders and /wallet-estimates, written once.

Each kind declares its form, serializer, defaults, current values and service
calls; listing, reading, creating, patching and deleting follow one flow, with
the account found (or 404) through the central access rule first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, g, jsonify, request
from sqlalchemy import Select

from b2b_loyalty.api.form_input import json_body, validate_json
from b2b_loyalty.api.pages import paged_json
from b2b_loyalty.api.row_versions import (
    VERSION_KEY,
    conflicts_explained,
    sent_delete_version,
    sent_row_version,
    without,
)
from b2b_loyalty.services import accounts as account_service
from b2b_loyalty.services.permissions import require_account_editor


@dataclass(frozen=True)
class ChildResource:
    path: str  # "stakeholders"
    endpoint: str  # "stakeholder"
    form_class: type
    to_json: Callable[[Any], dict]
    list_statement: Callable[[int], Select]
    get: Callable[[Any, int], Any]
    create: Callable[[Any, Any, dict], Any]
    update: Callable[[Any, Any, Any, dict], Any]
    delete: Callable[[Any, Any], None]
    defaults: dict[str, Any]
    current_values: Callable[[Any], dict[str, Any]]
    read_only: tuple[str, ...] = ("id", "account_id")
    # Keys that replace each other in a PATCH (a category by name or by id).
    alternatives: tuple[tuple[str, str], ...] = ()
    # Optimistic locking: the serializer sends ``version`` (the row version), a
    # PATCH must send it back, and ``update`` takes it as ``expected_version``.
    versioned: bool = False

    @property
    def ignored_keys(self) -> tuple[str, ...]:
        """Keys a body may carry that are not form fields (read-only, the version)."""
        return (*self.read_only, VERSION_KEY) if self.versioned else self.read_only


def _patch_base(resource: ChildResource, item: Any, body: dict) -> dict[str, Any]:
    base = without(resource.current_values(item), *resource.ignored_keys)
    for first, second in resource.alternatives:
        if first in body:
            base.pop(second, None)
        if second in body:
            base.pop(first, None)
    return base


def register(bp: Blueprint, resource: ChildResource) -> None:
    collection = f"/accounts/<int:account_id>/{resource.path}"
    member = f"{collection}/<int:item_id>"

    def list_items(account_id: int):
        account = account_service.get_account(account_id)
        return paged_json(resource.list_statement(account.id), resource.to_json)

    def create_item(account_id: int):
        require_account_editor(g.api_user)
        account = account_service.get_account(account_id)
        data = validate_json(
            resource.form_class,
            json_body(),
            base=resource.defaults,
            read_only=resource.ignored_keys,
        )
        item = resource.create(g.api_user, account, data)
        return jsonify(resource.to_json(item)), 201

    def get_item(account_id: int, item_id: int):
        account = account_service.get_account(account_id)
        return jsonify(resource.to_json(resource.get(account, item_id)))

    def update_item(account_id: int, item_id: int):
        require_account_editor(g.api_user)
        account = account_service.get_account(account_id)
        item = resource.get(account, item_id)
        body = json_body()
        data = validate_json(
            resource.form_class,
            body,
            base=_patch_base(resource, item, body),
            read_only=resource.ignored_keys,
        )
        if not resource.versioned:
            resource.update(g.api_user, account, item, data)
            return jsonify(resource.to_json(item))
        expected = sent_row_version(body)
        yours = without(body, *resource.ignored_keys)
        with conflicts_explained(item, resource.to_json, yours, sent_version=expected):
            resource.update(g.api_user, account, item, data, expected_version=expected)
        return jsonify(resource.to_json(item))

    def delete_item(account_id: int, item_id: int):
        require_account_editor(g.api_user)
        account = account_service.get_account(account_id)
        item = resource.get(account, item_id)
        if not resource.versioned:
            resource.delete(g.api_user, item)
            return "", 204
        expected = sent_delete_version(request.args)
        with conflicts_explained(item, resource.to_json, {}, sent_version=expected):
            resource.delete(g.api_user, item, expected_version=expected)
        return "", 204

    name = resource.endpoint
    bp.add_url_rule(collection, f"list_{name}s", list_items, methods=["GET"])
    bp.add_url_rule(collection, f"create_{name}", create_item, methods=["POST"])
    bp.add_url_rule(member, f"get_{name}", get_item, methods=["GET"])
    bp.add_url_rule(member, f"update_{name}", update_item, methods=["PATCH"])
    bp.add_url_rule(member, f"delete_{name}", delete_item, methods=["DELETE"])
