"""A real Spark standalone cluster — a master and a worker, each its own process, started here
— computes the metrics and classifies by every preset; both equal DuckDB's row for row.

The command runs in a process of its own (``--engine spark`` with ``TIERWISE_SPARK_MASTER``
pointing at the master): a Python process holds one Spark context, and the other Spark tests
of a test worker run on ``local[2]``. The master's own record of the applications it ran
proves the work went to the cluster.

Then a Spark Connect server (a process of its own, an application of the same cluster) serves
a company whose order lines, payments and follow-ups are only in its lake: orders as Parquet
files partitioned by year with Chinese headers, payments as a table of the Spark catalog with
CamelCase headers mapped in ``columns:``, follow-ups as a Spark SQL query over files whose kinds
are Chinese spellings (拜访, 电话). A workspace holding only the customers, reps and products and
a lake file naming those three tables gives, through ``sc://``, the metrics and every preset's
classes of the same company imported whole and classified on DuckDB.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq
import pytest

from tierwise.data.importer import ImportOptions
from tierwise.demo.generator import generate_demo_files
from tierwise.schemes import overrides, registry
from tierwise.schemes.store import classes_from
from tierwise.settings import Settings
from tierwise.workspace import Workspace

pytestmark = pytest.mark.slow


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _master_state(ui: int) -> dict[str, Any]:
    with urllib.request.urlopen(f"http://127.0.0.1:{ui}/json/", timeout=5) as answer:
        return dict(json.load(answer))


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """``spark://`` URL and web UI port of a standalone master with one worker (2 cores)."""
    import pyspark

    if shutil.which("java") is None:
        pytest.fail("Spark needs Java 17: apt-get install -y default-jre-headless")
    home = Path(pyspark.__file__).parent
    tmp = tmp_path_factory.mktemp("spark-cluster")
    env = {**os.environ, "SPARK_HOME": str(home), "PYSPARK_PYTHON": sys.executable,
           "SPARK_LOG_DIR": str(tmp), "SPARK_LOCAL_DIRS": str(tmp)}
    port, ui, worker_ui = _port(), _port(), _port()
    spark_class = str(home / "bin" / "spark-class")
    url = f"spark://127.0.0.1:{port}"
    commands = {
        "master": ["org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", str(port),
                   "--webui-port", str(ui)],
        "worker": ["org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "2", "--memory",
                   "2g", "--webui-port", str(worker_ui), "--work-dir", str(tmp / "work"), url]}
    processes: list[subprocess.Popen[bytes]] = []
    with contextlib.ExitStack() as logs:
        try:
            for name, args in commands.items():
                log = logs.enter_context(open(tmp / f"{name}.log", "wb"))
                processes.append(subprocess.Popen([spark_class, *args], env=env, stdout=log,
                                                  stderr=subprocess.STDOUT, start_new_session=True))
            deadline = time.monotonic() + 120
            while True:
                with contextlib.suppress(OSError, ValueError):  # not up yet, or still starting
                    if _master_state(ui).get("aliveworkers") == 1:
                        break
                if time.monotonic() > deadline:
                    told = "".join((tmp / f"{n}.log").read_text()[-2000:] for n in commands)
                    pytest.fail(f"the Spark master and worker did not come up in 120 s: {told}")
                time.sleep(0.5)
            yield url, ui
        finally:
            for process in reversed(processes):
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=30)


@pytest.fixture(scope="module")
def company(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small demo company (300 customers, every attribute the presets read), classified by
    every preset on DuckDB."""
    folder = tmp_path_factory.mktemp("cluster-company")
    files = generate_demo_files(folder / "data", customers=300, seed=11)
    db = folder / "w.duckdb"
    with Workspace.open(Settings(db=db), create=True) as ws:
        for table, path in files.items():
            ws.imports.file(table, path, ImportOptions(lang="en"))
        result = ws.snapshots.classify()
        assert not result.skipped, result.skipped
        ws.metrics.run(out=folder / "metrics-duckdb.parquet")
    return db


def _on_the_cluster(url: str, db: Path, *args: str, env: dict[str, str] | None = None) -> str:
    env = {**os.environ, "TIERWISE_SPARK_MASTER": url, "PYSPARK_PYTHON": sys.executable, **(env or {})}
    done = subprocess.run([sys.executable, "-m", "tierwise", "--db", str(db), "--engine", "spark", *args],
                          env=env, capture_output=True, text=True, timeout=900)
    told = [line for line in done.stderr.splitlines() if "Error" in line or "Exception" in line]
    assert done.returncode == 0, "\n".join(told[:10]) + "\n…\n" + done.stderr[-2000:]
    return done.stdout


def _same_metrics(reference: Path, other: Path) -> None:
    duck = pq.read_table(reference).sort_by("customer_id")
    spark = pq.read_table(other).sort_by("customer_id")
    assert spark.column_names == duck.column_names and spark.num_rows == duck.num_rows == 300
    for name in duck.column_names:
        for a, b in zip(duck[name].to_pylist(), spark[name].to_pylist(), strict=True):
            if isinstance(a, float) and isinstance(b, float):
                assert b == pytest.approx(a, rel=1e-9, abs=1e-12), name
            else:
                assert a == b, name


def _same_classes(reference: Path, other: Path, held: dict[tuple[str, str], str] | None = None) -> None:
    """The latest snapshot of ``other`` (made by Spark) has the classes of ``reference``'s, but
    for the ``held`` ones (scheme, customer: class held by an override in ``other``)."""
    con = duckdb.connect()
    con.execute(f"ATTACH '{reference}' AS d (READ_ONLY)")
    con.execute(f"ATTACH '{other}' AS s (READ_ONLY)")
    engine = con.execute("SELECT engine FROM s.snapshots ORDER BY snapshot_id DESC LIMIT 1").fetchone()
    assert engine == ("spark",)
    columns = "scheme, customer_id, class, computed_class, round(score, 9), reason_en, reason_zh"
    latest = "snapshot_id = (SELECT max(snapshot_id) FROM {0}.snapshots)"
    rows = {x: con.execute(f"SELECT {columns} FROM {x}.classes WHERE {latest.format(x)} ORDER BY 1, 2")
            .fetchall() for x in ("d", "s")}
    assert {r[0] for r in rows["d"]} == set(registry.presets())  # every preset classified someone
    for (scheme, customer), klass in (held or {}).items():
        [mine] = [i for i, r in enumerate(rows["s"]) if r[:2] == (scheme, customer)]
        assert rows["s"][mine][2:4] == (klass, rows["d"][mine][2])  # held, computed as DuckDB did
        rows["s"][mine] = rows["d"][mine]
    assert rows["s"] == rows["d"]  # classes, scores and both reasons, row for row


def test_metrics_and_every_preset_on_a_standalone_cluster(cluster: tuple[str, int], company: Path,
                                                          tmp_path: Path) -> None:
    url, ui = cluster
    db = tmp_path / "spark.duckdb"
    shutil.copyfile(company, db)
    _on_the_cluster(url, db, "metrics", "--out", str(tmp_path / "metrics-spark.parquet"))
    _on_the_cluster(url, db, "classify")
    ran = [app["name"] for app in _master_state(ui).get("completedapps", [])]
    assert ran.count("tierwise") == 2, ran  # both commands ran as applications of this master

    _same_metrics(company.parent / "metrics-duckdb.parquet", tmp_path / "metrics-spark.parquet")
    _same_classes(company, db)


ORDERS_ZH = {"order_id": "订单号", "line_no": "行号", "customer_id": "客户编号", "order_date": "下单日期",
             "amount": "金额", "product_id": "产品编号", "quantity": "数量", "unit_price": "单价",
             "cost": "成本", "due_date": "到期日", "outlet": "门店", "rep_id": "业务员", "department": "部门"}
PAYMENTS_CAMEL = {"payment_id": "PaymentNo", "customer_id": "CustomerID", "payment_date": "PaidOn",
                  "amount": "PaidAmount", "order_id": "InvoiceNo"}


def _lake(full: Workspace, folder: Path, url: str) -> Path:
    """The full workspace's orders, payments and follow-ups as lake tables (the payments
    registered in the catalog of the Connect server at ``url``); the lake file."""
    con = full.db.con
    orders = ", ".join(f'{c} AS "{h}"' for c, h in ORDERS_ZH.items())
    con.execute(f"""COPY (SELECT {orders}, year(order_date) AS yr FROM orders)
                    TO '{folder / "orders"}' (FORMAT parquet, PARTITION_BY (yr))""")
    payments = ", ".join(f'{c} AS "{h}"' for c, h in PAYMENTS_CAMEL.items())
    con.execute(f"COPY (SELECT {payments} FROM payments) TO '{folder / 'payments.parquet'}' (FORMAT parquet)")
    con.execute(f"""COPY (SELECT activity_id AS id, customer_id AS cust, activity_date AS ts,
                         CASE kind WHEN 'visit' THEN '拜访' WHEN 'call' THEN '电话' ELSE kind END AS 类型,
                         rep_id, outcome, note FROM activities)
                    TO '{folder / 'visits.parquet'}' (FORMAT parquet)""")
    catalog = f"lake_payments_{uuid.uuid4().hex[:8]}"
    create = f"CREATE TABLE {catalog} USING parquet LOCATION '{folder / 'payments.parquet'}'"
    subprocess.run([sys.executable, "-c", "import sys; from pyspark.sql import SparkSession; "
                    "SparkSession.builder.remote(sys.argv[1]).getOrCreate().sql(sys.argv[2])", url, create],
                   check=True, capture_output=True, timeout=300)
    text = f"""# where the cluster finds the company's tables
tables:
  orders: {{path: "{folder / 'orders'}", format: parquet}}
  payments:
    table: {catalog}
    columns: {{{', '.join(f'{h}: {c}' for c, h in PAYMENTS_CAMEL.items())}}}
  activities:
    sql: SELECT id, cust, ts, `类型`, rep_id, outcome, note FROM parquet.`{folder / 'visits.parquet'}`
    columns: {{id: activity_id, cust: customer_id, ts: activity_date, 类型: kind}}
output: {{path: "{folder / 'out'}"}}
conf:
  spark.sql.shuffle.partitions: "4"
"""
    path = folder / "lake.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def connect(cluster: tuple[str, int], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``sc://`` URL of a Spark Connect server, a process of its own running on the cluster."""
    import pyspark

    home = Path(pyspark.__file__).parent
    tmp = tmp_path_factory.mktemp("spark-connect")
    port = _port()
    env = {**os.environ, "SPARK_HOME": str(home), "PYSPARK_PYTHON": sys.executable,
           "SPARK_LOCAL_DIRS": str(tmp)}
    command = [str(home / "bin" / "spark-submit"), "--class",
               "org.apache.spark.sql.connect.service.SparkConnectServer", "--master", cluster[0],
               "--name", "tierwise Spark Connect",
               "--conf", f"spark.connect.grpc.binding.port={port}", "--conf", "spark.ui.enabled=false",
               "--conf", "spark.executor.memory=1g", "spark-internal"]
    with open(tmp / "connect.log", "wb") as log:
        server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT,
                                  start_new_session=True)
        try:
            deadline = time.monotonic() + 120
            while "Spark Connect server started" not in (tmp / "connect.log").read_text(errors="replace"):
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("the Spark Connect server did not start: "
                                + (tmp / "connect.log").read_text(errors="replace")[-2000:])
                time.sleep(0.5)
            yield f"sc://127.0.0.1:{port}"
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)


@pytest.fixture(scope="module")
def lakeside(connect: str, company: Path,
             tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The company's twin: a workspace with only its customers, reps and products (and one
    override: a C customer of ``abc`` held at A, whose id comes back too); the rest is on the
    lake (``lake.yaml`` beside it)."""
    folder = tmp_path_factory.mktemp("lake")
    with Workspace.open(Settings(db=company)) as full:
        lake = _lake(full, folder, connect)
        (held,) = full.db.con.execute("SELECT min(customer_id) FROM classes WHERE scheme = 'abc' "
                                      "AND class = 'C'").fetchone() or (None,)
    db = folder / "side.duckdb"
    with Workspace.open(Settings(db=db), create=True) as side:
        for table in ("customers", "reps", "products"):
            (file,) = (company.parent / "data").glob(f"{table}.*")
            side.imports.file(table, file, ImportOptions(lang="en"))
        # a manager's decision the lake's copy of the classes must carry too
        overrides.set_override(side.db, held, "abc", "A", reason="strategic account", by="boss")
    assert lake.parent == db.parent
    return db, held


def test_metrics_and_every_preset_from_lake_tables_through_spark_connect(
        lakeside: tuple[Path, str], company: Path, connect: str, cluster: tuple[str, int],
        tmp_path: Path) -> None:
    side, held = lakeside
    env = {"TIERWISE_SPARK_MASTER": connect, "TIERWISE_SPARK_LAKE": str(side.parent / "lake.yaml")}
    assert duckdb.connect(str(side), read_only=True).execute(
        "SELECT count(*) FROM orders").fetchone() == (0,)  # the order lines are only on the lake
    _on_the_cluster(connect, side, "metrics", "--out", str(tmp_path / "metrics-lake.parquet"), env=env)
    _on_the_cluster(connect, side, "classify", env=env)
    running = [app["name"] for app in _master_state(cluster[1]).get("activeapps", [])]
    assert "tierwise Spark Connect" in running, running  # the work ran on the cluster, through Connect
    _same_metrics(company.parent / "metrics-duckdb.parquet", tmp_path / "metrics-lake.parquet")
    _same_classes(company, side, held={("abc", held): "A"})

    # the cluster wrote the snapshot to the lake, partitioned by snapshot: the workspace's class
    # rows (the override included) and its window's metrics
    out = side.parent / "out"
    columns = ("snapshot_id, scheme, customer_id, class, computed_class, override_id, round(score, 9), "
               "reason_en, reason_zh")
    with Workspace.open(Settings(db=side)) as ws:  # the reasons as the workspace writes them out
        stored = ws.db.con.execute(
            "SELECT c.snapshot_id, c.scheme, c.customer_id, c.class, c.computed_class, c.override_id, "
            f"round(c.score, 9), c.reason_en, c.reason_zh FROM {classes_from(ws.db, [1])} "
            "ORDER BY 2, 3").fetchall()
    con = duckdb.connect()
    lake = con.execute(f"SELECT {columns} FROM read_parquet('{out}/classes/*/*.parquet', "
                       "hive_partitioning = true) ORDER BY 2, 3").fetchall()
    assert len(lake) == len(stored) > 3000 and lake == stored
    assert [r[1:6] for r in lake if r[5] is not None] == [("abc", held, "A", "C", 1)]
    metrics = pq.read_table(tmp_path / "metrics-lake.parquet").sort_by("customer_id")
    written = con.execute(f"SELECT * FROM read_parquet('{out}/metrics/*/*/*.parquet', "
                          "hive_partitioning = true) ORDER BY customer_id").to_arrow_table()
    assert written.num_rows == 300 and set(written["window"].to_pylist()) == {"12m"}
    assert written["revenue"].to_pylist() == metrics["revenue"].to_pylist()
