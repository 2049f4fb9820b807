"""Turning the generator's numpy arrays into Arrow columns and byte-stable files.

The demo files must be identical for identical arguments, so nothing here writes a clock:
Parquet files carry no pandas metadata, and the ``.xlsx`` zip is rewritten with fixed entry
times and fixed document dates (openpyxl stamps ``now`` into both).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

FIXED_ZIP_TIME = (2020, 1, 1, 0, 0, 0)
FIXED_DOC_TIME = "2020-01-01T00:00:00Z"


def decimal_array(units: np.ndarray, scale: int, null: np.ndarray | None = None) -> pa.Array:
    """A ``decimal128(18, scale)`` column from integer counts of ``10**-scale``.

    Parameters
    ----------
    units : np.ndarray
        int64 unscaled values (cents for ``scale=2``), so sums stay exact.
    scale : int
        Digits after the decimal point.
    null : np.ndarray, optional
        Boolean mask of values to leave blank.
    """
    units = np.ascontiguousarray(units, dtype=np.int64)
    words = np.empty((len(units), 2), dtype="<i8")  # 128-bit little-endian two's complement
    words[:, 0] = units
    words[:, 1] = units >> 63
    validity = None
    if null is not None and null.any():
        validity = pa.py_buffer(np.packbits(~null, bitorder="little").tobytes())
    return pa.Array.from_buffers(pa.decimal128(18, scale), len(units),
                                 [validity, pa.py_buffer(words.tobytes())])


def take_strings(values: Sequence[str] | pa.Array, index: np.ndarray) -> pa.Array:
    """``values[index]`` as an Arrow string column; a negative index gives a blank."""
    idx = pa.array(np.maximum(index, 0), mask=np.asarray(index) < 0)
    table = values if isinstance(values, pa.Array) else pa.array(list(values), pa.string())
    return table.take(idx)


def coded_strings(numbers: np.ndarray, width: int, prefixes: Sequence[str] = ("",),
                  which: np.ndarray | None = None) -> pa.Array:
    """Codes like ``SO00000042`` as an Arrow string column, built without a Python loop.

    Parameters
    ----------
    numbers : np.ndarray
        Non-negative integers, written zero-padded to ``width`` digits.
    width : int
        Digits after the prefix.
    prefixes : Sequence[str]
        ASCII prefixes, all of one length.
    which : np.ndarray, optional
        Index into ``prefixes`` per row (default: the first prefix for every row).
    """
    numbers = np.asarray(numbers, np.int64)
    n, p = len(numbers), len(prefixes[0])
    chars = np.empty((n, p + width), np.uint8)
    table = np.frombuffer("".join(prefixes).encode("ascii"), np.uint8).reshape(len(prefixes), p)
    chars[:, :p] = table[0] if which is None else table[which]
    rest = numbers
    for k in range(p + width - 1, p - 1, -1):
        rest, digit = np.divmod(rest, 10)
        chars[:, k] = digit + ord("0")
    offsets = np.arange(0, (n + 1) * (p + width), p + width, dtype=np.int32)
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(chars))


def timestamps(seconds: np.ndarray) -> pa.Array:
    """Seconds since 1970-01-01 as a ``timestamp[s]`` column."""
    return pa.array(seconds.astype("datetime64[s]"))


def dates(days: np.ndarray, null: np.ndarray | None = None) -> pa.Array:
    """Days since 1970-01-01 as a ``date32`` column; ``null`` marks blanks."""
    return pa.array(days.astype("datetime64[D]"), mask=null)


def integers(values: np.ndarray, null: np.ndarray | None = None) -> pa.Array:
    """An ``int64`` column; ``null`` marks blanks."""
    return pa.array(values.astype(np.int64), mask=null)


def write_parquet(path: Path, columns: dict[str, pa.Array]) -> None:
    """Write ``columns`` as one Parquet file, zstd-compressed, with no varying metadata."""
    pq.write_table(pa.table(columns), path, compression="zstd")


def write_csv(path: Path, columns: dict[str, pa.Array], *, encoding: str = "utf-8",
              bom: bool = False) -> None:
    """Write ``columns`` as CSV: header row unquoted, values quoted only when needed.

    Parameters
    ----------
    path : Path
        Output file.
    columns : dict[str, pa.Array]
        Header -> column; dates print as ``YYYY-MM-DD``, timestamps as ``YYYY-MM-DD HH:MM:SS``.
    encoding : str
        Text encoding of the file (``gbk`` exercises the importer's GBK detection).
    bom : bool
        Start a UTF-8 file with a byte-order mark, as Excel writes it.
    """
    head = io.StringIO()
    csv.writer(head, lineterminator="\n").writerow(list(columns))
    body = pa.BufferOutputStream()
    pcsv.write_csv(pa.table(columns), body,
                   pcsv.WriteOptions(include_header=False, quoting_style="needed"))
    text = head.getvalue().encode("utf-8") + body.getvalue().to_pybytes()
    if encoding.lower().replace("-", "") not in ("utf8", "utf8sig"):
        text = text.decode("utf-8").encode(encoding)
    path.write_bytes((codecs.BOM_UTF8 if bom else b"") + text)


def write_xlsx(path: Path, sheet: str, header: list[str], rows: list[list[object]]) -> None:
    """Write one sheet with openpyxl, then make the file byte-stable (see module docstring)."""
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet
    ws.append(header)
    for row in rows:
        ws.append(row)
    raw = io.BytesIO()
    book.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*",
                              rb"\g<1>" + FIXED_DOC_TIME.encode(), data)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, data)
    path.write_bytes(out.getvalue())
