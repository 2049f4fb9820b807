"""Capacity by tier (M1, M16): each rep's load by the classes' service ratios, against capacity.

One hand-made company, every figure worked out by hand here. ABC as of 2026-06-30 over 20
buyers B01..B20 (B01 spends most): A = top 5% = B01 (1:1, weight 1), B = the rest of the top
20% = B02..B04 (1:2, weight 0.5), C = B05..B20 (1:3-5, midpoint 4, weight 0.25). Prospects
P01..P03 and X01 are outside ABC's population: they weigh the default, C's 0.25.

rep  dept   capacity  customers                                    load
R1   East   3         B01 (A), B02 B03 (B), B05..B12 (8 C)          1 + 1 + 2 = 4      over (4/3)
R2   East   20        B04 (B), B13..B15 (3 C), P01                  0.5 + 0.75 + 0.25 = 1.5  under
M1   East   10        nobody (R1 and R2's manager)                  0                  under
R3   North  (empty)   B19 (C), P02                                  0.5                no capacity
R4   North  1         B16..B18 (3 C), P03                           1.0                ok (exactly full)
R5   North  0         nobody                                        0                  ok (carries nobody)

Unassigned: B20 (C, no rep, department North) and X01 (prospect, rep_id R9 is not in the
reps table, department East): 2 customers, load 0.5. 22 + 2 = 24 customers in all.
R1 is over by 1 equivalent (≈ 4 C customers): it goes to R2, the East rep with most spare
(18.5; M1 has 10).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conftest import do_import, query, run_cli, write_csv
from schemes_fixture import company, order
from tierwise.access.users import User
from tierwise.errors import ConfigError, DataError, ForbiddenError, NotFoundError
from tierwise.playbook.workload import Workload, parse_ratio, workload
from tierwise.schemes.overrides import set_override
from tierwise.settings import Settings
from tierwise.workspace import Workspace

AS_OF = date(2026, 6, 30)
OWNER = {"B01": "R1", "B02": "R1", "B03": "R1", **{f"B{i:02d}": "R1" for i in range(5, 13)},
         "B04": "R2", "B13": "R2", "B14": "R2", "B15": "R2", "P01": "R2",
         "B19": "R3", "P02": "R3", "B16": "R4", "B17": "R4", "B18": "R4", "P03": "R4",
         "B20": None, "X01": "R9"}
REPS = [["rep_id", "name", "department", "manager_id", "capacity"],
        ["M1", "Boss", "East", "", 10], ["R1", "Wang", "East", "M1", 3], ["R2", "Li", "East", "M1", 20],
        ["R3", "Zhao", "North", "", ""], ["R4", "Sun", "North", "R3", 1], ["R5", "Qian", "North", "R3", 0]]


def _build(ws: Workspace, tmp: Path, *, reps: bool = True) -> None:
    if reps:
        summary = do_import(ws, "reps", write_csv(tmp / "reps.csv", REPS))
        assert summary.rejected == 0
    dept = {"B20": "North", "X01": "East"}
    company(
        ws, tmp,
        customers=[{"customer_id": cid, "name": f"Customer {cid}", "rep_id": rep,
                    "department": dept.get(cid, "")} for cid, rep in sorted(OWNER.items())],
        orders=[order(f"B{i:02d}", f"2026-0{1 + i % 5}-1{i % 9}", (21 - i) * 1000) for i in range(1, 21)],
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A closed workspace file holding the company, classified by ABC as of 2026-06-30."""
    path = tmp_path / "w.duckdb"
    with Workspace.open(Settings(db=path), create=True) as ws:
        _build(ws, tmp_path)
        ws.snapshots.classify(["abc"], as_of=AS_OF)
    return path


def _open(db: Path) -> Workspace:
    return Workspace.open(Settings(db=db))


def _report(db: Path, **kw: Any) -> Workload:
    with _open(db) as ws:
        return workload(ws.db, **kw)


def _cli(db: Path, *args: object) -> Any:
    return run_cli("--db", db, *args)


# -- figures ---------------------------------------------------------------------------
def test_the_classes_are_as_planned(db: Path) -> None:
    rows = dict(query(db, "SELECT customer_id, class FROM classes WHERE scheme = 'abc'"))
    assert rows == {"B01": "A", "B02": "B", "B03": "B", "B04": "B",
                    **{f"B{i:02d}": "C" for i in range(5, 21)}}


def test_loads_statuses_and_order(db: Path) -> None:
    report = _report(db)
    reps = {r.rep_id: r for r in report.reps}
    assert [r.rep_id for r in report.reps] == ["R1", "R4", "R2", "M1", "R5", "R3"]
    figures = {k: (r.customers, r.load, r.capacity, r.status) for k, r in reps.items()}
    assert figures == {"R1": (11, 4.0, 3, "over"), "R2": (5, 1.5, 20, "under"), "M1": (0, 0.0, 10, "under"),
                       "R3": (2, 0.5, None, "no_capacity"), "R4": (4, 1.0, 1, "ok"),
                       "R5": (0, 0.0, 0, "ok")}
    assert reps["R1"].by_class == {"A": 1, "B": 2, "C": 8}
    assert reps["R2"].by_class == {"A": 0, "B": 1, "C": 3} and reps["R2"].outside == 1
    assert reps["R1"].utilisation == pytest.approx(4 / 3)
    assert reps["R2"].utilisation == pytest.approx(0.075)
    assert reps["R4"].utilisation == 1.0  # exactly full is ok, not over
    assert reps["R3"].utilisation is None and reps["R5"].utilisation is None
    # customers at the default ratio (4) that still fit: floor(spare x 4)
    assert {k: r.to_fill for k, r in reps.items()} == {"R1": 0, "R2": 74, "M1": 40, "R3": None, "R4": 0,
                                                       "R5": 0}
    assert reps["R1"].spare == -1.0
    assert report.ratios == {"A": 1, "B": 2, "C": 4}
    assert (report.default_ratio, report.default_from) == (4, "C")


def test_unassigned_and_every_customer_accounted_for(db: Path) -> None:
    report = _report(db)
    u = report.unassigned
    assert (u.customers, u.load, u.no_rep, u.unknown_rep, u.unknown_rep_ids) == (2, 0.5, 1, 1, ("R9",))
    assert u.by_class == {"A": 0, "B": 0, "C": 1} and u.outside == 1
    total = query(db, "SELECT count(*) FROM customers")[0][0]
    assert total == 24
    assert report.customers == sum(r.customers for r in report.reps) + u.customers == total
    assert report.load == 4 + 1.5 + 0.5 + 1.0 + 0.5  # 7.5
    assert (report.defaulted, report.outside) == (4, 4)  # the four prospects


def test_top_class_customers_without_a_rep_are_listed_with_who_could_take_them(db: Path) -> None:
    assert _report(db).unowned_total == 0  # B01, the one A customer, is R1's
    with _open(db) as ws:  # B01 loses its rep (an import blanked the column), its department East
        ws.db.con.execute("UPDATE customers SET rep_id = NULL, department = 'East' WHERE customer_id = 'B01'")
        report = workload(ws.db)
        # R1 (over capacity) is relieved of B01: 3 of 3 now; East's most spare rep is R2 (18.5 → 17.5)
        assert [(u.customer_id, u.klass, u.rep_id) for u in report.unowned] == [("B01", "A", "R2")]
        assert report.unowned_total == 1 and report.unowned[0].revenue == 20000
        assert report.to_json()["unowned_top"] == [{
            "customer_id": "B01", "name": "Customer B01", "department": "East", "class": "A",
            "revenue": 20000.0, "suggested_rep_id": "R2", "suggested_rep_name": "Li"}]
        table = report.table("zh").to_pylist()
        assert table[-1]["status"] == "unassigned"
        assert table[-1]["suggestion"] == "1 个 A 类客户没有业务员：B01 Customer B01 → R2 Li"
        assert report.table("en").to_pylist()[-1]["suggestion"] == ("1 A customers have no rep: "
                                                                    "B01 Customer B01 → R2 Li")
        # nobody in North has room: said so
        ws.db.con.execute("UPDATE customers SET department = 'North' WHERE customer_id = 'B01'")
        (north,) = workload(ws.db).unowned
        assert north.rep_id is None and north.text("en") == "B01 Customer B01: no rep of North has room"
    done = _cli(db, "workload")
    assert done.returncode == 0, done.stderr
    assert "1 A customers have no rep" in done.stdout
    assert "B01 Customer B01: no rep of North has room" in done.stdout


def test_department_totals(db: Path) -> None:
    depts = {d.department: d.to_json() for d in _report(db).departments}
    assert list(depts) == ["East", "North"]
    assert depts["East"] == {"department": "East", "reps": 3, "capacity": 33, "customers": 16, "load": 5.5,
                             "utilisation": round(5.5 / 33, 3), "over": 1, "under": 2, "no_capacity": 0,
                             "spare": 28.5, "excess": 1.0, "unassigned": 1, "unassigned_load": 0.25}
    # R3 has no capacity: its load is in `load`, not in the utilisation (R4's 1 of 1)
    assert depts["North"] == {"department": "North", "reps": 3, "capacity": 1, "customers": 6, "load": 1.5,
                              "utilisation": 1.0, "over": 0, "under": 0, "no_capacity": 1, "spare": 0.0,
                              "excess": 0.0, "unassigned": 1, "unassigned_load": 0.25}


def test_one_department(db: Path) -> None:
    report = _report(db, department="North")
    assert sorted(r.rep_id for r in report.reps) == ["R3", "R4", "R5"]
    assert report.unassigned.customers == 1 and report.unassigned.no_rep == 1  # B20, not X01
    assert report.customers == 7
    assert report.suggestions == ()
    with pytest.raises(ConfigError, match=r"South.*East, North"):
        _report(db, department="South")


def test_suggestion_hands_the_excess_to_the_most_spare_under_loaded_rep(db: Path) -> None:
    (s,) = _report(db).suggestions
    assert (s.rep_id, s.excess, s.customers, s.left, s.manager_id) == ("R1", 1, 4, 0, "M1")
    assert [(m.rep_id, float(m.equivalents), m.customers) for m in s.moves] == [("R2", 1.0, 4)]
    assert s.text_en == ("R1 Wang (East) is over capacity by 1 equivalent (≈ 4 C customers at 1:4): "
                         "hand 1 (≈ 4) to R2 Li (manager M1)")
    assert "转给 R2 Li" in s.text_zh


def test_suggestion_spreads_and_reports_what_is_left(db: Path) -> None:
    with _open(db) as ws:
        ws.db.con.execute("UPDATE reps SET capacity = 2 WHERE rep_id = 'R2'")  # spare 0.5
        ws.db.con.execute("UPDATE reps SET capacity = 1 WHERE rep_id = 'M1'")  # spare 1
        ws.db.con.execute("UPDATE reps SET capacity = 1 WHERE rep_id = 'R1'")  # over by 3
        (s,) = workload(ws.db, under=0.9).suggestions
    assert [(m.rep_id, float(m.equivalents)) for m in s.moves] == [("M1", 1.0), ("R2", 0.5)]
    assert float(s.left) == 1.5
    assert "1.5 left" in s.text_en and "across departments" in s.text_en


def test_a_manual_override_changes_the_load(db: Path) -> None:
    with _open(db) as ws:
        set_override(ws.db, "B05", "abc", "A", reason="strategic account", by="boss")  # C -> A at R1
        set_override(ws.db, "P01", "abc", "B", reason="big tender coming", by="boss")  # prospect -> B at R2
        report = workload(ws.db)
    reps = {r.rep_id: r for r in report.reps}
    assert reps["R1"].by_class == {"A": 2, "B": 2, "C": 7}
    assert reps["R1"].load == 4 - 0.25 + 1  # 4.75
    assert reps["R2"].load == 1.5 - 0.25 + 0.5  # 1.75: held at B, no longer outside
    assert reps["R2"].outside == 0 and report.outside == 3
    assert float(report.suggestions[0].excess) == 1.75


def test_options_and_mistakes(db: Path) -> None:
    statuses = {r.rep_id: r.status for r in _report(db, under=0.05).reps}
    assert statuses["R2"] == "ok" and statuses["M1"] == "under"
    assert _report(db, default_ratio="1:2").unassigned.load == 0.25 + 0.5  # X01 now weighs 1/2
    with pytest.raises(ConfigError, match="--under"):
        _report(db, under=1.5)
    with pytest.raises(ConfigError, match="default ratio"):
        _report(db, default_ratio="lots")
    with pytest.raises(ConfigError, match="not in snapshot"):
        _report(db, scheme="rfm", snapshot_id=_report(db).snapshot_id)


def test_the_service_keeps_a_manager_to_their_department(db: Path) -> None:
    with _open(db) as ws:
        assert ws.reports.workload().scheme == "abc"  # the default: the scheme with the role primary_grade
        manager = ws.acting_as(User("mx", "manager", department="East"))
        east = manager.reports.workload()
        assert east.department == "East" and {r.rep_id for r in east.reps} == {"M1", "R1", "R2"}
        assert east.customers == 11 + 5 + 1  # R1, R2, and X01 (unassigned, East)
        with pytest.raises(NotFoundError):
            manager.reports.workload(department="North")
        with pytest.raises(ForbiddenError):
            ws.acting_as(User("ra", "rep", rep_id="R1")).reports.workload()


def test_parse_ratio() -> None:
    assert [parse_ratio(x) for x in ("4", "1:4", "1:3-5", " 1 : 2 ", 2.5)] == [4, 4, 4, 2, 2.5]
    with pytest.raises(ConfigError):
        parse_ratio("0")


def test_a_scheme_without_ratios_needs_a_default(db: Path) -> None:
    with _open(db) as ws:
        ws.snapshots.classify(["b2b_levels"], as_of=AS_OF)
        with pytest.raises(ConfigError, match=r"service_ratio.*--default-ratio"):
            workload(ws.db, scheme="b2b_levels")
        report = workload(ws.db, scheme="b2b_levels", default_ratio="1:3-5")
    assert {r.rep_id: r.load for r in report.reps}["R1"] == 11 * 0.25
    assert (report.defaulted, report.outside, report.default_from) == (24, 4, None)


def test_no_classification_and_no_reps(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    with Workspace.open(Settings(db=path), create=True) as ws:
        _build(ws, tmp_path, reps=False)
        with pytest.raises(DataError, match="no classification yet"):
            workload(ws.db)
        ws.snapshots.classify(["abc"], as_of=AS_OF)
        with pytest.raises(DataError, match="no reps"):
            workload(ws.db)
    result = _cli(path, "workload", "--scheme", "rfm")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: no snapshot holds scheme 'rfm'")


# -- the command -----------------------------------------------------------------------
def test_cli_json(db: Path) -> None:
    result = _cli(db, "workload", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"scheme", "snapshot_id", "reps", "departments", "unassigned", "suggestions"} <= set(data)
    assert data["scheme"] == "abc" and data["customers"] == 24
    first = data["reps"][0]
    assert set(first) >= {"rep_id", "name", "department", "capacity", "load", "utilisation", "status",
                          "customers", "by_class"}
    assert (first["rep_id"], first["load"], first["utilisation"], first["status"]) == \
        ("R1", 4.0, 1.333, "over")
    assert first["by_class"] == {"A": 1, "B": 2, "C": 8}
    assert data["unassigned"]["customers"] == 2 and data["unassigned"]["unknown_rep_ids"] == ["R9"]
    assert data["defaulted"] == {"customers": 4, "outside": 4, "no_ratio": 0}
    assert [s["rep_id"] for s in data["suggestions"]] == ["R1"]
    assert data["suggestions"][0]["moves"] == [{"rep_id": "R2", "name": "Li", "equivalents": 1.0,
                                                "customers": 4}]


def test_cli_table_zh_and_export(db: Path, tmp_path: Path) -> None:
    target = tmp_path / "load.csv"
    result = _cli(db, "--lang", "zh", "workload", "--out", target)
    assert result.returncode == 0, result.stderr
    text = result.stdout
    for head in ("业务员", "容量", "负荷", "利用率", "状态", "按部门", "调配建议", "未分配"):
        assert head in text
    r1 = next(line for line in text.splitlines() if line.strip().startswith("R1 "))
    assert "超负荷" in r1 and "133%" in r1
    assert text.index("R1 ") < text.index("R4 ") < text.index("R2 ")  # most loaded first
    rows = query(db, f"SELECT rep_id, customers, status FROM read_csv('{target}')")
    assert len(rows) == 7 and sum(r[1] for r in rows) == 24
    assert (None, 2, "unassigned") in rows


def test_cli_english_table_and_options(db: Path) -> None:
    result = _cli(db, "workload", "--department", "East", "--under", "0.05")
    assert result.returncode == 0, result.stderr
    assert "used" in result.stdout and "status" in result.stdout
    assert "Suggested moves" in result.stdout and "R1 Wang (East)" in result.stdout
    assert "R4" not in result.stdout  # North
    bad = _cli(db, "workload", "--out", "x.txt")
    assert bad.returncode == 1 and "csv" in bad.stderr
