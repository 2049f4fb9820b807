"""Synthetic benchmark data: an ``orders`` table written as CSV and Parquet by DuckDB SQL alone.

The files are cached in ``bench-data/`` at the repository root together with a small JSON
sidecar (``orders.json``) recording how they were made; they are regenerated only when a file
is missing or the sidecar disagrees (another row count, generator version or DuckDB version).

Every value is a function of the row number: pseudo-random draws are bit fields of DuckDB's
``hash()`` of the row and order numbers rather than ``random()``, so the data is identical on
every run and machine with the same DuckDB version, however many threads generate it.
(``setseed`` is still called first, so any future ``random()`` use is seeded too.)

About 0.01 % of the rows are deliberately bad, so an importer's rejection path is exercised:
every 20,000th row (from row 7) has the order date ``2024-13-40``, and every 20,000th row
(from row 10,007) has the amount ``abc``. Both kinds occur within the first 20,480 rows, so
DuckDB's CSV sniffer sees them and reads those columns as text instead of failing mid-file.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb

GENERATOR_VERSION = 3  # bump when the SQL below changes, so cached files are rebuilt
SEED = 0.42
BAD_EVERY = 20_000  # one bad date and one bad amount per this many rows: 0.01 % of rows
BAD_DATE_AT, BAD_AMOUNT_AT = 7, 10_007  # offsets within each block of BAD_EVERY rows
DAYS, OUTLETS, REPS, PRODUCTS = 1096, 200, 50, 5000  # 3 years of order dates from 2022

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "bench-data"


@dataclass(frozen=True)
class OrdersData:
    """The generated ``orders`` files and the facts a report needs about them."""

    rows: int
    bad_rows: int
    csv: Path
    parquet: Path
    generated_seconds: float | None  # wall time; None when the cached files were reused
    generated_cpu_seconds: float | None  # CPU time of all DuckDB threads, same condition

    def path(self, fmt: str) -> Path:
        """The file for format ``csv``, ``parquet`` or ``sqlite`` (made from the Parquet file on
        first use: a database as an ERP would hold the same rows, every column as SQLite keeps it)."""
        if fmt == "sqlite":
            return ensure_sqlite(self.parquet)
        return {"csv": self.csv, "parquet": self.parquet}[fmt]


def ensure_sqlite(parquet: Path) -> Path:
    """``orders.sqlite`` with table ``orders`` holding the rows of ``parquet`` (rebuilt when the
    Parquet file is newer), as an ERP's SQLite would: decimals as REAL (SQLite has no decimal),
    dates as ISO text, the bad values as the text they are."""
    import datetime as dt
    import sqlite3
    from decimal import Decimal

    def plain(v: object) -> object:
        if isinstance(v, Decimal):
            return float(v)
        return v.isoformat(sep=" ") if isinstance(v, dt.datetime) else (
            v.isoformat() if isinstance(v, dt.date) else v)

    import pyarrow.parquet as pq

    target = parquet.with_suffix(".sqlite")
    if target.exists() and target.stat().st_mtime >= parquet.stat().st_mtime:
        return target
    tmp = target.with_suffix(".sqlite.part")
    tmp.unlink(missing_ok=True)
    source = pq.ParquetFile(parquet)
    names = source.schema_arrow.names
    con = sqlite3.connect(tmp)
    try:
        con.execute(f"CREATE TABLE orders ({', '.join(chr(34) + n + chr(34) for n in names)})")
        marks = ", ".join("?" * len(names))
        for batch in source.iter_batches(batch_size=100_000):
            columns = [[plain(v) for v in c.to_pylist()] for c in batch.columns]
            con.executemany(f"INSERT INTO orders VALUES ({marks})", zip(*columns, strict=True))
        con.commit()
    finally:
        con.close()
    tmp.replace(target)
    return target


def bad_row_count(rows: int) -> int:
    """How many of ``rows`` generated rows carry a deliberately bad value."""
    full, rest = divmod(rows, BAD_EVERY)
    return 2 * full + (rest > BAD_DATE_AT) + (rest > BAD_AMOUNT_AT)


def orders_sql(rows: int) -> str:
    """The SELECT producing ``rows`` order lines (English headers, all values deterministic).

    Orders have 3, 2, 3, 2, ... lines (2.5 on average); all lines of an order share its
    customer, date, outlet, rep and department. Customers number 10 % of the rows and are
    chosen heavy-tailed (``floor(u³ · n)``), so a few customers buy a lot. About 1 % of the
    lines are returns with negative quantity, amount and cost.

    Speed matters (10 million rows well within a minute): two 64-bit hashes per row, one of
    the order number and one of the row number, are cut into bit fields for all the draws,
    and small sets of strings (dates, outlets, reps) are looked up in list literals rather
    than formatted row by row.
    """
    customers = max(1, rows // 10)
    first = dt.date(2022, 1, 1)
    days = _list_sql(str(first + dt.timedelta(days=d)) for d in range(DAYS + 90))
    outlets = _list_sql(f"Outlet {k:03d}" for k in range(1, OUTLETS + 1))
    reps = _list_sql(f"R{k:03d}" for k in range(1, REPS + 1))
    departments = _list_sql(("Retail", "Wholesale", "Online", "Export"))
    return f"""
    WITH base AS (
        SELECT range AS i, range * 2 // 5 AS o,
               hash(range * 2 // 5 * 2) AS ho,  -- order-level draws
               hash(range * 2 + 1) AS hi         -- line-level draws
        FROM range({rows})
    ), lines AS (
        SELECT i, o, i - (o * 5 + 1) // 2 + 1 AS line_no,
               (ho >> 32) / 4294967296.0 AS u_customer,
               CAST(((ho >> 16) & 65535) * {DAYS} // 65536 AS INTEGER) AS day,
               CAST(((ho >> 8) & 255) * {OUTLETS} // 256 AS INTEGER) AS place,
               CAST((ho & 255) % 3 AS INTEGER) AS terms,
               CASE WHEN (hi >> 48) < 655 THEN -1 ELSE 1 END  -- 655 / 65536: 1 % returns
                   * (1 + CAST(((hi >> 40) & 255) % 20 AS INTEGER)) AS qty,
               CAST(((hi >> 24) & 65535) / 65536.0 AS DOUBLE) AS u_product,
               CAST((100 + ((hi >> 8) & 65535) * 49900 // 65536) / 100 AS DECIMAL(10, 2))
                   AS price,
               CAST(hi & 255 AS INTEGER) AS u_cost
        FROM base
    )
    SELECT
        'SO' || CAST(100000000 + o + 1 AS VARCHAR) AS order_id,
        line_no,
        'C' || CAST(10000000 + CAST(floor(u_customer * u_customer * u_customer * {customers})
                                    AS BIGINT) + 1 AS VARCHAR) AS customer_id,
        CASE WHEN i % {BAD_EVERY} = {BAD_DATE_AT} THEN '2024-13-40'
             ELSE {days}[day + 1] END AS order_date,
        CASE WHEN i % {BAD_EVERY} = {BAD_AMOUNT_AT} THEN 'abc'
             ELSE CAST(qty * price AS VARCHAR) END AS amount,
        'P' || CAST(10001 + CAST(floor(u_product * u_product * {PRODUCTS}) AS INTEGER)
                    AS VARCHAR)
            AS product_id,
        qty AS quantity,
        price AS unit_price,
        CAST(qty * price * (0.55 + 0.3 * u_cost / 256) AS DECIMAL(14, 2)) AS cost,
        {days}[day + 30 * (terms + 1) + 1] AS due_date,
        {outlets}[place + 1] AS outlet,
        {reps}[place % {REPS} + 1] AS rep_id,
        {departments}[place % 4 + 1] AS department
    FROM lines
    """


def _list_sql(items: Iterable[str]) -> str:
    """A DuckDB list literal of the given strings (which contain no quotes)."""
    return "[" + ", ".join(f"'{item}'" for item in items) + "]"


def _wanted(rows: int) -> dict[str, object]:
    """The sidecar contents that make cached files reusable for ``rows``."""
    return {"rows": rows, "generator": GENERATOR_VERSION, "duckdb": duckdb.__version__}


def ensure_orders(rows: int, data_dir: Path = DATA_DIR) -> OrdersData:
    """Return the ``orders`` files for ``rows`` rows, generating them only when needed."""
    data_dir.mkdir(parents=True, exist_ok=True)
    csv, parquet, sidecar = (data_dir / n for n in ("orders.csv", "orders.parquet", "orders.json"))
    try:
        cached = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        cached = None
    elapsed = cpu = None
    if cached != _wanted(rows) or not csv.exists() or not parquet.exists():
        sidecar.unlink(missing_ok=True)  # a crash mid-way must not leave files looking valid
        start, start_cpu = time.perf_counter(), time.process_time()
        _generate(rows, csv, parquet)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - start_cpu
        sidecar.write_text(json.dumps(_wanted(rows)) + "\n", encoding="utf-8")
    return OrdersData(rows, bad_row_count(rows), csv, parquet, elapsed, cpu)


def _generate(rows: int, csv: Path, parquet: Path) -> None:
    """Write both files through temporary names, then move them into place.

    The rows are computed once, into the Parquet file (DuckDB's default Snappy compression:
    zstd costs a fifth more time); the CSV is then copied from it, which is cheaper than
    computing the rows again.
    """
    tmp_csv, tmp_parquet = csv.with_suffix(".csv.part"), parquet.with_suffix(".parquet.part")
    con = duckdb.connect()
    try:
        con.execute(f"SELECT setseed({SEED})")
        con.execute(f"COPY ({orders_sql(rows)}) TO '{tmp_parquet}' (FORMAT parquet)")
        con.execute(f"COPY (FROM read_parquet('{tmp_parquet}')) TO '{tmp_csv}' "
                    "(FORMAT csv, HEADER true)")
    finally:
        con.close()
    tmp_csv.replace(csv)
    tmp_parquet.replace(parquet)
