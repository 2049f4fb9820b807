"""Excel workbooks written from Arrow tables, at the speed of the engine that made them.

XlsxWriter builds every part of the package: the workbook, sheet names, column widths, frozen
header, number formats, the Excel table (filters, banded style) of each sheet, and the header
row of each sheet. The rows below are the only part it does not write: a cell at
a time through Python, they took 27 s for the demo's 4M-cell report (openpyxl 53 s), and its
``add_table`` walks every row of the range (17 s of 29 at 100,000 customers). They are
rendered instead as SpreadsheetML by Arrow compute kernels, 65,536 rows at a time, and
spliced into the sheet's ``<sheetData>`` as the package is copied into place, the sheet's
dimension and its table's range stretched over them (3 s for the demo's report).
Every cell is typed by its column:

- text as an inline string (``t="inlineStr"``): a customer named ``=HYPERLINK(...)`` stays
  text, never a formula; control characters are escaped as Excel escapes them (``_x0001_``),
  so they read back as they were; text is cut at Excel's 32,767 characters;
- numbers (integers, decimals, floats) as numbers with the column's format, NaN and infinities
  as empty cells; dates and timestamps as Excel serial days with the column's date format;
  booleans as TRUE / FALSE;
- nulls as no cell at all.

The file is written next to ``path`` and renamed into place: a failure never leaves half a
workbook.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import deque
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from tierwise.errors import ConfigError, DataError

EXCEL_MAX_ROWS = 1_048_575  # one sheet, below the header
TEXT_MAX = 32_767  # characters in one cell
CHUNK = 65_536  # rows rendered at once
RENDERERS = 2  # batches rendered side by side
_CONTROL = "[\x00-\x08\x0b-\x1f\ufffe\uffff]"  # what XML 1.0 cannot hold, and the carriage return
_ESCAPED = "(_x[0-9a-fA-F]{4}_)"  # Excel's own escape, read back as the character it names
_SPACED = r"^\s|\s$|\s\s|[\t\n]"  # text whose white space XML readers may trim or collapse
_EPOCH = 25_569  # 1970-01-01 as an Excel serial day (the 1900 date system)


class Rows(Protocol):
    """What a sheet's rows come from: an Arrow table, or rows kept on an engine and read in
    batches (the workbook's sheets of a million customers stay in DuckDB until written)."""

    @property
    def num_rows(self) -> int: ...

    @property
    def schema(self) -> pa.Schema: ...

    def to_batches(self, max_chunksize: int | None = None) -> Iterable[pa.RecordBatch]: ...


@dataclass(frozen=True)
class XlsxSheet:
    """One sheet: its rows, the header of each column, and how each column looks.

    Parameters
    ----------
    name
        The sheet's name (at most 31 characters, none of ``[]:*?/\\``).
    table
        The rows, one column per header: a ``pyarrow.Table`` or any :class:`Rows`.
    headers
        The header row (unique: an Excel table requires it).
    formats
        Each column's Excel number format (``None``: general).
    widths
        Each column's width in characters.
    table_name
        The Excel table spread over the sheet's range (``None``: no table).
    """

    name: str
    table: Rows
    headers: Sequence[str]
    formats: Sequence[str | None]
    widths: Sequence[float]
    table_name: str | None = None


def write_xlsx(path: Path, sheets: Sequence[XlsxSheet], *, on_sheet: Any = None) -> None:
    """Write ``sheets`` to the workbook ``path``.

    Parameters
    ----------
    path
        The .xlsx file, replaced when it exists.
    sheets
        The sheets in order.
    on_sheet
        Called with (index, sheet) before each sheet's rows are written: a progress hook.
    """
    for s in sheets:
        if s.table.num_rows > EXCEL_MAX_ROWS:
            raise ConfigError(f"sheet {s.name}: {s.table.num_rows:,} rows do not fit one Excel sheet "
                              f"(1,048,575) / 工作表 {s.name} 行数超过 Excel 上限")
        if not len(s.headers) == len(s.formats) == len(s.widths) == len(s.table.schema):
            raise ValueError(f"sheet {s.name}: one header, format and width per column")
        for field in s.table.schema:
            if not _writable(field.type):
                raise TypeError(f"sheet {s.name}: column {field.name} of type {field.type} cannot be "
                                f"written to Excel")
    skeleton, styles, tables = _skeleton(sheets)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.partial")
    try:
        with zipfile.ZipFile(io.BytesIO(skeleton)) as src, \
                zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
            parts = {f"xl/worksheets/sheet{i + 1}.xml": i for i in range(len(sheets))}
            for info in src.infolist():
                i = parts.get(info.filename)
                if info.filename in tables:  # the table over the whole range, not the first row
                    first, whole = tables[info.filename]
                    dst.writestr(info, src.read(info).decode().replace(f'ref="{first}"', f'ref="{whole}"'))
                elif i is None:
                    dst.writestr(info, src.read(info))
                else:
                    if on_sheet is not None:
                        on_sheet(i, sheets[i])
                    _splice(src.read(info).decode(), sheets[i].table, styles[i], dst, info.filename)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def _skeleton(sheets: Sequence[XlsxSheet]) -> tuple[bytes, list[list[int]], dict[str, tuple[str, str]]]:
    """The package XlsxWriter writes with each sheet's header and a placeholder row of blank
    formatted cells (and the Excel table over them); each column's style index, for the rows
    spliced in instead of the placeholder; and each table part's range as written and as it is
    to be (the whole sheet)."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"strings_to_formulas": False, "strings_to_urls": False,
                                        "strings_to_numbers": False, "nan_inf_to_errors": False})
    formats: list[list[Any]] = []
    tables: dict[str, tuple[str, str]] = {}
    made: dict[str, Any] = {}  # one Format per number format: XlsxWriter indexes the first of equals
    for s in sheets:
        sheet = book.add_worksheet(s.name)
        sheet.freeze_panes(1, 0)
        for j, width in enumerate(s.widths):
            sheet.set_column(j, j, width)
        for f in s.formats:
            if f is not None and f not in made:
                made[f] = book.add_format({"num_format": f})
        cell_formats = [None if f is None else made[f] for f in s.formats]
        formats.append(cell_formats)
        for j, head in enumerate(s.headers):
            sheet.write_string(0, j, head)
        for j, fmt in enumerate(cell_formats):
            if fmt is not None:  # a placeholder row: each format used, so XlsxWriter indexes it
                sheet.write_blank(1, j, None, fmt)
        if s.table_name is not None:
            last = _letter(max(1, len(s.headers)) - 1)
            tables[f"xl/tables/table{len(tables) + 1}.xml"] = (f"A1:{last}2",
                                                               f"A1:{last}{max(2, s.table.num_rows + 1)}")
            sheet.add_table(0, 0, 1, max(1, len(s.headers)) - 1, {
                "name": s.table_name, "style": "Table Style Medium 2",
                "columns": [{"header": h} for h in s.headers]})
    book.close()
    styles = [[0 if f is None else int(f.xf_index or 0) for f in fs] for fs in formats]
    return buffer.getvalue(), styles, tables


def _splice(xml: str, table: Rows, styles: list[int], dst: zipfile.ZipFile, name: str) -> None:
    """Write the sheet part ``name``: XlsxWriter's ``xml`` with the rows of ``table`` rendered
    in after its header (Excel rows 2..n + 1) in place of its placeholder row, and its dimension
    the whole range."""
    rows, width = table.num_rows, len(table.schema)
    dimension = f'<dimension ref="A1:{_letter(width - 1)}{max(1, rows) + 1}"/>'
    xml = re.sub(r'<dimension ref="[^"]*"/>', dimension, xml, count=1)
    cut = xml.index("</sheetData>")
    placeholder = xml.find('<row r="2"', 0, cut)
    if placeholder >= 0:
        xml, cut = xml[:placeholder] + xml[cut:], placeholder
    letters = [_letter(j) for j in range(width)]

    def render(batch: pa.RecordBatch, start: int) -> bytes:
        n = batch.num_rows
        numbers = pc.cast(pa.array(range(start + 2, start + 2 + n), pa.int64()), pa.string())
        pieces: list[Any] = ['<row r="', numbers, '">']
        for j, c in enumerate(batch.columns):
            pieces += _cell_pieces(_clean(c), letters[j], numbers, styles[j])
        return _concat(pc.binary_join_element_wise(*pieces, "</row>", ""))  # one copy of the row

    # rendering (Arrow kernels, without the GIL) is the slow part: RENDERERS batches are
    # rendered side by side while the oldest is compressed (ISA-L, without the GIL too) and
    # written, and the next is read; at most RENDERERS + 1 batches are held at once
    with dst.open(name, "w", force_zip64=True) as out, ThreadPoolExecutor(RENDERERS) as pool:
        _fast_deflate(out)
        out.write(xml[:cut].encode())
        pending: deque[Future[bytes]] = deque()
        start = 0
        for batch in table.to_batches(max_chunksize=CHUNK):
            if not batch.num_rows:
                continue
            pending.append(pool.submit(render, batch, start))
            start += batch.num_rows
            if len(pending) > RENDERERS:
                out.write(pending.popleft().result())
        while pending:
            out.write(pending.popleft().result())
        if start != rows:
            raise DataError(f"sheet part {name}: {start:,} rows read where {rows:,} were counted")
        out.write(xml[cut:].encode())


def _fast_deflate(member: Any) -> None:
    """Deflate the zip member being written with ISA-L (python-isal) instead of zlib: the same
    format and about the same size (11.5% of the XML at level 1, zlib 11.3%), 3.8× faster —
    compressing the 13 GB of sheet XML of a million customers' workbook took zlib 36 s of the
    writing's CPU. The standard writer keeps its compressor in ``_compressor``; when it does not
    (another Python), zlib stays."""
    from isal import isal_zlib

    if getattr(member, "_compressor", None) is not None:
        member._compressor = isal_zlib.compressobj(1, isal_zlib.DEFLATED, -15)


def _cell_pieces(column: pa.Array | pa.ChunkedArray, letter: str, numbers: pa.Array, style: int) -> list[Any]:
    """The pieces of each value of ``column`` as a ``<c>`` element, to be joined into its row:
    the element's parts as they are when the column has no nulls, else the element whole (empty
    where the value is null: no cell)."""
    kind = column.type
    s = f' s="{style}"' if style else ""

    def cell(attrs: str, value: Any, before: Any, after: str) -> list[Any]:
        opening = [f'"{s}{attrs}>{before}'] if isinstance(before, str) else [f'"{s}{attrs}>', before]
        parts = [f'<c r="{letter}', numbers, *opening, value, after]
        if value.null_count == 0:
            return parts
        return [pc.fill_null(pc.binary_join_element_wise(*parts, ""), "")]

    if pa.types.is_null(kind):
        return []
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        text = _text(column)
        # as Excel writes it: xml:space="preserve" only where the spaces would otherwise be lost
        # (20 bytes of every text cell, a sixth of the XML)
        spaced = _spaced(text)
        opening: Any = "<is><t>" if spaced is None else pc.if_else(spaced, '<is><t xml:space="preserve">',
                                                                  "<is><t>")
        return cell(' t="inlineStr"', text, opening, "</t></is></c>")
    if pa.types.is_boolean(kind):
        return cell(' t="b"', pc.cast(pc.cast(column, pa.int8()), pa.string()), "<v>", "</v></c>")
    if pa.types.is_date(kind):
        days = pc.add(pc.cast(pc.cast(column, pa.date32()), pa.int32()), _EPOCH)
        return cell("", pc.cast(days, pa.string()), "<v>", "</v></c>")
    if pa.types.is_timestamp(kind):  # the wall-clock time: Excel has no time zones
        wall = pc.local_timestamp(column) if kind.tz else column
        per_day = 86_400 * {"s": 1, "ms": 1_000, "us": 1_000_000, "ns": 1_000_000_000}[kind.unit]
        ticks = pc.cast(pc.cast(wall, pa.int64()), pa.float64())
        days = pc.add(pc.divide(ticks, float(per_day)), float(_EPOCH))
        return cell("", pc.cast(days, pa.string()), "<v>", "</v></c>")
    if pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_decimal(kind):
        return cell("", pc.cast(column, pa.string()), "<v>", "</v></c>")
    raise TypeError(f"a column of type {kind} cannot be written to Excel")


def _spaced(text: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray | None:
    """Which values of ``text`` (as :func:`_text` leaves it) have white space an XML reader may
    trim or collapse (:data:`_SPACED`); None when none has."""
    if not (_edge_spaces(text) or _any_byte(text, 0x09, 0x0D) or _any_pair(text, b" ", b" ")):
        return None
    spaced = pc.fill_null(pc.match_substring_regex(text, _SPACED), False)
    return spaced if pc.any(spaced).as_py() else None


def _text(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """Text as the content of a ``<t>`` element, escaped as Excel itself escapes it: XML's
    ``& < >``; a control character (and a carriage return, which XML would turn into a line
    feed) as ``_xHHHH_``, and text that already reads ``_xHHHH_`` with its underscore escaped."""
    text = column
    if (pc.max(pc.utf8_length(text)).as_py() or 0) > TEXT_MAX:
        text = pc.utf8_slice_codeunits(text, 0, TEXT_MAX)
    if pc.any(pc.equal(text, "")).as_py():
        text = pc.if_else(pc.equal(text, ""), pa.scalar(None, text.type), text)  # as XlsxWriter: no cell
    # each kernel below runs only where the bytes of the values say it may change something:
    # a look at the raw bytes is ten times faster than Arrow's substring search, and most
    # batches hold none of these characters
    if _any_pair(text, b"_", b"x") and pc.any(pc.match_substring_regex(text, _ESCAPED)).as_py():
        text = pc.replace_substring_regex(text, _ESCAPED, r"_x005F\1")
    if (_any_byte(text, 0x00, 0x08) or _any_byte(text, 0x0B, 0x1F) or _any_pair(text, b"\xef", b"\xbf")) \
            and pc.any(pc.match_substring_regex(text, _CONTROL)).as_py():
        for code in [*range(0x09), *range(0x0B, 0x20), 0xFFFE, 0xFFFF]:
            text = pc.replace_substring(text, chr(code), f"_x{code:04X}_")
    for raw, escaped in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        if _any_byte(text, ord(raw)):
            text = pc.replace_substring(text, raw, escaped)
    return text


# _CONTROL's ASCII (0x00-0x08, 0x0B-0x1F) is looked for byte by byte (a UTF-8 byte below 0x80 is
# a whole character); its \ufffe and \uffff are EF BF BE / EF BF BF


def _raw(column: pa.Array | pa.ChunkedArray) -> list[tuple[np.ndarray, np.ndarray]]:
    """Each chunk's UTF-8 bytes from its first value to its last (what a null hides included:
    a check on them may say yes where nothing is, never no where something is) and the
    offsets of its values into them."""
    out = []
    for chunk in column.chunks if isinstance(column, pa.ChunkedArray) else [column]:
        if len(chunk) == 0:
            continue
        width = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
        offsets = np.frombuffer(chunk.buffers()[1], dtype=width)[chunk.offset:chunk.offset + len(chunk) + 1]
        data = chunk.buffers()[2]
        raw = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8)
        start = int(offsets[0])
        out.append((raw[start:int(offsets[-1])], offsets - start))
    return out


def _any_byte(column: pa.Array | pa.ChunkedArray, low: int, high: int | None = None) -> bool:
    """Whether any value of ``column`` may hold the byte ``low`` (or one from ``low`` to ``high``):
    one pass over the bytes (the 31 control characters compared one at a time took 447 ms of the
    575 of a 600,000-reason batch's escaping)."""
    if high is None:
        return any(bool((data == low).any()) for data, _ in _raw(column))
    return any(bool(((data >= low) & (data <= high)).any()) for data, _ in _raw(column))


def _any_pair(column: pa.Array | pa.ChunkedArray, first: bytes, then: bytes) -> bool:
    """Whether any value of ``column`` may hold the byte ``first`` followed by ``then``: the bytes
    read as 16-bit numbers from an even and from an odd start (two comparisons instead of two
    and a conjunction of byte arrays: 170 → 60 ms for 82 MB of reasons)."""
    pair = int.from_bytes(first + then, "little")
    for data, _ in _raw(column):
        for start in (0, 1):
            part = data[start:]
            if (part[:len(part) // 2 * 2].view(np.uint16) == pair).any():
                return True
    return False


def _edge_spaces(column: pa.Array | pa.ChunkedArray) -> bool:
    """Whether any value of ``column`` may begin or end with a space."""
    for data, offsets in _raw(column):
        starts, ends = offsets[:-1], offsets[1:]
        full = ends > starts
        if (data[starts[full]] == 0x20).any() or (data[ends[full] - 1] == 0x20).any():
            return True
    return False


def _writable(kind: pa.DataType) -> bool:
    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_boolean(kind)
                or pa.types.is_date(kind) or pa.types.is_timestamp(kind) or pa.types.is_integer(kind)
                or pa.types.is_floating(kind) or pa.types.is_decimal(kind) or pa.types.is_null(kind))


def _clean(column: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray | pa.Array:
    """Dictionary-encoded columns decoded; NaN and infinities as empty cells."""
    kind = column.type
    if pa.types.is_dictionary(kind):
        column = pc.cast(column, kind.value_type)
        kind = column.type
    if pa.types.is_floating(kind):
        return pc.if_else(pc.is_finite(column), column, pa.scalar(None, kind))
    return column


def _concat(rendered: pa.Array | pa.ChunkedArray) -> bytes:
    """The strings of ``rendered`` (no nulls) back to back, as UTF-8: their data buffer."""
    out = []
    for chunk in rendered.chunks if isinstance(rendered, pa.ChunkedArray) else [rendered]:
        width = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
        offsets = np.frombuffer(chunk.buffers()[1], dtype=width)[chunk.offset:chunk.offset + len(chunk) + 1]
        data = chunk.buffers()[2]
        if data is not None and len(offsets) > 1:
            out.append(data.slice(int(offsets[0]), int(offsets[-1] - offsets[0])).to_pybytes())
    return b"".join(out)


def _letter(index: int) -> str:
    """The column letters of the 0-based column ``index`` (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
