"""Shared helpers for the import tests: a fresh workspace, file writers, the CLI, queries."""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tierwise.data.importer import ImportOptions, ImportSummary
from tierwise.settings import Settings
from tierwise.workspace import Workspace

TIERWISE = Path(sys.executable).with_name("tierwise")
# The workspace opens DuckDB with this memory limit (Settings default); a second connection in
# the same process must use the same configuration while the first one is cached.
DUCKDB_CONFIG = Settings().engine_config()
ORDER_HEADER = ["order_id", "line_no", "customer_id", "order_date", "amount"]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Path of a workspace database that does not exist yet."""
    return tmp_path / "w.duckdb"


@pytest.fixture
def ws(db: Path) -> Iterator[Workspace]:
    """A fresh, empty workspace in ``tmp_path``."""
    workspace = Workspace.open(Settings(db=db), create=True)
    try:
        yield workspace
    finally:
        workspace.close()


DEMO_CUSTOMERS = 600


@pytest.fixture(scope="session")
def demo_company(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo company, built once per test session through the facade (as `make demo` does):
    600 customers, ABC classified as of 2026-03-31 and every scheme as of the latest order, the
    tasks of 2026-09-30. Tests copy the file with :func:`demo_copy`, never change this one."""
    from datetime import date

    from tierwise.demo import generate_demo_files

    folder = tmp_path_factory.mktemp("demo")
    files = generate_demo_files(folder / "data", customers=DEMO_CUSTOMERS, seed=7)
    path = folder / "demo.duckdb"
    with Workspace.open(Settings(db=path), create=True) as ws:
        for table, file in files.items():
            ws.imports.file(table, file, options())
        ws.snapshots.classify(["abc"], as_of=date(2026, 3, 31))
        ws.snapshots.classify()
        ws.tasks.refresh(on=date(2026, 9, 30))
    return path


def demo_copy(demo: Path, folder: Path, name: str = "w.duckdb") -> Path:
    """A copy of the session's demo workspace in ``folder``, for a test module to change."""
    import shutil

    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    shutil.copy(demo, target)
    return target


def options(**kw: Any) -> ImportOptions:
    """ImportOptions with the defaults the brief uses (lenient, real run, English)."""
    base: dict[str, Any] = {"strict": False, "dry_run": False, "date_order": None,
                            "decimal_comma": None, "mapping": None, "lang": "en"}
    base.update(kw)
    return ImportOptions(**base)


def do_import(ws: Workspace, table: str, path: Path, **kw: Any) -> ImportSummary:
    return ws.imports.file(table, path, options(**kw))


def write_csv(path: Path, rows: Sequence[Sequence[object]], encoding: str = "utf-8",
              delimiter: str = ",", lineterminator: str = "\n") -> Path:
    """Write ``rows`` (header first) as CSV with the csv module, in ``encoding``."""
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator=lineterminator).writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def read_rejected(path: Path | str, *, as_written: bool = False) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows of a rejected-rows file, each value as an import reads it back (the
    apostrophe written before formula-like text read off; ``as_written``: kept); checks it starts
    with a UTF-8 BOM and that no cell would run as a formula in a spreadsheet. The reasons are
    as written: they begin with the value they quote (``'=1+2' is not a number``), never
    with an apostrophe tierwise added."""
    raw = Path(path).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "rejected file must start with a UTF-8 BOM"
    reader = csv.reader(io.StringIO(raw[3:].decode("utf-8"), newline=""))
    rows = list(reader)
    header, body = rows[0], rows[1:]
    risky = [c for r in rows for c in r if re.match(r"[=+\-@\t\r]", c) and not
             re.fullmatch(r"[+-]?[0-9]+([.,][0-9]+)*", c)]
    assert not risky, f"cells a spreadsheet would run as formulas: {risky[:5]}"
    if not as_written:
        texts = [h not in ("tierwise_reason", "tierwise_原因") for h in header]
        body = [[c[1:] if text and re.match(r"'[=+\-@\t\r]", c) else c
                 for c, text in zip(r, texts, strict=True)] for r in body]
    return header, [dict(zip(header, r, strict=True)) for r in body]


def rejected_by_row(path: Path | str) -> dict[int, dict[str, str]]:
    _, rows = read_rejected(path)
    out = {int(r["tierwise_row"]): r for r in rows}
    assert len(out) == len(rows), "rejected row numbers must be unique"
    return out


def run_cli(*args: object, env: dict[str, str] | None = None, cwd: Path | None = None,
            timeout: float = 120, stdin: str | None = None,
            process: bool = False) -> subprocess.CompletedProcess[str]:
    """Run ``tierwise`` with ``args`` (``stdin`` as its input) and return how it ended.

    In this process by default, through the same entry point as the executable (its exit code,
    standard output and error, the environment and working directory it is given): starting a
    Python that imports Ibis and DuckDB took about 2 s a command, most of the suite's time.
    ``process`` (and any ``TIERWISE_FAULT``, which may kill the process) runs the installed
    executable instead, for what only a process shows: a crash, a lock held by another process.
    """
    extra = {"COLUMNS": "200", "NO_COLOR": "1", "LANG": "C.UTF-8", **(env or {})}
    if process or any(k.startswith("TIERWISE_FAULT") for k in extra):
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("TIERWISE_")}
        full_env.update(extra)
        return subprocess.run([str(TIERWISE), *map(str, args)], capture_output=True, text=True, input=stdin,
                              encoding="utf-8", env=full_env, cwd=cwd, timeout=timeout)
    return _run_here([str(a) for a in args], extra, cwd, stdin)


def _run_here(args: list[str], env: dict[str, str], cwd: Path | None,
              stdin: str | None) -> subprocess.CompletedProcess[str]:
    """``tierwise args`` through :func:`tierwise.cli.main.main` in this process, its streams,
    environment (TIERWISE_* of the tests' own removed), argv and working directory swapped."""
    from click.testing import CliRunner

    from tierwise.cli.main import main, state

    isolated: dict[str, str | None] = {k: None for k in os.environ if k.startswith("TIERWISE_")}
    isolated.update(env)
    saved_argv, saved_cwd, saved_state = sys.argv, os.getcwd(), dict(vars(state))
    code: int = 0
    with CliRunner().isolation(input=stdin, env=isolated) as (stdout, stderr, _):
        sys.argv = ["tierwise", *args]
        try:
            if cwd is not None:
                os.chdir(cwd)
            main()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            if isinstance(exc.code, str):
                sys.stderr.write(exc.code + "\n")
        except Exception:  # what the interpreter does with an uncaught error (--debug)
            import traceback

            traceback.print_exc()
            code = 1
        finally:
            sys.argv = saved_argv
            os.chdir(saved_cwd)
            vars(state).clear()
            vars(state).update(saved_state)
        sys.stdout.flush()
        sys.stderr.flush()
        out, err = stdout.getvalue(), stderr.getvalue()
    return subprocess.CompletedProcess(["tierwise", *args], code, out.decode("utf-8", "replace"),
                                       err.decode("utf-8", "replace"))


def query(db: Path, sql: str, params: Sequence[object] | None = None) -> list[tuple[Any, ...]]:
    """Run ``sql`` on the workspace file ``db`` with a new connection and return all rows."""
    con = duckdb.connect(str(db), config=dict(DUCKDB_CONFIG))
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def table_state(db: Path) -> dict[str, object]:
    """Row counts of every table plus an order-independent checksum of each table's rows."""
    con = duckdb.connect(str(db), config=dict(DUCKDB_CONFIG))
    try:
        names = [r[0] for r in con.execute(  # not the jobs log: it records the attempt that failed
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' AND table_name <> 'jobs' "
            "ORDER BY 1"
        ).fetchall()]
        state: dict[str, object] = {}
        for name in names:
            cols = [r[0] for r in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE table_name = ? "
                "AND schema_name = 'main' ORDER BY column_index", [name]).fetchall()]
            row = con.execute(
                f'SELECT count(*), coalesce(sum(hash(row({", ".join(_q(c) for c in cols)}))), 0) '
                f"FROM {_q(name)}"
            ).fetchone()
            state[name] = (cols, row)
        return state
    finally:
        con.close()


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
