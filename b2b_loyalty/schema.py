"""Bringing the database to the latest schema with Alembic (core + enabled plugins).

The core has its own history in ``b2b_loyalty/migrations/versions`` (branch
label ``core``); each plugin with tables ships its own branch, labelled with the
plugin's name, in ``<plugin package>/migrations/versions``.

Alembic must be able to *read* every branch recorded in the database, including
those of plugins that were enabled once and are disabled now (otherwise it
cannot locate their revisions), but it *upgrades* only the core and the enabled
plugins: so every installed plugin's folder joins ``version_locations`` and the
upgrade targets are ``core@head`` and ``<plugin>@head`` one by one, never the
global ``heads``.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

from alembic.config import Config
from flask import current_app
from flask_migrate import upgrade

from b2b_loyalty.extensions import migrate
from b2b_loyalty.plugin_host import discover_entry_points, plugin_host

CORE_BRANCH = "core"


def installed_plugin_migration_dirs() -> list[str]:
    """Migration folders of every installed plugin, found without importing the plugin."""
    found = []
    for entry_point in discover_entry_points().values():
        module = entry_point.value.split(":")[0].strip()
        try:
            spec = importlib.util.find_spec(module)
        except (ImportError, ValueError):
            continue
        if spec is None or spec.origin is None:
            continue
        versions = Path(spec.origin).parent / "migrations" / "versions"
        if versions.is_dir():
            found.append(str(versions))
    return found


@migrate.configure
def _add_plugin_branches(config: Config) -> Config:
    core_versions = f"{config.get_main_option('script_location')}/versions"
    locations = [core_versions]
    for folder in (
        plugin_host(current_app).migration_directories() + installed_plugin_migration_dirs()
    ):
        if folder not in locations:
            locations.append(folder)
    # Alembic splits version_locations on the separator we name; paths may hold spaces.
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_path_separator", "os")
    config.set_main_option("version_locations", os.pathsep.join(locations))
    return config


def upgrade_database() -> None:
    """Upgrade the core branch, then the branch of each enabled plugin that has one."""
    upgrade(revision=f"{CORE_BRANCH}@head")
    host = plugin_host(current_app)
    for name, manifest in host.manifests.items():
        if manifest.migrations:
            upgrade(revision=f"{name}@head")
