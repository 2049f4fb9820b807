"""Every metric definition pinned on a hand-computed company, on DuckDB and on Spark.

Each test runs once per engine through the ``engine`` fixture: the same Ibis expressions
must give the same numbers on both. The expected values are worked out in the comments from
the rows in :mod:`metrics_fixture`.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import metrics_fixture
from conftest import do_import, write_csv
from tierwise.errors import ConfigError
from tierwise.metrics import catalog
from tierwise.metrics.compute import MetricsOptions, Source
from tierwise.metrics.table import evaluation_frame, metrics_table
from tierwise.settings import Settings
from tierwise.workspace import Workspace

AS_OF = date(2024, 3, 31)
ENGINES = ["duckdb", "spark"]


@pytest.fixture(scope="module")
def company(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    folder = tmp_path_factory.mktemp("company")
    ws = Workspace.open(Settings(db=folder / "w.duckdb"), create=True)
    metrics_fixture.build(ws, folder)
    yield ws
    ws.close()


@pytest.fixture(scope="module")
def sources(company: Workspace) -> Iterator[dict[str, Source]]:
    """The company on each engine; Spark gets the same tables as Parquet."""
    from tierwise.store.spark import SparkSource

    spark = SparkSource.from_workspace(company.db)
    yield {"duckdb": company.db, "spark": spark}
    spark.close()


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def run(
    sources: dict[str, Source], engine: str, as_of: date | None = AS_OF, window: str = "12m", **kw: Any
) -> dict[str, dict[str, Any]]:
    source = sources[engine]
    frame = evaluation_frame(source, as_of, window)
    table, _ = metrics_table(source, frame, MetricsOptions(**kw))
    assert table.column_names == list(catalog.NAMES)
    return {row["customer_id"]: row for row in table.to_pylist()}


@pytest.fixture(scope="module")
def default_runs() -> dict[str, dict[str, dict[str, Any]]]:
    """Each engine's metrics with the default options, computed once for the tests reading them
    (on Spark each run is about 15 s)."""
    return {}


@pytest.fixture
def m(sources: dict[str, Source], engine: str,
      default_runs: dict[str, dict[str, dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    if engine not in default_runs:
        default_runs[engine] = run(sources, engine)
    return default_runs[engine]


def test_customers_seen_as_of_the_date(m: dict[str, dict[str, Any]]) -> None:
    # F was created after the as-of date and has no order by then: not seen at all.
    assert sorted(m) == ["A", "B", "C", "D", "G", "K", "L", "P", "X"]
    # X only returned goods and K's one order was cancelled in full: neither ever purchased,
    # but both are customers who dealt with the company (not prospects)
    assert {k: v["status"] for k, v in m.items()} == {
        "A": "buyer", "B": "buyer", "C": "buyer", "D": "buyer", "G": "buyer",
        "L": "lapsed", "P": "prospect", "X": "returns_only", "K": "returns_only"}


def test_returns_and_cancelled_orders_are_not_purchases(m: dict[str, dict[str, Any]]) -> None:
    x, k = m["X"], m["K"]
    assert (x["revenue"], x["returns"], x["order_count"], x["return_count"]) == (Decimal("-50.00"),
                                                                             Decimal("50.00"), 0, 1)
    assert (k["revenue"], k["gross_sales"], k["order_count"], k["lifetime_orders"]) == (
        Decimal("0.00"), Decimal("60.00"), 0, 0)
    for c in (x, k):
        for name in ("frequency", "recency", "T", "first_order_date", "recency_days", "p_alive", "clv"):
            assert c[name] is None, name


def test_value_net_of_returns(m: dict[str, dict[str, Any]]) -> None:
    a = m["A"]
    # 100 + 50 + 30 + 200 - 20 + 70; O9 (2 Apr) is after the as-of date.
    assert a["revenue"] == Decimal("430.00")
    assert (a["gross_sales"], a["returns"]) == (Decimal("450.00"), Decimal("20.00"))
    # O1 (150), O2, O3, O4 are orders; R1 nets below zero: a return.
    assert (a["order_count"], a["return_count"]) == (4, 1)
    assert a["avg_order_value"] == pytest.approx(107.5)
    # lines with a cost: 100-60, 30-10, 200-150, -20-(-12), 70-40; O1 line 2 has none.
    assert a["gross_profit"] == Decimal("132.00")
    assert a["cost_coverage"] == pytest.approx(5 / 6)
    assert (a["lifetime_revenue"], a["lifetime_orders"]) == (Decimal("430.00"), 4)
    d = m["D"]
    assert (d["revenue"], d["order_count"], d["return_count"]) == (Decimal("800.00"), 1, 1)
    assert m["B"]["gross_profit"] is None and m["B"]["cost_coverage"] == 0.0


def test_prospects_and_lapsed_get_zeros_and_nulls(m: dict[str, dict[str, Any]]) -> None:
    p = m["P"]
    assert (p["revenue"], p["order_count"], p["lifetime_orders"]) == (Decimal("0.00"), 0, 0)
    for name in ("frequency", "recency", "T", "monetary_value", "first_order_date", "recency_days",
                 "loyalty", "stability", "revenue_rank", "avg_order_value", "p_alive", "clv"):
        assert p[name] is None, name
    assert (p["outstanding"], p["invoices_due"], p["on_time_ratio"]) == (Decimal("0.00"), 0, None)
    lapsed = m["L"]
    assert lapsed["revenue"] == Decimal("0.00") and lapsed["revenue_rank"] is None
    # The previous window (2022-04-01 – 2023-03-31) holds L's 400.
    assert lapsed["revenue_prev"] == Decimal("400.00")
    assert lapsed["growth"] == pytest.approx(-1.0)
    assert m["A"]["growth"] is None  # nothing in the previous window
    assert lapsed["stability"] is None and lapsed["loyalty"] is not None


def test_ranks_shares_and_ties(m: dict[str, dict[str, Any]]) -> None:
    # C 1800, D 800, A 430, then B and G at 80 each: the tie goes by customer id.
    order = sorted((v["revenue_rank"], k) for k, v in m.items() if v["revenue_rank"] is not None)
    assert order == [(1, "C"), (2, "D"), (3, "A"), (4, "B"), (5, "G")]
    total = 1800 + 800 + 430 + 80 + 80
    assert m["C"]["revenue_share"] == pytest.approx(1800 / total)
    assert m["A"]["revenue_cum_share"] == pytest.approx(3030 / total)
    assert m["G"]["revenue_cum_share"] == pytest.approx(1.0)
    assert m["D"]["revenue_top_share"] == pytest.approx(2 / 5)


def test_recency_and_tenure_use_purchases(m: dict[str, dict[str, Any]]) -> None:
    a = m["A"]
    # The return on 15 Feb is not a purchase: the last purchase is 1 Mar.
    assert (a["first_order_date"], a["last_order_date"]) == (date(2024, 1, 5), date(2024, 3, 1))
    assert (a["recency_days"], a["tenure_days"]) == (30, 86)
    b = m["B"]
    assert (b["first_order_date"], b["recency_days"], b["tenure_days"]) == (date(2024, 3, 20), 11, 11)


def test_btyd_summary_in_days(m: dict[str, dict[str, Any]]) -> None:
    a = m["A"]
    # Purchase days: 5 Jan (180), 10 Feb (200), 1 Mar (70); 15 Feb (-20) only returned goods.
    # recency = 1 Mar - 5 Jan = 56, T = 31 Mar - 5 Jan = 86.
    assert (a["frequency"], a["recency"], a["T"]) == (2.0, 56.0, 86.0)
    assert a["monetary_value"] == pytest.approx((200 + 70) / 2)
    b = m["B"]
    assert (b["frequency"], b["recency"], b["T"], b["monetary_value"]) == (0.0, 0.0, 11.0, 0.0)
    assert m["L"]["T"] == (AS_OF - date(2022, 6, 1)).days


def test_btyd_days_as_lifetimes_counts_them(sources: dict[str, Source], engine: str) -> None:
    """btyd_days=any: every day with a line, the return-only day included (lifetimes'
    summary_data_from_transaction_data); X's return-only day makes it a BTYD row of its own."""
    got = run(sources, engine, btyd_days="any")
    a = got["A"]
    assert (a["frequency"], a["recency"], a["T"]) == (3.0, 56.0, 86.0)
    assert a["monetary_value"] == pytest.approx((200 - 20 + 70) / 3)
    assert (got["X"]["frequency"], got["X"]["T"]) == (0.0, (AS_OF - date(2024, 2, 1)).days)
    assert got["X"]["status"] == "returns_only"  # the status does not depend on the convention


def test_btyd_summary_in_weeks(sources: dict[str, Source], engine: str) -> None:
    a = run(sources, engine, time_unit="weeks")["A"]
    assert (a["frequency"], a["recency"]) == (2.0, 8.0)
    assert a["T"] == pytest.approx(86 / 7)


def test_rhythm(m: dict[str, dict[str, Any]]) -> None:
    a = m["A"]
    # Months counted back from 31 Mar: Mar (70), Feb (200 - 20), Jan (150 + 30), then nine
    # empty months. Quarters: all 430 in the latest one.
    monthly = np.array([70, 180, 180] + [0] * 9, dtype=float)
    quarterly = np.array([430, 0, 0, 0], dtype=float)
    assert (a["active_months"], a["active_quarters"]) == (3, 1)
    assert a["cv_monthly"] == pytest.approx(monthly.std() / monthly.mean())
    assert a["cv_quarterly"] == pytest.approx(quarterly.std() / quarterly.mean())
    assert a["stability"] == pytest.approx(1 / (1 + monthly.std() / monthly.mean()))
    # Purchase days 5 Jan, 10 Feb, 1 Mar: gaps 36 and 20.
    assert a["repurchase_days"] == pytest.approx(28.0)
    assert m["B"]["repurchase_days"] is None
    loyalty = 0.25 * (86 / 730) + 0.25 * (3 / 12) + 0.25 * a["stability"] + 0.25 * (1 - 30 / 366)
    assert a["loyalty"] == pytest.approx(loyalty)


def test_rhythm_of_large_steady_months_is_exact(tmp_path: Path) -> None:
    """Twelve months of ¥10,000,000.00 + k fen: the spread is 1716 fen² × 12 against sums near
    1.2e19 fen². Summed as floats (the squares 128 fen² apart at that size) the variance was
    rounding noise; from exact integer sums the coefficient of variation is the one rounding
    of sqrt(n·Σv² − (Σv)²) / Σv, whatever order the engine adds the months in."""
    with Workspace.open(Settings(db=tmp_path / "w.duckdb"), create=True) as ws:
        do_import(ws, "customers", write_csv(tmp_path / "c.csv", [["customer_id"], ["BIG"]]))
        months = [date(2023, 4, 1).replace(year=2023 + (3 + k) // 12, month=(3 + k) % 12 + 1)
                  for k in range(12)]
        lines = [["order_id", "customer_id", "order_date", "amount"]] + [
            [f"O{k}", "BIG", day.isoformat(), f"{10_000_000 + k / 100:.2f}"] for k, day in enumerate(months)]
        do_import(ws, "orders", write_csv(tmp_path / "o.csv", lines))
        frame = evaluation_frame(ws.db, AS_OF, "12m")
        big = metrics_table(ws.db, frame, MetricsOptions())[0].to_pylist()[0]
    cents = [1_000_000_000 + k for k in range(12)]
    s, ss = sum(cents), sum(v * v for v in cents)
    assert 12 * ss - s * s == 1716
    assert big["active_months"] == 12
    assert big["cv_monthly"] == math.sqrt(1716.0) / float(s)
    assert big["stability"] == 1.0 / (1.0 + big["cv_monthly"])


def test_quarter_stability_and_loyalty_weights(sources: dict[str, Source], engine: str) -> None:
    a = run(sources, engine, stability_basis="quarter", loyalty_weights={"tenure": 2, "recency": 2})["A"]
    assert a["stability"] == pytest.approx(1 / (1 + math.sqrt(3)))
    assert a["loyalty"] == pytest.approx(0.5 * (86 / 730) + 0.5 * (1 - 30 / 366))


def test_credit_fifo_overdue_and_on_time(m: dict[str, dict[str, Any]]) -> None:
    c = m["C"]
    # Billed 1000 + 500 + 300, paid 600 + 700. FIFO: C1 is paid off on 28 Jan (before its due
    # date 31 Jan); 200 of C2 (due 2 Mar) and all of C3 (own due date 25 Mar) are open.
    assert c["outstanding"] == Decimal("500.00")
    assert c["overdue_amount"] == Decimal("500.00")
    assert c["max_days_overdue"] == 29
    assert (c["invoices_due"], c["on_time_ratio"]) == (3, pytest.approx(1 / 3))
    assert c["credit_utilization"] == pytest.approx(0.5)
    a = m["A"]
    # No payments; the return (20) pays O1 first. Open: O1 130, O2 30 (due 4 Feb), O3 200
    # (due 11 Mar), O4 70 (due 31 Mar: due, not yet overdue).
    assert a["outstanding"] == Decimal("430.00")
    assert a["overdue_amount"] == Decimal("360.00")
    assert a["max_days_overdue"] == 56
    assert (a["invoices_due"], a["on_time_ratio"]) == (4, 0.0)
    d = m["D"]
    # The return (200, 10 Jan) and the payment (800, 25 Jan) settle D1 before 31 Jan; D has
    # no terms, so the payment_terms_days default (30) applies.
    assert (d["outstanding"], d["overdue_amount"], d["max_days_overdue"]) == (Decimal("0.00"),
                                                                              Decimal("0.00"), 0)
    assert (d["invoices_due"], d["on_time_ratio"]) == (1, 1.0)
    assert d["credit_utilization"] is None and d["credit_limit"] is None


def test_contact(m: dict[str, dict[str, Any]]) -> None:
    a = m["A"]
    assert (a["last_contact_date"], a["days_since_contact"]) == (date(2024, 3, 10), 21)
    assert (a["contacts"], a["visits"], a["complaints"], a["calls"]) == (2, 1, 1, 0)
    assert (m["B"]["messages"], m["B"]["contacts"]) == (1, 1)
    assert m["P"]["last_contact_date"] is None and m["P"]["contacts"] == 0


def test_as_of_cut_sees_nothing_later(sources: dict[str, Source], engine: str) -> None:
    early = run(sources, engine, as_of=date(2024, 2, 12))
    a = early["A"]
    assert (a["revenue"], a["frequency"], a["T"]) == (Decimal("380.00"), 1.0, 38.0)
    assert "B" not in early or early["B"]["status"] == "prospect"
    c = early["C"]
    # By 12 Feb: billed 1500, paid 1300; C2 is not due yet (2 Mar).
    assert (c["outstanding"], c["overdue_amount"], c["invoices_due"]) == (Decimal("200.00"),
                                                                          Decimal("0.00"), 1)
    assert "P" in early and "F" not in early


def test_day_window(sources: dict[str, Source], engine: str) -> None:
    m = run(sources, engine, window="90d")  # 2 Jan – 31 Mar: C1 (1 Jan) falls outside
    assert m["C"]["revenue"] == Decimal("800.00")
    assert m["A"]["revenue"] == Decimal("430.00")
    # 30-day slices back from 31 Mar: 1 Mar and 10 Feb share the second, 5 Jan is in the third.
    assert m["A"]["active_months"] == 2


def test_default_as_of_is_the_latest_order(sources: dict[str, Source], engine: str) -> None:
    frame = evaluation_frame(sources[engine], None, "all")
    assert frame.as_of == date(2024, 4, 2)
    assert frame.start == date(2022, 6, 1)


def test_clv_needs_enough_customers(sources: dict[str, Source], engine: str) -> None:
    # Six customers with a history are too few to fit BG/NBD: the CLV columns stay empty and
    # the fit says why, rather than inventing numbers (CDNOW and demo tests cover the values).
    source = sources[engine]
    table, fit = metrics_table(source, evaluation_frame(source, AS_OF, "12m"), MetricsOptions())
    assert fit.bgnbd is None and fit.problems and "at least" in fit.problems[0]
    assert table["p_alive"].null_count == table.num_rows


def test_bad_window_is_a_config_error(sources: dict[str, Source]) -> None:
    with pytest.raises(ConfigError, match="90d"):
        evaluation_frame(sources["duckdb"], AS_OF, "12 weeks")


def test_engines_agree_on_the_whole_table(sources: dict[str, Source]) -> None:
    duck = run(sources, "duckdb")
    spark = run(sources, "spark")
    assert duck.keys() == spark.keys()
    for cid, row in duck.items():
        for name, value in row.items():
            other = spark[cid][name]
            if isinstance(value, float):
                assert other == pytest.approx(value, rel=1e-12, abs=1e-12), (cid, name)
            else:
                assert other == value, (cid, name)


def test_docs_list_every_metric() -> None:
    text = (Path(__file__).parents[1] / "docs" / "metrics.md").read_text(encoding="utf-8")
    assert catalog.metrics_markdown("en") in text, "docs/metrics.md is stale: regenerate it " \
        "with `tierwise metrics --list --markdown > docs/metrics.md`"


def test_metric_option_defaults_are_the_settings_defaults() -> None:
    # MetricsOptions keeps its own defaults (so a bare metrics run need not load settings);
    # they must not drift from the documented settings.
    assert MetricsOptions() == MetricsOptions.from_settings(Settings())


def test_clv_scores_of_an_integer_frequency_are_those_of_the_same_doubles() -> None:
    # A summary made elsewhere may hold frequency as an integer. Scored on the engine it gives
    # the same numbers as the doubles the metrics hold, and only the summary's own columns
    # and the four scores: the join to the per-(frequency, T) values added none of its own.
    import ibis
    import pyarrow as pa

    from tierwise.metrics import catalog, clv
    from tierwise.metrics.clv_engine import ClvFit, with_clv

    rng = np.random.default_rng(5)
    x = rng.integers(0, 8, 400)
    big_t = rng.integers(30, 400, 400).astype(float)
    t_x = np.where(x > 0, np.floor(big_t * rng.random(400)), 0.0)
    m = np.where(x > 0, np.round(rng.gamma(4.0, 30.0, 400), 2), 0.0)
    columns = {"customer_id": [f"C{i:03}" for i in range(400)], "recency": t_x, "T": big_t,
               "monetary_value": m}
    as_int = ibis.memtable(pa.table({**columns, "frequency": x}))
    as_float = ibis.memtable(pa.table({**columns, "frequency": x.astype(float)}))
    con = ibis.duckdb.connect()
    fit = ClvFit("days", clv.BGNBDFit(r=0.243, alpha=30.9, a=0.793, b=2.426, log_likelihood=0.0,
                                      n_customers=400, iterations=1, converged=True),
                 clv.GammaGammaFit(p=6.25, q=3.74, v=15.44, log_likelihood=0.0, n_customers=300,
                                   iterations=1, converged=True))
    got = con.to_pyarrow(with_clv(as_int, fit, MetricsOptions()).order_by("customer_id"))
    want = con.to_pyarrow(with_clv(as_float, fit, MetricsOptions()).order_by("customer_id"))
    assert got.column_names == [*as_int.columns, *catalog.CLV_COLUMNS]
    for name in catalog.CLV_COLUMNS:
        np.testing.assert_allclose(got[name].to_numpy(), want[name].to_numpy(), rtol=1e-12, err_msg=name)
    assert got["clv"].null_count == 0 and float(pa.compute.max(got["clv"]).as_py()) > 0


def test_infinite_mean_spend_is_reported_not_silent(monkeypatch: pytest.MonkeyPatch) -> None:
    # A Gamma-Gamma fit with q <= 1 has no finite mean: the value columns stay empty and the
    # fit says why (it used to leave them empty without a word).
    import ibis
    import pyarrow as pa

    from tierwise.metrics import clv
    from tierwise.metrics.clv_engine import fit_clv, with_clv

    rng = np.random.default_rng(3)
    x = rng.integers(0, 6, 200).astype(float)
    big_t = rng.integers(30, 400, 200).astype(float)
    t_x = np.where(x > 0, np.floor(big_t * rng.random(200)), 0.0)
    m = np.where(x > 0, rng.gamma(2.0, 50.0, 200), 0.0)
    summary = ibis.memtable(pa.table({"customer_id": [f"C{i}" for i in range(200)], "frequency": x,
                                      "recency": t_x, "T": big_t, "monetary_value": m}))
    monkeypatch.setattr(clv, "fit_gamma_gamma", lambda *a, **k: clv.GammaGammaFit(
        p=1.0, q=0.9, v=10.0, log_likelihood=0.0, n_customers=100, iterations=1, converged=True))
    con = ibis.duckdb.connect()
    fit = fit_clv(summary, "days")
    assert fit.bgnbd is not None and any("q = 0.9" in p for p in fit.problems)
    out = con.to_pyarrow(with_clv(summary, fit, MetricsOptions()))
    assert out["p_alive"].null_count == 0
    assert out["expected_value"].null_count == out["clv"].null_count == 200


@pytest.mark.parametrize("to_file", [False, True])
def test_only_some_customers_on_both_engines(company: Workspace, tmp_path: Path, to_file: bool) -> None:
    # A manager's metrics: the rows of their customers (a workspace table), on either engine,
    # whole or written in batches; the CLV models are still fitted on everyone.
    import pyarrow.parquet as pq

    from tierwise.metrics.table import run_metrics

    customers = company.db.table("customers")
    only = customers.filter(customers.customer_id.isin(["A", "C", "P"]))
    for engine in ENGINES:
        out = tmp_path / f"{engine}.parquet" if to_file else None
        run = run_metrics(company.db, as_of=AS_OF, engine=engine, only=only, out=out)
        rows = pq.read_table(out) if out else run.table
        assert rows is not None and sorted(rows["customer_id"].to_pylist()) == ["A", "C", "P"]
        assert (run.customers, run.by_status) == (3, {"buyer": 2, "prospect": 1})
        assert (run.table is None) == to_file


def test_growth_is_empty_when_the_data_does_not_cover_the_previous_window(
        sources: dict[str, Source], engine: str) -> None:
    """The orders start on 2022-06-01. Over 12 months the previous window (2022-04-01 to
    2023-03-31) is 83 % covered: growth as usual. Over 24 months it (2020-04-01 to 2022-03-31)
    holds no order day at all: "vs the previous window" would be every customer's whole
    revenue as growth, so revenue_prev and growth are empty and the frame says why."""
    from tierwise.metrics.table import evaluation_frame

    assert run(sources, engine)["L"]["growth"] == pytest.approx(-1.0)
    long = run(sources, engine, window="24m")
    assert {c: (r["revenue_prev"], r["growth"]) for c, r in long.items()} == dict.fromkeys(long, (None, None))
    frame = evaluation_frame(sources[engine], AS_OF, "24m")
    assert frame.previous_coverage == 0.0 and not frame.previous_covered
    note = frame.coverage_note()
    assert note is not None and note[0] == (
        "the previous window (2020-04-01 to 2022-03-31) is only 0% covered by the orders (the first is of "
        "2022-06-01): revenue_prev and growth are left empty")
    assert evaluation_frame(sources[engine], AS_OF, "12m").previous_coverage == pytest.approx(304 / 365)
