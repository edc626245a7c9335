"""The domain package imports neither Flask nor SQLAlchemy (nor anything of the app)."""

from __future__ import annotations

import ast
from pathlib import Path

DOMAIN = Path(__file__).resolve().parent.parent / "b2b_loyalty" / "domain"
FORBIDDEN = ("flask", "sqlalchemy", "flask_sqlalchemy", "wtforms", "werkzeug", "jinja2")


def test_domain_modules_import_only_the_standard_library_and_the_domain():
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
                    top == "b2b_loyalty" and not module.startswith("b2b_loyalty.domain")
                ):
                    offenders.append(f"{path.name}: {module}")
    assert offenders == []
    assert len(list(DOMAIN.glob("*.py"))) > 5
