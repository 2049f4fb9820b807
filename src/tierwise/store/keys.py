"""The key that finds one customer's rows in the per-snapshot tables without an index.

``classes`` and ``snapshot_customers`` (14 rows per customer per snapshot at 19 schemes) are
written sorted by ``customer_key`` within each snapshot, so a lookup by the key reads one
row group per snapshot through DuckDB's min/max zone maps (under a millisecond at a million
customers) instead of keeping an ART index on ``customer_id``: the index made writing a
snapshot 11 s slower and replacing one (same as-of date) take five minutes at that size.

The key is the low 64 bits of the MD5 of the id, exactly what DuckDB's ``md5_number_lower``
returns, so SQL writes it and Python computes it for a lookup. MD5 is fixed by its RFC: the
key of an id never changes between versions (DuckDB's ``hash()`` gives no such promise).
A collision only costs the lookup a second row: queries also compare ``customer_id``.
"""

from __future__ import annotations

import hashlib


def customer_key(customer_id: str) -> int:
    """``customer_id``'s key (an unsigned 64-bit integer), as ``md5_number_lower`` computes it."""
    digest = hashlib.md5(customer_id.encode("utf-8"), usedforsecurity=False).digest()
    return int.from_bytes(digest[8:], "little")


def key_sql(column: str) -> str:
    """The SQL expression of the key of the customer id in ``column``."""
    return f"md5_number_lower({column})"
