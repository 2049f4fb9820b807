"""Documentation that is generated from code must match the code."""

from __future__ import annotations

from pathlib import Path

from tierwise.store.schema import table_markdown

ROOT = Path(__file__).resolve().parent.parent


def test_tables_reference_matches_the_schema() -> None:
    doc = (ROOT / "docs" / "tables.md").read_text(encoding="utf-8")
    assert table_markdown("en").strip() in doc, (
        "docs/tables.md is stale: regenerate it from `tierwise tables --markdown`")


def test_readme_quick_start_is_the_two_make_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start", 1)[1].split("##", 1)[0]
    commands = [line.split("#")[0].strip() for line in quick.splitlines()
                if line.startswith("make ")]
    assert commands == ["make demo", "make test"]


def test_operations_reference_matches_the_code() -> None:
    from tierwise.workspace import operations_markdown

    doc = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    assert doc == operations_markdown(), (
        "docs/operations.md is stale: regenerate it as its first lines say")
