"""Reading stored classifications: snapshots, and the classes of one as a table to export.

Labels come from the scheme text stored with the snapshot, so an export shows the names the
classes had when they were assigned, even after the scheme file was edited.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from tierwise.errors import ConfigError, DataError
from tierwise.schemes import spec as sp

if TYPE_CHECKING:
    from tierwise.store.workspace import Workspace

EXPORT_COLUMNS = ("snapshot_id", "as_of", "customer_id", "scheme", "class", "label_zh", "label_en", "reason")
EXCEL_MAX_ROWS = 1_048_575  # one sheet, below the header


def latest_snapshot(ws: Workspace) -> int:
    row = ws.con.execute("SELECT max(snapshot_id) FROM snapshots").fetchone()
    if not row or row[0] is None:
        raise DataError("no classification yet: run `tierwise classify` first / 还没有分类结果：请先运行 "
                        "tierwise classify")
    return int(row[0])


def snapshot_schemes(ws: Workspace, snapshot_id: int) -> dict[str, sp.SchemeSpec]:
    """The specs (as they were when the snapshot ran) of the schemes in ``snapshot_id``."""
    rows = ws.con.execute(
        "SELECT scheme, spec_yaml, origin FROM snapshot_schemes WHERE snapshot_id = ? ORDER BY scheme",
        [snapshot_id]).fetchall()
    if not rows:
        raise ConfigError(f"no snapshot {snapshot_id}: `tierwise classify` makes one / "
                          f"没有快照 {snapshot_id}")
    return {name: sp.load_text(text, origin) for name, text, origin in rows}


def class_table(ws: Workspace, *, snapshot_id: int | None = None, scheme: str | None = None,
                lang: str = "en") -> pa.Table:
    """Columns :data:`EXPORT_COLUMNS`: each customer's class per scheme, reason in ``lang``."""
    snapshot_id = latest_snapshot(ws) if snapshot_id is None else snapshot_id
    specs = snapshot_schemes(ws, snapshot_id)
    if scheme is not None and scheme not in specs:
        raise ConfigError(f"scheme {scheme!r} is not in snapshot {snapshot_id}; it has "
                          f"{', '.join(specs)} / 快照中没有方案 {scheme!r}")
    labels = pa.table({
        "scheme": [n for n, s in specs.items() for _ in s.classes],
        "class": [c.id for s in specs.values() for c in s.classes],
        "label_zh": [c.label.zh for s in specs.values() for c in s.classes],
        "label_en": [c.label.en for s in specs.values() for c in s.classes],
        "rank": [i for s in specs.values() for i, _ in enumerate(s.classes)],
    })
    reason = "reason_zh" if lang == "zh" else "reason_en"
    con = ws.con
    con.register("_tw_labels", labels)
    try:
        where = "c.snapshot_id = ?"
        params: list[Any] = [snapshot_id]
        if scheme is not None:
            where += " AND c.scheme = ?"
            params.append(scheme)
        return con.execute(
            f"""SELECT c.snapshot_id, s.as_of, c.customer_id, c.scheme, c.class, l.label_zh,
                       l.label_en, c.{reason} AS reason
                FROM classes c JOIN snapshots s USING (snapshot_id)
                LEFT JOIN _tw_labels l ON l.scheme = c.scheme AND l.class = c.class
                WHERE {where} ORDER BY c.scheme, l.rank, c.customer_id""", params).to_arrow_table()
    finally:
        con.unregister("_tw_labels")


def write_export(table: pa.Table, path: Path) -> None:
    """Write ``table`` to ``path`` by its extension: .csv, .parquet or .xlsx."""
    from tierwise.metrics.table import write_table

    suffix = path.suffix.lower()
    if suffix in (".csv", ".parquet"):
        write_table(table, path)
        return
    if suffix != ".xlsx":
        raise ConfigError(f"{path}: write .csv, .parquet or .xlsx / 输出文件请用 .csv、.parquet 或 .xlsx")
    if table.num_rows > EXCEL_MAX_ROWS:
        raise ConfigError(
            f"{path}: {table.num_rows:,} rows do not fit one Excel sheet (1,048,575): pick a scheme "
            f"with --scheme, or write .csv / .parquet / 行数超过 Excel 上限，请用 --scheme 或导出 csv")
    _write_xlsx(table, path)


def _write_xlsx(table: pa.Table, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.worksheet.table import Table, TableStyleInfo

    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook(write_only=True)
    sheet = wb.create_sheet("classes")
    sheet.freeze_panes = "A2"
    widths = {"customer_id": 14, "scheme": 22, "class": 14, "label_zh": 14, "label_en": 18,
              "reason": 90, "as_of": 12, "snapshot_id": 10}
    for i, name in enumerate(table.column_names):
        letter = _column_letter(i)
        sheet.column_dimensions[letter].width = widths.get(name, 14)
    sheet.append(table.column_names)
    dates = [i for i, f in enumerate(table.schema) if pa.types.is_date(f.type)]
    for batch in table.to_batches(65536):
        columns: list[list[Any]] = [col.to_pylist() for col in batch.columns]
        for row in zip(*columns, strict=True):
            values: list[Any] = list(row)
            for i in dates:
                cell = WriteOnlyCell(sheet, value=values[i])
                cell.number_format = "yyyy-mm-dd"
                values[i] = cell
            sheet.append(values)
    ref = f"A1:{_column_letter(table.num_columns - 1)}{table.num_rows + 1}"
    xl_table = Table(displayName="classes", ref=ref)
    xl_table._initialise_columns()  # write-only sheets cannot read the header back
    for column, name in zip(xl_table.tableColumns, table.column_names, strict=True):
        column.name = name
    xl_table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    with warnings.catch_warnings():  # "add table columns manually": done above
        warnings.simplefilter("ignore", UserWarning)
        sheet.add_table(xl_table)
    tmp = path.with_name(f".{path.name}.partial")
    try:
        wb.save(tmp)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index + 1))
