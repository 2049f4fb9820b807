"""The CDNOW transaction log, end to end: import, BTYD summary, CLV fit.

``tests/data/cdnow_sample.csv`` is the CDNOW sample transaction log that lifetimes ships
(2,357 customers, 6,919 purchases, 1997-01-01 – 1998-06-30), converted to CSV as it came
(its header has a different line ending from its rows, as hand-edited files do).
``cdnow_sample_lifetimes_summary.csv`` is what ``lifetimes.utils.
summary_data_from_transaction_data`` made of it (``make_cdnow_summary.py``).
"""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from conftest import run_cli
from tierwise.metrics.compute import Source, summary_for
from tierwise.metrics.frame import EvaluationFrame
from tierwise.settings import Settings
from tierwise.workspace import Workspace

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def cdnow_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("cdnow") / "cdnow.duckdb"
    done = run_cli("--db", db, "import", "orders", DATA / "cdnow_sample.csv", "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert (summary["read"], summary["accepted"], summary["customers_created"]) == (6919, 6919, 2357)
    return db


@pytest.fixture(scope="module")
def cdnow_sources(cdnow_db: Path) -> Iterator[dict[str, Source]]:
    from tierwise.store.spark import SparkSource

    # A copy: this process keeps it open, and DuckDB locks an open file against the CLI tests.
    copy = cdnow_db.with_name("engines.duckdb")
    shutil.copy(cdnow_db, copy)
    ws = Workspace.open(Settings(db=copy))
    spark = SparkSource.from_workspace(ws.db)
    yield {"duckdb": ws.db, "spark": spark}
    spark.close()
    ws.close()


def lifetimes_summary(as_of: str, unit: str) -> dict[str, tuple[float, float, float, float]]:
    with open(DATA / "cdnow_sample_lifetimes_summary.csv", encoding="utf-8") as fh:
        return {r["customer_id"]: (float(r["frequency"]), float(r["recency"]), float(r["T"]),
                                   float(r["monetary_value"]))
                for r in csv.DictReader(fh) if r["as_of"] == as_of and r["time_unit"] == unit}


@pytest.mark.parametrize("engine", ["duckdb", "spark"])
@pytest.mark.parametrize("as_of", ["1998-06-30", "1997-09-30"])
@pytest.mark.parametrize("unit", ["days", "weeks"])
def test_btyd_summary_equals_lifetimes(cdnow_sources: dict[str, Source], engine: str, as_of: str,
                                       unit: str) -> None:
    expected = lifetimes_summary(as_of, unit)
    frame = EvaluationFrame.build(date.fromisoformat(as_of), "all", date(1997, 1, 1))
    rows = summary_for(cdnow_sources[engine], frame, unit,  # type: ignore[arg-type]
                       btyd_days="any").to_pyarrow().to_pylist()
    got = {r["customer_id"]: (r["frequency"], r["recency"], r["T"], r["monetary_value"]) for r in rows}
    assert got.keys() == expected.keys()
    for cid, (freq, rec, big_t, money) in expected.items():
        f, r, t, m = got[cid]
        assert (f, r) == (freq, pytest.approx(rec, rel=1e-12)), cid
        assert t == pytest.approx(big_t, rel=1e-12), cid
        assert m == pytest.approx(money, rel=1e-9), cid


def test_clv_fit_reproduces_the_published_parameters(cdnow_db: Path) -> None:
    # Fader, Hardie & Lee (2005): the 39-week calibration period ends 1997-09-30, in weeks; the
    # paper counts every transaction day, $0 ones too (lifetimes' convention: btyd_days any)
    done = run_cli("--db", cdnow_db, "clv", "fit", "--as-of", "1997-09-30", "--time-unit", "weeks",
                   "--json", env={"TIERWISE_BTYD_DAYS": "any"})
    assert done.returncode == 0, done.stderr
    fit = json.loads(done.stdout)
    bg, gg = fit["bgnbd"], fit["gamma_gamma"]
    assert (round(bg["r"], 3), round(bg["alpha"], 3), round(bg["a"], 3), round(bg["b"], 3)) == (
        0.243, 4.414, 0.793, 2.426)
    assert round(bg["log_likelihood"], 1) == -9582.4
    assert bg["customers"] == 2357
    # Fader & Hardie (2013), 946 repeat buyers: p 6.25, q 3.74, v 15.44 (as printed, truncated).
    assert (round(gg["p"], 2), round(gg["q"], 2), int(gg["v"] * 100) / 100) == (6.25, 3.74, 15.44)
    assert gg["customers"] == 946


def test_clv_fit_prints_a_table(cdnow_db: Path) -> None:
    done = run_cli("--db", cdnow_db, "clv", "fit", "--as-of", "1997-09-30", "--time-unit", "weeks",
                   env={"TIERWISE_BTYD_DAYS": "any"})
    assert done.returncode == 0, done.stderr
    assert "BG/NBD" in done.stdout and "0.2426" in done.stdout and "-9,582.43" in done.stdout
    zh = run_cli("--db", cdnow_db, "--lang", "zh", "clv", "fit", "--as-of", "1997-09-30")
    assert "对数似然" in zh.stdout


def test_metrics_command_writes_csv_and_parquet(cdnow_db: Path, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    from tierwise.metrics import catalog

    out = tmp_path / "m.parquet"
    done = run_cli("--db", cdnow_db, "metrics", "--as-of", "1997-09-30", "--out", out, "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["customers"] == 2357 and summary["as_of"] == "1997-09-30"
    table = pq.read_table(out)
    assert table.column_names == list(catalog.NAMES) and table.num_rows == 2357
    p_alive = [v for v in table["p_alive"].to_pylist() if v is not None]
    assert len(p_alive) == 2349 and all(0 < v <= 1 for v in p_alive)
    # 8 customers of the sample only ever bought for $0: not purchases, so no BTYD row and no
    # p_alive; they are neither buyers nor prospects
    assert summary["by_status"]["returns_only"] == 8
    csv_out = tmp_path / "m.csv"
    done = run_cli("--db", cdnow_db, "metrics", "--window", "6m", "--out", csv_out)
    assert done.returncode == 0, done.stderr
    raw = csv_out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    header = raw[3:].split(b"\n", 1)[0].decode()
    assert header.replace('"', "").split(",") == list(catalog.NAMES)


def test_metrics_command_errors(cdnow_db: Path, tmp_path: Path) -> None:
    bad = run_cli("--db", cdnow_db, "metrics", "--window", "3 weeks")
    assert bad.returncode == 1 and "Error:" in bad.stderr and "90d" in bad.stderr
    bad = run_cli("--db", cdnow_db, "metrics", "--as-of", "30/09/1997")
    assert bad.returncode == 1 and "YYYY-MM-DD" in bad.stderr
    bad = run_cli("--db", cdnow_db, "metrics", "--out", tmp_path / "m.xlsx")
    assert bad.returncode == 1 and ".parquet" in bad.stderr
    assert not (tmp_path / "m.xlsx").exists()
    empty = tmp_path / "empty.duckdb"
    assert run_cli("--db", empty, "init").returncode == 0
    bad = run_cli("--db", empty, "metrics")
    assert bad.returncode == 1 and "--as-of" in bad.stderr
    # With a date but no purchases, the table is written (prospects only), the fit is not.
    ok = run_cli("--db", empty, "metrics", "--as-of", "2026-01-31", "--json")
    assert ok.returncode == 0 and json.loads(ok.stdout)["clv"]["problems"]
    bad = run_cli("--db", empty, "clv", "fit", "--as-of", "2026-01-31")
    assert bad.returncode == 1 and "at least 10" in bad.stderr


def test_spark_engine_from_the_command_line(cdnow_db: Path, tmp_path: Path) -> None:
    # The same command on local Spark writes the same table as on DuckDB.
    import pyarrow.parquet as pq

    duck, spark = tmp_path / "duck.parquet", tmp_path / "spark.parquet"
    args = ("metrics", "--as-of", "1997-09-30", "--time-unit", "weeks", "--json")
    done = run_cli("--db", cdnow_db, *args, "--out", duck)
    assert done.returncode == 0, done.stderr
    done = run_cli("--db", cdnow_db, "--engine", "spark", *args, "--out", spark, timeout=600)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["engine"] == "spark" and summary["customers"] == 2357
    assert round(summary["clv"]["bgnbd"]["r"], 3) == 0.244  # $0 days left out: 0.243 with them
    a = pq.read_table(duck).sort_by("customer_id").to_pylist()
    b = pq.read_table(spark).sort_by("customer_id").to_pylist()
    assert len(a) == len(b) == 2357
    for x, y in zip(a, b, strict=True):
        for name, value in x.items():
            if isinstance(value, float):
                assert y[name] == pytest.approx(value, rel=1e-9, abs=1e-12), (x["customer_id"], name)
            else:
                assert y[name] == value, (x["customer_id"], name)


def test_metric_list_in_both_languages(tmp_path: Path) -> None:
    """The list needs no workspace (run in an empty folder)."""
    en = run_cli("metrics", "--list", cwd=tmp_path)
    assert en.returncode == 0 and "customer_id" in en.stdout and "definition" in en.stdout
    zh = run_cli("--lang", "zh", "metrics", "--list", cwd=tmp_path)
    assert zh.returncode == 0 and "列名" in zh.stdout and "客户编号" in zh.stdout
    md = run_cli("metrics", "--list", "--markdown", cwd=tmp_path)
    assert md.stdout.startswith("| column | group | unit | definition |")


@pytest.mark.parametrize("engine", ["duckdb", "spark"])
@pytest.mark.parametrize("unit", ["days", "weeks"])
def test_clv_scored_on_the_engine_equals_the_numpy_models(cdnow_sources: dict[str, Source], engine: str,
                                                          unit: str) -> None:
    # The engine scores P(alive), expected purchases, value and CLV itself (only the distinct
    # (frequency, T) pairs visit Python): the same numbers as the reference implementation
    # applied to the whole summary in NumPy, with the same fitted models.
    import numpy as np

    from tierwise.metrics import clv
    from tierwise.metrics.compute import MetricsOptions
    from tierwise.metrics.table import metrics_table

    options = MetricsOptions(time_unit=unit, btyd_days="any")  # type: ignore[arg-type]
    frame = EvaluationFrame.build(date(1997, 9, 30), "12m")
    table, fit = metrics_table(cdnow_sources[engine], frame, options)
    assert fit.bgnbd is not None and fit.gamma_gamma is not None and not fit.problems
    rows = table.sort_by("customer_id")
    x, t_x, big_t, m = (rows[c].to_numpy(zero_copy_only=False).astype(float)
                        for c in ("frequency", "recency", "T", "monetary_value"))
    assert len(x) == 2357 and not np.isnan(x).any()
    per_month = clv.PERIODS_PER_MONTH["W" if unit == "weeks" else "D"]
    bg, gg = fit.bgnbd, fit.gamma_gamma
    spend = np.where(m > 0, m, gg.p * gg.v / (gg.q - 1))
    expected = {
        "p_alive": clv.bgnbd_p_alive(bg, x, t_x, big_t),
        "expected_purchases": clv.bgnbd_expected_purchases(bg, 12 * per_month, x, t_x, big_t),
        "expected_value": clv.gamma_gamma_expected_value(gg, x, spend),
        "clv": clv.customer_lifetime_value(bg, gg, x, t_x, big_t, spend, periods_per_month=per_month),
    }
    for name, want in expected.items():
        got = rows[name].to_numpy(zero_copy_only=False).astype(float)
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12, err_msg=name)
    assert 0.1 < float(np.mean(expected["p_alive"])) < 1  # not a degenerate comparison
