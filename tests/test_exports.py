"""Exported files are data, never code: text that looks like a formula stays text in Excel."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pyarrow as pa

from tierwise.schemes.store import write_export


def test_xlsx_export_keeps_formula_like_text_as_text(tmp_path: Path) -> None:
    path = tmp_path / "customers.xlsx"
    names = ["=HYPERLINK(\"http://x\",\"点我\")", "=1+1", "广州兴旺建材", None]
    write_export(pa.table({"name": names, "orders": [1, 2, 3, 4]}), path, sheet="customers")
    sheet_xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml  # no cell holds a formula
    cells = openpyxl.load_workbook(path)["customers"]
    assert [cells[f"A{r}"].value for r in range(2, 6)] == names
    assert {cells[f"A{r}"].data_type for r in (2, 3, 4)} == {"s"}
