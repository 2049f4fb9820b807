"""Per-customer metrics over an evaluation window, and customer lifetime value.

Everything per customer is an Ibis expression run inside the engine (DuckDB by default,
Spark with ``--engine spark``); only the CLV model fit works on the small, compressed
(frequency, recency, T) summary in NumPy/SciPy.
"""

# The parts of the loyalty score (weights: the loyalty_weights setting). Here, import-free,
# so that settings can validate weights without loading the engine.
LOYALTY_PARTS = ("tenure", "repeat", "stability", "recency")
