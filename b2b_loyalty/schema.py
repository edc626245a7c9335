"""Bringing the database to the latest schema with Alembic (core + enabled plugins).

The core has its own history in ``b2b_loyalty/migrations/versions``; each
plugin with tables ships its own branch (``PluginManifest.migrations``), which
joins ``version_locations`` only while the plugin is enabled. ``heads``
upgrades every branch.
"""

from __future__ import annotations

import os

from alembic.config import Config
from flask import current_app
from flask_migrate import upgrade

from b2b_loyalty.extensions import migrate
from b2b_loyalty.plugin_host import plugin_host


@migrate.configure
def _add_plugin_branches(config: Config) -> Config:
    core_versions = f"{config.get_main_option('script_location')}/versions"
    locations = [core_versions, *plugin_host(current_app).migration_directories()]
    # Alembic splits version_locations on the separator we choose; paths may hold spaces.
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_path_separator", "os")
    config.set_main_option("version_locations", os.pathsep.join(locations))
    return config


def upgrade_database() -> None:
    upgrade(revision="heads")
