"""The code map holds: packages import no private names of other packages (the layer order itself
is checked by import-linter in `make test`, see pyproject.toml)."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "tierwise"


def _package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_no_private_name_is_imported_across_packages() -> None:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        module = ".".join(path.relative_to(SRC.parent).with_suffix("").parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom) or not (node.module or "").startswith("tierwise."):
                continue
            if _package(node.module or "") == _package(module):
                continue
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    where = f"{path.relative_to(SRC.parent)}:{node.lineno}"
                    found.append(f"{where} imports {node.module}.{alias.name}")
    listed = "\n".join(found)
    assert not found, f"private names used across packages (make them public, or move the code):\n{listed}"
