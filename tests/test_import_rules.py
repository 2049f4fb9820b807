"""Rejection reasons (each code, with its row, column, value and text) and the rules of an
import: upserts, duplicates, created customers, --strict, --dry-run, generated keys, header
mapping, attribute columns, mapping files and the rejected-rows file."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from conftest import (
    ORDER_HEADER,
    do_import,
    query,
    read_rejected,
    rejected_by_row,
    run_cli,
    table_state,
    write_csv,
)
from tierwise.data.values import REASONS, reason_text
from tierwise.errors import ConfigError, DataError, TierwiseError
from tierwise.settings import Settings
from tierwise.workspace import Workspace

D = Decimal
T = dt.datetime


# -- every reason code -------------------------------------------------------------------
@dataclass
class Case:
    code: str
    table: str
    content: bytes
    row: int
    column: str
    value: str
    detail: str = ""
    name: str = "data.csv"
    opts: dict[str, Any] = field(default_factory=dict)
    setup: list[tuple[str, bytes]] = field(default_factory=list)  # (table, csv) imported first


def _csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


OH = ",".join(ORDER_HEADER)
CASES = [
    Case("no_customer", "orders", _csv(OH, "A,1,C1,2024-03-05,1", "B,1,,2024-03-05,1"), 3, "customer_id", ""),
    Case("missing", "orders", _csv(OH, "A,1,C1,2024-03-05,1", ",1,C1,2024-03-05,1"), 3, "order_id", ""),
    Case("bad_date", "orders", _csv(OH, "A,1,C1,2024-13-01,1"), 2, "order_date", "2024-13-01"),
    Case("ambiguous_date", "orders", _csv(OH, "A,1,C1,2024-03-05,1", "B,1,C1,05/03/2024,1"), 3,
         "order_date", "05/03/2024"),
    Case("implausible_date", "orders", _csv(OH, "A,1,C1,1850-01-01,1"), 2, "order_date", "1850-01-01"),
    Case("bad_number", "orders", _csv(OH, "A,1,C1,2024-03-05,abc"), 2, "amount", "abc"),
    Case("decimal_comma", "orders", _csv(OH, 'A,1,C1,2024-03-05,"12,5"'), 2, "amount", "12,5"),
    Case("too_large", "orders", _csv(OH, "A,1,C1,2024-03-05,12345678901234567"), 2, "amount",
         "12345678901234567"),
    Case("bad_integer", "orders", _csv(OH, "A,1.5,C1,2024-03-05,1"), 2, "line_no", "1.5"),
    Case("negative", "customers", _csv("客户编号,授信额度", "C1,100", "C2,-100"), 3, "授信额度", "-100"),
    Case("negative", "customers", _csv("customer_id,payment_terms_days", "C1,-30"), 2,
         "payment_terms_days", "-30"),
    Case("negative", "reps", _csv("rep_id,capacity", "R1,-1"), 2, "capacity", "-1"),
    Case("not_positive", "products", _csv("产品编号,消耗周期", "P1,30", "P2,0"), 3, "消耗周期", "0"),
    Case("bad_kind", "activities", _csv("customer_id,date,kind", "C1,2024-03-05,跳舞"), 2, "kind", "跳舞"),
    Case("duplicate_key", "orders",
         _csv(OH, "A,1,C1,2024-03-05,1", "B,1,C1,2024-03-05,1", "A,1,C2,2024-03-06,2"), 4,
         "order_id, line_no", "A / 1", detail="2"),
    Case("duplicate_key", "customers", _csv("customer_id,name", "C1,a", "C2,b", "C1,c"), 4,
         "customer_id", "C1", detail="2"),
    Case("unknown_customer", "orders", _csv(OH, "A,1,C1,2024-03-05,1", "B,1,C2,2024-03-05,1"), 3,
         "customer_id", "C2", opts={"strict": True}, setup=[("customers", _csv("customer_id", "C1"))]),
    Case("no_amount", "orders", _csv(OH, "A,1,C1,2024-03-05,"), 2, "amount", ""),
    Case("too_many_columns", "orders", _csv(OH, "A,1,C1,2024-03-05,1", "B,1,C1,2024-03-05,1,9"), 3,
         "", "B,1,C1,2024-03-05,1,9"),
    Case("missing_columns", "orders", _csv(OH, "A,1,C1,2024-03-05", "B,1,C1,2024-03-05,1"), 2,
         "", "A,1,C1,2024-03-05"),
    Case("unterminated_quote", "customers", _csv("customer_id,name", "C1,a", 'C2,"b', "C3,c"), 3, "",
         'C2,"b\nC3,c\n'),
    Case("bad_json", "orders",
         _csv('{"order_id": "A", "line_no": 1, "customer_id": "C1", "order_date": "2024-03-05", '
              '"amount": 1}', '{"order_id": "B",'), 2, "", '{"order_id": "B",', name="data.jsonl"),
    Case("bad_value", "customers", _csv("customer_id,score", "C2,high"), 2, "score", "high",
         detail="DOUBLE", setup=[("customers", _csv("customer_id,score", "C1,1.5"))]),
    Case("bad_encoding", "customers",
         b"customer_id,name\n" + b"".join(b"C%05d,%s\n" % (i, b"x" * 30) for i in range(2500))
         + b"CB,\xff\xfebad\nCL,ok\n", 2502, "", "", detail="utf-8", opts={"encoding": "utf-8"}),
]


def test_every_reason_code_has_a_case() -> None:
    assert {c.code for c in CASES} == set(REASONS) - {"bad_line"}


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.code}-{c.table}")
def test_reason_code_in_rejected_file(ws: Workspace, tmp_path: Path, case: Case) -> None:
    for i, (table, content) in enumerate(case.setup):
        pre = tmp_path / f"setup{i}.csv"
        pre.write_bytes(content)
        assert do_import(ws, table, pre).rejected == 0
    f = tmp_path / case.name
    f.write_bytes(case.content)
    rejected_file = tmp_path / (f.stem + ".rejected.csv")
    if case.opts.get("strict"):
        with pytest.raises(DataError, match=r"1 row\(s\) would be rejected, so nothing was imported"):
            do_import(ws, case.table, f, **case.opts)
    else:
        s = do_import(ws, case.table, f, **case.opts)
        assert s.rejected == 1
        assert s.read == s.accepted + s.rejected
        assert s.rejected_file == str(rejected_file)
        assert [(r["code"], r["first_row"], r["column"]) for r in s.top_reasons] == [
            (case.code, case.row, case.column or None)]
    rows = rejected_by_row(rejected_file)
    assert list(rows) == [case.row]
    got = rows[case.row]
    assert got["tierwise_code"] == case.code
    assert got["tierwise_column"] == case.column
    if case.code != "bad_encoding":  # the undecodable bytes are replaced in the file
        assert got["tierwise_value"] == case.value
    en = REASONS[case.code][0]
    assert got["tierwise_reason"] == reason_text(case.code, "en", got["tierwise_value"], case.detail)
    assert got["tierwise_原因"] == reason_text(case.code, "zh", got["tierwise_value"], case.detail)
    if "{value}" in en:
        assert f"'{case.value}'" in got["tierwise_reason"]
    if case.column:  # a parsed row keeps its original values under the file's headers
        records = list(csv.reader(io.StringIO(case.content.decode())))
        assert [got[h] for h in records[0]] == records[case.row - 1]


def test_strict_unknown_customer_reason_names_the_customer(ws: Workspace, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "o.csv", [ORDER_HEADER, ["A", "1", "C404", "2024-03-05", "1"]])
    with pytest.raises(DataError) as err:
        do_import(ws, "orders", f, strict=True)
    assert str(err.value).endswith(
        "First: row 2, column customer_id: customer 'C404' is not in the workspace: import "
        "customers first or drop --strict")
    assert ws.db.counts() == dict.fromkeys(ws.db.counts(), 0)


def test_declared_utf8_with_bad_bytes_near_the_start_is_not_a_crash(ws: Workspace, tmp_path: Path) -> None:
    # The same bad bytes are rejected as bad_encoding further down a file; near the start
    # they must give a row rejection or a clear error too, not a UnicodeDecodeError.
    f = tmp_path / "c.csv"
    f.write_bytes(b"customer_id,name\nC1,ok\nC2,\xff\xfebad\nC3,ok\n")
    try:
        s = do_import(ws, "customers", f, encoding="utf-8")
    except TierwiseError:
        return
    assert (s.accepted, s.rejected) == (2, 1)
    assert rejected_by_row(s.rejected_file)[3]["tierwise_code"] == "bad_encoding"


def test_files_past_the_limits_are_refused_before_they_are_read(ws: Workspace, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A CSV of 30,000 columns (it hung the server), a sheet declaring more rows than Excel
    holds (a 663 KB file claiming 2M rows took 100 s), a row wider than the limit, and a
    workbook that unpacks to a hundred times its size: each a DataError naming the file and
    the limit, and nothing written."""
    import re
    import zipfile

    import openpyxl

    from tierwise.data import sources

    wide = tmp_path / "wide.csv"
    wide.write_text(",".join(["customer_id", "name", *(f"a{i}" for i in range(30_000))]) + "\nC1,x\n")
    with pytest.raises(DataError, match=r"wide.csv: 30,002 columns; a file has at most 256"):
        do_import(ws, "customers", wide)

    def book(name: str, rows: list[list[Any]]) -> Path:
        wb = openpyxl.Workbook()
        for row in rows:
            wb.active.append(row)
        wb.save(tmp_path / name)
        return tmp_path / name

    def dimension(path: Path, ref: bytes) -> Path:  # what openpyxl refuses to write
        out = path.with_name("x-" + path.name)
        with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
            for item in src.infolist():
                data = src.read(item)
                if item.filename == "xl/worksheets/sheet1.xml":
                    data, n = re.subn(rb'<dimension ref="[A-Z0-9:]+" ?/>', ref, data)
                    assert n == 1
                dst.writestr(item, data)
        return out

    tall = dimension(book("tall.xlsx", [["customer_id", "name"], ["C1", "a"]]),
                     b'<dimension ref="A1:B2000000"/>')
    with pytest.raises(DataError, match=r"declares 2,000,000 rows x 2 columns, more than Excel's 1,048,576"):
        do_import(ws, "customers", tall)
    ragged = book("ragged.xlsx", [["customer_id", "name"], ["C1", "a", *range(300)]])
    with pytest.raises(DataError, match=r"ragged.xlsx: 302 columns; a file has at most 256"):
        do_import(ws, "customers", ragged)  # the sheet's size says so
    with pytest.raises(DataError, match=r"row 2 has 302 cells; a file has at most 256 columns"):
        do_import(ws, "customers", dimension(ragged, b""))  # it does not: the row does
    monkeypatch.setattr(sources, "UNPACK_FREE", 1 << 20)
    bomb = book("bomb.xlsx", [["customer_id", "name"], ["C1", "x"]])
    with zipfile.ZipFile(bomb, "a", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr("xl/media/blank.bin", bytes(8 << 20))  # 8 MiB of zeros in a few KB
    with pytest.raises(DataError, match=r"bomb.xlsx: unpacks to \d+ MiB, more than 1 MiB"):
        do_import(ws, "customers", bomb)
    assert ws.db.counts() == dict.fromkeys(ws.db.counts(), 0)


# -- upserts -----------------------------------------------------------------------------
def _orders(path: Path, rows: list[list[str]]) -> Path:
    return write_csv(path, [ORDER_HEADER, *rows])


BASE = [["A", "1", "C1", "2024-03-05", "10"], ["A", "2", "C1", "2024-03-05", "20.5"],
        ["B", "1", "C2", "2024-03-06 10:00", "-5"]]


def _all_orders(ws: Workspace) -> list[tuple[Any, ...]]:
    return ws.db.con.execute("SELECT * FROM orders ORDER BY order_id, line_no").fetchall()


def test_reimport_same_file_changes_nothing(ws: Workspace, tmp_path: Path) -> None:
    f = _orders(tmp_path / "o.csv", BASE)
    first = do_import(ws, "orders", f)
    assert (first.read, first.accepted, first.inserted, first.updated, first.unchanged) == (3, 3, 3, 0, 0)
    before = _all_orders(ws)
    assert [(r[0], r[1], r[4]) for r in before] == [("A", 1, D("10.00")), ("A", 2, D("20.50")),
                                                    ("B", 1, D("-5.00"))]
    again = do_import(ws, "orders", f)
    assert (again.read, again.accepted, again.inserted, again.updated, again.unchanged) == (3, 3, 0, 0, 3)
    assert again.customers_created == 0
    assert _all_orders(ws) == before  # import_id included: untouched rows keep theirs
    assert ws.db.con.execute("SELECT import_id, inserted, updated, unchanged FROM imports ORDER BY 1"
                          ).fetchall() == [(first.import_id, 3, 0, 0), (again.import_id, 0, 0, 3)]


def test_modified_row_is_updated(ws: Workspace, tmp_path: Path) -> None:
    f = _orders(tmp_path / "o.csv", BASE)
    first = do_import(ws, "orders", f)
    changed = [row[:] for row in BASE]
    changed[1][4] = "21"
    s = do_import(ws, "orders", _orders(f, changed))
    assert (s.inserted, s.updated, s.unchanged) == (0, 1, 2)
    assert ws.db.con.execute("SELECT order_id, line_no, amount, import_id FROM orders ORDER BY 1, 2"
                          ).fetchall() == [("A", 1, D("10.00"), first.import_id),
                                           ("A", 2, D("21.00"), s.import_id),
                                           ("B", 1, D("-5.00"), first.import_id)]


def test_update_and_insert_in_one_import(ws: Workspace, tmp_path: Path) -> None:
    f = _orders(tmp_path / "o.csv", BASE)
    do_import(ws, "orders", f)
    changed = [row[:] for row in BASE]
    changed[2][3] = "2024-03-07"
    s = do_import(ws, "orders", _orders(f, [*changed, ["C", "1", "C3", "2024-03-08", "1"]]))
    assert (s.read, s.inserted, s.updated, s.unchanged, s.customers_created) == (4, 1, 1, 2, 1)
    assert ws.db.con.execute("SELECT order_id, order_date FROM orders ORDER BY 1, line_no").fetchall() == [
        ("A", T(2024, 3, 5)), ("A", T(2024, 3, 5)), ("B", T(2024, 3, 7)), ("C", T(2024, 3, 8))]


def test_columns_missing_from_a_later_file_are_kept(ws: Workspace, tmp_path: Path) -> None:
    do_import(ws, "customers", write_csv(tmp_path / "a.csv", [["customer_id", "name", "region"],
                                                              ["C1", "Acme", "华东"]]))
    s = do_import(ws, "customers", write_csv(tmp_path / "b.csv", [["customer_id", "name"],
                                                                  ["C1", "Acme Ltd"]]))
    assert (s.updated, s.inserted) == (1, 0)
    assert ws.db.con.execute("SELECT customer_id, name, region FROM customers").fetchall() == [
        ("C1", "Acme Ltd", "华东")]


@pytest.mark.parametrize("part_rows", [16_000_000, 2])  # a big file's keys are checked in parts
def test_key_repeated_in_file_keeps_the_first_row(ws: Workspace, tmp_path: Path, part_rows: int,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from tierwise.data import importer

    monkeypatch.setattr(importer, "DUPLICATE_ROWS", part_rows)
    rows = [*BASE, ["A", "1", "C9", "2024-03-09", "99"], ["A", "1", "C8", "2024-03-10", "98"],
            ["B", "7", "C9", "2024-03-09", "5"], ["B", "7", "C9", "2024-03-11", "6"]]
    s = do_import(ws, "orders", _orders(tmp_path / "o.csv", rows))
    assert (s.read, s.accepted, s.rejected, s.customers_created) == (7, 4, 3, 3)
    assert ws.db.con.execute("SELECT customer_id, amount FROM orders WHERE order_id = 'A' AND line_no = 1"
                          ).fetchall() == [("C1", D("10.00"))]
    rej = rejected_by_row(s.rejected_file)
    assert {r: (v["tierwise_code"], v["tierwise_value"]) for r, v in rej.items()} == {
        5: ("duplicate_key", "A / 1"), 6: ("duplicate_key", "A / 1"), 8: ("duplicate_key", "B / 7")}
    assert rej[6]["tierwise_reason"] == "key 'A / 1' repeats row 2 of this file; the later row is rejected"


@pytest.mark.parametrize("limit", ["auto", "2GB"])
def test_stage_is_a_database_of_its_own_in_a_file_under_a_limit(db: Path, tmp_path: Path, limit: str,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The stage is a table of a database attached for the import: under a memory limit the
    user set, a file of its own (the engine evicts its blocks by dropping them, not by writing
    them to its spill: a stage of 103M order lines in memory held the engine's memory), else in
    memory; the file goes with the import, also a failed one."""
    from tierwise.data import importer

    seen: list[tuple[Any, ...]] = []
    check = importer._reject_duplicates

    def looking(con: Any, table: Any) -> None:
        seen.extend(con.execute("SELECT t.database_name, t.temporary, d.path FROM duckdb_tables() t "
                                "JOIN duckdb_databases() d USING (database_name) "
                                "WHERE t.table_name = '_tw_stage'").fetchall())
        check(con, table)

    monkeypatch.setattr(importer, "_reject_duplicates", looking)
    ws = Workspace.open(Settings(db=db, memory_limit=limit), create=True)
    try:
        rows = [*BASE, ["A", "1", "C9", "2024-03-09", "99"]]
        s = do_import(ws, "orders", _orders(tmp_path / "o.csv", rows))
        assert (s.accepted, s.rejected) == (3, 1)  # A / 1 repeats the first row
        ((database, temporary, path),) = seen
        assert (database, temporary) == ("_tw_import", False)
        attached = ws.db.con.execute("SELECT database_name FROM duckdb_databases()").fetchall()
        assert ("_tw_import",) not in attached
        if limit == "auto":
            assert path is None  # in memory
            return
        assert Path(path).parent.name.startswith("tierwise-import-") and not Path(path).parent.exists()
        monkeypatch.setenv("TIERWISE_FAULT", "import.before_write:raise")
        more = [*rows, ["Z", "1", "C1", "2024-03-09", "1"]]
        with pytest.raises(RuntimeError, match="fault injected"):
            do_import(ws, "orders", _orders(tmp_path / "o2.csv", more))
        assert len(seen) == 2 and Path(seen[1][2]).parent.name.startswith("tierwise-import-")
        assert not Path(seen[1][2]).parent.exists()
        assert ws.db.con.execute("SELECT count(*) FROM orders").fetchone() == (3,)  # the first import's
    finally:
        ws.close()


def test_two_imports_at_once_on_two_cursors_take_turns(ws: Workspace, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The stage's database is attached to the engine, not to a cursor: an import started on a
    second cursor while the first is staging waits for it instead of failing on the name."""
    import threading

    from tierwise.data import importer

    first_inside, second_started = threading.Event(), threading.Event()
    check = importer._reject_duplicates

    def slow(con: Any, table: Any) -> None:
        if not first_inside.is_set():  # the first import: hold its stage until the second began
            first_inside.set()
            second_started.wait(10)
            time.sleep(0.3)
        check(con, table)

    monkeypatch.setattr(importer, "_reject_duplicates", slow)
    errors: list[BaseException] = []
    done: list[Any] = []

    def run(name: str, rows: list[list[str]], before: threading.Event | None) -> None:
        forked = ws.fork()
        try:
            if before is not None:
                before.wait(10)
                second_started.set()
            done.append(do_import(forked, "orders", _orders(tmp_path / name, rows)))
        except BaseException as exc:
            errors.append(exc)
        finally:
            forked.close()

    other = [["Q", "1", "C2", "2024-03-09", "5"]]
    threads = [threading.Thread(target=run, args=("a.csv", BASE, None)),
               threading.Thread(target=run, args=("b.csv", other, first_inside))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    assert sorted(s.accepted for s in done) == [1, 3]
    assert ws.db.con.execute("SELECT count(*) FROM orders").fetchone() == (4,)


def test_duplicate_of_a_rejected_row_is_not_a_duplicate(ws: Workspace, tmp_path: Path) -> None:
    rows = [["A", "1", "C1", "not a date", "1"], ["A", "1", "C1", "2024-03-05", "2"]]
    s = do_import(ws, "orders", _orders(tmp_path / "o.csv", rows))
    assert (s.accepted, s.rejected) == (1, 1)
    assert rejected_by_row(s.rejected_file)[2]["tierwise_code"] == "bad_date"
    assert ws.db.con.execute("SELECT amount FROM orders").fetchall() == [(D("2.00"),)]


# -- customers created by an import ------------------------------------------------------
def test_unknown_customers_are_created_then_cleared_by_a_customers_import(
        ws: Workspace, tmp_path: Path) -> None:
    do_import(ws, "customers", write_csv(tmp_path / "c0.csv", [["customer_id", "name"], ["C1", "Known"]]))
    s = do_import(ws, "orders", _orders(tmp_path / "o.csv", [*BASE, ["D", "1", "C3", "2024-03-05", "1"],
                                                               ["E", "1", "C3", "2024-03-05", "1"],
                                                               ["F", "1", "C4", "bad", "1"]]))
    assert (s.accepted, s.rejected, s.customers_created) == (5, 1, 2)  # C2, C3; C4's row is rejected
    assert ws.db.con.execute(
        "SELECT customer_id, name, created_by_import, import_id FROM customers ORDER BY 1").fetchall() == [
        ("C1", "Known", False, 1), ("C2", None, True, s.import_id), ("C3", None, True, s.import_id)]

    c = do_import(ws, "customers", write_csv(tmp_path / "c.csv", [["customer_id", "name"],
                                                                  ["C2", "Second"], ["C5", "Fifth"]]))
    assert (c.inserted, c.updated, c.unchanged) == (1, 1, 0)
    assert ws.db.con.execute(
        "SELECT customer_id, name, created_by_import FROM customers ORDER BY 1").fetchall() == [
        ("C1", "Known", False), ("C2", "Second", False), ("C3", None, True), ("C5", "Fifth", False)]


def test_payments_and_activities_create_customers_too(ws: Workspace, tmp_path: Path) -> None:
    p = do_import(ws, "payments", write_csv(tmp_path / "p.csv", [["回款单号", "客户", "回款日期", "回款金额"],
                                                                  ["R1", "C7", "2024-03-05", "100"]]))
    assert p.customers_created == 1
    assert ws.db.con.execute("SELECT customer_id, created_by_import FROM customers").fetchall() == [
        ("C7", True)]


# -- --strict --------------------------------------------------------------------------
def test_strict_with_a_bad_row_writes_nothing_but_the_rejected_file(ws: Workspace, tmp_path: Path) -> None:
    do_import(ws, "orders", _orders(tmp_path / "first.csv", BASE))
    before = (ws.db.counts(), _all_orders(ws), ws.db.con.execute("SELECT count(*) FROM imports").fetchone())
    f = _orders(tmp_path / "o.csv", [["A", "1", "C1", "2024-03-05", "11"], ["Z", "1", "C9", "nope", "1"]])
    with pytest.raises(DataError, match=r"o\.csv: 1 row"):
        do_import(ws, "orders", f, strict=True)
    imports = ws.db.con.execute("SELECT count(*) FROM imports").fetchone()
    assert (ws.db.counts(), _all_orders(ws), imports) == before
    assert list(rejected_by_row(tmp_path / "o.rejected.csv")) == [3]


def test_strict_cli_exit_code_and_unchanged_workspace(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    with Workspace.open(Settings(db=db), create=True) as ws:
        do_import(ws, "orders", _orders(tmp_path / "first.csv", BASE))
    before = table_state(db)
    f = _orders(tmp_path / "o.csv", [["A", "1", "C1", "2024-03-05", "11"], ["Z", "1", "C1", "nope", "1"],
                                     ["Y", "1", "C1", "2024-03-05", "1"]])
    r = run_cli("--db", db, "import", "orders", f, "--strict")
    assert r.returncode == 1
    assert r.stderr.startswith("Error: o.csv: 1 row(s) would be rejected, so nothing was imported")
    assert "Traceback" not in r.stderr
    assert table_state(db) == before
    assert list(rejected_by_row(tmp_path / "o.rejected.csv")) == [3]


def test_strict_without_bad_rows_imports(ws: Workspace, tmp_path: Path) -> None:
    do_import(ws, "customers", write_csv(tmp_path / "c.csv", [["customer_id"], ["C1"], ["C2"]]))
    s = do_import(ws, "orders", _orders(tmp_path / "o.csv", BASE), strict=True)
    assert (s.inserted, s.rejected, s.customers_created) == (3, 0, 0)


# -- --dry-run ---------------------------------------------------------------------------
def test_dry_run_writes_nothing_and_counts_like_a_real_run(tmp_path: Path) -> None:
    rows = [["A", "1", "C1", "2024-03-05", "11"], ["A", "2", "C1", "2024-03-05", "20.5"],
            ["C", "1", "C5", "2024-03-05", "1"], ["C", "2", "C6", "2024-03-05", "1"],
            ["Z", "1", "C1", "nope", "1"], ["C", "1", "C5", "2024-03-05", "1"]]
    keys = ("read", "accepted", "inserted", "updated", "unchanged", "rejected", "blank",
            "customers_created", "columns", "ignored_columns", "top_reasons")
    results = []
    for dry in (True, False):
        db = tmp_path / f"w{dry}.duckdb"
        with Workspace.open(Settings(db=db), create=True) as ws:
            do_import(ws, "orders", _orders(tmp_path / f"first{dry}.csv", BASE))
        before = table_state(db)
        with Workspace.open(Settings(db=db)) as ws:
            s = do_import(ws, "orders", _orders(tmp_path / f"o{dry}.csv", rows), dry_run=dry)
        assert s.dry_run is dry
        assert (table_state(db) == before) is dry
        results.append({k: getattr(s, k) for k in keys})
    assert results[0] == results[1]
    assert (results[0]["inserted"], results[0]["updated"], results[0]["unchanged"],
            results[0]["rejected"], results[0]["customers_created"]) == (2, 1, 1, 2, 2)


# -- generated keys ----------------------------------------------------------------------
def test_orders_without_keys_get_stable_generated_keys(ws: Workspace, tmp_path: Path) -> None:
    header = ["customer_id", "order_date", "amount", "product_id"]
    rows = [["C1", "2024-03-05", "10", "P1"], ["C1", "2024-03-05", "10", "P1"],  # identical twice
            ["C2", "2024-03-06 09:00", "5", ""]]
    f = write_csv(tmp_path / "o.csv", [header, *rows])
    s = do_import(ws, "orders", f)
    assert (s.inserted, s.rejected) == (3, 0)
    keys = ws.db.con.execute("SELECT order_id, line_no FROM orders ORDER BY ALL").fetchall()
    assert [k[0] for k in keys] == ["G-C1-20240305", "G-C1-20240305", "G-C2-20240306"]
    assert len(set(keys)) == 3 and all(isinstance(k[1], int) for k in keys)

    again = do_import(ws, "orders", f)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 3)
    assert ws.db.con.execute("SELECT order_id, line_no FROM orders ORDER BY ALL").fetchall() == keys

    write_csv(f, [header, *rows, ["C3", "2024-03-07", "1", "P2"]])
    appended = do_import(ws, "orders", f)
    assert (appended.inserted, appended.updated, appended.unchanged) == (1, 0, 3)
    assert ws.db.counts()["orders"] == 4

    write_csv(f, [header, *rows, ["C3", "2024-03-07", "1", "P2"], ["C1", "2024-03-05", "10", "P1"]])
    third_copy = do_import(ws, "orders", f)  # a third identical line is a new line
    assert (third_copy.inserted, third_copy.unchanged) == (1, 4)
    assert ws.db.counts()["orders"] == 5


def test_orders_with_order_id_but_no_line_no(ws: Workspace, tmp_path: Path) -> None:
    rows = [["order_id", "customer_id", "order_date", "amount"], ["A", "C1", "2024-01-01", "1"],
            ["A", "C1", "2024-01-01", "2"], ["B", "C1", "2024-01-01", "2"]]
    f = write_csv(tmp_path / "o.csv", rows)
    s = do_import(ws, "orders", f)
    assert (s.inserted, s.rejected) == (3, 0)
    stored = ws.db.con.execute("SELECT order_id, line_no, amount FROM orders ORDER BY 1, 3").fetchall()
    assert [(r[0], r[2]) for r in stored] == [("A", D("1.00")), ("A", D("2.00")), ("B", D("2.00"))]
    assert stored[0][1] != stored[1][1]
    again = do_import(ws, "orders", f)
    assert (again.inserted, again.unchanged) == (0, 3)
    con = ws.db.con
    assert con.execute("SELECT order_id, line_no, amount FROM orders ORDER BY 1, 3").fetchall() == stored


@pytest.mark.parametrize(("table", "key", "rows"), [
    ("payments", "payment_id", [["客户", "回款日期", "回款金额"], ["C1", "2024-03-05", "100"],
                                ["C1", "2024-03-05", "100"], ["C2", "2024-03-06", "50"]]),
    ("activities", "activity_id", [["客户编号", "跟进日期", "跟进方式", "备注"],
                                   ["C1", "2024-03-05", "拜访", "n1"], ["C1", "2024-03-05", "拜访", "n1"],
                                   ["C2", "2024-03-06", "电话", ""]]),
])
def test_payments_and_activities_get_generated_ids(ws: Workspace, tmp_path: Path, table: str, key: str,
                                                   rows: list[list[str]]) -> None:
    f = write_csv(tmp_path / "f.csv", rows)
    s = do_import(ws, table, f)
    assert (s.inserted, s.rejected) == (3, 0)
    ids = [r[0] for r in ws.db.con.execute(f"SELECT {key} FROM {table} ORDER BY 1").fetchall()]
    assert len(set(ids)) == 3
    assert all(i.startswith("G") and len(i) == 17 for i in ids)
    again = do_import(ws, table, f)
    assert (again.inserted, again.unchanged) == (0, 3)
    assert [r[0] for r in ws.db.con.execute(f"SELECT {key} FROM {table} ORDER BY 1").fetchall()] == ids


# -- headers and mapping -----------------------------------------------------------------
def test_unmapped_required_column_names_the_files_headers(ws: Workspace, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "o.csv", [["客户", "日子", "钱"], ["C1", "2024-03-05", "100"]])
    with pytest.raises(DataError) as err:
        do_import(ws, "orders", f)
    msg = str(err.value)
    assert msg.startswith("o.csv: no column for orders.order_date")
    assert "The file's headers are: '客户', '日子', '钱'." in msg
    assert "--mapping" in msg and "Closest: '日子' ≈ '日期'" in msg
    assert ws.db.counts()["orders"] == 0
    assert not (tmp_path / "o.rejected.csv").exists()


def test_unmapped_required_column_cli(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    Workspace.open(Settings(db=db), create=True).close()
    f = write_csv(tmp_path / "p.csv", [["who", "when"], ["C1", "2024-03-05"]])
    r = run_cli("--db", db, "import", "payments", f)
    assert r.returncode == 1
    assert r.stderr.startswith("Error: p.csv: no column for payments.customer_id")
    assert "The file's headers are: 'who', 'when'." in r.stderr
    assert "Traceback" not in r.stderr


def test_mapping_file_maps_headers_and_skips_columns(ws: Workspace, tmp_path: Path) -> None:
    mapping = tmp_path / "m.yaml"
    mapping.write_text("columns:\n  开票日期: order_date\n  客户全称: customer_id\n  内部备注: null\n"
                       "  钱: amount\n", encoding="utf-8")
    f = write_csv(tmp_path / "o.csv", [["单号", "客户全称", "开票日期", "钱", "内部备注"],
                                       ["A", "甲公司", "2024-03-05", "5", "secret"]])
    s = do_import(ws, "orders", f, mapping=mapping)
    assert s.columns == {"单号": "order_id", "客户全称": "customer_id", "开票日期": "order_date",
                         "钱": "amount"}
    assert s.ignored_columns == []
    assert ws.db.con.execute("SELECT order_id, customer_id, order_date, amount FROM orders").fetchall() == [
        ("A", "甲公司", T(2024, 3, 5), D("5.00"))]


def test_mapping_file_unknown_key_suggests_the_right_one(ws: Workspace, tmp_path: Path) -> None:
    mapping = tmp_path / "m.yaml"
    mapping.write_text("colums:\n  a: order_date\n", encoding="utf-8")
    f = _orders(tmp_path / "o.csv", BASE)
    with pytest.raises(ConfigError, match=r"colums: .*did you mean 'columns'\?"):
        do_import(ws, "orders", f, mapping=mapping)


def test_mapping_file_unknown_target_column(ws: Workspace, tmp_path: Path) -> None:
    mapping = tmp_path / "m.yaml"
    mapping.write_text("columns:\n  日子: order_dat\n", encoding="utf-8")
    with pytest.raises(ConfigError,
                       match=r"'order_dat' is not a column of orders \(did you mean 'order_date'\?\)"):
        do_import(ws, "orders", _orders(tmp_path / "o.csv", BASE), mapping=mapping)


@pytest.mark.parametrize(("text", "match"), [("[1, 2]\n", "is a YAML mapping"),
                                             ("columns: [\n", "not valid YAML"),
                                             ("date_order: YDM\n", "date_order")])
def test_bad_mapping_files(ws: Workspace, tmp_path: Path, text: str, match: str) -> None:
    mapping = tmp_path / "m.yaml"
    mapping.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=match):
        do_import(ws, "orders", _orders(tmp_path / "o.csv", BASE), mapping=mapping)


def test_missing_mapping_file(ws: Workspace, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="mapping file not found"):
        do_import(ws, "orders", _orders(tmp_path / "o.csv", BASE), mapping=tmp_path / "none.yaml")


def test_unknown_table_suggests_a_name(ws: Workspace, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"no table 'order' \(did you mean 'orders'\?\)"):
        do_import(ws, "order", _orders(tmp_path / "o.csv", BASE))


def test_two_headers_for_one_column_is_an_error(ws: Workspace, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "o.csv", [["单号", "订单号", "customer_id", "date", "amount"],
                                       ["A", "B", "C1", "2024-03-05", "1"]])
    with pytest.raises(DataError, match=r"columns '单号', '订单号' all mean orders\.order_id"):
        do_import(ws, "orders", f)


def test_exact_name_beats_an_alias(ws: Workspace, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "o.csv", [["order_id", "订单号", "customer_id", "date", "amount"],
                                       ["A", "B", "C1", "2024-03-05", "1"]])
    s = do_import(ws, "orders", f)
    assert s.ignored_columns == ["订单号"]
    assert ws.db.con.execute("SELECT order_id FROM orders").fetchall() == [("A",)]


# -- extra columns -----------------------------------------------------------------------
def test_extra_customer_columns_become_attributes(ws: Workspace, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "c.csv", [["customer_id", "name", "VIP Level", "Score", "微信号"],
                                       ["C1", "Acme", "gold", "1.5", "wx1"], ["C2", "B", "", "2", ""]])
    s = do_import(ws, "customers", f)
    assert s.columns == {"customer_id": "customer_id", "name": "name", "VIP Level": "vip_level",
                         "Score": "score", "微信号": "微信号"}
    assert s.ignored_columns == []
    types = dict(ws.db.con.execute("SELECT column_name, data_type FROM duckdb_columns() "
                                "WHERE table_name = 'customers'").fetchall())
    assert (types["vip_level"], types["score"], types["微信号"]) == ("VARCHAR", "DOUBLE", "VARCHAR")
    stored = ws.db.con.execute(
        "SELECT customer_id, vip_level, score, 微信号 FROM customers ORDER BY 1").fetchall()
    assert stored == [("C1", "gold", 1.5, "wx1"), ("C2", None, 2.0, None)]
    # a later file bringing a value to a new attribute of an existing customer updates it
    s2 = do_import(ws, "customers", write_csv(tmp_path / "d.csv", [["customer_id", "tier"], ["C1", "A"]]))
    assert (s2.inserted, s2.updated) == (0, 1)
    assert ws.db.con.execute("SELECT tier FROM customers WHERE customer_id = 'C1'").fetchall() == [("A",)]


def test_extra_order_columns_are_listed_as_ignored(ws: Workspace, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "o.csv", [[*ORDER_HEADER, "备注", "color"], ["A", "1", "C1", "2024-03-05", "1",
                                                                          "x", "red"]])
    s = do_import(ws, "orders", f)
    assert s.ignored_columns == ["备注", "color"]
    assert "备注" not in s.columns
    cols = {r[0] for r in ws.db.con.execute("SELECT column_name FROM duckdb_columns() "
                                         "WHERE table_name = 'orders'").fetchall()}
    assert {"备注", "color"}.isdisjoint(cols)


# -- --json and the rejected-rows file ---------------------------------------------------
def test_cli_json_summary(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    Workspace.open(Settings(db=db), create=True).close()
    f = _orders(tmp_path / "o.csv", [*BASE, ["Z", "1", "C1", "2024-03-05", "zz"]])
    r = run_cli("--db", db, "import", "orders", f, "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert {k: out[k] for k in ("read", "accepted", "inserted", "updated", "rejected", "rejected_file")} == {
        "read": 4, "accepted": 3, "inserted": 3, "updated": 0, "rejected": 1,
        "rejected_file": str(tmp_path / "o.rejected.csv")}
    assert out["top_reasons"][0]["code"] == "bad_number"
    assert query(db, "SELECT count(*) FROM orders") == [(3,)]


def test_fixed_rejected_file_reimports_cleanly(ws: Workspace, tmp_path: Path) -> None:
    f = _orders(tmp_path / "o.csv", [*BASE, ["C", "1", "C1", "2024-13-05", "1"],
                                     ["D", "1", "C1", "2024-03-05", "(1,234.50"]])
    s = do_import(ws, "orders", f)
    assert s.rejected == 2
    header, rows = read_rejected(s.rejected_file)
    fixes = {"C": ("order_date", "2024-12-05"), "D": ("amount", "(1,234.50)")}
    for row in rows:
        col, value = fixes[row["order_id"]]
        row[col] = value
    fixed = write_csv(tmp_path / "fixed.csv", [header, *[[r[h] for h in header] for r in rows]],
                      encoding="utf-8-sig")
    s2 = do_import(ws, "orders", fixed)
    assert (s2.read, s2.accepted, s2.inserted, s2.rejected) == (2, 2, 2, 0)
    assert all(not c.startswith("tierwise_") for c in s2.columns)
    assert not any(c.startswith("tierwise_") for c in s2.ignored_columns)
    assert ws.db.con.execute("SELECT order_id, order_date, amount FROM orders WHERE order_id IN ('C', 'D') "
                          "ORDER BY 1").fetchall() == [("C", T(2024, 12, 5), D("1.00")),
                                                       ("D", T(2024, 3, 5), D("-1234.50"))]


HOSTILE_NAME = '=HYPERLINK("http://evil.example","点我")'


@pytest.mark.parametrize("saved_by", ["spreadsheet", "text editor"])
def test_the_rejected_file_runs_no_formula_and_imports_again_as_the_file_had_it(
        ws: Workspace, tmp_path: Path, saved_by: str) -> None:
    # a rejected row's own text and the value quoted beside it keep formula-like text behind an
    # apostrophe (the file is opened in a spreadsheet); mended, it imports as the file had it,
    # whether a spreadsheet saved it (the apostrophe dropped) or it was edited as text (kept)
    f = write_csv(tmp_path / "c.csv", [
        ["customer_id", "name", "region", "credit_limit"],
        ["C1", HOSTILE_NAME, "@华南", "=1+2"],
        ["C2", "+86 138 0013 8000", "-", "abc"],
        ["C3", "'=quoted by hand", "华东", "-120.5"],  # a negative limit: rejected, a plain number
    ], encoding="utf-8-sig")
    s = do_import(ws, "customers", f)
    assert (s.read, s.accepted, s.rejected) == (3, 0, 3)
    header, written = read_rejected(s.rejected_file, as_written=True)
    assert [(r["name"], r["region"], r["credit_limit"], r["tierwise_value"]) for r in written] == [
        ("'" + HOSTILE_NAME, "'@华南", "'=1+2", "'=1+2"), ("'+86 138 0013 8000", "'-", "abc", "abc"),
        ("'=quoted by hand", "华东", "-120.5", "-120.5")]
    assert written[0]["tierwise_reason"].startswith("'=1+2' is not a number")
    fixes = {"C1": "3", "C2": "5000", "C3": "120.5"}
    if saved_by == "spreadsheet":  # what a cell shows is what the spreadsheet saves
        _, rows = read_rejected(s.rejected_file)
    else:
        rows = written
    mended = [[fixes[r["customer_id"]] if h == "credit_limit" else r[h] for h in header] for r in rows]
    again = do_import(ws, "customers", write_csv(tmp_path / "mended.csv", [header, *mended],
                                                 encoding="utf-8-sig"))
    assert (again.read, again.accepted, again.rejected) == (3, 3, 0)
    assert ws.db.con.execute("SELECT customer_id, name, region, credit_limit FROM customers ORDER BY 1"
                             ).fetchall() == [
        ("C1", HOSTILE_NAME, "@华南", D("3")), ("C2", "+86 138 0013 8000", "-", D("5000")),
        ("C3", "=quoted by hand", "华东", D("120.5"))]  # an apostrophe before "=" reads off anywhere


def test_stale_rejected_file_is_removed(ws: Workspace, tmp_path: Path) -> None:
    f = _orders(tmp_path / "o.csv", [*BASE, ["C", "1", "C1", "bad", "1"]])
    s = do_import(ws, "orders", f)
    assert Path(s.rejected_file or "").exists()
    s2 = do_import(ws, "orders", _orders(f, BASE))
    assert s2.rejected_file is None
    assert not (tmp_path / "o.rejected.csv").exists()


def test_rejected_out_option(ws: Workspace, tmp_path: Path) -> None:
    target = tmp_path / "out" / "bad rows.csv"
    target.parent.mkdir()
    s = do_import(ws, "orders", _orders(tmp_path / "o.csv", [["C", "1", "C1", "bad", "1"]]),
                  rejected_path=target)
    assert s.rejected_file == str(target)
    assert list(rejected_by_row(target)) == [2]
    assert not (tmp_path / "o.rejected.csv").exists()


def test_a_file_changing_most_customers_rewrites_the_table_as_an_update_would(
        demo_company: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # an import updating most customers writes the table anew, a key range at a time (DuckDB
    # holds updated values in memory it cannot spill: 7M of 10M credit limits took over 5 GiB);
    # the rows, the summary and the audit trail are those of the update in place
    from conftest import demo_copy
    from tierwise.data import upsert
    from tierwise.store import keys

    monkeypatch.setattr(keys, "SORT_ROWS", 150)  # the demo's 600 customers in 4 key ranges
    results = {}
    for way, rows in (("update", 10**9), ("rewrite", 0)):
        monkeypatch.setattr(upsert, "REWRITE_ROWS", rows)
        db = demo_copy(demo_company, tmp_path / way)
        with Workspace.open(Settings(db=db), create=True) as ws:
            con = ws.db.con
            # a customer an orders file named first (a placeholder the customers file fills in)
            do_import(ws, "orders", write_csv(tmp_path / way / "o.csv", [
                ["order_id", "customer_id", "order_date", "amount"], ["NEW-1", "ZZ-9", "2026-05-01", "10"]]))
            stored = con.execute("SELECT customer_id, name, rep_id, department, credit_limit FROM customers "
                                 "ORDER BY customer_id").fetchall()
            reps = [r[0] for r in con.execute("SELECT rep_id FROM reps ORDER BY 1").fetchall()]
            file = [["customer_id", "name", "rep_id", "department", "credit_limit", "vip"]]
            for i, (cid, cname, rep, dept, limit) in enumerate(stored):
                if i % 10 == 9:
                    continue  # a tenth of them not in the file: kept as they are
                limit = (limit or 0) + 1000 if i % 4 else limit
                file.append([cid, cname if i % 7 else f"{cname} 有限公司",
                             reps[i % len(reps)] if i % 3 == 0 else rep or "", dept or "",
                             "" if limit is None else str(limit), "是" if i % 5 == 0 else ""])
            file += [["ZZ-1", "新客户", reps[0], "", "5000", "是"], ["AA-1", "另一个", "", "", "", ""]]
            summary = ws.imports.file("customers", write_csv(tmp_path / way / "c.csv", file))
            assert summary.updated > len(stored) // 2 and summary.inserted == 2
            table = con.execute("SELECT * EXCLUDE (import_id) FROM customers ORDER BY customer_id").fetchall()
            trail = con.execute("SELECT action, customer_id, subject, old_value, new_value FROM audit "
                                "ORDER BY audit_id").fetchall()
            counts = (summary.updated, summary.unchanged, summary.credit_limits_changed)
            owners = con.execute("SELECT customer_id, rep_id FROM owners ORDER BY 1").fetchall()
            results[way] = (table, trail, counts, owners)
            assert ws.audit.verify().ok
            if way == "rewrite":  # the customers stored before in key order, then the two new ones
                assert con.execute(
                    "SELECT count(*) FILTER (WHERE customer_key < previous) FROM (SELECT customer_key, "
                    "lag(customer_key) OVER (ORDER BY rowid) AS previous FROM customers "
                    "WHERE customer_id NOT IN ('ZZ-1', 'AA-1'))").fetchone() == (0,)
                assert con.execute("SELECT customer_id FROM customers WHERE rowid >= ? ORDER BY rowid",
                                   [len(stored)]).fetchall() == sorted(
                    [("ZZ-1",), ("AA-1",)], key=lambda r: keys.customer_key(r[0]))
                # the workspace goes on: customers found by their keys
                assert keys.has_customer(con, "ZZ-1") and keys.has_customer(con, stored[0][0])
    assert results["rewrite"] == results["update"]
    assert len(results["update"][1]) > 300
