"""Crash safety: an import killed or failing after it wrote its rows, before the commit,
leaves the workspace exactly as it was."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from conftest import ORDER_HEADER, do_import, query, run_cli, table_state, write_csv
from tierwise.settings import Settings
from tierwise.workspace import Workspace

FIRST = [["A", "1", "C1", "2024-03-05", "10"], ["A", "2", "C1", "2024-03-05", "20"],
         ["B", "1", "C2", "2024-03-06", "5"]]
# updates A/2, inserts C/1 for a new customer, leaves the rest
SECOND = [["A", "1", "C1", "2024-03-05", "10"], ["A", "2", "C1", "2024-03-05", "21"],
          ["B", "1", "C2", "2024-03-06", "5"], ["C", "1", "C3", "2024-03-07", "7"]]


def _workspace(tmp_path: Path, first: list[list[str]] | None) -> Path:
    db = tmp_path / "w.duckdb"
    with Workspace.open(Settings(db=db), create=True) as ws:
        if first is not None:
            s = do_import(ws, "orders", write_csv(tmp_path / "first.csv", [ORDER_HEADER, *first]))
            assert s.inserted == len(first)
    return db


def _faulty_import(db: Path, path: Path, fault: str) -> None:
    r = run_cli("--db", db, "import", "orders", path, "--json", env={"TIERWISE_FAULT": fault})
    if fault.endswith(":kill"):
        assert r.returncode == -signal.SIGKILL, (r.returncode, r.stderr)
    else:
        assert r.returncode == 1, (r.returncode, r.stderr)
        assert "RuntimeError: fault injected at " + fault.split(":")[0] in r.stderr
    assert r.stdout == ""  # no summary: the import did not finish


@pytest.mark.parametrize("fault", ["import.after_write:kill", "import.after_write:raise",
                                   "import.before_write:kill"])
def test_failed_first_import_leaves_the_workspace_as_it_was(tmp_path: Path, fault: str) -> None:
    db = _workspace(tmp_path, None)
    before = table_state(db)
    f = write_csv(tmp_path / "o.csv", [ORDER_HEADER, *SECOND])
    _faulty_import(db, f, fault)
    assert table_state(db) == before
    assert query(db, "SELECT count(*) FROM orders") == [(0,)]
    assert query(db, "SELECT count(*) FROM customers") == [(0,)]
    # the workspace still works, and a clean import writes everything
    with Workspace.open(Settings(db=db)) as ws:
        s = do_import(ws, "orders", f)
        assert (s.inserted, s.updated, s.customers_created) == (4, 0, 3)


@pytest.mark.parametrize("fault", ["import.after_write:kill", "import.after_write:raise"])
def test_failed_update_import_keeps_the_first_import(tmp_path: Path, fault: str) -> None:
    db = _workspace(tmp_path, FIRST)
    before = table_state(db)
    stored = query(db, "SELECT order_id, line_no, customer_id, amount, import_id FROM orders ORDER BY 1, 2")
    assert [(r[0], r[1], str(r[3])) for r in stored] == [("A", 1, "10.00"), ("A", 2, "20.00"),
                                                        ("B", 1, "5.00")]
    f = write_csv(tmp_path / "o.csv", [ORDER_HEADER, *SECOND])
    _faulty_import(db, f, fault)
    assert table_state(db) == before
    assert query(db, "SELECT order_id, line_no, customer_id, amount, import_id FROM orders ORDER BY 1, 2"
                 ) == stored
    assert query(db, "SELECT customer_id, created_by_import FROM customers ORDER BY 1") == [
        ("C1", True), ("C2", True)]
    assert query(db, "SELECT count(*) FROM imports") == [(1,)]
    with Workspace.open(Settings(db=db)) as ws:
        s = do_import(ws, "orders", f)
        assert (s.inserted, s.updated, s.unchanged, s.customers_created) == (1, 1, 2, 1)


def test_an_import_too_big_for_the_import_memory_runs_again_with_more(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Under memory_limit auto an import runs with 1GB; a file that needs more (tens of
    millions of rows) is read again with the engine's whole share instead of failing, and
    lands once. With a limit the user set, running out is an error that names the file and
    the setting to raise, and nothing is written."""
    rows = [[f"O{i}", "1", f"C{i % 500}", "2024-03-05", str(i % 90 + 1)] for i in range(60_000)]
    path = write_csv(tmp_path / "big.csv", [ORDER_HEADER, *rows])
    monkeypatch.setattr(Settings, "IMPORT_MEMORY_LIMIT", "1MB")  # stands in for a file beyond 1GB
    messages: list[str] = []
    with Workspace.open(Settings(db=tmp_path / "w.duckdb"), create=True) as ws:
        from tierwise.data.importer import ImportOptions

        summary = ws.imports.file("orders", path, ImportOptions(progress=lambda m: messages.append(m.en)))
        assert (summary.accepted, summary.rejected) == (60_000, 0)
        assert any(m.startswith("more rows than 1GB of engine memory holds") for m in messages)
        assert ws.db.con.execute("SELECT count(*) FROM orders").fetchone() == (60_000,)
    tight = tmp_path / "tight.duckdb"
    Workspace.open(Settings(db=tight), create=True).close()
    with Workspace.open(Settings(db=tight, memory_limit="2MB")) as ws:
        from tierwise.errors import DataError

        with pytest.raises(DataError, match=r"big\.csv: the engine ran out of memory importing it into"):
            do_import(ws, "orders", path)
        assert ws.db.con.execute("SELECT count(*) FROM orders").fetchone() == (0,)
