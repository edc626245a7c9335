"""The OpenAPI document of /api/v1 and its HTML reference: complete, public, one source of truth."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from b2b_loyalty.api import openapi_views
from b2b_loyalty.api.openapi import (
    ApiDoc,
    api_doc,
    build_openapi,
    child_resource_of,
    form_schema,
    register_api_doc,
)

SPEC = "/api/v1/openapi.json"
DOCS = "/api/v1/docs"
HTTP_METHODS = {"get", "post", "put", "patch", "delete"}


def wire_docs(app: Any) -> None:
    """The two routes, registered here until ``api/blueprint.py`` has them."""
    if SPEC not in {r.rule for r in app.url_map.iter_rules()}:
        app.add_url_rule(SPEC, "api_docs_test.openapi_json", openapi_views.openapi_json)
        app.add_url_rule(DOCS, "api_docs_test.docs", openapi_views.docs)


@pytest.fixture
def docs_app(make_app: Any) -> Any:
    app = make_app()
    wire_docs(app)
    return app


@pytest.fixture
def spec(docs_app: Any) -> dict[str, Any]:
    response = docs_app.test_client().get(SPEC)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def _operations(spec: dict[str, Any]):  # noqa: ANN202
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method in HTTP_METHODS:
                yield path, method, op


def _resolve(spec: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _refs(node: Any):  # noqa: ANN202
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


# --- served, public, no data ---------------------------------------------------------------


def test_spec_and_docs_are_public_and_need_no_token(docs_app: Any) -> None:
    client = docs_app.test_client()
    spec = client.get(SPEC)
    assert spec.status_code == 200
    assert spec.mimetype == "application/json"
    assert spec.get_json()["openapi"].startswith("3.1")
    page = client.get(DOCS)
    assert page.status_code == 200
    assert page.mimetype == "text/html"
    # While the rest of the API still refuses a request without a token.
    assert client.get("/api/v1/accounts").status_code == 401


def test_the_document_holds_no_data(make_app: Any, make_user: Any, make_account: Any) -> None:
    empty = make_app()
    with empty.test_request_context():
        before = build_openapi(empty)
    owner = make_user("account_manager", email="secret.owner@example.com")
    make_account(owner, name="Very Secret Client GmbH", tax_id="SECRET-42")
    with empty.test_request_context():
        after = build_openapi(empty)
    assert before == after
    text = json.dumps(after)
    assert "Very Secret Client" not in text and "secret.owner" not in text


def test_docs_page_is_self_contained(docs_app: Any) -> None:
    html = docs_app.test_client().get(DOCS).get_data(as_text=True)
    # Only the app's own files (the layout's stylesheet and script), nothing from a CDN.
    for link in re.findall(r"""(?:src|href)=["']([^"']+)""", html):
        assert link.startswith(("/", "#")) and not link.startswith("//"), link
    assert "Authorization: Bearer" in html
    for fragment in (
        "/api/v1/accounts/{account_id}/orders",
        "Add an order to an account",
        "Decimal",
        "per_page",
        "422",
        "409",
    ):
        assert fragment in html, fragment


def test_docs_page_renders_every_operation(docs_app: Any, spec: dict[str, Any]) -> None:
    html = docs_app.test_client().get(DOCS).get_data(as_text=True)
    for path, method, op in _operations(spec):
        anchor = re.sub(r"[^A-Za-z0-9_-]", "-", op["operationId"])
        assert f'id="{anchor}"' in html, (method, path)


# --- complete ------------------------------------------------------------------------------


def test_every_api_rule_is_an_operation(docs_app: Any, spec: dict[str, Any]) -> None:
    expected = set()
    for rule in docs_app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule).removeprefix("/api/v1")
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            expected.add((path, method.lower()))
    listed = {(path, method) for path, method, _ in _operations(spec)}
    assert listed == expected
    # Core and both bundled plugins' API blueprints are there.
    assert ("/accounts/{account_id}/contracts", "post") in listed
    assert ("/accounts/{account_id}/interactions", "post") in listed


def test_operations_are_well_formed(spec: dict[str, Any]) -> None:
    ids = [op["operationId"] for _, _, op in _operations(spec)]
    assert len(ids) == len(set(ids))
    for path, method, op in _operations(spec):
        declared = {p["name"] for p in op.get("parameters", []) if p.get("in") == "path"}
        assert declared == set(re.findall(r"{(\w+)}", path)), (method, path)
        assert op["responses"], (method, path)
        assert op["summary"] and op["tags"]
    for ref in set(_refs(spec)):
        assert _resolve(spec, {"$ref": ref}) is not None, ref


def test_schemas_are_valid_json_schema(spec: dict[str, Any]) -> None:
    jsonschema_rs = pytest.importorskip("jsonschema_rs")
    for name, schema in spec["components"]["schemas"].items():
        assert jsonschema_rs.meta.is_valid(schema), name


def test_bearer_auth_and_every_error_are_described(spec: dict[str, Any]) -> None:
    scheme = spec["components"]["securitySchemes"]["bearerAuth"]
    assert scheme == {**scheme, "type": "http", "scheme": "bearer"}
    assert spec["security"] == [{"bearerAuth": []}]
    error = spec["components"]["schemas"]["Error"]
    assert error["required"] == ["error"]
    assert set(error["properties"]["error"]["properties"]) == {"message", "fields", "conflict"}
    assert error["properties"]["error"]["required"] == ["fields", "message"]
    statuses = set()
    for path, method, op in _operations(spec):
        codes = set(op["responses"])
        statuses |= codes
        if op.get("security") == []:
            assert path in ("/openapi.json", "/docs")
            continue
        assert "401" in codes, (method, path)
        if "{" in path:
            assert "404" in codes, (method, path)
        if method in ("post", "patch") and "requestBody" in op:
            assert {"400", "422"} <= codes, (method, path)
        for code in codes - {"200", "201", "204", "2XX"}:
            response = _resolve(spec, op["responses"][code])
            schema = response["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/Error"}
    assert {"400", "401", "403", "404", "409", "422"} <= statuses


def test_lists_are_paged(spec: dict[str, Any]) -> None:
    op = spec["paths"]["/accounts/{account_id}/orders"]["get"]
    names = {_resolve(spec, p)["name"] for p in op["parameters"]}
    assert {"page", "per_page"} <= names
    per_page = spec["components"]["parameters"]["per_page"]["schema"]
    assert per_page["maximum"] == 200
    page = _resolve(spec, op["responses"]["200"]["content"]["application/json"]["schema"])
    assert set(page["required"]) == {"items", "page", "per_page", "total", "pages"}
    assert page["properties"]["items"]["items"] == {"$ref": "#/components/schemas/Order"}


# --- generated from the forms that validate ------------------------------------------------


def test_request_schemas_come_from_the_wtforms(spec: dict[str, Any]) -> None:
    from b2b_loyalty.models.account import SIZE_BANDS

    schemas = spec["components"]["schemas"]
    account = schemas["AccountInput"]
    assert account["required"] == ["name"]
    assert account["additionalProperties"] is False
    assert account["properties"]["name"]["maxLength"] == 200
    assert account["properties"]["tax_id"]["pattern"] == r"^[A-Za-z0-9 ./-]+$"
    assert account["properties"]["size_band"]["enum"] == [*SIZE_BANDS, None]
    assert account["properties"]["team_ids"] == {
        "type": "array",
        "items": {"type": "integer"},
        "title": "Account team",
    }
    assert account["properties"]["id"]["readOnly"] is True

    person = schemas["StakeholderInput"]
    # InputRequired makes required, unless the resource has a default for it.
    assert person["required"] == ["circle", "name"]
    assert person["properties"]["circle"]["enum"] == [1, 2, 3]
    assert person["properties"]["influence"]["minimum"] == 1
    assert person["properties"]["influence"]["maximum"] == 5
    assert person["properties"]["email"]["format"] == "email"
    assert "null" in person["properties"]["email"]["type"]
    assert "neutral" in person["properties"]["stance"]["enum"]
    # A PATCH sends only what changes, plus the row version it read (optimistic locking).
    assert schemas["StakeholderPatch"]["required"] == ["version"]
    assert schemas["Stakeholder"]["properties"]["version"]["type"] == "integer"

    order = schemas["OrderInput"]
    assert set(order["required"]) == {"date", "quantity", "unit_price"}
    quantity = order["properties"]["quantity"]
    assert quantity["type"] == ["string", "number"] and quantity["minimum"] == 0
    assert re.fullmatch(quantity["pattern"], "12.50")
    assert not re.fullmatch(quantity["pattern"], "-1")
    assert order["properties"]["date"]["format"] == "date"
    assert order["properties"]["currency"]["pattern"] == "^[A-Za-z]{3}$"

    ranking = schemas["SupplierRankingInput"]
    assert ranking["properties"]["supplier_count"]["maximum"] == 1000
    contract = schemas["ContractInput"]  # a plugin's ChildResource, found the same way
    assert contract["properties"]["membership_discount_percent"]["maximum"] == 100


def test_non_form_bodies_follow_the_keys_the_views_check(spec: dict[str, Any]) -> None:
    from b2b_loyalty.api.discount_schedules import SCHEDULE_FIELDS
    from b2b_loyalty.domain.discount_schedule import Basis
    from b2b_loyalty.services.pricing_preview import KNOWN_FIELDS

    paths = spec["paths"]

    def body(path: str, method: str = "post") -> dict:
        schema = paths[path][method]["requestBody"]["content"]["application/json"]["schema"]
        return _resolve(spec, schema)

    preview = body("/pricing/preview")
    assert set(preview["properties"]) == KNOWN_FIELDS
    assert all(preview["properties"][k] for k in KNOWN_FIELDS), "every key has a schema"
    assert preview["properties"]["basis"]["enum"] == [b.value for b in Basis]
    schedule = body("/discount-schedules")
    read_back = {"id", "status", "version", "row_version"}
    assert set(schedule["properties"]) == SCHEDULE_FIELDS | read_back
    assert set(schedule["required"]) == {"name", "basis", "mode", "tiers"}
    assert body("/discount-schedules/{schedule_id}", "patch")["required"] == ["row_version"]
    assert body("/categories")["required"] == ["name"]
    quote = body("/quotes")
    assert set(quote["required"]) == {"account_id", "quantity", "unit_price"}
    assert set(paths["/quotes"]["post"]["responses"]) >= {"200", "201"}


def test_response_schemas_match_the_serializers(
    docs_app: Any, spec: dict[str, Any], make_user: Any, api_headers: Any
) -> None:
    """Every key a serializer sends is in its schema and the other way round."""
    client = docs_app.test_client()
    with docs_app.app_context():
        manager = make_user("account_manager")
        finance = make_user("finance")
        headers = api_headers(manager)
        money = api_headers(finance)
    assert (
        client.post("/api/v1/categories", json={"name": "Lamps"}, headers=money).status_code == 201
    )
    account = client.post("/api/v1/accounts", json={"name": "Acme"}, headers=headers).get_json()
    bodies = {
        "stakeholders": ("Stakeholder", {"name": "Olga", "circle": 1}),
        "orders": (
            "Order",
            {"date": "2025-06-01", "category": "Lamps", "quantity": "2", "unit_price": "3"},
        ),
        "wallet-estimates": ("WalletEstimate", {"year": 2025, "estimated_spend": "100"}),
        "supplier-rankings": ("SupplierRanking", {"year": 2025, "rank": 1, "supplier_count": 3}),
        "contracts": (
            "Contract",
            {"number": "C-1", "start_date": "2025-01-01", "term_months": 12, "annual_value": "1"},
        ),
    }
    schemas = spec["components"]["schemas"]
    assert set(schemas["Account"]["properties"]) == set(account)
    for path, (name, payload) in bodies.items():
        created = client.post(
            f"/api/v1/accounts/{account['id']}/{path}", json=payload, headers=headers
        )
        assert created.status_code == 201, created.get_json()
        assert set(schemas[name]["properties"]) == set(created.get_json()), name
        assert set(schemas[name]["required"]) == set(created.get_json()), name
    schedule = client.post(
        "/api/v1/discount-schedules",
        json={
            "name": "Volume",
            "basis": "quantity",
            "mode": "incremental",
            "tiers": [{"from": "0", "percent": "0"}],
        },
        headers=money,
    ).get_json()
    assert set(schemas["DiscountSchedule"]["properties"]) == set(schedule)
    preview = client.post(
        "/api/v1/pricing/preview",
        json={
            "basis": "amount",
            "mode": "all_units",
            "tiers": [{"from": "0", "percent": "0"}, {"from": "100", "percent": "5"}],
            "amount": "150",
            "margin_percent": "30",
        },
        headers=headers,
    ).get_json()
    assert set(schemas["PricingPreview"]["properties"]) == set(preview)


def test_child_resources_are_found_on_their_views(docs_app: Any) -> None:
    from b2b_loyalty.api.resources import ALL

    found = {}
    for endpoint, view in docs_app.view_functions.items():
        child = child_resource_of(view)
        if child is not None:
            found[endpoint] = child
    for resource in ALL:
        for action in ("list", "create", "get", "update", "delete"):
            name = (
                f"list_{resource.endpoint}s"
                if action == "list"
                else f"{action}_{resource.endpoint}"
            )
            assert found[f"api.{name}"] == (resource, action)


def test_form_schema_of_a_nested_form() -> None:
    from wtforms import FieldList, Form, FormField, IntegerField, StringField
    from wtforms.validators import InputRequired, NumberRange

    class Row(Form):
        start = IntegerField(validators=[InputRequired(), NumberRange(0, 9)])

    class Outer(Form):
        title = StringField(validators=[InputRequired()])
        rows = FieldList(FormField(Row), min_entries=1)

    schema = form_schema(Outer)
    assert schema["required"] == ["title"]
    assert schema["properties"]["title"]["minLength"] == 1
    row = schema["properties"]["rows"]["items"]
    assert row["properties"]["start"] == {"type": "integer", "minimum": 0, "maximum": 9}


# --- plugins: undeclared routes, and how to declare them -----------------------------------


def test_undeclared_plugin_route_keeps_path_method_parameters_auth_errors(
    make_app: Any,
) -> None:
    from b2b_loyalty.api.plugin_support import api_blueprint

    bp = api_blueprint("fixture_api", __name__)

    @bp.post("/accounts/<int:account_id>/fixture-notes")
    def add_note(account_id: int):  # noqa: ANN202
        """Add a note."""
        return {"id": account_id}, 201

    app = make_app()
    app.register_blueprint(bp)
    with app.test_request_context():
        spec = build_openapi(app)
    op = spec["paths"]["/accounts/{account_id}/fixture-notes"]["post"]
    assert op["x-undeclared"] is True
    assert op["tags"] == ["fixture"]
    assert [p["name"] for p in op["parameters"]] == ["account_id"]
    assert "security" not in op  # the global bearer requirement applies
    assert {"400", "401", "403", "404", "409", "422"} <= set(op["responses"])
    assert op["requestBody"]["content"]["application/json"]["schema"] == {"type": "object"}


def test_plugin_routes_declare_their_schemas(spec: dict[str, Any]) -> None:
    declared = [
        ("/accounts/{account_id}/interactions", "get"),
        ("/accounts/{account_id}/interactions", "post"),
        ("/accounts/{account_id}/engagement", "get"),
        ("/stakeholders/{stakeholder_id}/survey-responses", "post"),
        ("/accounts/{account_id}/tenure", "get"),
    ]
    for path, method in declared:
        assert "x-undeclared" not in spec["paths"][path][method], (path, method)
    tenure = spec["paths"]["/accounts/{account_id}/tenure"]["get"]
    assert tenure["summary"].startswith("Tenure of the account on `?on=DATE`")
    body = spec["components"]["schemas"]["InteractionInput"]
    assert set(body["required"]) == {"type", "date", "summary"}


def test_a_plugin_declares_its_schemas_in_app_extensions(make_app: Any) -> None:
    from plugins.engagement.web.forms import InteractionForm

    app = make_app()
    register_api_doc(
        app,
        "engagement_api.create_interaction",
        ApiDoc(
            summary="Record an interaction",
            tags=("interactions",),
            request_form=InteractionForm,
            request_defaults={"stakeholder_ids": []},
            response_name="Interaction",
            response_schema={"type": "object", "required": ["id"]},
            status=201,
        ),
        method="POST",
    )
    with app.test_request_context():
        spec = build_openapi(app)
    op = spec["paths"]["/accounts/{account_id}/interactions"]["post"]
    assert "x-undeclared" not in op
    assert op["summary"] == "Record an interaction"
    body = spec["components"]["schemas"]["InteractionInput"]
    assert set(body["required"]) == {"type", "date", "summary"}
    assert "meeting" in body["properties"]["type"]["enum"]
    assert op["responses"]["201"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Interaction"
    }
    # Another app is not affected: the registry lives in app.extensions.
    other = make_app()
    with other.test_request_context():
        untouched = build_openapi(other)
    assert (
        untouched["paths"]["/accounts/{account_id}/interactions"]["post"]["summary"]
        != "Record an interaction"
    )


def test_a_plugin_declares_its_schemas_on_the_view(make_app: Any) -> None:
    from b2b_loyalty.api.plugin_support import api_blueprint

    bp = api_blueprint("fixture_api", __name__)

    @bp.get("/fixture/<int:thing_id>/echo")
    @api_doc(
        summary="Echo a thing",
        query=({"name": "loud", "in": "query", "schema": {"type": "boolean"}},),
        response_name="Echo",
        response_schema={"type": "object", "properties": {"id": {"type": "integer"}}},
    )
    def echo(thing_id: int):  # noqa: ANN202
        return {"id": thing_id}

    app = make_app()
    app.register_blueprint(bp)
    with app.test_request_context():
        spec = build_openapi(app)
    op = spec["paths"]["/fixture/{thing_id}/echo"]["get"]
    assert op["summary"] == "Echo a thing"
    assert op["operationId"] == "fixture_api.echo"
    assert [p["name"] for p in op["parameters"]] == ["thing_id", "loud"]
    assert op["tags"] == ["fixture"]
    # 422: any request with a NUL character in its text is refused (request_text.py).
    assert set(op["responses"]) == {"200", "401", "404", "422"}
