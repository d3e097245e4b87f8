"""The import directions of the architecture, enforced over the source tree."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

FORBIDDEN = {
    "graph": {"web", "loaders", "gcx", "flask"},
    "loaders": {"web", "gcx", "flask"},
    "web": {"loaders", "gcx", "graph.store.embedded", "graph.store.neo4j_store"},
}


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_point_inward(package: str) -> None:
    offenders = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for name in imports(path):
            for banned in FORBIDDEN[package]:
                if name == banned or name.startswith(banned + "."):
                    offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []


def test_product_code_never_reads_the_raw_harvest() -> None:
    for package in ("graph", "loaders", "web", "gcx"):
        for path in (ROOT / package).rglob("*.py"):
            assert "shared/data" not in path.read_text(encoding="utf-8"), path
