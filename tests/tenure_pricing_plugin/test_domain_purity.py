"""The plugin's domain is plain Python: no Flask, SQLAlchemy or web imports."""

from __future__ import annotations

import ast
from pathlib import Path

DOMAIN = Path(__file__).resolve().parents[2] / "plugins" / "tenure_pricing" / "domain"
FORBIDDEN = ("flask", "sqlalchemy", "flask_sqlalchemy", "wtforms", "werkzeug", "jinja2")
ALLOWED_APP_MODULES = ("b2b_loyalty.domain", "plugins.tenure_pricing.domain")


def test_domain_modules_import_only_the_standard_library_and_domains():
    offenders = []
    for path in sorted(DOMAIN.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                modules = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                modules = [node.module or ""]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top in FORBIDDEN or (
                    top in ("b2b_loyalty", "plugins") and not module.startswith(ALLOWED_APP_MODULES)
                ):
                    offenders.append(f"{path.name}: {module}")
    assert offenders == []
    assert len(list(DOMAIN.glob("*.py"))) >= 6
