"""The floor: the "same work" as one hand-written DuckDB query, Parquet in, Parquet out.

``python peers/run_floor.py INPUT.parquet OUTPUT.parquet``. Per customer, with the
observation end = the latest ``order_date`` in the file:

* ``frequency``, ``recency``, ``T``, ``monetary_value`` as lifetimes'
  ``summary_data_from_transaction_data(..., freq='D')`` defines them: one transaction per
  customer per day (amounts summed within the day); frequency = distinct days − 1;
  recency = last − first day; T = end − first day; monetary_value = mean of the per-day
  sums without the first day (0 when frequency is 0);
* ``revenue`` = sum of all amounts (exact: DECIMAL); ``revenue_pct_rank`` =
  ``percent_rank() OVER (ORDER BY revenue, customer_id)``;
* ``r_score``, ``f_score``, ``m_score`` = ``ntile(5)`` over the last purchase day, frequency
  and revenue (each then ``customer_id``): 5 is best.
"""

from __future__ import annotations

from _runner import Run

FLOOR_SQL = """
WITH daily AS (          -- one transaction per customer per day, amounts summed
    SELECT customer_id, CAST(order_date AS DATE) AS day, sum(amount) AS amount
    FROM read_parquet('{input}')
    GROUP BY customer_id, day
), per_customer AS (
    SELECT customer_id,
           count(*) - 1 AS frequency,
           min(day) AS first_day,
           max(day) AS last_day,
           sum(amount) AS revenue,
           arg_min(amount, day) AS first_day_amount
    FROM daily
    GROUP BY customer_id
), observation AS (
    SELECT max(last_day) AS end_day FROM per_customer
)
SELECT customer_id,
       frequency,
       last_day - first_day AS recency,
       end_day - first_day AS T,
       CASE WHEN frequency = 0 THEN 0.0
            ELSE CAST(revenue - first_day_amount AS DOUBLE) / frequency END AS monetary_value,
       revenue,
       percent_rank() OVER (ORDER BY revenue, customer_id) AS revenue_pct_rank,
       ntile(5) OVER (ORDER BY last_day, customer_id) AS r_score,
       ntile(5) OVER (ORDER BY frequency, customer_id) AS f_score,
       ntile(5) OVER (ORDER BY revenue, customer_id) AS m_score
FROM per_customer, observation
"""


def main() -> None:
    """Run the query straight from the input file into the output file."""
    run = Run("DuckDB SQL", "duckdb")
    import duckdb

    run.phase("import")
    con = duckdb.connect()
    source, target = (p.replace("'", "''") for p in (run.input, run.output))
    con.execute(f"COPY ({FLOOR_SQL.format(input=source)}) TO '{target}' (FORMAT parquet)")
    run.phase("query")
    (customers,) = con.execute(f"SELECT count(*) FROM read_parquet('{target}')").fetchone()
    run.done(customers)


if __name__ == "__main__":
    main()
