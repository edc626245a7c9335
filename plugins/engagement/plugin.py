"""Stakeholder engagement tracking (skeleton: the manifest only, for now)."""

from b2b_loyalty.plugin_api import PluginManifest, hookimpl


@hookimpl
def plugin_manifest() -> PluginManifest:
    return PluginManifest(name="engagement", title="Stakeholder engagement")
