"""Pinned SQL: what an engine runs, pretty-printed one clause a line so a diff shows what changed.

A change to a pinned file is a change to what runs: review the diff, then refresh the files with
``TIERWISE_UPDATE_SNAPSHOTS=1 pytest tests/test_metrics_sql.py tests/test_schemes_engines.py``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import sqlglot

SNAPSHOTS = Path(__file__).parent / "snapshots"


def check_sql(name: str, sql: str, engine: str) -> None:
    """Compare ``sql`` (of ``engine``: duckdb or spark), pretty-printed, with ``snapshots/name``."""
    dialect = "duckdb" if engine == "duckdb" else "spark"
    sql = re.sub(r"`tw_[0-9a-f]{8}_", "`tw_", sql)  # each Spark source names its views apart
    pretty = sqlglot.transpile(sql, read=dialect, write=dialect, pretty=True)[0] + "\n"
    path = SNAPSHOTS / name
    if os.environ.get("TIERWISE_UPDATE_SNAPSHOTS"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(pretty, encoding="utf-8")
    assert path.exists(), f"{path} is missing: run with TIERWISE_UPDATE_SNAPSHOTS=1 to create it"
    assert pretty == path.read_text(encoding="utf-8"), (
        f"the SQL of {name} changed; if that is intended, refresh it with TIERWISE_UPDATE_SNAPSHOTS=1"
    )
