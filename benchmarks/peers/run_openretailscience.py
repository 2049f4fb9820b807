"""openretailscience: ``RFMSegmentation`` on an Ibis table (DuckDB backend).

``python peers/run_openretailscience.py INPUT.parquet OUTPUT.parquet``, in the
``openretailscience`` virtualenv. What its user does, kept on its fastest natural path (Ibis
all the way, no pandas):

* ``ibis.duckdb.connect().read_parquet(INPUT)``, the observation end as
  ``order_date.max()``, and the columns it requires under its default names:
  ``transaction_date`` = ``order_date``, ``unit_spend`` = ``amount``, and
  ``transaction_id`` = the order date: it counts distinct transaction ids per customer, so
  this makes its frequency the number of distinct purchase days, the contract's definition;
* ``RFMSegmentation(table, current_date=END, r_segments=5, f_segments=5, m_segments=5)``;
* its ``.table`` (an Ibis expression) written with ``to_parquet``; ``.df`` would add a pandas
  round trip.

Written for the comparison: ``frequency`` = its frequency − 1, ``days_since_last`` = its
``recency_days``, ``revenue`` = its ``monetary`` (a sum), and ``r_score``/``f_score``/
``m_score`` = its scores + 1 (it numbers bins from 0). Its windows order by the value then
customer_id (recency descending), so the scores match ``ntile(5)`` of the contract exactly.
"""

from __future__ import annotations

import datetime as dt

from _runner import Run


def main() -> None:
    """Read, segment, rename, write."""
    run = Run("openretailscience", "openretailscience", "ibis-framework", "duckdb")
    import ibis
    from openretailscience.segmentation.rfm import RFMSegmentation

    run.phase("import")
    con = ibis.duckdb.connect()
    orders = con.read_parquet(run.input)
    end = dt.date.fromisoformat(str(orders.order_date.max().execute())[:10])
    transactions = orders.select(
        customer_id=orders.customer_id,
        transaction_date=orders.order_date,
        transaction_id=orders.order_date,
        unit_spend=orders.amount,
    )
    rfm = RFMSegmentation(transactions, current_date=end, r_segments=5, f_segments=5, m_segments=5)
    table = rfm.table
    out = table.select(
        customer_id=table.customer_id,
        frequency=table.frequency - 1,
        days_since_last=table.recency_days,
        revenue=table.monetary,
        r_score=table.r_score + 1,
        f_score=table.f_score + 1,
        m_score=table.m_score + 1,
        rfm_segment=table.rfm_segment,
    )
    con.to_parquet(out, run.output)
    run.phase("rfm")
    customers = con.read_parquet(run.output).count().execute()
    run.done(int(customers), observation_end=str(end))


if __name__ == "__main__":
    main()
