"""lifetimes: ``summary_data_from_transaction_data`` plus the contract's extras in pandas.

``python peers/run_lifetimes.py INPUT.parquet OUTPUT.parquet``, in the ``lifetimes``
virtualenv. What a lifetimes user does to get the same per-customer information:

* read the file with pandas; DECIMAL amounts arrive as ``decimal.Decimal`` objects, which the
  library cannot average, so they are made floats first;
* ``summary_data_from_transaction_data(df, 'customer_id', 'order_date',
  monetary_value_col='amount', freq='D')``: frequency, recency, T, monetary_value;
* the rest with plain pandas/NumPy, since lifetimes has no such functions: revenue by
  ``groupby().sum()`` (rounded to cents), then ``percent_rank`` and the three ``ntile(5)``
  scores computed exactly as SQL defines them (a sort by value then customer_id;
  ``pd.qcut`` would cut elsewhere).
"""

from __future__ import annotations

from _runner import Run


def main() -> None:
    """Read, summarise, add revenue and scores, write."""
    run = Run("lifetimes", "lifetimes", "pandas", "numpy", "pyarrow")
    import numpy as np
    import pandas as pd
    from lifetimes.utils import summary_data_from_transaction_data

    run.phase("import")
    orders = pd.read_parquet(run.input, columns=["customer_id", "order_date", "amount"])
    orders["amount"] = orders["amount"].astype("float64")
    run.phase("read")
    summary = summary_data_from_transaction_data(
        orders, "customer_id", "order_date", monetary_value_col="amount", freq="D")
    run.phase("summary")
    # Rounded to cents: float sums of equal amounts can differ in the last bit, which would
    # reorder customers with equal revenue in the ranks below.
    summary["revenue"] = orders.groupby("customer_id")["amount"].sum().round(2)
    summary = summary.reset_index()
    n = len(summary)

    def positions(column: pd.Series) -> np.ndarray:
        """Each row's 0-based position in the order (column, customer_id)."""
        order = (pd.DataFrame({"v": column.to_numpy(), "c": summary["customer_id"].to_numpy()})
                 .sort_values(["v", "c"]).index.to_numpy())
        rank = np.empty(n, dtype=np.int64)
        rank[order] = np.arange(n)
        return rank

    def ntile(rank: np.ndarray, k: int = 5) -> np.ndarray:
        """SQL's ntile(k): the first n % k buckets hold one row more than the others."""
        size, extra = divmod(n, k)
        big = extra * (size + 1)
        return np.where(rank < big, rank // (size + 1),
                        extra + (rank - big) // max(size, 1)) + 1

    revenue_rank = positions(summary["revenue"])
    summary["revenue_pct_rank"] = revenue_rank / (n - 1) if n > 1 else 0.0
    last_purchase = summary["recency"] - summary["T"]  # last day − observation end
    summary["r_score"] = ntile(positions(last_purchase))
    summary["f_score"] = ntile(positions(summary["frequency"]))
    summary["m_score"] = ntile(revenue_rank)
    run.phase("revenue+scores")
    summary.to_parquet(run.output, index=False)
    run.phase("write")
    run.done(n)


if __name__ == "__main__":
    main()
