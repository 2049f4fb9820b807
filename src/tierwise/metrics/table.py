"""The finished metrics table: the engine expression run, the CLV models fitted and applied.

The per-customer expression (:mod:`tierwise.metrics.compute`) runs on the engine; the CLV
columns need the BG/NBD and Gamma-Gamma fits (:mod:`tierwise.metrics.clv`), which work on
the four BTYD summary columns in NumPy. The result is one Arrow table whose columns are
exactly :data:`tierwise.metrics.catalog.NAMES`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from tierwise.errors import ConfigError, DataError
from tierwise.metrics import catalog
from tierwise.metrics.compute import EngineSource, MetricsOptions, Source, compute_metrics, summary_for
from tierwise.metrics.frame import EvaluationFrame, Window

if TYPE_CHECKING:
    from tierwise.metrics import clv
    from tierwise.store.database import Database


@dataclass(frozen=True)
class ClvFit:
    """The fitted CLV models of one evaluation, or why a model could not be fitted."""

    time_unit: str
    bgnbd: clv.BGNBDFit | None
    gamma_gamma: clv.GammaGammaFit | None
    problems: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"time_unit": self.time_unit, "problems": list(self.problems)}
        if self.bgnbd:
            b = self.bgnbd
            out["bgnbd"] = {"r": b.r, "alpha": b.alpha, "a": b.a, "b": b.b,
                            "log_likelihood": b.log_likelihood, "customers": b.n_customers,
                            "iterations": b.iterations, "converged": b.converged}
        if self.gamma_gamma:
            g = self.gamma_gamma
            out["gamma_gamma"] = {"p": g.p, "q": g.q, "v": g.v, "log_likelihood": g.log_likelihood,
                                  "customers": g.n_customers, "iterations": g.iterations,
                                  "converged": g.converged}
        return out


def evaluation_frame(source: Source, as_of: date | None, window: str) -> EvaluationFrame:
    """The frame for ``as_of`` (default: the latest order date) and ``window``."""
    parsed = Window.parse(window)
    orders = source.table("orders")
    need_first = parsed.unit == "all"
    if as_of is None or need_first:
        row = orders.aggregate(
            first=orders.order_date.min().date(), last=orders.order_date.max().date()
        ).to_pyarrow().to_pylist()[0]
        if as_of is None:
            as_of = row["last"]
            if as_of is None:
                raise DataError(
                    "there are no orders to take the as-of date from: import orders, or give "
                    "--as-of / 没有订单可确定评估日：请先导入订单，或指定 --as-of"
                )
        return EvaluationFrame.build(as_of, parsed, row["first"])
    return EvaluationFrame.build(as_of, parsed)


def periods_per_month(time_unit: str) -> float:
    """Time units per month as lifetimes counts them (30 days, 4.345 weeks)."""
    from tierwise.metrics import clv  # SciPy: loaded only when CLV is needed

    return clv.PERIODS_PER_MONTH["W" if time_unit == "weeks" else "D"]


def fit_clv(summary: pa.Table, time_unit: str) -> ClvFit:
    """Fit BG/NBD on every customer with a purchase history and Gamma-Gamma on repeat buyers."""
    from tierwise.metrics import clv  # SciPy: loaded only when CLV is needed

    _, (x, t_x, big_t, m) = _summary_arrays(summary)
    problems: list[str] = []
    bg = gg = None
    try:
        bg = clv.fit_bgnbd(x, t_x, big_t)
    except DataError as exc:
        problems.append(str(exc))
    # Gamma-Gamma models positive spend: repeat buyers whose repeat periods net to zero or
    # less (returns) are left out of the fit and valued at the population mean.
    spends = (x > 0) & (m > 0)
    try:
        gg = clv.fit_gamma_gamma(x[spends], m[spends])
    except DataError as exc:
        problems.append(str(exc))
    if gg is not None and gg.q <= 1:
        problems.append(
            f"Gamma-Gamma fit has q = {gg.q:.3g} <= 1, so the mean spend is infinite: "
            f"expected_value and clv are left empty; look for outlier amounts / Gamma-Gamma 模型"
            f"的 q ≤ 1，平均金额无穷大：expected_value 与 clv 留空，请检查金额异常值"
        )
    return ClvFit(time_unit, bg, gg, tuple(problems))


def _summary_arrays(table: pa.Table) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
    """Which rows have a BTYD summary, and their frequency, recency, T and monetary_value."""
    known = pc.is_valid(table["frequency"]).to_numpy(zero_copy_only=False)
    return known, tuple(
        table[name].to_numpy(zero_copy_only=False).astype(np.float64)[known]
        for name in ("frequency", "recency", "T", "monetary_value")
    )


def add_clv(table: pa.Table, fit: ClvFit, options: MetricsOptions) -> pa.Table:
    """``table`` with the CLV columns of :data:`catalog.CLV_COLUMNS` filled from ``fit``."""
    from tierwise.metrics import clv  # SciPy: loaded only when CLV is needed

    cols = {name: np.full(table.num_rows, np.nan) for name in catalog.CLV_COLUMNS}
    known, (x, t_x, big_t, m) = _summary_arrays(table)
    if fit.bgnbd is not None and known.any():
        horizon = options.clv_months * periods_per_month(fit.time_unit)
        cols["p_alive"][known] = clv.bgnbd_p_alive(fit.bgnbd, x, t_x, big_t)
        cols["expected_purchases"][known] = clv.bgnbd_expected_purchases(fit.bgnbd, horizon, x, t_x, big_t)
        gg = fit.gamma_gamma
        if gg is not None and gg.q > 1:
            # Without positive repeat spend (returns only) a customer has no evidence of their
            # own: give them the population mean, which the model returns for any frequency
            # when the observed mean equals it. Both columns then agree.
            m_gg = np.where(m > 0, m, gg.p * gg.v / (gg.q - 1))
            cols["expected_value"][known] = clv.gamma_gamma_expected_value(gg, x, m_gg)
            cols["clv"][known] = clv.customer_lifetime_value(
                fit.bgnbd, gg, x, t_x, big_t, m_gg,
                months=options.clv_months, discount_rate=options.clv_discount_rate,
                periods_per_month=periods_per_month(fit.time_unit),
            )
    for name, values in cols.items():
        table = table.append_column(name, pa.array(values, pa.float64(), mask=np.isnan(values)))
    return table.select(list(catalog.NAMES))


def metrics_table(
    source: Source, frame: EvaluationFrame, options: MetricsOptions
) -> tuple[pa.Table, ClvFit]:
    """Run the metrics on the engine ``source`` lives on, then fit and add CLV."""
    try:
        with contextlib.ExitStack() as stack:
            # Materialise the per-order and per-day tables once; engines would otherwise
            # recompute them for every part that reads them. Released on leaving the block.
            expr = compute_metrics(
                source, frame, options, cache=lambda t: stack.enter_context(t.cache())
            )
            table = expr.to_pyarrow()
    except duckdb.OutOfMemoryException as exc:
        raise DataError(
            f"the engine ran out of memory computing metrics ({str(exc).splitlines()[0]}): "
            f"raise the memory_limit setting (--memory-limit 8GB or TIERWISE_MEMORY_LIMIT), "
            f"or leave it at auto / 计算指标时内存不足：请调高 memory_limit 设置"
        ) from None
    fit = fit_clv(table, options.time_unit)
    return add_clv(table, fit, options), fit


def output_format(path: Path) -> str:
    """``.csv`` or ``.parquet``, from ``path``'s extension; anything else is an error."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".parquet"):
        raise ConfigError(f"{path}: write .csv or .parquet / 输出文件请用 .csv 或 .parquet 扩展名")
    return suffix


def write_table(table: pa.Table, path: Path) -> None:
    """Write ``table`` as CSV (UTF-8 with a BOM, so Excel shows Chinese right) or Parquet.

    Written to a temporary name first and renamed, so a failed write leaves no half file.
    """
    suffix = output_format(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.partial")
    try:
        if suffix == ".parquet":
            import pyarrow.parquet as pq

            pq.write_table(table, tmp)
        else:
            import pyarrow.csv as pcsv

            with open(tmp, "wb") as fh:
                fh.write("\ufeff".encode())
                pcsv.write_csv(table, fh)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


@contextlib.contextmanager
def engine_source(ws: Database, engine: str | None = None) -> Iterator[EngineSource]:
    """The workspace's tables on ``engine`` (default: the ``engine`` setting)."""
    engine = engine or ws.settings.engine
    if engine == "duckdb":
        yield ws
        return
    if engine != "spark":
        raise ConfigError(f"unknown engine {engine!r}: use duckdb or spark / 未知引擎 {engine!r}")
    from tierwise.store.spark import SparkSource

    with SparkSource.from_workspace(ws, master=ws.settings.spark_master) as source:
        yield source


@dataclass(frozen=True)
class MetricsRun:
    """One computed metrics table with its frame and CLV fit."""

    frame: EvaluationFrame
    options: MetricsOptions
    table: pa.Table
    fit: ClvFit
    engine: str

    def summary(self) -> dict[str, Any]:
        status = pc.value_counts(self.table["status"]).to_pylist()
        return {
            "as_of": self.frame.as_of.isoformat(),
            "window": self.frame.window.text,
            "window_start": self.frame.start.isoformat(),
            "engine": self.engine,
            "customers": self.table.num_rows,
            "by_status": {s["values"]: s["counts"] for s in status},
            "clv": self.fit.to_json(),
        }


def run_metrics(
    ws: Database,
    *,
    as_of: date | None = None,
    window: str = "12m",
    engine: str | None = None,
    **overrides: object,
) -> MetricsRun:
    """Compute the metrics table of ``ws`` (the facade's ``metrics`` command)."""
    options = MetricsOptions.from_settings(ws.settings, **overrides)
    engine = engine or ws.settings.engine
    with engine_source(ws, engine) as source:
        frame = evaluation_frame(source, as_of, window)
        table, fit = metrics_table(source, frame, options)
    return MetricsRun(frame, options, table, fit, engine)


def run_clv_fit(
    ws: Database, *, as_of: date | None = None, time_unit: str | None = None, engine: str | None = None
) -> tuple[EvaluationFrame, ClvFit]:
    """Fit the CLV models on the BTYD summary as of ``as_of`` (history up to it)."""
    unit = time_unit or ws.settings.time_unit
    if unit not in ("days", "weeks"):
        raise ConfigError(f"time unit {unit!r}: use days or weeks / 时间单位请用 days 或 weeks")
    with engine_source(ws, engine) as source:
        frame = evaluation_frame(source, as_of, "all")
        summary = summary_for(source, frame, unit).to_pyarrow()  # type: ignore[arg-type]
    return frame, fit_clv(summary, unit)
