"""`domain/` stays pure: it imports only the standard library and itself."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import domain

DOMAIN = Path(domain.__file__).parent
FORBIDDEN = {
    "flask",
    "flask_smorest",
    "sqlalchemy",
    "dramatiq",
    "redis",
    "psycopg",
    "psycopg2",
    "marshmallow",
    "alembic",
    "eventstore",
    "services",
    "api",
    "projections",
    "workers",
}


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_domain_imports_only_the_standard_library_and_itself():
    files = sorted(DOMAIN.rglob("*.py"))
    assert len(files) > 10
    for path in files:
        roots = imported_roots(path)
        assert not roots & FORBIDDEN, f"{path} imports {roots & FORBIDDEN}"
        outside = {
            root for root in roots - {"domain", "__future__"} if root not in sys.stdlib_module_names
        }
        assert not outside, f"{path} imports {outside}, which is not the standard library"
