"""A real Spark standalone cluster — a master and a worker, each its own process, started here
— computes the metrics and classifies by every preset; both equal DuckDB's row for row.

The command runs in a process of its own (``--engine spark`` with ``TIERWISE_SPARK_MASTER``
pointing at the master): a Python process holds one Spark context, and the other Spark tests
of a test worker run on ``local[2]``. The master's own record of the applications it ran
proves the work went to the cluster.
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
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq
import pytest

from tierwise.data.importer import ImportOptions
from tierwise.demo.generator import generate_demo_files
from tierwise.schemes import registry
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


def _on_the_cluster(url: str, db: Path, *args: str) -> None:
    env = {**os.environ, "TIERWISE_SPARK_MASTER": url, "PYSPARK_PYTHON": sys.executable}
    done = subprocess.run([sys.executable, "-m", "tierwise", "--db", str(db), "--engine", "spark", *args],
                          env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]


def test_metrics_and_every_preset_on_a_standalone_cluster(cluster: tuple[str, int], company: Path,
                                                          tmp_path: Path) -> None:
    url, ui = cluster
    db = tmp_path / "spark.duckdb"
    shutil.copyfile(company, db)
    _on_the_cluster(url, db, "metrics", "--out", str(tmp_path / "metrics-spark.parquet"))
    _on_the_cluster(url, db, "classify")
    ran = [app["name"] for app in _master_state(ui).get("completedapps", [])]
    assert ran.count("tierwise") == 2, ran  # both commands ran as applications of this master

    duck = pq.read_table(company.parent / "metrics-duckdb.parquet").sort_by("customer_id")
    spark = pq.read_table(tmp_path / "metrics-spark.parquet").sort_by("customer_id")
    assert spark.column_names == duck.column_names and spark.num_rows == duck.num_rows == 300
    for name in duck.column_names:
        for a, b in zip(duck[name].to_pylist(), spark[name].to_pylist(), strict=True):
            if isinstance(a, float) and isinstance(b, float):
                assert b == pytest.approx(a, rel=1e-9, abs=1e-12), name
            else:
                assert a == b, name

    con = duckdb.connect()
    con.execute(f"ATTACH '{company}' AS d (READ_ONLY)")
    con.execute(f"ATTACH '{db}' AS s (READ_ONLY)")
    engine = con.execute("SELECT engine FROM s.snapshots ORDER BY snapshot_id DESC LIMIT 1").fetchone()
    assert engine == ("spark",)
    columns = "scheme, customer_id, class, computed_class, round(score, 9), reason_en, reason_zh"
    latest = "snapshot_id = (SELECT max(snapshot_id) FROM {0}.snapshots)"
    rows = {x: con.execute(f"SELECT {columns} FROM {x}.classes WHERE {latest.format(x)} ORDER BY 1, 2")
            .fetchall() for x in ("d", "s")}
    assert {r[0] for r in rows["d"]} == set(registry.presets())  # every preset classified someone
    assert rows["s"] == rows["d"]  # classes, scores and both reasons, row for row
