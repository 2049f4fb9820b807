"""Synthetic benchmark data: an ``orders`` table written as CSV and Parquet by DuckDB SQL alone.

The files are cached in ``bench-data/`` at the repository root together with a small JSON
sidecar (``orders.json``) recording how they were made; they are regenerated only when a file
is missing or the sidecar disagrees (another row count, generator version or DuckDB version).

Every value is a function of the row number: pseudo-random draws come from
``hash(row, salt)`` rather than ``random()``, so the data is identical on every run and machine
with the same DuckDB version, however many threads generate it. (``setseed`` is still called
first, so any future ``random()`` use is seeded too.)

About 0.01 % of the rows are deliberately bad, so an importer's rejection path is exercised:
every 20,000th row (from row 7) has the order date ``2024-13-40``, and every 20,000th row
(from row 10,007) has the amount ``abc``. Both kinds occur within the first 20,480 rows, so
DuckDB's CSV sniffer sees them and reads those columns as text instead of failing mid-file.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

GENERATOR_VERSION = 1  # bump when the SQL below changes, so cached files are rebuilt
SEED = 0.42
BAD_EVERY = 20_000  # one bad date and one bad amount per this many rows: 0.01 % of rows
BAD_DATE_AT, BAD_AMOUNT_AT = 7, 10_007  # offsets within each block of BAD_EVERY rows

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "bench-data"


@dataclass(frozen=True)
class OrdersData:
    """The generated ``orders`` files and the facts a report needs about them."""

    rows: int
    bad_rows: int
    csv: Path
    parquet: Path
    generated_seconds: float | None  # None when the cached files were reused

    def path(self, fmt: str) -> Path:
        """The file for format ``csv`` or ``parquet``."""
        return {"csv": self.csv, "parquet": self.parquet}[fmt]


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
    """
    customers = max(1, rows // 10)
    u = "(hash({}, {}) / 18446744073709551616.0)"  # uniform in [0, 1) from (row or order, salt)
    return f"""
    WITH base AS (
        SELECT range AS i, range * 2 // 5 AS o FROM range({rows})
    ), draws AS (
        SELECT i, o,
               i - (o * 5 + 1) // 2 + 1 AS line_no,
               {u.format("o", 1)} AS u_customer, {u.format("o", 2)} AS u_date,
               {u.format("o", 3)} AS u_place, {u.format("i", 4)} AS u_product,
               {u.format("i", 5)} AS u_qty, {u.format("i", 6)} AS u_price,
               {u.format("i", 7)} AS u_cost, {u.format("i", 8)} AS u_return,
               {u.format("o", 9)} AS u_terms
        FROM base
    ), lines AS (
        SELECT *,
               DATE '2022-01-01' + CAST(floor(u_date * 1096) AS INTEGER) AS day,
               (CASE WHEN u_return < 0.01 THEN -1 ELSE 1 END)
                   * (1 + CAST(floor(u_qty * 20) AS INTEGER)) AS qty,
               round(1 + u_price * 499, 2)::DECIMAL(10, 2) AS price
        FROM draws
    )
    SELECT
        'SO' || lpad(CAST(o + 1 AS VARCHAR), 9, '0') AS order_id,
        line_no,
        'C' || lpad(CAST(CAST(floor(pow(u_customer, 3) * {customers}) AS BIGINT) + 1
                         AS VARCHAR), 8, '0') AS customer_id,
        CASE WHEN i % {BAD_EVERY} = {BAD_DATE_AT} THEN '2024-13-40'
             ELSE strftime(day, '%Y-%m-%d') END AS order_date,
        CASE WHEN i % {BAD_EVERY} = {BAD_AMOUNT_AT} THEN 'abc'
             ELSE CAST(CAST(qty * price AS DECIMAL(14, 2)) AS VARCHAR) END AS amount,
        'P' || lpad(CAST(CAST(floor(pow(u_product, 2) * 5000) AS INTEGER) + 1 AS VARCHAR),
                    5, '0') AS product_id,
        qty AS quantity,
        price AS unit_price,
        CAST(qty * price * (0.55 + 0.3 * u_cost) AS DECIMAL(14, 2)) AS cost,
        strftime(day + 30 * (1 + CAST(floor(u_terms * 3) AS INTEGER)), '%Y-%m-%d') AS due_date,
        'Outlet ' || lpad(CAST(CAST(floor(u_place * 200) AS INTEGER) + 1 AS VARCHAR), 3, '0')
            AS outlet,
        'R' || lpad(CAST(CAST(floor(u_place * 200) AS INTEGER) % 50 + 1 AS VARCHAR), 3, '0')
            AS rep_id,
        ['Retail', 'Wholesale', 'Online', 'Export'][CAST(floor(u_place * 200) AS INTEGER) % 4 + 1]
            AS department
    FROM lines
    """


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
    elapsed: float | None = None
    if cached != _wanted(rows) or not csv.exists() or not parquet.exists():
        sidecar.unlink(missing_ok=True)  # a crash mid-way must not leave files looking valid
        start = time.perf_counter()
        _generate(rows, csv, parquet)
        elapsed = time.perf_counter() - start
        sidecar.write_text(json.dumps(_wanted(rows)) + "\n", encoding="utf-8")
    return OrdersData(rows, bad_row_count(rows), csv, parquet, elapsed)


def _generate(rows: int, csv: Path, parquet: Path) -> None:
    """Write both files through temporary names, then move them into place."""
    tmp_csv, tmp_parquet = csv.with_suffix(".csv.part"), parquet.with_suffix(".parquet.part")
    con = duckdb.connect()
    try:
        con.execute(f"SELECT setseed({SEED})")
        con.execute(f"CREATE TEMP VIEW orders AS {orders_sql(rows)}")
        con.execute(f"COPY orders TO '{tmp_csv}' (FORMAT csv, HEADER true)")
        con.execute(f"COPY orders TO '{tmp_parquet}' (FORMAT parquet, COMPRESSION zstd)")
    finally:
        con.close()
    tmp_csv.replace(csv)
    tmp_parquet.replace(parquet)
