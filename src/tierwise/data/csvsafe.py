"""Text cells of a CSV the product writes, made safe to open in a spreadsheet.

A CSV has no cell types: Excel, WPS and LibreOffice read a cell starting with ``=``, ``+``,
``-`` or ``@`` (or a tab or carriage return before one) as a formula, so a customer named
``=HYPERLINK("http://evil", "点我")`` becomes a live link in the export a manager opens. Such
a text cell is written with a leading apostrophe, as OWASP recommends, which spreadsheets show
as text; a plain number (``-120.5``, ``+86``) is left as it is. Our xlsx files type their cells
and need none of this (:mod:`tierwise.data.xlsx`).
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["csv_safe"]

RISKY = r"^[=+\-@\t\r]"
NUMBER = r"^[+-]?[0-9]+([.,][0-9]+)*$"


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
