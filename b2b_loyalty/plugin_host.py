"""Finds, enables and calls plugins; one PluginHost per app in ``app.extensions``.

Plugins are discovered through the ``b2b_loyalty.plugins`` entry-point group.
Installing a plugin does not enable it: the ``B2B_LOYALTY_PLUGINS`` setting
does (``all`` = every bundled plugin, i.e. those shipped in the ``plugins``
package). Enabling or disabling is a configuration change plus a restart,
since Flask blueprints cannot be unregistered.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib.metadata import EntryPoint, entry_points
from typing import Any

import pluggy
from flask import Flask, current_app

from b2b_loyalty.config import enabled_plugin_names
from b2b_loyalty.plugin_api.hookspecs import PROJECT_NAME, CoreHookSpecs
from b2b_loyalty.plugin_api.types import PluginManifest

ENTRY_POINT_GROUP = "b2b_loyalty.plugins"
BUNDLED_PACKAGE = "plugins"
EXTENSION_KEY = "b2b_loyalty.plugins"
CORE_PLUGIN_NAME = "core"


class PluginError(RuntimeError):
    """A plugin cannot be loaded as configured (unknown, missing dependency, bad hook)."""


@dataclass
class PluginHost:
    manager: pluggy.PluginManager
    enabled: list[str] = field(default_factory=list)
    manifests: dict[str, PluginManifest] = field(default_factory=dict)

    def call(self, hook_name: str, **kwargs: Any) -> list[Any]:
        """Call a hook and flatten the lists its implementations return."""
        results = getattr(self.manager.hook, hook_name)(**kwargs)
        flat: list[Any] = []
        for result in results:
            if result is None:
                continue
            if isinstance(result, list | tuple):
                flat.extend(result)
            else:
                flat.append(result)
        return flat

    def call_sorted(self, hook_name: str, key: Callable[[Any], Any], **kwargs: Any) -> list[Any]:
        """Call a hook and sort its results by ``key`` (weight or stage), then by repr.

        The secondary key makes equal weights deterministic instead of depending
        on registration order.
        """
        return sorted(self.call(hook_name, **kwargs), key=lambda item: (key(item), repr(item)))

    def plugin_blueprints(self) -> list[Any]:
        """Blueprints from every plugin, each checked to live in its plugin's namespace.

        A blueprint named after another plugin (or the core) would shadow its
        endpoints and templates, so a name outside ``<plugin>`` / ``<plugin>_*``
        stops the start-up.
        """
        blueprints = []
        for impl in self.manager.hook.blueprints.get_hookimpls():
            owner = impl.plugin_name
            for blueprint in impl.function() or ():
                if owner in self.manifests and not (
                    blueprint.name == owner or blueprint.name.startswith(owner + "_")
                ):
                    raise PluginError(
                        f"plugin {owner!r} registers blueprint {blueprint.name!r}; "
                        f"plugin blueprints must be named {owner!r} or start with '{owner}_'"
                    )
                blueprints.append(blueprint)
        return blueprints

    def migration_directories(self) -> list[str]:
        return [m.migrations for m in self.manifests.values() if m.migrations]

    def is_enabled(self, name: str) -> bool:
        return name in self.enabled


def discover_entry_points() -> dict[str, EntryPoint]:
    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


def bundled_names(found: dict[str, EntryPoint]) -> list[str]:
    return sorted(
        name
        for name, ep in found.items()
        if ep.value.split(":")[0].split(".")[0] == BUNDLED_PACKAGE
    )


def _manifest_of(plugin: object, name: str) -> PluginManifest:
    declare = getattr(plugin, "plugin_manifest", None)
    if declare is None:
        raise PluginError(f"plugin {name!r} does not implement plugin_manifest")
    manifest = declare()
    if manifest.name != name:
        raise PluginError(
            f"plugin registered as {name!r} declares the name {manifest.name!r} in its manifest"
        )
    return manifest


def create_plugin_host(app: Flask, core_plugins: Iterable[object]) -> PluginHost:
    """Build the app's PluginManager: core hook implementations, then enabled plugins."""
    manager = pluggy.PluginManager(PROJECT_NAME)
    manager.add_hookspecs(CoreHookSpecs)
    for plugin in core_plugins:
        manager.register(plugin, name=f"{CORE_PLUGIN_NAME}.{plugin.__name__.rsplit('.', 1)[-1]}")

    found = discover_entry_points()
    wanted = enabled_plugin_names(app.config.get("B2B_LOYALTY_PLUGINS"), bundled_names(found))
    unknown = [name for name in wanted if name not in found]
    if unknown:
        available = ", ".join(sorted(found)) or "none installed"
        raise PluginError(
            f"B2B_LOYALTY_PLUGINS names unknown plugin(s): {', '.join(unknown)} "
            f"(available: {available})"
        )

    host = PluginHost(manager=manager)
    for name in wanted:
        plugin = found[name].load()
        if isinstance(plugin, str):  # an entry point may name a module by string
            plugin = importlib.import_module(plugin)
        manager.register(plugin, name=name)
        host.manifests[name] = _manifest_of(plugin, name)
    for name, manifest in host.manifests.items():
        missing = [dep for dep in manifest.depends if dep not in host.manifests]
        if missing:
            raise PluginError(
                f"plugin {name!r} needs plugin(s) {', '.join(missing)}; enable them too"
            )
    host.enabled = list(host.manifests)
    # A hook implementation whose name matches no spec is a typo: fail loudly now.
    try:
        manager.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginError(str(exc)) from exc
    return host


def plugin_host(app: Flask | None = None) -> PluginHost:
    return (app or current_app).extensions[EXTENSION_KEY]
