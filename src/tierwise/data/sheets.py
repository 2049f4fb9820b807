"""Excel sheets read into the engine: cells as text, the header row found, a row number per
record, and the checks that keep a hostile workbook from costing minutes and gigabytes
before a row is read (Excel's own size limits, the unpacked size of the package)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from tierwise.data import sources
from tierwise.data.sources import MAX_COLUMNS, Source, no_bad_rows, unique_headers
from tierwise.data.values import ident
from tierwise.errors import DataError

EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384  # the most a sheet Excel can open holds


def _cell_text(value: object) -> str | None:
    """A cell as text the value parsers read: dates ISO, whole floats without '.0'."""
    import datetime as dt

    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d" if value.time() == dt.time() else "%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


def read_sheet(con: duckdb.DuckDBPyConnection, path: Path, sheet: str | None) -> Source:
    import openpyxl
    import pyarrow as pa

    _not_a_bomb(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise DataError(f"{path}: cannot be read as an Excel workbook: {exc}") from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise DataError(f"{path}: no sheet '{sheet}'; sheets are {', '.join(book.sheetnames)}")
        ws = book[sheet] if sheet else book.worksheets[0]
        # the size the sheet declares, before a row is read: past Excel's own limits it is not a
        # sheet anyone saved from Excel (a 663 KB file claiming 2M rows took 100 s and 1.2 GB)
        if (ws.max_row or 0) > EXCEL_ROWS or (ws.max_column or 0) > EXCEL_COLUMNS:
            raise DataError(f"{path}: sheet '{ws.title}' declares {ws.max_row:,} rows x {ws.max_column:,} "
                            f"columns, more than Excel's {EXCEL_ROWS:,} x {EXCEL_COLUMNS:,}: export it as "
                            f"CSV / 工作表超出 Excel 的行列上限，请导出为 CSV")
        rows = ws.iter_rows(values_only=True)
        header_row, headers = 0, []
        for header_row, row in enumerate(rows, start=1):  # noqa: B007 - used after the loop
            if any(v is not None and str(v).strip() for v in row):
                headers = unique_headers(list(row), path)
                break
        if not headers:
            raise DataError(f"{path}: sheet '{ws.title}' is empty; it needs a header row")
        width = len(headers)
        columns: list[list[str | None]] = [[] for _ in range(width)]
        numbers: list[int] = []
        blank = 0
        for number, row in enumerate(rows, start=header_row + 1):
            if number > EXCEL_ROWS:  # a sheet without its size declared
                raise DataError(f"{path}: sheet '{ws.title}' goes past row {EXCEL_ROWS:,}, more than Excel "
                                f"holds: export it as CSV / 工作表超过 Excel 的行数上限，请导出为 CSV")
            texts = [_cell_text(v) for v in row]
            if not any(t is not None and t.strip() for t in texts):
                blank += 1
                continue
            if len(texts) > width and any(t for t in texts[width:]):
                if len(texts) > MAX_COLUMNS:
                    raise DataError(f"{path}: row {number} has {len(texts):,} cells; a file has at "
                                    f"most {MAX_COLUMNS} columns / "
                                    f"第 {number} 行列数过多（最多 {MAX_COLUMNS} 列）")
                for i in range(width, len(texts)):  # cells right of the header keep a name
                    headers.append(f"column {i + 1}")
                    columns.append([None] * len(numbers))
                width = len(headers)
            texts += [None] * (width - len(texts))
            for i in range(width):
                columns[i].append(texts[i])
            numbers.append(number)
    finally:
        book.close()
    data = {"_row": pa.array(numbers, pa.int64())}
    data.update({f"c{i}": pa.array(col, pa.string()) for i, col in enumerate(columns)})
    con.register("_tw_arrow", pa.table(data))
    cols = ", ".join(f"c{i} AS {ident(h)}" for i, h in enumerate(headers))
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE _tw_raw AS SELECT _row, {cols} FROM _tw_arrow")
    finally:
        con.unregister("_tw_arrow")
    no_bad_rows(con)
    return Source(path, "xlsx", headers, dict.fromkeys(headers, "VARCHAR"), relation="_tw_raw",
                  blank=blank)


def _not_a_bomb(path: Path) -> None:
    """Refuse a workbook (a zip) whose parts unpack to more than :data:`UNPACK_RATIO` times its
    size and more than :data:`UNPACK_FREE` (as :func:`unpack` refuses a packed file)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(m.file_size for m in archive.infolist())
    except zipfile.BadZipFile:
        raise DataError(f"{path}: cannot be read as an Excel workbook (not a zip package) / "
                        f"不是有效的 Excel 文件") from None
    ratio = sources.UNPACK_RATIO  # read here, not imported: a test lowers the allowance
    cap = max(sources.UNPACK_FREE, ratio * path.stat().st_size)
    if unpacked > cap:
        mib = f"{cap // 2**20:,} MiB"
        raise DataError(f"{path}: unpacks to {unpacked / 2**20:,.0f} MiB, more than {mib} ({ratio} "
                        f"times its size); export it as CSV if that is right / "
                        f"解压后超过 {mib}，请导出为 CSV")
