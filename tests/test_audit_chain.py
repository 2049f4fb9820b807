"""The audit trail under load, and who it names (issue 18, item 6).

The web server runs many requests at once, each on its own cursor of the one workspace file
(``Workspace.fork``), each in its own snapshot-isolated transaction. The hash chain must
still come out as one line: every audited write chains to the row committed just before it,
whatever its snapshot saw, and a write that rolls back leaves no row and no gap. Imports,
follow-ups and rep or department moves are recorded with the person who did them.
"""

from __future__ import annotations

import threading
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from conftest import demo_copy, run_cli, write_csv
from tierwise.access.users import User
from tierwise.errors import ConflictError
from tierwise.settings import Settings
from tierwise.store import audit
from tierwise.workspace import Workspace

THREADS = 20
ROUNDS = 12  # audited writes each thread tries: 240 in all
KINDS = ("flag", "hold", "undo", "flag", "hold", "limit")  # a credit limit re-checks tasks: slower
BOSS = User("boss", "admin")


class _Undo(Exception):
    """Raised inside a transaction after its audit row is written, to roll it back."""


def test_concurrent_audited_writes_keep_one_chain(demo_company: Path, tmp_path: Path) -> None:
    db = demo_copy(demo_company, tmp_path)
    with Workspace.open(Settings(db=db), actor=BOSS) as ws:
        con = ws.db.con
        customers = [r[0] for r in con.execute(
            "SELECT customer_id FROM classes WHERE scheme = 'abc' GROUP BY customer_id "
            "ORDER BY customer_id LIMIT 30").fetchall()]
        ws.customers.set_attribute(customers[0], "flag", "key", reason="first: adds the column")
        start = ws.audit.verify()
        assert start.ok
        landed: set[str] = set()  # the reason of each write: which landed, which did not
        undone: set[str] = set()
        clashed: set[str] = set()
        errors: list[BaseException] = []
        barrier = threading.Barrier(THREADS)

        def work(i: int) -> None:
            w = ws.fork()
            try:
                barrier.wait()
                for n in range(ROUNDS):
                    # each thread its own customer; every third write one a few threads share,
                    # so that some writes clash (DuckDB's write-write conflict) and roll back
                    cid = customers[THREADS + n % 5] if n % 3 == 2 else customers[i]
                    why = f"load t{i} r{n}"
                    try:
                        _write(w, KINDS[(i + n) % len(KINDS)], cid, why, n)
                        landed.add(why)
                    except _Undo:
                        undone.add(why)
                    except (duckdb.TransactionException, ConflictError):  # a write-write conflict
                        clashed.add(why)
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)
            finally:
                w.close()

        threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        assert len(landed) + len(undone) + len(clashed) == THREADS * ROUNDS
        assert landed and undone  # (a write on a thread's own customer never clashes)
        end = ws.audit.verify()
        assert end.ok, f"audit row {end.first_bad} does not chain to the row before it"
        reasons = [r["reason"] for r in ws.audit.list() if (r["reason"] or "").startswith("load ")]
        # one row per write that landed, none of one undone; a clash may come after the audited
        # commit (a credit limit's task re-check is a transaction of its own)
        assert landed <= set(reasons) <= landed | clashed and len(reasons) == len(set(reasons))
        assert end.rows == start.rows + len(reasons)
        # ids follow commit order without gaps: a rolled-back write takes none
        ids = [r[0] for r in con.execute("SELECT audit_id FROM audit ORDER BY audit_id").fetchall()]
        assert ids == list(range(1, len(ids) + 1))
    # a later process finds the same chain
    assert run_cli("--db", db, "audit", "--verify").returncode == 0


def _write(w: Workspace, kind: str, customer: str, reason: str, n: int) -> None:
    """One audited write of ``kind`` through the facade; ``undo`` fails after writing its
    audit row, so all of it rolls back."""
    if kind == "flag":
        w.customers.set_attribute(customer, "flag", f"v{n}", reason=reason)
    elif kind == "hold":
        w.overrides.set(customer, "abc", "ABC"[n % 3], reason=reason)
    elif kind == "limit":
        w.credit.set_limit(customer, str(1000 + n), reason=reason)
    else:
        with w.db.transaction() as con:
            con.execute("UPDATE customers SET flag = 'undone' WHERE customer_id = ?", [customer])
            audit.record(con, actor=w.actor.name, action="customer.attribute", customer_id=customer,
                         subject="flag", new="undone", reason=reason)
            raise _Undo


def test_chain_continues_across_processes_and_old_snapshots(tmp_path: Path) -> None:
    """A transaction that began before another committed still chains to the committed row;
    a write by another process between two opens is picked up."""
    db = tmp_path / "w.duckdb"
    customers = write_csv(tmp_path / "customers.csv", [["customer_id", "credit_limit"], ["C1", 100],
                                                       ["C2", 200]])
    with Workspace.open(Settings(db=db), create=True, actor=BOSS) as ws:
        ws.imports.file("customers", customers)
        early, late = ws.fork(), ws.fork()
        with early.db.transaction() as con:  # its snapshot is taken before `late` commits
            con.execute("SELECT count(*) FROM audit").fetchone()
            late.credit.set_limit("C2", "300", reason="raised")
            audit.record(con, actor="boss", action="customer.attribute", customer_id="C1", subject="flag",
                         new="key", reason="old snapshot")
        early.close()
        late.close()
        assert ws.audit.verify().ok
    r = run_cli("--db", db, "credit", "limit", "C1", "500", "--reason", "from the shell", "--by", "cli")
    assert r.returncode == 0, r.stderr
    with Workspace.open(Settings(db=db), actor=BOSS) as ws:
        ws.credit.set_limit("C1", "600", reason="after the shell")
        check = ws.audit.verify()
        assert check.ok and check.rows == 5
        assert [r["actor"] for r in ws.audit.list()] == ["boss", "boss", "boss", "cli", "boss"]


def test_audit_rows_outside_a_tracked_transaction_are_refused(tmp_path: Path) -> None:
    """A transaction begun by hand could not release the writer at its end: refused, so the
    chain cannot stall; outside any transaction a row is its own transaction."""
    with Workspace.open(Settings(db=tmp_path / "w.duckdb"), create=True, actor=BOSS) as ws:
        con = ws.db.con
        audit.record(con, actor="boss", action="user.add", subject="user x")
        con.execute("BEGIN TRANSACTION")
        with pytest.raises(RuntimeError, match=r"Database\.transaction"):
            audit.record(con, actor="boss", action="user.add", subject="user y")
        con.execute("ROLLBACK")
        audit.record(con, actor="boss", action="user.add", subject="user z")
        assert [r["subject"] for r in ws.audit.list()] == ["user x", "user z"]
        assert ws.audit.verify().ok


# -- who is named ---------------------------------------------------------------------------
def test_imports_follow_ups_and_moves_are_audited_with_the_actor(tmp_path: Path) -> None:
    reps = write_csv(tmp_path / "reps.csv", [["rep_id", "department", "manager_id"], ["R1", "East", "M1"],
                                             ["R2", "South", "M2"]])
    customers = write_csv(tmp_path / "customers.csv", [
        ["customer_id", "rep_id", "department", "credit_limit"], ["C1", "R1", "East", "1000"],
        ["C2", "R2", "South", ""], ["C3", "R2", "South", "not a number"]])
    ordered = (date.today() - timedelta(days=20)).isoformat()
    orders = write_csv(tmp_path / "orders.csv", [["customer_id", "order_date", "amount"],
                                                 ["C1", ordered, "500"], ["C2", ordered, "700"]])
    with Workspace.open(Settings(db=tmp_path / "w.duckdb"), create=True, actor=BOSS) as ws:
        for table, path in (("reps", reps), ("customers", customers), ("orders", orders)):
            ws.imports.file(table, path)
        imports = audit.read(ws.db, action="data")
        assert [(r["actor"], r["action"]) for r in imports] == [("boss", "data.import")] * 3
        assert imports[1]["subject"] == "import #2 into customers: customers.csv"
        assert imports[1]["new_value"] == (
            "read 3, accepted 2 (inserted 2, updated 0, unchanged 0), rejected 1")

        # a manager's follow-up is the manager's, even when it counts as a rep's visit
        manager = ws.acting_as(User("mx", "manager", department="East"))
        logged = manager.activities.add("C1", "visit", day=date.today(), rep_id="R1")
        ws.acting_as(User("li", "rep", rep_id="R2")).activities.add("C2", "call", day=date.today())
        follow_ups = audit.read(ws.db, action="activity")
        assert [(r["actor"], r["action"], r["customer_id"]) for r in follow_ups] == [
            ("mx", "activity.add", "C1"), ("li", "activity.add", "C2")]
        assert follow_ups[0]["subject"] == logged["activity_id"]
        assert follow_ups[0]["new_value"] == f"visit on {date.today()} by R1"

        # C1 moves to R2 in South; R1 moves to South under M2
        write_csv(customers, [["customer_id", "rep_id", "department"], ["C1", "R2", "South"],
                              ["C2", "R2", "South"]])
        write_csv(reps, [["rep_id", "department", "manager_id"], ["R1", "South", "M2"]])
        ws.imports.file("customers", customers)
        ws.imports.file("reps", reps)
        moves = [(r["actor"], r["action"], r["customer_id"], r["subject"], r["old_value"], r["new_value"])
                 for r in audit.read(ws.db) if r["action"].endswith(".move")]
        assert moves == [("boss", "customer.move", "C1", "rep_id", "R1", "R2"),
                         ("boss", "customer.move", "C1", "department", "East", "South"),
                         ("boss", "rep.move", None, "rep R1: department", "East", "South"),
                         ("boss", "rep.move", None, "rep R1: manager_id", "M1", "M2")]
        assert ws.audit.verify().ok


def test_an_import_changing_many_customers_audits_them_in_batches_from_the_engine(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the changes an import audits are staged in the engine and chained a batch at a time (ten
    # million changed credit limits gathered as Python rows took 5.7 GiB): batches of 3 give the
    # rows of one batch, in the order of the customers, then credit limit, rep, department
    from tierwise.data import upsert

    reps = write_csv(tmp_path / "reps.csv", [["rep_id", "department"], ["R1", "East"], ["R2", "East"]])
    header = ["customer_id", "credit_limit", "rep_id", "department"]
    before = [[f"C{i}", "1000", "R1", "East"] for i in range(1, 8)]
    after = [["C1", "2000", "R2", "East"], ["C2", "1000", "R1", "East"], ["C3", "3000.5", "R2", "South"],
             ["C4", "", "R1", "East"], ["C5", "1000", "R1", "West"], ["C6", "5", "R1", "East"],
             ["C7", "1000", "R2", "East"]]
    limit, move = "credit.limit", "customer.move"
    expected = [("C1", limit, None, "1000.00", "2000.00"), ("C1", move, "rep_id", "R1", "R2"),
                ("C3", limit, None, "1000.00", "3000.50"), ("C3", move, "rep_id", "R1", "R2"),
                ("C3", move, "department", "East", "South"), ("C4", limit, None, "1000.00", None),
                ("C5", move, "department", "East", "West"), ("C6", limit, None, "1000.00", "5.00"),
                ("C7", move, "rep_id", "R1", "R2")]
    got = {}
    for batch in (3, 1000):
        monkeypatch.setattr(upsert, "AUDIT_BATCH", batch)
        with Workspace.open(Settings(db=tmp_path / f"w{batch}.duckdb"), create=True, actor=BOSS) as ws:
            ws.imports.file("reps", reps)
            ws.imports.file("customers", write_csv(tmp_path / "c0.csv", [header, *before]))
            summary = ws.imports.file("customers", write_csv(tmp_path / "c1.csv", [header, *after]))
            assert summary.credit_limits_changed == 4
            rows = audit.read(ws.db)
            changes = [(r["customer_id"], r["action"], r["subject"], r["old_value"], r["new_value"])
                       for r in rows if r["action"] in ("credit.limit", "customer.move")]
            assert changes == expected
            assert {r["actor"] for r in rows} == {"boss"}
            assert rows[-1]["action"] == "data.import"  # the import's own row last, after its changes
            assert [r["audit_id"] for r in rows] == list(range(1, len(rows) + 1))
            assert ws.audit.verify().ok
            # the moved customers' owners start again from the import
            assert ws.db.con.execute("SELECT customer_id, rep_id, how FROM owners ORDER BY 1").fetchall() == [
                ("C1", "R2", "import"), ("C3", "R2", "import"), ("C7", "R2", "import")]
            got[batch] = [(r["action"], r["customer_id"], r["subject"], r["old_value"], r["new_value"])
                          for r in rows]
    assert got[3] == got[1000]
