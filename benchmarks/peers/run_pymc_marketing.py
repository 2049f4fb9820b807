"""PyMC-Marketing: ``pymc_marketing.clv.utils.rfm_segments``.

``python peers/run_pymc_marketing.py INPUT.parquet OUTPUT.parquet``, in the
``pymc-marketing`` virtualenv. What its user does for RFM segments: read the file with pandas
(DECIMAL amounts become floats first, as the library averages them) and call
``rfm_segments(df, 'customer_id', 'order_date', 'amount')``. The generated order logs are in
date order, so ``sort_transactions=False`` is passed, as its docstring invites for
chronological data (it saves a sort of all orders).

Its output defines the columns for segmentation, not as lifetimes does; they are written
under names that say what they hold, so the harness can compare them with the floor:

* ``frequency`` = its frequency − 1 (it counts the first day too);
* ``days_since_last`` = its ``recency`` (observation end − last purchase day);
* ``mean_daily_revenue`` = its ``monetary_value`` (mean of the per-day sums, first day
  included);
* ``rfm_score`` and ``segment`` are kept but not compared: its scores are quartiles of
  recency, frequency and monetary value (``pd.qcut``), not the contract's ``ntile(5)``.
"""

from __future__ import annotations

from _runner import Run


def main() -> None:
    """Read, segment, rename, write."""
    run = Run("pymc-marketing", "pymc-marketing", "pymc", "pandas", "numpy", "pyarrow")
    import pandas as pd
    from pymc_marketing.clv.utils import rfm_segments

    run.phase("import")
    orders = pd.read_parquet(run.input, columns=["customer_id", "order_date", "amount"])
    orders["amount"] = orders["amount"].astype("float64")
    run.phase("read")
    segments = rfm_segments(orders, "customer_id", "order_date", "amount", sort_transactions=False)
    run.phase("rfm_segments")
    out = pd.DataFrame({
        "customer_id": segments["customer_id"],
        "frequency": segments["frequency"] - 1,
        "days_since_last": segments["recency"],
        "mean_daily_revenue": segments["monetary_value"],
        "rfm_score": segments["rfm_score"],
        "segment": segments["segment"],
    })
    out.to_parquet(run.output, index=False)
    run.phase("write")
    run.done(len(out))


if __name__ == "__main__":
    main()
