"""The Excel writer: every value read back by openpyxl as it was written, in every row of
every chunk, typed, formatted, and never a formula."""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tierwise.data import xlsx
from tierwise.data.xlsx import XlsxSheet, write_xlsx
from tierwise.errors import ConfigError

HOSTILE = ["=HYPERLINK(\"http://x\",\"y\")", "+1", "-2", "@SUM(A1)", "<!--<script>&amp;</script>",
           "a\x01b\x1fc", "line\r\nbreak\ttab", "_x0041_ stays", "  padded  ", "客户名称", "😀 emoji", ""]


def _excel(value: object) -> object:
    """Text as Excel shows it: openpyxl leaves the ``_xHHHH_`` escapes of the file as they are
    (``_x0001_`` a control character, ``_x005F_`` the underscore of text that reads like one)."""
    if not isinstance(value, str):
        return value
    return re.sub("_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), value)


def _read(path: Path, name: str) -> list[tuple[object, ...]]:
    wb = openpyxl.load_workbook(path)
    return [tuple(_excel(v) for v in row) for row in wb[name].iter_rows(values_only=True)]


def _sheet(table: pa.Table, formats: list[str | None] | None = None, name: str = "data") -> XlsxSheet:
    return XlsxSheet(name, table, table.column_names, formats or [None] * table.num_columns,
                     [12.0] * table.num_columns, f"tbl_{name}")


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx, "CHUNK", 5)  # rows spliced in several chunks


def test_every_type_reads_back_typed_and_formatted(tmp_path: Path, small_chunks: None) -> None:
    n = 23
    table = pa.table({
        "name": pa.array([HOSTILE[i % len(HOSTILE)] if i % 7 else None for i in range(n)]),
        "count": pa.array([i * 1000 - 5000 if i % 5 else None for i in range(n)], pa.int64()),
        "money": pa.array([Decimal(f"{i * 12345.67 - 100000:.2f}") for i in range(n)], pa.decimal128(18, 2)),
        "share": pa.array([float("nan") if i == 3 else float("inf") if i == 4 else i / 7 for i in range(n)]),
        "day": pa.array([date(2026, 1, 1 + i) for i in range(n)]),
        "at": pa.array([datetime(2026, 3, 1, 12, 30) for _ in range(n)], pa.timestamp("us")),
        "held": pa.array([i % 2 == 0 for i in range(n)]),
    })
    formats = [None, "#,##0", "#,##0.00", "0.0%", "yyyy-mm-dd", "yyyy-mm-dd hh:mm", None]
    path = tmp_path / "out.xlsx"
    write_xlsx(path, [_sheet(table, formats)])

    wb = openpyxl.load_workbook(path)
    sheet = wb["data"]
    rows = _read(path, "data")
    assert rows[0] == tuple(table.column_names)
    assert len(rows) == n + 1
    for i, (row, want) in enumerate(zip(rows[1:], table.to_pylist(), strict=True)):
        assert row[0] == (want["name"] or None), i  # Excel has no empty text: no cell
        assert row[1] == want["count"], i
        assert Decimal(str(row[2])) == want["money"], i
        if i in (3, 4):
            assert row[3] is None  # NaN and infinity: empty, Excel holds neither
        else:
            assert row[3] == pytest.approx(want["share"], rel=1e-15)
        assert row[4] == datetime.combine(want["day"], datetime.min.time()), i
        assert row[5] == want["at"], i
        assert row[6] is want["held"], i
    for r in (3, 10, n + 1):  # a spliced row, a row of another chunk, XlsxWriter's last row
        assert sheet.cell(r, 2).number_format == "#,##0"
        assert sheet.cell(r, 3).number_format == "#,##0.00"
        assert sheet.cell(r, 4).number_format == "0.0%"
        assert sheet.cell(r, 5).number_format == "yyyy-mm-dd"
        assert sheet.cell(r, 1).data_type == "s"  # "=HYPERLINK(...)" too: text, not a formula
    assert sheet.freeze_panes == "A2"
    assert sheet.tables["tbl_data"].ref == f"A1:G{n + 1}"
    assert sheet.dimensions == f"A1:G{n + 1}"


def test_no_cell_is_ever_a_formula(tmp_path: Path) -> None:
    table = pa.table({"name": [*HOSTILE * 3, "last"]})
    path = tmp_path / "hostile.xlsx"
    write_xlsx(path, [_sheet(table)])
    with zipfile.ZipFile(path) as z:
        assert "<f>" not in z.read("xl/worksheets/sheet1.xml").decode()
    assert [r[0] for r in _read(path, "data")[1:]] == [v or None for v in [*HOSTILE * 3, "last"]]


def test_spaces_kept_where_a_reader_would_trim_them(tmp_path: Path) -> None:
    """xml:space="preserve" where Excel would otherwise trim or collapse the white space, and
    nowhere else (it was a sixth of a big workbook's XML); the sheets are deflated (ISA-L)."""
    values = ["plain", None, "中文 名称", " lead", "trail ", "a  b", "tab\tin", "line\nbreak"]
    path = tmp_path / "spaces.xlsx"
    write_xlsx(path, [_sheet(pa.table({"name": values}))])
    with zipfile.ZipFile(path) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
        info = z.getinfo("xl/worksheets/sheet1.xml")
    kept = re.findall(r'<t xml:space="preserve">([^<]*)</t>', xml)
    assert kept == [" lead", "trail ", "a  b", "tab\tin", "line\nbreak"]
    assert "<t>plain</t>" in xml and "<t>中文 名称</t>" in xml
    assert [r[0] for r in _read(path, "data")[1:]] == values
    assert info.compress_type == zipfile.ZIP_DEFLATED and info.compress_size < info.file_size


@pytest.mark.parametrize("rows", [0, 1, 2, 3])
def test_short_sheets(tmp_path: Path, rows: int) -> None:
    table = pa.table({"a": list(range(rows)), "b": [f"x{i}" for i in range(rows)]})
    path = tmp_path / "short.xlsx"
    write_xlsx(path, [_sheet(table, ["#,##0", None])])
    wb = openpyxl.load_workbook(path)
    got = list(wb["data"].iter_rows(values_only=True))
    assert got == [("a", "b"), *[(i, f"x{i}") for i in range(rows)]]
    # Excel wants a row under the header
    assert wb["data"].tables["tbl_data"].ref == f"A1:B{max(2, rows + 1)}"


def test_several_sheets_and_shared_formats(tmp_path: Path, small_chunks: None) -> None:
    one = pa.table({"n": list(range(12)), "v": [i / 3 for i in range(12)]})
    two = pa.table({"v": [i / 4 for i in range(9)], "n": list(range(9))})
    path = tmp_path / "two.xlsx"
    write_xlsx(path, [_sheet(one, ["#,##0", "0.0%"], "one"), _sheet(two, ["0.0%", "#,##0"], "客户")])
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["one", "客户"]
    assert wb["客户"].cell(3, 1).number_format == "0.0%"
    assert wb["客户"].cell(3, 2).number_format == "#,##0"
    assert [r[1] for r in wb["客户"].iter_rows(min_row=2, values_only=True)] == list(range(9))


def test_refuses_more_rows_than_a_sheet_holds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx, "EXCEL_MAX_ROWS", 3)
    path = tmp_path / "big.xlsx"
    with pytest.raises(ConfigError, match="do not fit one Excel sheet"):
        write_xlsx(path, [_sheet(pa.table({"a": [1, 2, 3, 4]}))])
    assert not path.exists()


def test_a_failed_write_leaves_the_old_file(tmp_path: Path, small_chunks: None,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "kept.xlsx"
    write_xlsx(path, [_sheet(pa.table({"a": [1, 2, 3]}))])
    before = path.read_bytes()
    with pytest.raises(TypeError, match="column b of type list<item: int64> cannot be written"):
        write_xlsx(path, [_sheet(pa.table({"a": [1, 2, 3], "b": pa.array([[1], [2], [3]])}))])
    cells, calls = xlsx._cell_pieces, []

    def full_disk(*args: object) -> object:  # the second chunk fails, half the rows written
        calls.append(1)
        if len(calls) > 1:
            raise OSError(28, "No space left on device")
        return cells(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(xlsx, "_cell_pieces", full_disk)
    with pytest.raises(OSError, match="No space left"):
        write_xlsx(path, [_sheet(pa.table({"a": list(range(20))}))])
    assert len(calls) >= 2  # the next batch may be under way when the failure is read
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["kept.xlsx"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.one_of(st.none(), st.text(st.characters(exclude_categories=["Cs"]),
                                                       max_size=30)),
                          st.one_of(st.none(), st.integers(-(2**53), 2**53)),
                          st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False, width=64))),
                min_size=0, max_size=30))
def test_any_values_read_back(tmp_path: Path, small_chunks: None,
                              rows: list[tuple[str | None, int | None, float | None]]) -> None:
    table = pa.table({"t": pa.array([r[0] for r in rows], pa.string()),
                      "i": pa.array([r[1] for r in rows], pa.int64()),
                      "f": pa.array([r[2] for r in rows], pa.float64())})
    path = tmp_path / "any.xlsx"
    write_xlsx(path, [_sheet(table)])
    got = _read(path, "data")[1:]
    got += [(None, None, None)] * (len(rows) - len(got))  # trailing empty rows hold no cells
    assert len(got) == len(rows)
    for (t, i, f), (rt, ri, rf) in zip(rows, got, strict=True):
        assert rt == (t or None)  # Excel has no empty text: an empty string reads back as no value
        assert ri == i
        if f is None:
            assert rf is None
        else:
            assert rf == pytest.approx(f, rel=1e-15, abs=1e-300)


# what the writer escapes, and the characters beside which a byte check could go wrong
_TRICKY = st.lists(st.sampled_from([
    "&", "<", ">", "_", "x", "0", "A", "_x0041_", " ", "\t", "\n", "\r", "\x0b", "\x0c", "\x01", "\x1f",
    "\ufffe", "\uffff", "\ufeff", "￼", "，", "客", "a", "\u3000", "\xa0"]), max_size=8).map("".join)


def _escaped(value: str | None) -> str | None:
    """What a cell holds for ``value``, as Excel escapes it: written plainly, one character at
    a time."""
    if not value:
        return None
    value = re.sub("(_x[0-9a-fA-F]{4}_)", r"_x005F\1", value)
    for code in [*range(0x09), *range(0x0B, 0x20), 0xFFFE, 0xFFFF]:
        value = value.replace(chr(code), f"_x{code:04X}_")
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), _TRICKY), max_size=8), st.integers(0, 3))
@example([" "], 1).via("a one-space value")
@example(["a", "b\uffff"], 2).via("a noncharacter after the first value")
def test_text_escaped_and_spaces_marked_whatever_the_batch_holds(values: list[str | None], cut: int) -> None:
    """The writer looks at a batch's raw bytes before it runs each escape over the text (the
    slow part of writing a million reasons): whatever the values, and wherever the batch
    starts in its buffers, the cells read as if every escape had run."""
    column = pa.array(["skipped"] * cut + values, pa.string()).slice(cut)
    text = xlsx._text(pa.chunked_array([column]))
    assert text.to_pylist() == [_escaped(v) for v in values]
    spaced = xlsx._spaced(text)
    white = "[\t\n\f\r ]"  # RE2's \s, which the writer's pattern uses
    want = [bool(e and re.search(f"^{white}|{white}$|{white}{{2}}|[\t\n]", e)) for e in map(_escaped, values)]
    assert (spaced.to_pylist() if spaced is not None else [False] * len(values)) == want
