"""The classification snapshot a report is read from: its id, date, schemes and windows."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from tierwise.schemes.store import latest_snapshot, snapshot_schemes

if TYPE_CHECKING:
    from tierwise.schemes import spec as sp
    from tierwise.store.workspace import Workspace


@dataclass(frozen=True)
class SnapshotInfo:
    snapshot_id: int
    as_of: date
    customers: int
    specs: dict[str, sp.SchemeSpec]
    windows: dict[str, str]
    window: str  # the snapshot's main window (ABC's, else the most common)


def snapshot_info(ws: Workspace, snapshot_id: int | None = None) -> SnapshotInfo:
    """``snapshot_id`` (default: the latest); a ConfigError naming the id when there is none."""
    sid = latest_snapshot(ws) if snapshot_id is None else snapshot_id
    specs = snapshot_schemes(ws, sid)
    as_of, customers = ws.con.execute("SELECT as_of, customers FROM snapshots WHERE snapshot_id = ?",
                                      [sid]).fetchone() or (None, 0)
    windows = dict(ws.con.execute('SELECT scheme, "window" FROM snapshot_schemes WHERE snapshot_id = ?',
                                  [sid]).fetchall())
    main = windows.get("abc") or Counter(windows.values()).most_common(1)[0][0]
    return SnapshotInfo(sid, as_of, int(customers or 0), specs, windows, main)


def pick(lang: str, en: str, zh: str) -> str:
    return zh if lang == "zh" else en


def query(ws: Workspace, sql: str, params: Any = None, **tables: pa.Table) -> pa.Table:
    """Run ``sql`` with the arrow ``tables`` registered under their names."""
    for name, table in tables.items():
        ws.con.register(name, table)
    try:
        return ws.con.execute(sql, params or []).to_arrow_table()
    finally:
        for name in tables:
            ws.con.unregister(name)


def class_labels(snap: SnapshotInfo, lang: str) -> pa.Table:
    """scheme, class, label (in ``lang``) and rank (the class's place in its scheme)."""
    rows = [(name, c.id, c.label.get(lang), rank) for name, s in snap.specs.items()
            for rank, c in enumerate(s.classes)]
    return pa.table({"scheme": [r[0] for r in rows], "class": [r[1] for r in rows],
                     "label": [r[2] for r in rows], "rank": [r[3] for r in rows]})
