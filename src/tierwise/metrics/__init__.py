"""Per-customer metrics over an evaluation window, and customer lifetime value.

Everything per customer is an Ibis expression run inside the engine (DuckDB by default,
Spark with ``--engine spark``); only the CLV model fit works on the small, compressed
(frequency, recency, T) summary in NumPy/SciPy.
"""

from tierwise.settings import LOYALTY_PARTS

__all__ = ["LOYALTY_PARTS"]
