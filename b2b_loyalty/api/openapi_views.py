"""``GET /api/v1/openapi.json`` and ``GET /api/v1/docs``: the API's description, public.

Both are public on purpose: they hold no data (only the shape of the API of
this installation, plugins included), tools read the spec without a browser
session, and the API never reads the session cookie anyway. They are marked
with ``api_public`` so the API blueprint's bearer-token hook lets them through.

The HTML page is rendered here, server-side, from the same document: no
JavaScript viewer, no CDN, nothing fetched at run time.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask import current_app, jsonify, render_template, url_for
from flask_babel import force_locale
from markupsafe import Markup, escape

from b2b_loyalty.api.openapi import ERROR_NAMES, api_doc, api_public, build_openapi

METHOD_ORDER = {"get": 0, "post": 1, "put": 2, "patch": 3, "delete": 4}
MAX_DEPTH = 6


def _document() -> dict[str, Any]:
    # Field labels are lazy translations: the document is always in English.
    with force_locale("en"):
        return build_openapi(current_app)


@api_public
@api_doc(
    tags=("documentation",),
    summary="This OpenAPI document (public: no token)",
    response_schema={"type": "object", "required": ["openapi", "info", "paths"]},
    errors=(),
)
def openapi_json():  # noqa: ANN201
    response = jsonify(_document())
    response.headers["Cache-Control"] = "no-cache"
    return response


@api_public
@api_doc(
    tags=("documentation",),
    summary="This API reference as a web page (public: no token)",
    media_type="text/html",
    errors=(),
)
def docs():  # noqa: ANN201
    spec = _document()
    return render_template("api/docs.html", api=docs_page(spec), spec_url=url_for(_spec_endpoint()))


def _spec_endpoint() -> str:
    for endpoint, view in current_app.view_functions.items():
        if view is openapi_json:
            return endpoint
    raise LookupError("openapi_json has no URL rule")


# --- the page's view model -----------------------------------------------------------------


def markdown_lite(text: str) -> Markup:
    """Paragraphs, **bold** and `code` of the document's own texts (escaped first)."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", text.strip()):
        html = str(escape(" ".join(block.split())))
        html = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", html)
        html = re.sub(r"`(.+?)`", r"<code>\1</code>", html)
        paragraphs.append(f"<p>{html}</p>")
    return Markup("\n".join(paragraphs))


class _Resolver:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec

    def resolve(self, node: dict[str, Any]) -> tuple[dict[str, Any], str]:
        """(node with $ref followed, name of the component or "")."""
        name = ""
        seen = 0
        while isinstance(node, dict) and "$ref" in node and seen < 10:
            ref = node["$ref"]
            name = ref.rsplit("/", 1)[-1]
            target: Any = self.spec
            for part in ref.lstrip("#/").split("/"):
                target = target[part]
            node, seen = target, seen + 1
        return node, name

    def type_text(self, schema: dict[str, Any]) -> str:
        schema, name = self.resolve(schema)
        if "anyOf" in schema:
            return " | ".join(self.type_text(s) for s in schema["anyOf"])
        kinds = schema.get("type")
        kinds = kinds if isinstance(kinds, list) else [kinds] if kinds else []
        words = []
        for kind in kinds:
            if kind == "array":
                words.append(f"array of {self.type_text(schema.get('items', {}))}")
            elif kind == "string" and schema.get("format"):
                words.append(f"string ({schema['format']})")
            elif kind in ("string", "number") and schema.get("pattern", "").startswith(
                ("^-?[0-9]", "^[0-9]")
            ):
                words.append("decimal" if kind == "string" else "number")
            else:
                words.append(str(kind))
        if "decimal" in words and "number" in words:
            words.remove("number")
        text = " | ".join(dict.fromkeys(words)) or "any"
        return f"{name} ({text})" if name and text == "object" else text

    @staticmethod
    def notes(schema: dict[str, Any]) -> list[str]:
        out = []
        if schema.get("title"):
            out.append(str(schema["title"]))
        if "enum" in schema:
            out.append("one of: " + ", ".join(json.dumps(x) for x in schema["enum"]))
        for key, word in (
            ("minimum", "min"),
            ("maximum", "max"),
            ("minLength", "min length"),
            ("maxLength", "max length"),
            ("minItems", "min items"),
            ("default", "default"),
        ):
            if key in schema:
                out.append(f"{word} {schema[key]}")
        pattern = schema.get("pattern")
        if pattern and not pattern.startswith(("^-?[0-9]", "^[0-9]")):
            out.append(f"pattern {pattern}")
        if schema.get("readOnly") and not str(schema.get("description", "")).startswith("Read"):
            out.append("read-only")
        if schema.get("description"):
            out.append(str(schema["description"]))
        return out

    def rows(
        self, schema: dict[str, Any], prefix: str = "", depth: int = 0
    ) -> list[dict[str, Any]]:
        """One row per property, nested objects and arrays of objects flattened."""
        schema, _ = self.resolve(schema)
        if depth > MAX_DEPTH:
            return []
        if "anyOf" in schema:
            branch = next((s for s in schema["anyOf"] if s.get("type") != "null"), {})
            return self.rows(branch, prefix, depth)
        kinds = schema.get("type")
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if "array" in kinds:
            return self.rows(schema.get("items", {}), prefix + "[]", depth + 1)
        out = []
        required = set(schema.get("required", []))
        for name, prop in (schema.get("properties") or {}).items():
            resolved, _ = self.resolve(prop)
            path = f"{prefix}.{name}" if prefix else name
            out.append(
                {
                    "name": path,
                    "depth": path.count(".") + path.count("[]"),
                    "type": self.type_text(prop),
                    "required": name in required,
                    "notes": self.notes(resolved),
                }
            )
            out.extend(self.rows(resolved, path, depth + 1))
        return out

    def example(self, schema: dict[str, Any], depth: int = 0, request: bool = False) -> Any:
        schema, _ = self.resolve(schema)
        if depth > MAX_DEPTH:
            return None
        if "example" in schema:
            return schema["example"]
        if "enum" in schema:
            return next((x for x in schema["enum"] if x is not None), None)
        if "anyOf" in schema:
            branch = next((s for s in schema["anyOf"] if s.get("type") != "null"), {})
            return self.example(branch, depth, request)
        kinds = schema.get("type")
        kinds = kinds if isinstance(kinds, list) else [kinds]
        kind = next((k for k in kinds if k != "null"), None)
        if kind == "object" or (kind is None and "properties" in schema):
            result = {}
            required = set(schema.get("required", []))
            for name, prop in (schema.get("properties") or {}).items():
                resolved, _ = self.resolve(prop)
                if request and resolved.get("readOnly"):
                    continue
                value = self.example(prop, depth + 1, request)
                if value is None and name not in required and request:
                    continue
                result[name] = value
            return result
        if kind == "array":
            return [self.example(schema.get("items", {}), depth + 1, request)]
        if kind == "string":
            if schema.get("format") == "email":
                return "name@example.com"
            text = "text"
            pattern = schema.get("pattern")
            return text if not pattern or re.search(pattern, text) else None
        if kind == "integer":
            return schema.get("minimum", 1) if schema.get("minimum", 1) > 0 else 1
        if kind == "number":
            return 1
        if kind == "boolean":
            return True
        return None


def _parameter(resolver: _Resolver, param: dict[str, Any]) -> dict[str, Any]:
    param, _ = resolver.resolve(param)
    schema = param.get("schema", {})
    notes = resolver.notes(resolver.resolve(schema)[0])
    if param.get("description"):
        notes.append(param["description"])
    return {
        "name": param["name"],
        "in": param["in"],
        "required": param.get("required", False),
        "type": resolver.type_text(schema),
        "notes": notes,
    }


def _content(resolver: _Resolver, node: dict[str, Any], request: bool) -> dict[str, Any] | None:
    media = (node.get("content") or {}).get("application/json")
    if media is None:
        return None
    schema = media.get("schema", {})
    resolved, name = resolver.resolve(schema)
    example = media.get("example")
    if example is None:
        example = resolver.example(schema, request=request)
    rows = resolver.rows(schema)
    return {
        "schema_name": name,
        "type": resolver.type_text(schema),
        "rows": rows,
        "all_required": bool(rows) and all(row["required"] for row in rows),
        "example": json.dumps(example, indent=2, ensure_ascii=False),
    }


def docs_page(spec: dict[str, Any]) -> dict[str, Any]:
    """What the template shows: operations grouped by tag, with tables and examples."""
    resolver = _Resolver(spec)
    groups: dict[str, list[dict[str, Any]]] = {t["name"]: [] for t in spec.get("tags", [])}
    for path, item in spec["paths"].items():
        for method, op in sorted(item.items(), key=lambda kv: METHOD_ORDER.get(kv[0], 9)):
            responses = []
            for status, response in op["responses"].items():
                response, name = resolver.resolve(response)
                responses.append(
                    {
                        "status": status,
                        "description": markdown_lite(response.get("description", "")),
                        "error": name,
                        "content": None if name else _content(resolver, response, request=False),
                    }
                )
            body = op.get("requestBody")
            entry = {
                "id": re.sub(r"[^A-Za-z0-9_-]", "-", op["operationId"]),
                "method": method.upper(),
                "path": spec["servers"][0]["url"] + path,
                "summary": op.get("summary", ""),
                "description": markdown_lite(op.get("description", "")),
                "public": op.get("security") == [],
                "undeclared": op.get("x-undeclared", False),
                "parameters": [_parameter(resolver, p) for p in op.get("parameters", [])],
                "body": None
                if body is None
                else {
                    "required": body.get("required", False),
                    **(_content(resolver, body, request=True) or {}),
                },
                "responses": responses,
            }
            for tag in op.get("tags", ["api"]):
                groups.setdefault(tag, []).append(entry)
    status_of = {name: code for code, name in ERROR_NAMES.items()}
    errors = [
        {
            "status": status_of.get(name, ""),
            "name": name,
            "description": markdown_lite(r["description"]),
        }
        for name, r in spec["components"]["responses"].items()
    ]
    return {
        "title": spec["info"]["title"],
        "version": spec["info"]["version"],
        "intro": markdown_lite(spec["info"]["description"]),
        "base": spec["servers"][0]["url"],
        "groups": [{"tag": tag, "operations": ops} for tag, ops in groups.items() if ops],
        "errors": sorted(errors, key=lambda e: e["status"]),
        "error_example": json.dumps(
            resolver.example(spec["components"]["schemas"]["Error"]), indent=2
        ),
    }
