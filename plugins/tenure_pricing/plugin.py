"""Contract-based tenure pricing (skeleton: the manifest only, for now)."""

from b2b_loyalty.plugin_api import PluginManifest, hookimpl


@hookimpl
def plugin_manifest() -> PluginManifest:
    return PluginManifest(name="tenure_pricing", title="Tenure pricing")
