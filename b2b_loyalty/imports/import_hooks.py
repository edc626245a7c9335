"""The import area's hook implementations, registered with the core's own (``core_plugins``).

The core declares its four import entities and its "Import" menu entry through
the same hooks a plugin uses; nothing here is special to the core.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from b2b_loyalty.domain.roles import Role
from b2b_loyalty.plugin_api import ImportEntity, NavItem, hookimpl

# The name the plugin host gives this module when it is one of the core plugins.
PLUGIN_NAME = "core.import_hooks"


@hookimpl
def import_entities() -> list[ImportEntity]:
    from b2b_loyalty.imports.entities import core_import_entities

    return core_import_entities()


@hookimpl
def navigation_items(user) -> list[NavItem]:  # noqa: ANN001
    return [
        NavItem(
            label=str(_l("Import")),
            endpoint="imports.list_imports",
            weight=850,
            roles=frozenset({Role.ACCOUNT_MANAGER.value, Role.ADMIN.value}),
        )
    ]
