"""Writing the workbook's sheets (reports/workbook.py builds them): each an Excel table with its
number formats, column widths and a table name of its own."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa

from tierwise import progress
from tierwise.data.xlsx import XlsxSheet, write_xlsx
from tierwise.reports.snapshot import pick

if TYPE_CHECKING:
    from tierwise.reports.workbook_book import Sheet

MONEY_FORMAT, SHARE_FORMAT, INT_FORMAT, DATE_FORMAT = "#,##0.00", "0.0%", "#,##0", "yyyy-mm-dd"
SHARES = {"share", "revenue_share", "change", "on_time_ratio", "credit_utilization", "utilisation",
          "revenue_top_share", "revenue_cum_share", "cost_coverage", "growth", "coverage", "effort_share",
          "revenue_attainment", "new_customers_attainment", "visits_attainment"}
NUMBERS = {"planned_visits", "planned_contacts", "planned_per_customer", "contacts_per_customer"}  # 0.0
WIDE = {"reason": 80, "hold_reason": 60, "note": 100}

def _number_format(name: str, kind: pa.DataType) -> str | None:
    if pa.types.is_date(kind) or pa.types.is_timestamp(kind):
        return DATE_FORMAT
    if pa.types.is_decimal(kind):
        return MONEY_FORMAT
    if pa.types.is_integer(kind):
        return INT_FORMAT
    if pa.types.is_floating(kind):
        return SHARE_FORMAT if name in SHARES else "#,##0.0" if name in NUMBERS else MONEY_FORMAT
    return None


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _column_width(name: str, head: str, column: pa.ChunkedArray, fmt: str | None) -> float:
    if name in WIDE:
        return WIDE[name]
    if fmt == DATE_FORMAT:
        return max(12, _width(head) + 2)
    sample = column.slice(0, 500).to_pylist()
    longest = max((_width(f"{v:,.2f}" if fmt and isinstance(v, (int, float)) else str(v))
                   for v in sample if v is not None), default=0)
    return float(min(60, max(8, longest + 2, _width(head) + 3)))


def _table_name(sheet: str, taken: set[str]) -> str:
    base = "tbl_" + (re.sub(r"[^A-Za-z0-9_]", "_", sheet).strip("_") or "sheet")
    name, i = base, 2
    while name.lower() in taken:
        name, i = f"{base}_{i}", i + 1
    taken.add(name.lower())
    return name


def _xlsx_sheet(sheet: Sheet, lang: str, names: set[str],
                headers: Mapping[str, tuple[str, str]]) -> XlsxSheet:
    table = sheet.table
    heads: list[str] = []
    for name in table.column_names:
        en, zh = sheet.heads.get(name) or headers.get(name) or (name, name)
        head = pick(lang, en, zh)
        while head in heads:  # a table's headers must be unique
            head += " "
        heads.append(head)
    formats = [_number_format(n, f.type) for n, f in zip(table.column_names, table.schema, strict=True)]
    sample = table.slice(0, 500)
    widths = [_column_width(name, head, sample[name], fmt)
              for name, head, fmt in zip(table.column_names, heads, formats, strict=True)]
    return XlsxSheet(sheet.name, table, heads, formats, widths, _table_name(sheet.name, names))


def save(sheets: list[Sheet], path: Path, lang: str, headers: Mapping[str, tuple[str, str]]) -> None:
    """Write ``sheets`` to ``path`` (each a formatted Excel table; column heads from the sheet's
    own, else ``headers``, in ``lang``), reporting progress per sheet."""
    names: set[str] = set()
    book = [_xlsx_sheet(s, lang, names, headers) for s in sheets]

    def on_sheet(i: int, sheet: XlsxSheet) -> None:
        progress.report(0.5 + 0.5 * i / len(book), f"writing {sheet.name}", f"写入 {sheet.name}")

    write_xlsx(path, book, on_sheet=on_sheet)
