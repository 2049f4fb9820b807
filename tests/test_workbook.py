"""The manager's workbook on a hand-made company: the sheets, headers in both languages, real
Excel cells and tables, and figures that reconcile with the workspace.

Five customers of two reps (C5 a prospect with no orders), twelve months of orders from
2025-07 to 2026-06 plus one in 2025-06 (outside the sales sheets' 12 months), payments (C2
pays late and leaves a balance), follow-ups. ABC and credit_rating are classified as of
2026-03-31 (snapshot 1) and 2026-06-30 (snapshot 2); the tasks are kept for 2026-07-01.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from conftest import do_import, query, run_cli, write_csv
from schemes_fixture import company, order
from tierwise.access.users import User
from tierwise.data import xlsx
from tierwise.errors import ConfigError, ForbiddenError
from tierwise.reports import workbook
from tierwise.reports.workbook import write_workbook
from tierwise.settings import Settings
from tierwise.workspace import Workspace

FIRST, AS_OF = date(2026, 3, 31), date(2026, 6, 30)
SHEETS = ["summary", "abc", "credit_rating", "tasks", "credit_holds", "sales_by_month_department",
          "sales_by_month_rep", "migration_abc", "workload", "service_by_class", "service_by_rep",
          "targets", "客户信息表", "客户资信等级评估表", "客户出货回款信息表"]
SHEETS_ZH = ["汇总", "ABC 客户分类", "客户资信等级", "任务", "信用冻结", "月度销售（按部门）",
             "月度销售（按业务员）", "类别迁移（ABC 客户分类）", "工作量", "服务与计划（按类别）",
             "服务与计划（按业务员）", "目标达成", "客户信息表", "客户资信等级评估表", "客户出货回款信息表"]
ZH = dict(zip(SHEETS, SHEETS_ZH, strict=True))  # a Chinese workbook: sheets by Chinese names and titles
REPS = [["rep_id", "name", "department", "capacity"], ["R1", "Wang", "East", 10], ["R2", "Li", "West", 5]]
CUSTOMERS = [
    {"customer_id": "C1", "name": "Acme", "type": "trading", "region": "上海", "department": "East",
     "rep_id": "R1", "created_date": "2025-01-10", "credit_limit": 5000, "payment_terms_days": 30},
    {"customer_id": "C2", "name": "Beta", "type": "construction", "region": "成都", "department": "West",
     "rep_id": "R2", "created_date": "2025-02-01", "credit_limit": 2000, "payment_terms_days": 30},
    {"customer_id": "C3", "name": "=Gamma", "region": "上海", "department": "East", "rep_id": "R1",
     "created_date": "2025-03-01"},  # a name that looks like a formula stays text
    {"customer_id": "C4", "name": "Delta 公司", "department": "East", "rep_id": "R1"},
    {"customer_id": "C5", "name": "Echo", "department": "West", "rep_id": "R2", "created_date": "2026-01-05"},
]
MONTHS = [(2025, m) for m in range(7, 13)] + [(2026, m) for m in range(1, 7)]


def _orders() -> list[dict[str, Any]]:
    rows = [order("C1", "2025-06-15", 999, cost=500)]  # before the 12 months of the sales sheets
    for i, (y, m) in enumerate(MONTHS):
        day = f"{y}-{m:02d}-10"
        rows.append(order("C1", day, 1000 + 10 * i, cost=600, product_id="P1"))
        rows.append(order("C2", f"{y}-{m:02d}-12", 400, cost=300, department="Online"))
        if i % 2 == 0:
            rows.append(order("C3", f"{y}-{m:02d}-15", 150))
        if i in (3, 9):
            rows.append(order("C4", f"{y}-{m:02d}-20", 55.5))
    rows.append(order("C1", "2026-05-11", -100))  # a return
    return rows


def _payments() -> list[dict[str, Any]]:
    rows = []
    for i, (y, m) in enumerate(MONTHS[:-1]):
        rows.append({"customer_id": "C1", "payment_date": f"{y}-{m:02d}-28", "amount": 1000 + 10 * i})
        if i % 3 == 0:  # C2 pays every third month, late
            nxt = MONTHS[i + 1]
            rows.append({"customer_id": "C2", "payment_date": f"{nxt[0]}-{nxt[1]:02d}-25", "amount": 400})
        if i % 2 == 0:
            rows.append({"customer_id": "C3", "payment_date": f"{y}-{m:02d}-20", "amount": 150})
    return rows


ACTIVITIES = [{"customer_id": "C1", "activity_date": "2026-05-02", "kind": "visit", "rep_id": "R1"},
              {"customer_id": "C2", "activity_date": "2026-04-10", "kind": "call", "rep_id": "R2"}]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("workbook")
    path = tmp / "w.duckdb"
    with Workspace.open(Settings(db=path), create=True) as ws:
        assert do_import(ws, "reps", write_csv(tmp / "reps.csv", REPS)).rejected == 0
        company(ws, tmp, customers=CUSTOMERS, orders=_orders(), payments=_payments(), activities=ACTIVITIES)
        ws.snapshots.classify(["abc", "credit_rating"], as_of=FIRST)
        ws.snapshots.classify(["abc", "credit_rating"], as_of=AS_OF)
    done = run_cli("--db", path, "tasks", "--date", "2026-07-01")
    assert done.returncode == 0, done.stderr
    return path


@pytest.fixture(scope="module")
def books(db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The workbook in English and in Chinese, opened with openpyxl."""
    tmp = tmp_path_factory.mktemp("books")
    out: dict[str, Any] = {}
    with Workspace.open(Settings(db=db)) as ws:
        for lang in ("en", "zh"):
            path = tmp / f"report-{lang}.xlsx"
            out[f"names_{lang}"] = write_workbook(ws.db, path, lang=lang)
            out[lang] = load_workbook(path)
    yield out


def _rows(sheet: Any) -> list[dict[str, Any]]:
    values = list(sheet.iter_rows(values_only=True))
    return [dict(zip(values[0], r, strict=True)) for r in values[1:]]


def test_the_sheets(books: dict[str, Any]) -> None:
    assert books["names_en"] == SHEETS == books["en"].sheetnames
    assert books["names_zh"] == SHEETS_ZH == books["zh"].sheetnames


def test_headers_in_english_and_chinese(books: dict[str, Any]) -> None:
    en = [c.value for c in books["en"]["abc"][1]]
    zh = [c.value for c in books["zh"][ZH["abc"]][1]]
    assert en == ["customer", "name", "rep", "class", "label", "reason", "revenue", "orders", "last order"]
    assert zh == ["客户编号", "客户名称", "业务员", "类别", "类别名称", "依据",
                  "销售额", "订单数", "最近购买"]
    assert [c.value for c in books["zh"][ZH["summary"]][1]][:7] == [
        "分类方案", "类别", "类别名称", "客户数", "客户占比", "销售额", "销售额占比"]
    # every Chinese header is Chinese (a column missing from the mapping would show its raw name);
    # the migration matrix is headed by class ids
    for name in SHEETS:
        if name == "migration_abc":
            continue
        for cell in books["zh"][ZH[name]][1]:
            assert any(ord(ch) > 0x2E80 for ch in cell.value), (name, cell.value)
        assert [c.value for c in books["zh"][ZH[name]][1]] != [c.value for c in books["en"][name][1]], name
    # labels and reasons follow the language
    zh_abc = _rows(books["zh"][ZH["abc"]])
    assert all(any(ord(ch) > 0x2E80 for ch in r["依据"]) for r in zh_abc)
    assert all(not any(ord(ch) > 0x2E80 for ch in r["reason"]) for r in _rows(books["en"]["abc"]))


def test_cells_are_real_dates_and_numbers(books: dict[str, Any]) -> None:
    wb = books["en"]
    abc = wb["abc"]
    first = abc[2]  # the top customer: C1
    assert first[0].value == "C1"
    assert isinstance(first[6].value, (int, float)) and first[6].number_format == "#,##0.00"
    assert isinstance(first[7].value, int) and first[7].number_format == "#,##0"
    assert isinstance(first[8].value, datetime) and first[8].number_format == "yyyy-mm-dd"
    assert first[8].value.date() == date(2026, 6, 10)
    summary = wb["summary"]
    assert summary["E2"].number_format == "0.0%" and summary["G2"].number_format == "0.0%"
    as_of = summary["I2"]
    assert [c.value for c in summary[1]][8] == "as of"
    assert isinstance(as_of.value, datetime) and as_of.value.date() == AS_OF
    tasks = _rows(wb["tasks"])
    assert tasks and all(isinstance(t["due"], datetime) for t in tasks)
    info = {r["customer"]: r for r in _rows(wb["客户信息表"])}
    assert info["C3"]["name"] == "=Gamma"  # text, not a formula
    assert wb["客户信息表"]["B4"].data_type == "s"
    assert isinstance(info["C1"]["created"], datetime) and info["C1"]["credit limit"] == 5000
    # the classes of the schemes with the roles primary_grade (abc) and credit (credit_rating)
    assert info["C1"]["abc class"] == "A" and info["C1"]["credit rating"] is not None
    assert info["C2"]["rep name"] == "Li" and info["C5"]["abc class"] is None
    for name in SHEETS:
        assert wb[name].freeze_panes == "A2", name
        assert all(wb[name].column_dimensions[get_column_letter(i + 1)].width >= 8
                   for i in range(wb[name].max_column)), name


def test_scheme_sheets_hold_every_class(db: Path, books: dict[str, Any]) -> None:
    counts = dict(query(db, "SELECT scheme, count(*) FROM classes WHERE snapshot_id = 2 GROUP BY scheme"))
    assert counts == {"abc": 4, "credit_rating": 4}  # the prospect C5 is in neither population
    for scheme, n in counts.items():
        rows = _rows(books["en"][scheme])
        assert len(rows) == n
        assert {r["customer"] for r in rows} == {r[0] for r in query(
            db, "SELECT customer_id FROM classes WHERE snapshot_id = 2 AND scheme = ?", [scheme])}


def test_summary_tier_mix_adds_up_to_the_snapshot(db: Path, books: dict[str, Any]) -> None:
    rows = _rows(books["en"]["summary"])
    total = query(db, "SELECT sum(revenue) FROM snapshot_customers "
                      "WHERE snapshot_id = 2 AND \"window\" = '12m'")
    assert rows[0]["scheme"] == "(all)" and rows[0]["customers"] == 5 and rows[0]["snapshot"] == 2
    assert rows[1]["customers"] == 4 and rows[2]["customers"] == 4  # buyers, and bought ever: not C5
    assert rows[0]["revenue"] == pytest.approx(float(total[0][0]))
    today = date.today()
    (open_, late, holds), = query(db, "SELECT count(*), count(*) FILTER (WHERE due_date < ?), count(DISTINCT "
                                      "customer_id) FILTER (WHERE kind = 'credit_hold') FROM tasks "
                                      "WHERE status = 'open'", [today])
    assert open_ > 0
    assert [(r["label"], r["tasks"]) for r in rows[3:5]] == [("open tasks", open_),
                                                              (f"late tasks (due before {today})", late)]
    assert rows[5]["customers"] == holds
    for scheme in ("abc", "credit_rating"):
        mix = [r for r in rows if r["scheme"] == scheme]
        assert sum(r["revenue"] for r in mix) == pytest.approx(float(total[0][0])), scheme
        assert sum(r["share"] for r in mix) == pytest.approx(1.0)
        assert sum(r["revenue share"] for r in mix) == pytest.approx(1.0)
    assert [r["class"] for r in rows if r["scheme"] == "abc"] == ["A", "B", "C"]


def test_sales_sheets_add_up_to_the_orders_of_the_12_months(db: Path, books: dict[str, Any]) -> None:
    (expected,), = query(db, "SELECT sum(amount) FROM orders WHERE order_date >= '2025-07-01' "
                             "AND order_date < '2026-07-01'")
    for name in ("sales_by_month_department", "sales_by_month_rep"):
        rows = _rows(books["en"][name])
        assert sum(r["revenue"] for r in rows) == pytest.approx(float(expected)), name
        assert {r["month"].date() for r in rows} == {date(y, m, 1) for y, m in MONTHS}
    departments = {r["department"] for r in _rows(books["en"]["sales_by_month_department"])}
    assert departments == {"East", "Online"}


def test_every_sheet_is_one_table_over_all_its_rows(books: dict[str, Any]) -> None:
    names = set()
    for lang in ("en", "zh"):
        for sheet in books[lang].worksheets:
            assert len(sheet.tables) == 1, sheet.title
            table = next(iter(sheet.tables.values()))
            last = get_column_letter(sheet.max_column)
            assert table.ref == f"A1:{last}{max(2, sheet.max_row)}", sheet.title
            assert table.tableStyleInfo is not None and table.autoFilter is not None
            assert [c.name for c in table.tableColumns] == [c.value for c in sheet[1]]
            names.add((lang, table.displayName))
    assert len(names) == 2 * len(SHEETS)  # unique within each workbook


def test_migration_and_forms(books: dict[str, Any]) -> None:
    wb = books["en"]
    matrix = list(wb["migration_abc"].iter_rows(values_only=True))
    assert matrix[0][1:] == ("A", "B", "C", "(out)", "total")
    assert [r[0] for r in matrix[1:]] == ["A", "B", "C", "(new)"]
    assert sum(r[-1] for r in matrix[1:]) == 4  # the four buyers, in both snapshots
    zh = list(books["zh"][ZH["migration_abc"]].iter_rows(values_only=True))
    assert zh[0][4] == "（移出）" and zh[-1][0] == "（新进）"
    statuses = {r["状态"] for r in _rows(books["zh"][ZH["workload"]])}
    assert statuses and statuses <= {"超负荷", "偏低", "正常", "未设容量", "未分配"}
    assert "调配建议" in _rows(books["zh"][ZH["workload"]])[0]
    rating = {r["customer"]: r for r in _rows(wb["客户资信等级评估表"])}
    assert rating["C2"]["credit rating"] is not None and rating["C2"]["days overdue"] > 0
    sheet = wb["客户资信等级评估表"]
    assert sheet["G1"].value == "on-time ratio"
    assert isinstance(sheet["G2"].value, (int, float)) and sheet["G2"].number_format == "0.0%"
    ship = {r["customer"]: r for r in _rows(wb["客户出货回款信息表"])}
    assert ship["C2"]["shipped"] == 4800 and ship["C2"]["received"] == 1600
    assert ship["C2"]["outstanding"] > 0 and "C5" not in ship
    holds = _rows(wb["credit_holds"])
    assert all(r["hold reason"] for r in holds)


def test_forms_read_the_snapshots_credit_figures_as_computing_them_again_would(
        db: Path, tmp_path: Path, books: dict[str, Any]) -> None:
    """The credit forms read the figures the snapshot kept; a snapshot stored before it kept
    them (schema 12) has them computed again: the same sheets."""
    path = tmp_path / "old.xlsx"
    with Workspace.open(Settings(db=db)) as ws:
        sid = ws.db.con.execute("SELECT max(snapshot_id) FROM snapshots").fetchone()[0]
        kept = ws.db.con.execute("SELECT count(*), count(on_time_ratio), count(max_days_overdue) "
                                 "FROM snapshot_customers WHERE snapshot_id = ?", [sid]).fetchone()
        assert kept[0] >= 5 and kept[1] > 0 and kept[2] > 0
        ws.db.con.execute("UPDATE snapshots SET credit_facts = NULL WHERE snapshot_id = ?", [sid])
        try:
            write_workbook(ws.db, path)
        finally:
            ws.db.con.execute("UPDATE snapshots SET credit_facts = true WHERE snapshot_id = ?", [sid])
    old = load_workbook(path)
    for sheet in ("客户资信等级评估表", "客户出货回款信息表"):
        assert _rows(old[sheet]) == _rows(books["en"][sheet]) and _rows(old[sheet]), sheet


def test_missing_data_gives_a_note_and_the_earlier_snapshot(db: Path, tmp_path: Path) -> None:
    with Workspace.open(Settings(db=db)) as ws:
        write_workbook(ws.db, tmp_path / "first.xlsx", snapshot_id=1)
    wb = load_workbook(tmp_path / "first.xlsx")
    note = list(wb["migration_abc"].iter_rows(values_only=True))
    assert note[0] == ("note",) and len(note) == 2 and "not available" in note[1][0]
    assert wb["summary"]["I2"].value.date() == FIRST


def test_errors_leave_no_half_written_file(db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "keep.xlsx"
    path.write_bytes(b"old")
    with Workspace.open(Settings(db=db)) as ws:
        with pytest.raises(ConfigError, match=r"only \.xlsx"):
            write_workbook(ws.db, tmp_path / "r.html")
        with pytest.raises(ConfigError, match="no snapshot 99"):
            write_workbook(ws.db, path, snapshot_id=99)
        with monkeypatch.context() as m:  # the disk fills while the sheets are written
            m.setattr(xlsx, "_cell_pieces", lambda *a: (_ for _ in ()).throw(OSError(28, "No space left")))
            with pytest.raises(OSError, match="No space left"):
                write_workbook(ws.db, path)
        # the sheets kept on DuckDB while the workbook was written are gone, failure or not
        assert ws.db.con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE "
                                 "'_tw_wb_%'").fetchone() == (0,)
    assert path.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.xlsx"]


def test_a_sheet_longer_than_excel_keeps_its_first_rows_and_says_how_to_get_all(
        db: Path, tmp_path: Path, books: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workbook, "EXCEL_MAX_ROWS", 2)  # as if a sheet held more than 1,048,575
    path = tmp_path / "cut.xlsx"
    with Workspace.open(Settings(db=db)) as ws:
        names = write_workbook(ws.db, path, lang="zh")
    whole = books["zh"]
    assert names == whole.sheetnames
    got = load_workbook(path)
    cut: dict[str, int] = {}
    for sheet in names[1:]:
        rows = _rows(whole[sheet])
        assert _rows(got[sheet]) == rows[:2], sheet  # the first rows, in the sheet's order
        if len(rows) > 2:
            cut[sheet] = len(rows)
    assert {ZH["abc"], ZH["credit_rating"], ZH["tasks"]} <= set(cut)
    summary = _rows(got[ZH["summary"]])
    assert summary[:len(_rows(whole[ZH["summary"]]))] == _rows(whole[ZH["summary"]])  # never cut itself
    notes = {r["分类方案"]: r["类别名称"] for r in summary[len(_rows(whole[ZH["summary"]])):]}
    assert set(notes) == set(cut)
    assert notes[ZH["abc"]] == (f"仅前 2 行，共 {cut[ZH['abc']]:,} 行（Excel 单表上限）；全部导出："
                                "tierwise classes export --scheme abc --out abc.csv")
    assert notes[ZH["tasks"]].endswith("tierwise tasks --days 3650 --out tasks.csv")


def test_sheets_staged_in_small_parts_read_back_in_their_order(
        db: Path, tmp_path: Path, books: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """Sheets wait in Parquet files; a class list's rows are written in no order, partitioned
    by their place, and put in order as they are read. With parts of two rows every sheet
    reads back as the whole-part workbook has it (fails when a part is read out of place)."""
    from tierwise.reports import workbook_book

    monkeypatch.setattr(workbook_book, "ROW_GROUP", 2)
    path = tmp_path / "parts.xlsx"
    with Workspace.open(Settings(db=db)) as ws:
        names = write_workbook(ws.db, path, lang="zh")
    staging = (db.parent, Path(f"{db}.tmp"), Path(tempfile.gettempdir()))  # where they could be
    left = f"tierwise-sheets-{os.getpid()}-*"
    assert not [p for where in staging if where.is_dir() for p in where.glob(left)]
    got, whole = load_workbook(path), books["zh"]
    assert names == whole.sheetnames
    for sheet in names:
        assert _rows(got[sheet]) == _rows(whole[sheet]), sheet
    assert len(_rows(got[ZH["abc"]])) > 2  # more than one part


def test_a_managers_workbook_keeps_to_their_department(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "east.xlsx"
    with Workspace.open(Settings(db=db)) as ws:
        done = ws.acting_as(User("mx", "manager", department="East")).reports.build("xlsx", path)
        with pytest.raises(ForbiddenError):
            ws.acting_as(User("vw", "viewer")).reports.build("xlsx", tmp_path / "no.xlsx")
    assert done["sheets"] == SHEETS
    wb = load_workbook(path)
    east = {"C1", "C3", "C4"}  # C2 and C5 are West's
    for name in ("abc", "credit_rating", "tasks", "客户信息表", "客户资信等级评估表", "客户出货回款信息表"):
        assert {r["customer"] for r in _rows(wb[name])} <= east, name
    assert {r["customer"] for r in _rows(wb["客户信息表"])} == east
    summary = _rows(wb["summary"])
    assert summary[0]["customers"] == 3 and sum(r["customers"] for r in summary if r["scheme"] == "abc") == 3
    assert {r["department"] for r in _rows(wb["sales_by_month_department"])} == {"East"}
    assert {r["rep"] for r in _rows(wb["workload"])} == {"R1", None}  # East's rep and the unassigned row


def test_cli_report(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    done = run_cli("--db", db, "report", "--out", path, "--date", "2026-07-01")
    assert done.returncode == 0, done.stderr
    assert all(name in done.stdout for name in SHEETS)
    assert load_workbook(path).sheetnames == SHEETS
    bad = run_cli("--db", db, "report", "--out", tmp_path / "out.pdf")
    assert bad.returncode == 1 and "write .xlsx or .html" in bad.stderr + bad.stdout
    zh = run_cli("--db", db, "--lang", "zh", "report", "--out", tmp_path / "zh.xlsx")
    assert zh.returncode == 0 and "个工作表" in zh.stdout
    assert load_workbook(tmp_path / "zh.xlsx")[ZH["abc"]]["A1"].value == "客户编号"


def test_the_credit_holds_sheet_lists_the_holds_biggest_first_named_in_each_language(
        db: Path, books: dict[str, Any]) -> None:
    # staged by the engine (a million holds at ten million customers did not fit in Python):
    # the rows and order of credit_holds_table; in Chinese the class an action comes from and
    # the action by name
    from tierwise.playbook.credit_positions import credit_holds_table
    from tierwise.schemes import facts
    from tierwise.schemes.spec import CREDIT_PLAN

    with Workspace.open(Settings(db=db)) as ws:
        want = credit_holds_table(ws.db, on=facts.reference_day(None)).to_pylist()
    assert len(want) >= 2 and any(r["action_from"] for r in want)
    for lang in ("en", "zh"):
        sheet = books[lang]["credit_holds" if lang == "en" else ZH["credit_holds"]]
        got = list(sheet.iter_rows(values_only=True))[1:]
        assert [r[0] for r in got] == [r["customer_id"] for r in want], lang
        for row, expected in zip(got, want, strict=True):
            assert row[-1] == expected[f"hold_reason_{lang}"]
            action, source = row[11], row[12]
            if lang == "en":
                assert (action, source) == (expected["credit_action"], expected["action_from"])
            else:
                assert action == (CREDIT_PLAN[expected["credit_action"]][1] if expected["credit_action"]
                                  else None)
                if expected["action_from"]:
                    assert source.startswith("客户资信等级：") and ":" not in source, source
