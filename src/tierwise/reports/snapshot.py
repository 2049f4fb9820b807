"""The classification snapshot a report is read from: its id, date, schemes, roles and windows."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from tierwise.errors import ConfigError
from tierwise.schemes import facts

if TYPE_CHECKING:
    from tierwise.schemes import spec as sp
    from tierwise.store.database import Database


@dataclass(frozen=True)
class SnapshotInfo:
    """What a report reads: the figures' snapshot and the schemes, each in the snapshot its
    classes are read from (:meth:`sid`): all the same for one snapshot; for the current
    classification, each scheme's current snapshot."""

    snapshot_id: int  # the figures' snapshot
    as_of: date
    customers: int
    specs: dict[str, sp.SchemeSpec]
    windows: dict[str, str]
    window: str  # the figures' window (facts.figures_source)
    schemes: dict[str, facts.StoredScheme]  # in the order roles are picked in

    def role(self, role: str) -> str | None:
        """The scheme holding ``role`` (:func:`tierwise.schemes.facts.with_role`), if any."""
        found = facts.with_role(self.schemes, role)
        return found.name if found else None

    def sid(self, scheme: str) -> int:
        """The snapshot the classes of ``scheme`` are read from."""
        return self.schemes[scheme].snapshot_id


def snapshot_info(ws: Database, snapshot_id: int | None = None) -> SnapshotInfo:
    """``snapshot_id``; default: the current classification, every scheme in its current
    snapshot and the figures from the current snapshot (:mod:`tierwise.schemes.facts`), as
    on the dashboard. An error naming the id when there is none."""
    if snapshot_id is None:
        sid = facts.require_current(ws.con)
        schemes = facts.current_schemes(ws.con)
    else:
        sid, schemes = snapshot_id, facts.stored_schemes(ws.con, snapshot_id)
    if not schemes:
        raise ConfigError(f"no snapshot {sid}: `tierwise classify` makes one / 没有快照 {sid}")
    _, window = facts.figures_source(ws.con, sid)
    as_of, customers = ws.con.execute("SELECT as_of, customers FROM snapshots WHERE snapshot_id = ?",
                                      [sid]).fetchone() or (None, 0)
    return SnapshotInfo(sid, as_of, int(customers or 0), {n: s.spec for n, s in schemes.items()},
                        {n: s.window for n, s in schemes.items()}, window or "12m", schemes)


def pick(lang: str, en: str, zh: str) -> str:
    return zh if lang == "zh" else en


@contextlib.contextmanager
def registered(ws: Database, **tables: pa.Table) -> Iterator[None]:
    """The arrow ``tables`` registered on the workspace's connection under their names, inside
    the block."""
    for name, table in tables.items():
        ws.con.register(name, table)
    try:
        yield
    finally:
        for name in tables:
            ws.con.unregister(name)


def query(ws: Database, sql: str, params: Any = None, **tables: pa.Table) -> pa.Table:
    """Run ``sql`` with the arrow ``tables`` registered under their names."""
    with registered(ws, **tables):
        return ws.con.execute(sql, params or []).to_arrow_table()


def class_labels(snap: SnapshotInfo, lang: str) -> pa.Table:
    """scheme, class, label (in ``lang``), rank (the class's place in its scheme), ``shown``
    (what a Chinese reader sees for the class: its code when it has one, A or AAA, else its
    label; the id in English) and ``title`` (the scheme's, in ``lang``)."""
    from tierwise.schemes.fmt import CLASS_CODE

    rows = [(name, c.id, c.label.get(lang), rank,
             c.id if lang != "zh" or CLASS_CODE.fullmatch(c.id) else c.label.get(lang), s.title.get(lang))
            for name, s in snap.specs.items() for rank, c in enumerate(s.classes)]
    return pa.table({"scheme": [r[0] for r in rows], "class": [r[1] for r in rows],
                     "label": [r[2] for r in rows], "rank": [r[3] for r in rows],
                     "shown": [r[4] for r in rows], "title": [r[5] for r in rows]})
