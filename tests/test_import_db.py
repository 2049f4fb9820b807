"""Importing from a database (``import TABLE --from-db URL``): a real SQLite file, as an ERP
would hold it — Chinese table and column names, SQLite's loose types (numbers stored as
integers and floats in one column, dates as text), bad rows — read through the CLI like a
user would. Rows in = accepted + rejected, the rejected file names the query's row numbers,
and the import is recorded with its source (the password never)."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import query, rejected_by_row, run_cli, table_state
from tierwise.data.database import DatabaseSource, _column
from tierwise.errors import ConfigError


@pytest.fixture
def erp(tmp_path: Path) -> Path:
    """销售订单: 300 good rows, then a bad date (row 301), a missing customer (302), an amount
    in words (303, a return); 客户: three customers, one with a credit limit as a float."""
    path = tmp_path / "erp.db"
    con = sqlite3.connect(path)
    con.execute('CREATE TABLE "销售订单" ("单号" TEXT, "客户编号" TEXT, "下单日期" TEXT, "金额" NUMERIC, '
                '"数量" INTEGER, "备注" BLOB)')
    rows: list[tuple[object, ...]] = [
        (f"SO{i:04d}", f"K{i % 3:03d}", f"2026-{1 + i % 9:02d}-{10 + i % 18:02d}",
         100 + i if i % 2 else 100.25 + i, 1 + i % 5, None) for i in range(1, 301)]
    rows += [("SO9001", "K001", "31/02/2026x", 5, 1, b"\xff\x00"),
             ("SO9002", None, "2026-03-01", 5, 1, None),
             ("SO9003", "K002", "2026-03-02", "十元", -2, "退货".encode())]
    con.executemany('INSERT INTO "销售订单" VALUES (?, ?, ?, ?, ?, ?)', rows)
    con.execute('CREATE TABLE "客户" ("客户编号" TEXT, "客户名称" TEXT, "授信额度" REAL)')
    con.executemany('INSERT INTO "客户" VALUES (?, ?, ?)',
                    [("K000", "华东五金", 50000.0), ("K001", "南方建材", None), ("K002", "Acme Ltd", 1e5)])
    con.commit()
    con.close()
    return path


def test_a_table_and_a_query_import_like_files(erp: Path, tmp_path: Path) -> None:
    db = tmp_path / "ws" / "w.duckdb"
    url = f"sqlite:///{erp}"
    r = run_cli("--db", db, "import", "customers", "--from-db", url, "--source-table", "客户", "--json")
    assert r.returncode == 0, r.stderr
    customers = json.loads(r.stdout)
    assert (customers["read"], customers["accepted"], customers["format"]) == (3, 3, "database")
    assert customers["source"] == f"{url} table 客户"
    assert query(db, "SELECT customer_id, name, credit_limit FROM customers ORDER BY 1") == [
        ("K000", "华东五金", Decimal("50000.00")), ("K001", "南方建材", None),
        ("K002", "Acme Ltd", Decimal("100000.00"))]

    r = run_cli("--db", db, "import", "orders", "--from-db", url, "--source-table", "销售订单")
    assert r.returncode == 0, r.stderr
    assert "read from the database" in r.stdout and "rows read" in r.stdout
    (row,) = query(db, "SELECT rows_read, accepted, rejected, rejected_file, options->>'source' FROM imports "
                       "WHERE table_name = 'orders'")
    assert row[:3] == (303, 300, 3)  # nothing lost
    assert row[4] == f"{url} table 销售订单"
    bad = rejected_by_row(row[3])
    assert Path(row[3]).parent == db.parent / "imports"  # next to the extract, in the workspace
    assert sorted(bad) == [301, 302, 303]  # the query's row numbers
    assert bad[301]["下单日期"] == "31/02/2026x" and bad[302]["客户编号"] == "" and bad[303]["金额"] == "十元"
    assert query(db, "SELECT count(*), sum(amount) FROM orders") == [
        (300, Decimal(sum(100 + i if i % 2 else Decimal("100.25") + i for i in range(1, 301))))]
    # the extract is kept as the record of what was read
    assert any(p.suffix == ".parquet" for p in (db.parent / "imports").iterdir())

    # a query with aliases, from the URL in the environment; the same rows again change nothing
    # (the line numbers the rows lack are a hash of their content, so it needs the same columns)
    sql = ('SELECT "单号" AS order_id, "客户编号" AS customer_id, "下单日期" AS order_date, '
           '"金额" AS amount, "数量" AS quantity FROM "销售订单" WHERE "数量" > 0 AND "客户编号" IS NOT NULL')
    r = run_cli("--db", db, "import", "orders", "--query", sql, "--json", env={"TIERWISE_FROM_DB": url})
    assert r.returncode == 0, r.stderr
    again = json.loads(r.stdout)
    assert (again["read"], again["rejected"], again["inserted"]) == (301, 1, 0)
    assert again["unchanged"] == 300
    # with the variable set, a file is still a file
    extra = tmp_path / "one.csv"
    extra.write_text("order_id,customer_id,order_date,amount\nX1,K001,2026-05-01,9\n", encoding="utf-8")
    r = run_cli("--db", db, "import", "orders", extra, "--json", env={"TIERWISE_FROM_DB": url})
    assert r.returncode == 0, r.stderr
    assert (json.loads(r.stdout)["inserted"], json.loads(r.stdout)["source"]) == (1, None)


def test_dry_run_and_strict_write_nothing(erp: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    url = f"sqlite:///{erp}"
    first = run_cli("--db", db, "import", "customers", "--from-db", url, "--source-table", "客户")
    assert first.returncode == 0, first.stderr
    before, extracts = table_state(db), sorted((tmp_path / "imports").glob("*.parquet"))
    dry = run_cli("--db", db, "import", "orders", "--from-db", url, "--source-table", "销售订单", "--dry-run",
                  "--json")
    assert dry.returncode == 0, dry.stderr
    assert json.loads(dry.stdout)["rejected"] == 3
    # a dry run keeps no extract and writes no rejected rows, as for a file, unless asked by name
    assert sorted((tmp_path / "imports").glob("*.parquet")) == extracts
    assert not list((tmp_path / "imports").glob("orders-*.rejected.csv"))
    named = run_cli("--db", db, "import", "orders", "--from-db", url, "--source-table", "销售订单",
                    "--dry-run", "--rejected-out", tmp_path / "check.csv")
    assert named.returncode == 0, named.stderr
    assert (tmp_path / "check.csv").read_text(encoding="utf-8-sig").count("\n") == 4  # header + 3
    strict = run_cli("--db", db, "import", "orders", "--from-db", url, "--source-table", "销售订单",
                     "--strict")
    assert strict.returncode == 1 and "3" in strict.stderr
    assert table_state(db) == before
    assert not [p for p in (tmp_path / "imports").iterdir() if p.name.endswith(".part")]


def test_database_errors_say_what_to_do(erp: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    url = f"sqlite:///{erp}"
    cases = [
        (["--from-db", url, "--query", "SELEC 1"], "the database said: near \"SELEC\": syntax error"),
        (["--from-db", url, "--source-table", "订单"], "no such table: 订单"),
        (["--from-db", url], "exactly one of --source-table NAME or --query SQL"),
        (["--from-db", "mysql://u:hunter2@db.example/erp", "--source-table", "o"],
         "pip install 'tierwise[mysql]' and write the URL as mysql+pymysql://"),
        (["--from-db", "not a url", "--source-table", "o"], "sqlite:///erp.db"),
        (["x.csv", "--from-db", url, "--source-table", "o"], "not both"),
        (["--source-table", "o"], "give a FILE or --from-db"),
        (["--from-db", url, "--query", 'SELECT "单号", "单号" FROM "销售订单"'], "give one an alias"),
    ]
    for args, message in cases:
        r = run_cli("--db", db, "import", "orders", *args)
        assert r.returncode == 1, (args, r.stdout)
        assert message in r.stderr, (args, r.stderr)
        assert "hunter2" not in r.stderr
    assert not db.exists() or query(db, "SELECT count(*) FROM imports") == [(0,)]


def test_the_source_hides_the_password_and_columns_read_as_text() -> None:
    shown = DatabaseSource("postgresql+psycopg://li:s3cret@erp.local:5432/sales", query="SELECT 1").shown
    assert "s3cret" not in shown and shown.startswith("postgresql+psycopg://li:***@erp.local:5432/sales")
    with pytest.raises(ConfigError):
        DatabaseSource("sqlite:///x.db", table="a", query="SELECT 1")
    assert _column((1, None, 2**62)).to_pylist() == ["1", None, "4611686018427387904"]
    assert _column((1.5, 2, None)).to_pylist() == ["1.5", "2", None]  # SQLite NUMERIC mixes them
    assert _column((1e20, 0.1)).to_pylist() == ["100000000000000000000", "0.1"]  # no 1e+20
    assert _column((2**60, 0.5)).to_pylist() == ["1152921504606846976", "0.5"]  # too big for a float
    assert _column((1.5, 2, None, "abc")).to_pylist() == ["1.5", "2", None, "abc"]  # one amount typed as text
    assert _column((1001, "A1002")).to_pylist() == ["1001", "A1002"]  # codes, some numeric
    assert _column((Decimal("12.50"), b"\xe9\x80\x80", b"\xff")).to_pylist() == ["12.50", "退", "ff"]


# -- a real PostgreSQL server ----------------------------------------------------------------
def _pg_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return found[-1].parent if found else None


@pytest.fixture
def postgres() -> Iterator[str]:
    """A PostgreSQL server of its own (Debian's, started here on a free loopback port, as the
    ``postgres`` user when the tests run as root) with an empty database ``erp``; yields the
    SQLAlchemy URL. ``make test`` installs the server when it is missing."""
    bin_dir = _pg_bin()
    if bin_dir is None:
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql)")
    home = Path(tempfile.mkdtemp(prefix="tw-pg-"))  # not under pytest's folders: those are root's, 0700
    prefix: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(home, "postgres", "postgres")
        prefix = ["runuser", "-u", "postgres", "--"]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]

    def run(*cmd: str) -> None:
        subprocess.run([*prefix, *cmd], check=True, capture_output=True, timeout=120)

    run(str(bin_dir / "initdb"), "-D", str(home / "data"), "-U", "tw", "--auth=trust", "-E", "UTF8",
        "--no-locale")
    run(str(bin_dir / "pg_ctl"), "-D", str(home / "data"), "-l", str(home / "log"), "-w", "-o",
        f"-p {port} -k {home} -c listen_addresses=127.0.0.1", "start")
    try:
        run(str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "tw", "erp")
        yield f"postgresql+psycopg://tw@127.0.0.1:{port}/erp"
    finally:
        run(str(bin_dir / "pg_ctl"), "-D", str(home / "data"), "-m", "fast", "-w", "stop")
        shutil.rmtree(home, ignore_errors=True)


def test_postgresql_types_and_streaming(postgres: str, tmp_path: Path) -> None:
    """120,003 order lines (more than two batches of the stream) with PostgreSQL's own types —
    NUMERIC, DATE, TIMESTAMP, BOOLEAN — and Chinese names; three bad rows at the end."""
    import psycopg

    with psycopg.connect(postgres.replace("postgresql+psycopg", "postgresql")) as con:
        con.execute('CREATE TABLE "销售明细" (id SERIAL, "单号" TEXT, "客户编号" TEXT, "开单日期" DATE, '
                    '"金额" NUMERIC(14, 2), "数量" INTEGER, "创建时间" TIMESTAMP, "作废" BOOLEAN)')
        con.execute('INSERT INTO "销售明细" ("单号", "客户编号", "开单日期", "金额", "数量", "创建时间", '
                    '"作废") '
                    "SELECT 'SO' || lpad(g::text, 7, '0'), 'K' || (g % 997), DATE '2026-01-01' + (g % 270), "
                    "(g % 5000) / 4.0, 1 + g % 9, TIMESTAMP '2026-01-01 08:30' + g * INTERVAL '1 minute', "
                    "g % 50 = 0 FROM generate_series(1, 120000) g")
        con.execute('INSERT INTO "销售明细" ("单号", "客户编号", "开单日期", "金额", "数量") VALUES '
                    "('SO9000001', NULL, '2026-02-01', 10, 1), ('SO9000002', 'K1', NULL, 10, 1), "
                    "('SO9000001', 'K2', '2026-02-02', 12.5, 1)")
        con.execute('CREATE SCHEMA crm; CREATE TABLE crm."客户" ("客户编号" TEXT, "客户名称" TEXT); '
                    """INSERT INTO crm."客户" VALUES ('K1', '华东五金'), ('K2', '南方建材')""")
    db = tmp_path / "w.duckdb"
    r = run_cli("--db", db, "import", "customers", "--from-db", postgres, "--source-table", "crm.客户")
    assert r.returncode == 0, r.stderr  # a table of another schema
    assert query(db, "SELECT customer_id, name FROM customers ORDER BY 1") == [("K1", "华东五金"),
                                                                                ("K2", "南方建材")]
    sql = ('SELECT "单号", "客户编号", "开单日期", "金额", "数量", "创建时间", "作废" FROM "销售明细" '
           "ORDER BY id")
    r = run_cli("--db", db, "import", "orders", "--from-db", postgres, "--query", sql, "--json", timeout=600)
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    assert (summary["read"], summary["accepted"], summary["rejected"]) == (120003, 120001, 2)
    assert summary["customers_created"] == 997 - 2  # K1 and K2 came from crm.客户
    bad = rejected_by_row(summary["rejected_file"] if Path(summary["rejected_file"]).is_absolute()
                          else db.parent / summary["rejected_file"])
    assert sorted(bad) == [120001, 120002]  # no customer; no date (the repeated 单号 is a new line)
    assert query(db, "SELECT count(*), sum(amount), min(order_date), max(order_date) FROM orders") == [
        (120001, Decimal(sum((g % 5000) / 4 for g in range(1, 120001))).quantize(Decimal("0.01"))
         + Decimal("12.50"), dt.datetime(2026, 1, 1, 0, 0), dt.datetime(2026, 9, 27, 0, 0))]
