"""The import entities of an app: the core's and enabled plugins', from the ``import_entities`` hook.

Collected once per app (plugins are fixed at start-up) and kept in
``app.extensions``, never in a module global.
"""

from __future__ import annotations

import re

from flask import Flask, current_app

from b2b_loyalty.plugin_api.types import ImportEntity
from b2b_loyalty.plugin_host import plugin_host
from b2b_loyalty.services.errors import NotFound

EXTENSION_KEY = "b2b_loyalty.imports"
ENTITY_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")


class ImportEntityConflict(RuntimeError):
    """Two plugins (or a plugin and the core) declare the same entity name, or a bad one."""


def import_entities(app: Flask | None = None) -> dict[str, ImportEntity]:
    """Every import entity by name, in weight order; ImportEntityConflict on clashing names."""
    app = app or current_app
    found = app.extensions.get(EXTENSION_KEY)
    if found is None:
        found = _collect(app)
        app.extensions[EXTENSION_KEY] = found
    return found


def _collect(app: Flask) -> dict[str, ImportEntity]:
    owners: dict[str, str] = {}
    entities: list[ImportEntity] = []
    for impl in plugin_host(app).manager.hook.import_entities.get_hookimpls():
        for entity in impl.function() or ():
            if not ENTITY_NAME.fullmatch(entity.name):
                raise ImportEntityConflict(
                    f"{impl.plugin_name} declares import entity {entity.name!r}; "
                    "use lower-case letters, digits and '-'"
                )
            if entity.name in owners:
                raise ImportEntityConflict(
                    f"import entity {entity.name!r} is declared by both "
                    f"{owners[entity.name]} and {impl.plugin_name}"
                )
            owners[entity.name] = impl.plugin_name
            entities.append(entity)
    entities.sort(key=lambda e: (e.weight, e.name))
    return {e.name: e for e in entities}


def get_entity(name: str) -> ImportEntity:
    entity = import_entities().get(name)
    if entity is None:
        known = ", ".join(import_entities()) or "none"
        raise NotFound(f"Nothing called {name!r} can be imported (known: {known}).")
    return entity
