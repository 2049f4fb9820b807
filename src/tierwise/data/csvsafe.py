"""Text cells of a CSV the product writes, made safe to open in a spreadsheet.

A CSV has no cell types: Excel, WPS and LibreOffice read a cell starting with ``=``, ``+``,
``-`` or ``@`` (or a tab or carriage return before one) as a formula, so a customer named
``=HYPERLINK("http://evil", "点我")`` becomes a live link in the export a manager opens. Such
a text cell is written with a leading apostrophe, as OWASP recommends, which spreadsheets show
as text; a plain number (``-120.5``, ``+86``) is left as it is. Our xlsx files type their cells
and need none of this (:mod:`tierwise.data.xlsx`).

An import's rejected rows (``FILE.rejected.csv``) are written the same way, in the engine
(:func:`safe_sql`), and an import reads such an apostrophe back off (:func:`unquoted_sql`): the
file opens safely, and once mended imports as the person had it, whether a spreadsheet saved it
(which drops the apostrophe) or it was edited as text (which keeps it).
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["csv_safe", "safe_sql", "unquoted_sql"]

RISKY = r"^[=+\-@\t\r]"
NUMBER = r"^[+-]?[0-9]+([.,][0-9]+)*$"
QUOTED = r"^'[=+\-@\t\r]"  # a cell written with the apostrophe


def _safe(column: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray | pa.Array:
    risky = pc.and_(pc.match_substring_regex(column, RISKY),
                    pc.invert(pc.match_substring_regex(column, NUMBER)))
    return pc.if_else(risky, pc.binary_join_element_wise("'", column, ""), column)


def csv_safe(data: pa.Table | pa.RecordBatch) -> pa.Table | pa.RecordBatch:
    """``data`` with every text cell a spreadsheet would read as a formula prefixed with ``'``."""
    for i, field in enumerate(data.schema):
        if pa.types.is_string(field.type) or pa.types.is_large_string(field.type):
            column = data.column(i)
            if pc.any(pc.match_substring_regex(column, RISKY)).as_py():
                data = data.set_column(i, field, _safe(column))
    return data


def _literal(pattern: str) -> str:
    return "'" + pattern.replace("'", "''") + "'"


def safe_sql(expr: str) -> str:
    """SQL of the text ``expr`` made safe as :func:`csv_safe` makes a cell."""
    return (f"CASE WHEN regexp_matches({expr}, {_literal(RISKY)}) AND NOT regexp_matches({expr}, "
            f"{_literal(NUMBER)}) THEN concat(chr(39), {expr}) ELSE {expr} END")


def unquoted_sql(expr: str) -> str:
    """SQL of the text ``expr`` without the apostrophe :func:`safe_sql` writes before it."""
    return f"CASE WHEN regexp_matches({expr}, {_literal(QUOTED)}) THEN substr({expr}, 2) ELSE {expr} END"
