"""The ``tierwise`` command: help, workspace errors, init/status, import options and errors."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from conftest import ORDER_HEADER, query, run_cli, write_csv
from tierwise.cli import app
from tierwise.settings import Settings
from tierwise.store.migrations import SCHEMA_VERSION
from tierwise.store.schema import TABLES
from tierwise.workspace import Workspace

EMPTY = dict.fromkeys(TABLES, 0)


def _db(tmp_path: Path) -> Path:
    db = tmp_path / "w.duckdb"
    Workspace.open(Settings(db=db), create=True).close()
    return db


def test_help_lists_the_commands() -> None:
    r = run_cli("--help")
    assert r.returncode == 0, r.stderr
    commands = {line.strip(" │").split()[0] for line in r.stdout.splitlines()
                if line.startswith("│ ") and line.strip(" │")}
    assert {"init", "import", "demo", "status", "tables", "settings"} <= commands


def test_status_without_a_workspace(tmp_path: Path) -> None:
    r = run_cli("--db", tmp_path / "missing.duckdb", "status")
    assert r.returncode == 1
    assert r.stderr.startswith(f"Error: no workspace at {tmp_path / 'missing.duckdb'}")
    assert "tierwise init" in r.stderr
    assert "Traceback" not in r.stderr
    assert not (tmp_path / "missing.duckdb").exists()


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    r = run_cli("--debug", "--db", tmp_path / "missing.duckdb", "status")
    assert r.returncode == 1
    assert "Traceback" in r.stderr
    assert "WorkspaceError: no workspace at" in r.stderr


def test_init_then_status_json(tmp_path: Path) -> None:
    db = tmp_path / "sub" / "w.duckdb"
    r = run_cli("init", env={"TIERWISE_DB": str(db)})  # the database from the environment
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == f"Created workspace {db} (schema version {SCHEMA_VERSION})"
    assert db.exists()
    r = run_cli("--db", db, "status", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == EMPTY
    version = query(db, "SELECT value FROM tierwise_meta WHERE key = 'schema_version'")
    assert version == [(str(SCHEMA_VERSION),)]


def test_init_twice_keeps_the_data(tmp_path: Path) -> None:
    db = _db(tmp_path)
    with Workspace.open(Settings(db=db)) as ws:
        ws.imports.file("customers", write_csv(tmp_path / "c.csv", [["customer_id"], ["C1"]]))
    r = run_cli("--db", db, "init")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == f"Workspace {db} is ready (schema version {SCHEMA_VERSION})"
    assert query(db, "SELECT customer_id FROM customers") == [("C1",)]


def test_import_human_summary(tmp_path: Path) -> None:
    db = _db(tmp_path)
    f = write_csv(tmp_path / "o.csv", [ORDER_HEADER, ["A", "1", "C1", "2024-03-05", "10"],
                                       ["B", "1", "C1", "2024-03-05", "zz"]])
    r = run_cli("--db", db, "import", "orders", f)
    assert r.returncode == 0, r.stderr
    lines = [" ".join(line.replace("│", " ").split()) for line in r.stdout.splitlines()]
    for expected in ("rows read 2", "accepted 1", "inserted 1", "updated 0", "unchanged 0",
                     "rejected 1", "customers created by import 1", "encoding utf-8"):
        assert expected in lines, r.stdout
    assert "amount: 'zz' is not a number" in r.stdout
    assert f"rejected rows written to: {tmp_path / 'o.rejected.csv'}" in r.stdout
    assert query(db, "SELECT order_id FROM orders") == [("A",)]


def test_import_option_errors(tmp_path: Path) -> None:
    db = _db(tmp_path)
    f = write_csv(tmp_path / "o.csv", [ORDER_HEADER, ["A", "1", "C1", "05/03/2024", "10"]])
    r = run_cli("--db", db, "import", "orders", f, "--date-order", "YDM")
    assert r.returncode == 1
    assert r.stderr.startswith("Error: --date-order YDM: use DMY (day first) or MDY (month first)")
    r = run_cli("--db", db, "import", "order", f)
    assert r.returncode == 1
    assert r.stderr.startswith("Error: no table 'order' (did you mean 'orders'?)")
    r = run_cli("--db", db, "import", "orders", tmp_path / "none.csv")
    assert r.returncode == 1
    assert r.stderr.startswith(f"Error: {tmp_path / 'none.csv'}: file not found")
    assert query(db, "SELECT count(*) FROM imports") == [(0,)]


def test_import_date_order_and_decimal_comma_options(tmp_path: Path) -> None:
    db = _db(tmp_path)
    f = write_csv(tmp_path / "o.csv", [ORDER_HEADER, ["A", "1", "C1", "05/03/2024", "1.234,50"]])
    r = run_cli("--db", db, "import", "orders", f, "--date-order", "dmy", "--decimal-comma", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["accepted"] == 1
    rows = query(db, "SELECT CAST(order_date AS VARCHAR), CAST(amount AS VARCHAR) FROM orders")
    assert rows == [("2024-03-05 00:00:00", "1234.50")]


def test_import_dry_run_cli(tmp_path: Path) -> None:
    db = _db(tmp_path)
    f = write_csv(tmp_path / "o.csv", [ORDER_HEADER, ["A", "1", "C1", "2024-03-05", "10"]])
    r = run_cli("--db", db, "import", "orders", f, "--dry-run")
    assert r.returncode == 0, r.stderr
    assert "dry run: nothing was written" in r.stdout
    assert query(db, "SELECT (SELECT count(*) FROM orders), (SELECT count(*) FROM customers), "
                     "(SELECT count(*) FROM imports)") == [(0, 0, 0)]


def test_unknown_encoding_is_an_error_line(tmp_path: Path) -> None:
    db = _db(tmp_path)
    f = write_csv(tmp_path / "o.csv", [ORDER_HEADER, ["A", "1", "C1", "2024-03-05", "10"]])
    r = run_cli("--db", db, "import", "orders", f, "--encoding", "klingon")
    assert r.returncode == 1
    assert r.stderr.startswith("Error:"), r.stderr[-400:]
    assert "klingon" in r.stderr
    assert "Traceback" not in r.stderr


def test_tables_markdown_and_settings_in_process(tmp_path: Path) -> None:
    db = str(_db(tmp_path))
    runner = CliRunner()
    r = runner.invoke(app, ["--db", db, "tables", "--markdown"])
    assert r.exit_code == 0, r.output
    for name in TABLES:
        assert f"### `{name}`" in r.output
    assert "| `order_date` | TIMESTAMP | yes |" in r.output
    r = runner.invoke(app, ["--db", db, "settings"])
    assert r.exit_code == 0, r.output
    for name in Settings.model_fields:
        assert name in r.output
