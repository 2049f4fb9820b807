"""File formats and encodings: CSV (UTF-8, BOM, GBK, GB18030, delimiters, quoting, blank
lines), xlsx, Parquet and JSON lines, each read into exact stored values and row numbers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import (
    ORDER_HEADER,
    do_import,
    query,
    read_rejected,
    rejected_by_row,
    run_cli,
    write_csv,
)
from tierwise.errors import DataError
from tierwise.settings import Settings
from tierwise.workspace import Workspace

D = Decimal
T = dt.datetime


def orders(ws: Workspace) -> list[tuple[object, ...]]:
    return ws.db.con.execute(
        "SELECT order_id, line_no, customer_id, order_date, amount FROM orders ORDER BY 1, 2"
    ).fetchall()


# -- CSV encodings -------------------------------------------------------------------------
def test_csv_utf8_with_chinese_values(ws: Workspace, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "o.csv", [ORDER_HEADER, ["单1", "1", "客户甲", "2024-03-05", "1234.5"],
                                       ["单2", "2", "客户乙", "2024-03-06 08:30:00", "-20"]])
    s = do_import(ws, "orders", f)
    assert (s.format, s.encoding) == ("csv", "utf-8")
    assert (s.read, s.accepted, s.inserted, s.rejected, s.blank) == (2, 2, 2, 0, 0)
    assert s.rejected_file is None
    assert orders(ws) == [("单1", 1, "客户甲", T(2024, 3, 5), D("1234.50")),
                          ("单2", 2, "客户乙", T(2024, 3, 6, 8, 30), D("-20.00"))]


def test_csv_utf8_bom_first_header_is_recognised(ws: Workspace, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "c.csv", [["customer_id", "name"], ["C1", "名字"]], encoding="utf-8-sig")
    assert f.read_bytes().startswith(b"\xef\xbb\xbfcustomer_id")
    s = do_import(ws, "customers", f)
    assert s.encoding == "utf-8-sig"
    assert s.columns == {"customer_id": "customer_id", "name": "name"}
    assert ws.db.con.execute("SELECT customer_id, name FROM customers").fetchall() == [("C1", "名字")]


def test_csv_gbk_with_chinese_headers_is_detected(ws: Workspace, tmp_path: Path) -> None:
    rows = [["订单号", "行号", "客户编号", "下单日期", "金额(元)"],
            ["销001", "1", "北京甲公司", "2024年3月5日", "￥1,234.50"],
            ["销002", "1", "上海乙公司", "2024/3/6", "88"]]
    f = write_csv(tmp_path / "gbk.csv", rows, encoding="gbk")
    s = do_import(ws, "orders", f)
    assert s.encoding == "gb18030"  # GBK is read as its superset
    assert s.columns == {"订单号": "order_id", "行号": "line_no", "客户编号": "customer_id",
                         "下单日期": "order_date", "金额(元)": "amount"}
    assert (s.read, s.accepted, s.rejected) == (2, 2, 0)
    assert orders(ws) == [("销001", 1, "北京甲公司", T(2024, 3, 5), D("1234.50")),
                          ("销002", 1, "上海乙公司", T(2024, 3, 6), D("88.00"))]


def test_csv_gbk_declared_encoding(ws: Workspace, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "c.csv", [["客户编号", "客户名称"], ["K1", "张三商行"]], encoding="gbk")
    s = do_import(ws, "customers", f, encoding="gbk")
    assert s.encoding == "gbk"
    assert ws.db.con.execute("SELECT customer_id, name FROM customers").fetchall() == [("K1", "张三商行")]


def test_csv_gb18030_characters_outside_gbk(ws: Workspace, tmp_path: Path) -> None:
    name = "𠀀记商行"  # U+20000 is in GB18030 but not in GBK
    with pytest.raises(UnicodeEncodeError):
        name.encode("gbk")
    f = write_csv(tmp_path / "c.csv", [["客户编号", "客户名称"], ["K1", name], ["K2", "普通"]],
                  encoding="gb18030")
    s = do_import(ws, "customers", f)
    assert s.encoding == "gb18030"
    assert ws.db.con.execute("SELECT customer_id, name FROM customers ORDER BY 1").fetchall() == [
        ("K1", name), ("K2", "普通")]


def test_csv_utf16_with_bom(ws: Workspace, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "c.csv", [["customer_id", "name"], ["C1", "名字"]], encoding="utf-16")
    s = do_import(ws, "customers", f)
    assert s.encoding == "utf-16"
    assert ws.db.con.execute("SELECT customer_id, name FROM customers").fetchall() == [("C1", "名字")]


def test_csv_gbk_after_a_long_ascii_start_is_detected(ws: Workspace, tmp_path: Path) -> None:
    # The first megabyte is plain ASCII (valid UTF-8); GBK bytes only come later.
    rows: list[list[str]] = [["customer_id", "name"]]
    rows += [[f"C{i:06d}", "x" * 30] for i in range(30_000)]
    rows.append(["CN", "中文名称"])
    f = write_csv(tmp_path / "c.csv", rows, encoding="gbk")
    assert f.stat().st_size > 1 << 20
    s = do_import(ws, "customers", f)
    assert (s.read, s.accepted, s.rejected) == (30_001, 30_001, 0)
    assert s.encoding == "gb18030"
    assert ws.db.con.execute("SELECT name FROM customers WHERE customer_id = 'CN'").fetchall() == [
        ("中文名称",)]


def test_csv_undecodable_declared_encoding_is_a_clear_error(ws: Workspace, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "c.csv", [["customer_id", "name"], ["C1", "喆"]], encoding="gbk")
    with pytest.raises(UnicodeEncodeError):
        "喆".encode("gb2312")  # a GBK character that GB2312 lacks
    with pytest.raises(DataError, match=r"line 2 \(byte 20: 0x86\) is not valid gb2312"):
        do_import(ws, "customers", f, encoding="gb2312")
    assert ws.db.counts()["customers"] == 0


# -- CSV delimiters and quoting ----------------------------------------------------------
@pytest.mark.parametrize(("suffix", "delimiter"), [(".tsv", "\t"), (".csv", ";"), (".txt", "|")])
def test_csv_other_delimiters(ws: Workspace, tmp_path: Path, suffix: str, delimiter: str) -> None:
    f = write_csv(tmp_path / f"c{suffix}", [["customer_id", "name", "region"],
                                            ["C1", "a,b", "华东"], ["C2", "x y", "华南"]],
                  delimiter=delimiter)
    s = do_import(ws, "customers", f)
    assert (s.read, s.accepted, s.rejected) == (2, 2, 0)
    assert ws.db.con.execute("SELECT customer_id, name, region FROM customers ORDER BY 1").fetchall() == [
        ("C1", "a,b", "华东"), ("C2", "x y", "华南")]


def test_csv_quoted_delimiters_quotes_and_newlines(ws: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "c.csv"
    f.write_bytes(
        b'customer_id,name,credit_limit\r\n'
        b'C1,"Acme, Inc.","1,000"\r\n'
        b'C2,"line one\r\nline two","2,000.50"\r\n'
        b'C3,"say ""hi""\nand bye",-1\r\n'
        b'C4,plain,3\r\n'
    )
    s = do_import(ws, "customers", f)
    assert (s.read, s.accepted, s.rejected) == (4, 3, 1)
    assert ws.db.con.execute(
        "SELECT customer_id, name, credit_limit FROM customers ORDER BY 1").fetchall() == [
        ("C1", "Acme, Inc.", D("1000.00")), ("C2", "line one\r\nline two", D("2000.50")),
        ("C4", "plain", D("3.00"))]
    # C3 is the fourth record (row 4 as a spreadsheet shows it), although the embedded
    # newline of C2 puts it on the fifth line of the file
    rej = rejected_by_row(s.rejected_file)
    assert list(rej) == [4]
    assert rej[4]["name"] == 'say "hi"\nand bye'
    assert (rej[4]["tierwise_column"], rej[4]["tierwise_code"]) == ("credit_limit", "negative")


def test_csv_blank_lines_keep_row_numbers(ws: Workspace, tmp_path: Path) -> None:
    lines = [
        "order_id,line_no,customer_id,order_date,amount",  # 1
        "A,1,C1,2024-03-05,10",  # 2
        "",  # 3
        "B,1,C1,bad-date,10",  # 4
        "",  # 5
        "",  # 6
        "C,1,C1,2024-03-05,10",  # 7
        "D,1,C1,2024-03-05,zz",  # 8
        "",  # 9
        'E,1,C1,2024-03-05,"1,0,0"',  # 10
        "F,1,C1,2024-03-05,10,extra",  # 11
    ]
    f = tmp_path / "o.csv"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    s = do_import(ws, "orders", f)
    assert (s.read, s.accepted, s.rejected, s.blank) == (6, 2, 4, 4)
    rej = rejected_by_row(s.rejected_file)
    assert {r: (v["tierwise_code"], v["tierwise_value"]) for r, v in rej.items()} == {
        4: ("bad_date", "bad-date"), 8: ("bad_number", "zz"), 10: ("bad_number", "1,0,0"),
        11: ("too_many_columns", "F,1,C1,2024-03-05,10,extra")}
    for row, value in rej.items():  # the reported row is the line of the file
        if value["tierwise_code"] != "too_many_columns":
            assert lines[row - 1].startswith(value["order_id"] + ",")
    assert [r[0] for r in orders(ws)] == ["A", "C"]


def test_csv_blank_lines_with_crlf(ws: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "c.csv"
    f.write_bytes(b"customer_id,credit_limit\r\nC1,1\r\n\r\n\r\nC2,-5\r\nC3,2\r\n")
    s = do_import(ws, "customers", f)
    assert (s.read, s.accepted, s.rejected, s.blank) == (3, 2, 1, 2)
    assert list(rejected_by_row(s.rejected_file)) == [5]


@pytest.mark.parametrize("raw", [
    b"customer_id,credit_limit\nC1,1\r\nC2,-5\r\nC3,2\r\n",  # header typed elsewhere
    b"customer_id,credit_limit\r\nC1,1\nC2,-5\r\nC3,2",  # rows appended by another tool
], ids=["lf-header", "mixed-rows"])
def test_csv_mixed_line_endings(ws: Workspace, tmp_path: Path, raw: bytes) -> None:
    # DuckDB's reader refuses a file whose line endings change; tierwise reads it anyway,
    # keeping row numbers, and no carriage return ends up inside a value.
    f = tmp_path / "c.csv"
    f.write_bytes(raw)
    s = do_import(ws, "customers", f)
    assert (s.read, s.accepted, s.rejected) == (3, 2, 1)
    assert list(rejected_by_row(s.rejected_file)) == [3]
    assert ws.db.con.execute("SELECT customer_id, credit_limit FROM customers ORDER BY 1").fetchall() == [
        ("C1", 1), ("C3", 2)]


def test_csv_blank_line_and_a_quoted_carriage_return(ws: Workspace, tmp_path: Path) -> None:
    # A value holding a bare carriage return is valid CSV when quoted; a blank line elsewhere
    # in the file must not change how it is read.
    f = tmp_path / "c.csv"
    f.write_bytes(b'customer_id,name\nC1,a\n\nC2,"x\ry"\nC3,z\n')
    s = do_import(ws, "customers", f)
    assert (s.read, s.accepted, s.rejected, s.blank) == (3, 3, 0, 1)
    assert ws.db.con.execute("SELECT customer_id, name FROM customers ORDER BY 1").fetchall() == [
        ("C1", "a"), ("C2", "x\ry"), ("C3", "z")]


@pytest.mark.parametrize("blank_line", [False, True], ids=["no-blank-line", "blank-line"])
def test_csv_unterminated_quote_is_rejected_not_swallowed(ws: Workspace, tmp_path: Path,
                                                          blank_line: bool) -> None:
    # An unclosed quote makes the reader take the rest of the file as one value: that record
    # must be rejected (unterminated_quote), whether or not a blank line comes before it.
    f = tmp_path / "c.csv"
    gap = b"\n" if blank_line else b""
    f.write_bytes(b'customer_id,name\nC1,a\n' + gap + b'C2,"b\nC3,c\nC4,d\n')
    s = do_import(ws, "customers", f)
    row = 4 if blank_line else 3
    assert (s.accepted, s.rejected) == (1, 1)
    assert ws.db.con.execute("SELECT customer_id, name FROM customers").fetchall() == [("C1", "a")]
    rej = rejected_by_row(s.rejected_file)
    assert list(rej) == [row]
    assert rej[row]["tierwise_code"] == "unterminated_quote"


def test_csv_empty_file_is_a_clear_error(ws: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "empty.csv"
    f.write_bytes(b"")
    with pytest.raises(DataError, match="empty"):
        do_import(ws, "customers", f)


@pytest.mark.parametrize(("name", "match"), [("data.xls", "old .xls"), ("data.dat", "cannot tell")])
def test_unknown_formats_are_clear_errors(ws: Workspace, tmp_path: Path, name: str, match: str) -> None:
    f = tmp_path / name
    f.write_bytes(b"customer_id\nC1\n")
    with pytest.raises(DataError, match=match):
        do_import(ws, "customers", f)


def test_declared_format_overrides_extension(ws: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "data.dat"
    f.write_bytes(b"customer_id,name\nC1,n\n")
    s = do_import(ws, "customers", f, format="csv")
    assert (s.format, s.accepted) == ("csv", 1)


def test_missing_file_is_a_clear_error(ws: Workspace, tmp_path: Path) -> None:
    with pytest.raises(DataError, match="file not found"):
        do_import(ws, "customers", tmp_path / "nope.csv")


# -- Excel -----------------------------------------------------------------------------
def _workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    first = book.active
    first.title = "订单"
    first.append(["订单号", "行号", "客户编号", "下单日期", "金额", "数量"])
    first.append(["X1", 1, "C1", dt.datetime(2024, 3, 5), 1234.5, 2.0])
    first.append([None] * 6)  # an empty sheet row: blank, but it keeps its row number
    first.append(["X2", 2.0, "C1", dt.datetime(2024, 3, 5, 13, 45), 0.1 + 0.2, 3])
    first.append(["X3", 1, "C1", "not a date", 5, None])
    first.append(["X4", 1, "C2", dt.date(2023, 12, 31), -7.25, 1.5])
    second = book.create_sheet("退货")
    second.append(["order_id", "line_no", "customer_id", "order_date", "amount"])
    second.append(["R1", 1, "C9", dt.datetime(2024, 4, 1), -99.99])
    book.save(path)
    return path


def test_xlsx_dates_numbers_and_row_numbers(ws: Workspace, tmp_path: Path) -> None:
    f = _workbook(tmp_path / "book.xlsx")
    s = do_import(ws, "orders", f)
    assert s.format == "xlsx"
    assert (s.read, s.accepted, s.rejected, s.blank) == (4, 3, 1, 1)
    assert ws.db.con.execute(
        "SELECT order_id, line_no, order_date, amount, quantity FROM orders ORDER BY 1").fetchall() == [
        ("X1", 1, T(2024, 3, 5), D("1234.50"), D("2.0000")),
        ("X2", 2, T(2024, 3, 5, 13, 45), D("0.30"), D("3.0000")),
        ("X4", 1, T(2023, 12, 31), D("-7.25"), D("1.5000"))]
    rej = rejected_by_row(s.rejected_file)
    assert list(rej) == [5]
    assert (rej[5]["tierwise_column"], rej[5]["tierwise_value"], rej[5]["tierwise_code"]) == (
        "下单日期", "not a date", "bad_date")


def test_xlsx_second_sheet(ws: Workspace, tmp_path: Path) -> None:
    f = _workbook(tmp_path / "book.xlsx")
    s = do_import(ws, "orders", f, sheet="退货")
    assert (s.read, s.accepted, s.rejected) == (1, 1, 0)
    assert orders(ws) == [("R1", 1, "C9", T(2024, 4, 1), D("-99.99"))]


def test_xlsx_unknown_sheet_is_a_clear_error(ws: Workspace, tmp_path: Path) -> None:
    f = _workbook(tmp_path / "book.xlsx")
    with pytest.raises(DataError, match="no sheet 'nope'; sheets are 订单, 退货"):
        do_import(ws, "orders", f, sheet="nope")


def test_xlsx_second_sheet_via_cli(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    Workspace.open(Settings(db=db), create=True).close()
    f = _workbook(tmp_path / "book.xlsx")
    r = run_cli("--db", db, "import", "orders", f, "--sheet", "退货", "--json")
    assert r.returncode == 0, r.stderr
    assert query(db, "SELECT order_id, amount FROM orders") == [("R1", D("-99.99"))]


# -- Parquet ---------------------------------------------------------------------------
def test_parquet_typed_columns(ws: Workspace, tmp_path: Path) -> None:
    table = pa.table({
        "order_id": ["P1", "P2", "P3"],
        "line_no": pa.array([1, 2, 1], pa.int64()),
        "customer_id": ["C1", "C2", "C1"],
        "order_date": pa.array([dt.date(2024, 3, 5), dt.date(2024, 3, 6), dt.date(1800, 1, 1)],
                               pa.date32()),
        "amount": pa.array([D("12.34"), D("-5.00"), D("1.00")], pa.decimal128(10, 2)),
        "cost": pa.array([1.5, None, 2.25], pa.float64()),
        "due_date": pa.array([T(2024, 4, 5, 10, 0), None, None], pa.timestamp("us")),
    })
    f = tmp_path / "o.parquet"
    pq.write_table(table, f)
    s = do_import(ws, "orders", f)
    assert (s.format, s.read, s.accepted, s.rejected) == ("parquet", 3, 2, 1)
    assert ws.db.con.execute(
        "SELECT order_id, line_no, order_date, amount, cost, due_date FROM orders ORDER BY 1"
    ).fetchall() == [("P1", 1, T(2024, 3, 5), D("12.34"), D("1.50"), dt.date(2024, 4, 5)),
                     ("P2", 2, T(2024, 3, 6), D("-5.00"), None, None)]
    rej = rejected_by_row(s.rejected_file)  # Parquet: the first record is row 1
    assert list(rej) == [3]
    assert (rej[3]["tierwise_column"], rej[3]["tierwise_value"], rej[3]["tierwise_code"]) == (
        "order_date", "1800-01-01", "implausible_date")


def test_parquet_timestamp_column(ws: Workspace, tmp_path: Path) -> None:
    table = pa.table({
        "payment_id": ["R1", "R2"], "customer_id": ["C1", "C1"],
        "payment_date": pa.array([T(2024, 3, 5, 9, 30, 15), T(2024, 3, 6)], pa.timestamp("ms")),
        "amount": pa.array([100.0, 0.125], pa.float64()),
    })
    f = tmp_path / "p.parquet"
    pq.write_table(table, f)
    s = do_import(ws, "payments", f)
    assert (s.read, s.accepted) == (2, 2)
    assert ws.db.con.execute(
        "SELECT payment_id, payment_date, amount FROM payments ORDER BY 1").fetchall() == [
        ("R1", T(2024, 3, 5, 9, 30, 15), D("100.00")), ("R2", T(2024, 3, 6), D("0.13"))]


def test_parquet_all_string_columns_are_parsed_like_text(ws: Workspace, tmp_path: Path) -> None:
    table = pa.table({
        "order_id": ["Q1", "Q2", "Q3"], "line_no": ["1", "x", "2"], "customer_id": ["C1", "C1", "C1"],
        "order_date": ["2024/3/5", "20240305", "45356.5"], "amount": ["¥1,234.50", "(3)", "(3)"],
    })
    f = tmp_path / "s.parquet"
    pq.write_table(table, f)
    s = do_import(ws, "orders", f)
    assert (s.read, s.accepted, s.rejected) == (3, 2, 1)
    assert orders(ws) == [("Q1", 1, "C1", T(2024, 3, 5), D("1234.50")),
                          ("Q3", 2, "C1", T(2024, 3, 5, 12), D("-3.00"))]
    rej = rejected_by_row(s.rejected_file)
    assert list(rej) == [2]
    assert (rej[2]["tierwise_column"], rej[2]["tierwise_code"]) == ("line_no", "bad_integer")


def test_parquet_fractional_double_in_integer_column_is_rejected(ws: Workspace, tmp_path: Path) -> None:
    # Text '1.5' in an integer column is rejected (bad_integer); a Parquet double 1.5 must be
    # too, not silently rounded to 2.
    table = pa.table({"customer_id": ["C1", "C2"],
                      "payment_terms_days": pa.array([1.5, 30.0], pa.float64())})
    f = tmp_path / "c.parquet"
    pq.write_table(table, f)
    s = do_import(ws, "customers", f)
    stored = ws.db.con.execute("SELECT customer_id, payment_terms_days FROM customers ORDER BY 1").fetchall()
    assert (s.accepted, s.rejected) == (1, 1), f"stored {stored}"
    assert stored == [("C2", 30)]
    rej = rejected_by_row(s.rejected_file)
    assert (rej[1]["tierwise_column"], rej[1]["tierwise_code"]) == ("payment_terms_days", "bad_integer")


# -- JSON lines ------------------------------------------------------------------------
def test_jsonl_records_blank_and_invalid_lines(ws: Workspace, tmp_path: Path) -> None:
    lines = [
        '{"order_id": "J1", "line_no": 1, "customer_id": "客户甲", "order_date": "2024-03-05", '
        '"amount": 5}',
        "",
        "not json",
        "[1, 2]",
        '{"order_id": "J2", "line_no": 1, "customer_id": "C1", "order_date": "2024-03-05", '
        '"amount": "x"}',
        '{"order_id": "J3", "line_no": 2, "customer_id": "C1", "order_date": "2024/3/6", '
        '"amount": 1.5}',
    ]
    f = tmp_path / "o.jsonl"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    s = do_import(ws, "orders", f)
    assert (s.format, s.read, s.accepted, s.rejected, s.blank) == ("jsonl", 5, 2, 3, 1)
    assert orders(ws) == [("J1", 1, "客户甲", T(2024, 3, 5), D("5.00")),
                          ("J3", 2, "C1", T(2024, 3, 6), D("1.50"))]
    rej = rejected_by_row(s.rejected_file)  # JSON lines: the first line is row 1
    assert {r: (v["tierwise_code"], v["tierwise_value"]) for r, v in rej.items()} == {
        3: ("bad_json", "not json"), 4: ("bad_json", "[1, 2]"), 5: ("bad_number", "x")}
    assert rej[5]["tierwise_column"] == "amount"


def test_json_array_file_is_a_clear_error(ws: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "o.json"
    f.write_text('[{"order_id": "J1"}]', encoding="utf-8")
    with pytest.raises(DataError, match="this is a JSON array; tierwise reads JSON lines"):
        do_import(ws, "orders", f)
    assert ws.db.counts()["orders"] == 0


def test_rejected_file_is_utf8_bom_with_tierwise_columns_after_the_original_ones(
        ws: Workspace, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "o.csv", [ORDER_HEADER, ["A", "1", "C1", "2024-03-05", "zz"]])
    s = do_import(ws, "orders", f)
    assert s.rejected_file == str(tmp_path / "o.rejected.csv")
    header, rows = read_rejected(s.rejected_file)
    assert header == [*ORDER_HEADER, "tierwise_row", "tierwise_column", "tierwise_value",
                      "tierwise_reason", "tierwise_原因", "tierwise_code"]
    assert rows == [{"order_id": "A", "line_no": "1", "customer_id": "C1",
                     "order_date": "2024-03-05", "amount": "zz", "tierwise_row": "2",
                     "tierwise_column": "amount", "tierwise_value": "zz",
                     "tierwise_reason": "'zz' is not a number (expected e.g. 1234.50, ¥1,234.50 "
                                        "or (120.00))",
                     "tierwise_原因": "'zz' 不是数字（应如 1234.50、¥1,234.50 或 (120.00)）",
                     "tierwise_code": "bad_number"}]
