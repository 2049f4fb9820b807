"""Regenerate cdnow_sample_lifetimes_summary.csv with lifetimes itself (not needed for tests).

Run with the Python of the lifetimes benchmark venv (benchmarks/_peers.py builds it):
    bench-data/venvs/lifetimes/bin/python tests/data/make_cdnow_summary.py
It summarises the CDNOW transaction log (cdnow_sample.csv) with
lifetimes.utils.summary_data_from_transaction_data as of 1998-06-30 and 1997-09-30, in days
(freq="D") and in weeks (freq="D", freq_multiplier=7).
"""

from pathlib import Path

import pandas as pd
from lifetimes.utils import summary_data_from_transaction_data

here = Path(__file__).parent
log = pd.read_csv(here / "cdnow_sample.csv", dtype={"customer_id": str, "order_date": str})
log["order_date"] = pd.to_datetime(log["order_date"], format="%Y%m%d")
parts = []
for end in ("1998-06-30", "1997-09-30"):
    cut = log[log["order_date"] <= end]
    for unit, mult in (("days", 1), ("weeks", 7)):
        s = summary_data_from_transaction_data(cut, "customer_id", "order_date", "amount",
                                               observation_period_end=end, freq="D",
                                               freq_multiplier=mult)
        s = s.reset_index().assign(as_of=end, time_unit=unit)
        parts.append(s)
out = pd.concat(parts)[["as_of", "time_unit", "customer_id", "frequency", "recency", "T",
                        "monetary_value"]]
out.to_csv(here / "cdnow_sample_lifetimes_summary.csv", index=False, float_format="%.17g")
print(len(out), "rows")
