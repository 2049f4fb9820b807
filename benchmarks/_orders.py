"""Synthetic order logs for the metrics benchmark: one row per order, written by DuckDB SQL alone.

Each file is ``bench-data/metrics/orders-<rows>.parquet`` at the repository root, with a JSON
sidecar beside it recording how it was made (row count, generator version, DuckDB version)
and a few facts about it (customers, the biggest customer, the date range). A file is
regenerated only when it or its sidecar is missing or the sidecar disagrees; other sizes are
kept, so 1M, 10M and 50M rows can all stay cached.

Columns, as the "same work" contract of ``bench_metrics.py`` expects:

* ``customer_id VARCHAR`` — ``C`` and eight digits;
* ``order_date DATE`` — 2022-01-01 to 2024-12-31 (1,096 days). Rows are in date order, as an
  export of an order log usually is: row ``i`` of ``n`` falls on day ``i · 1096 // n``, so the
  last row is on 2024-12-31 and that is every file's observation end;
* ``amount DECIMAL(18,2)`` — log-normal around 60 (median), about 1 % negative (returns).

Customers number about 10 % of the orders and come from two pools:

* **regulars** (88 % of the orders): the customers that exist on a day are the first
  ``20 % + 80 % · day / 1096`` of ``0.045 · n`` customer numbers (the business grows), and one
  is drawn heavy-tailed as ``floor(u³ · existing)``. The oldest customers buy the most: at
  10M orders the biggest has over 100,000 orders, hundreds have more than 1,000;
* **occasional buyers** (12 %): drawn uniformly from ``0.08 · n`` further numbers, so each
  has 1.5 orders on average (most 1 to 3).

Together about two thirds of the customers have 1 to 3 orders (median 2) and the mean is
about 10. Customers with several orders on one day are common (big customers order daily
many times over), so per-day summing is exercised.

Every pseudo-random value is a bit field of DuckDB's ``hash()`` of the row number (three
hashes per row), not ``random()``, so a file is identical whatever the thread count, for the
same DuckDB version. Generation streams straight into the Parquet file: memory stays small
even at 50M rows.
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

GENERATOR_VERSION = 1  # bump when the SQL below changes, so cached files are rebuilt
FIRST_DAY = "2022-01-01"
DAYS = 1096  # 2022-01-01 .. 2024-12-31
REGULAR_CUSTOMERS_PER_ORDER = 0.045  # size of the regulars' pool, per order
OCCASIONAL_SHARE = 0.12  # share of orders placed by occasional buyers
OCCASIONAL_ORDERS_EACH = 1.5  # mean orders per occasional buyer
RETURNS_PER_65536 = 655  # 655 / 65536: 1 % of orders are returns
MEDIAN_AMOUNT, AMOUNT_SIGMA = 60.0, 0.8

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "bench-data" / "metrics"


@dataclass(frozen=True)
class OrderLog:
    """One generated order log and the facts a report needs about it."""

    rows: int
    parquet: Path
    facts: dict[str, object]  # customers, max_orders, customers_le3, first/last date, MiB
    generated_seconds: float | None  # wall time; None when the cached file was reused
    generated_cpu_seconds: float | None  # CPU time of all DuckDB threads, same condition


def orders_sql(rows: int) -> str:
    """The SELECT producing ``rows`` orders (``customer_id, order_date, amount``), in date order."""
    regulars = max(1, round(rows * REGULAR_CUSTOMERS_PER_ORDER))
    occasional = max(1, round(rows * OCCASIONAL_SHARE / OCCASIONAL_ORDERS_EACH))
    occasional_cut = round(OCCASIONAL_SHARE * 65536)
    two_32 = 4294967296.0
    return f"""
    WITH base AS (
        SELECT range AS i,
               CAST(range * {DAYS} // {rows} AS INTEGER) AS day,
               hash(range * 3) AS h1,      -- which customer
               hash(range * 3 + 1) AS h2,  -- which pool; return or not
               hash(range * 3 + 2) AS h3   -- amount (Box-Muller: two 32-bit uniforms)
        FROM range({rows})
    ), draws AS (
        SELECT day,
               (h1 >> 11) / 9007199254740992.0 AS u,
               (h2 >> 48) < {occasional_cut} AS occasional,
               ((h2 >> 32) & 65535) < {RETURNS_PER_65536} AS is_return,
               ((h3 >> 32) + 0.5) / {two_32} AS u1,
               (h3 & 4294967295) / {two_32} AS u2
        FROM base
    ), picked AS (
        SELECT day, is_return,
               CASE WHEN occasional
                    THEN {regulars} + CAST(floor(u * {occasional}) AS BIGINT)
                    ELSE CAST(floor(u * u * u * {regulars} * (0.2 + 0.8 * (day + 1) / {DAYS}))
                              AS BIGINT)
               END AS customer,
               greatest(0.5, exp({math.log(MEDIAN_AMOUNT)!r} + {AMOUNT_SIGMA!r}
                                 * sqrt(-2 * ln(u1)) * cos(2 * pi() * u2))) AS size
        FROM draws
    )
    SELECT 'C' || CAST(10000000 + customer AS VARCHAR) AS customer_id,
           DATE '{FIRST_DAY}' + day AS order_date,
           CAST(CASE WHEN is_return THEN -size ELSE size END AS DECIMAL(18, 2)) AS amount
    FROM picked
    """


def _wanted(rows: int) -> dict[str, object]:
    """The sidecar keys that make a cached file reusable for ``rows``."""
    return {"rows": rows, "generator": GENERATOR_VERSION, "duckdb": duckdb.__version__}


def paths(rows: int, data_dir: Path = DATA_DIR) -> tuple[Path, Path]:
    """The Parquet file and its JSON sidecar for ``rows`` orders."""
    return data_dir / f"orders-{rows}.parquet", data_dir / f"orders-{rows}.json"


def ensure_order_log(rows: int, data_dir: Path = DATA_DIR) -> OrderLog:
    """Return the order log of ``rows`` orders, generating it only when needed."""
    data_dir.mkdir(parents=True, exist_ok=True)
    parquet, sidecar = paths(rows, data_dir)
    try:
        cached = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        cached = None
    wanted = _wanted(rows)
    if (isinstance(cached, dict) and parquet.exists()
            and {k: cached.get(k) for k in wanted} == wanted and isinstance(cached.get("facts"), dict)):
        return OrderLog(rows, parquet, cached["facts"], None, None)
    sidecar.unlink(missing_ok=True)  # a crash mid-way must not leave a file looking valid
    start, start_cpu = time.perf_counter(), time.process_time()
    tmp = parquet.with_suffix(".parquet.part")
    con = duckdb.connect()
    try:
        con.execute(f"COPY ({orders_sql(rows)}) TO '{tmp}' (FORMAT parquet)")
        elapsed, cpu = time.perf_counter() - start, time.process_time() - start_cpu
        facts = _facts(con, tmp)
    finally:
        con.close()
    tmp.replace(parquet)
    facts["generated_seconds"] = round(elapsed, 1)
    sidecar.write_text(json.dumps({**wanted, "facts": facts}, indent=1) + "\n", encoding="utf-8")
    return OrderLog(rows, parquet, facts, elapsed, cpu)


def _facts(con: duckdb.DuckDBPyConnection, parquet: Path) -> dict[str, object]:
    """Customers, how heavy the tail is, the date range and the size of a generated file."""
    row = con.execute(f"""
        WITH per AS (SELECT customer_id, count(*) AS n FROM read_parquet('{parquet}') GROUP BY ALL)
        SELECT count(*), max(n), count(*) FILTER (WHERE n <= 3), count(*) FILTER (WHERE n >= 1000),
               median(n),
               (SELECT min(order_date) FROM read_parquet('{parquet}')),
               (SELECT max(order_date) FROM read_parquet('{parquet}')),
               (SELECT count(*) FILTER (WHERE amount < 0) FROM read_parquet('{parquet}'))
        FROM per
    """).fetchone()
    assert row is not None
    customers, biggest, le3, over_1000, median, first, last, returns = row
    return {
        "customers": customers, "max_orders": biggest, "customers_le3_orders": le3,
        "customers_ge1000_orders": over_1000, "median_orders": float(median),
        "first_date": str(first), "last_date": str(last), "returns": returns,
        "mib": round(parquet.stat().st_size / 2**20, 1),
    }


def parse_size(text: str) -> int:
    """``1M`` → 1,000,000; ``500K``, ``2.5M``, ``1G`` and plain integers are accepted too."""
    text = text.strip().upper().replace("_", "").replace(",", "")
    scale = {"K": 10**3, "M": 10**6, "G": 10**9, "B": 10**9}.get(text[-1:], 1)
    number = text[:-1] if scale != 1 else text
    value = round(float(number) * scale)
    if value < 1:
        raise ValueError(f"size must be at least 1: {text!r}")
    return value


def size_label(rows: int) -> str:
    """1,000,000 → ``1M``; sizes that are not round are shown in full."""
    for unit, scale in (("G", 10**9), ("M", 10**6), ("K", 10**3)):
        if rows >= scale and rows % (scale // 10) == 0:
            return f"{rows / scale:g}{unit}"
    return f"{rows:,}"


if __name__ == "__main__":  # python benchmarks/_orders.py 10M: generate (or reuse) and show facts
    import sys

    for arg in sys.argv[1:] or ["1M"]:
        log = ensure_order_log(parse_size(arg))
        made = (f"generated in {log.generated_seconds:.1f} s ({log.generated_cpu_seconds:.1f} s CPU)"
                if log.generated_seconds is not None else "cached")
        print(f"{size_label(log.rows)}: {log.parquet} {made}\n  {json.dumps(log.facts)}")
