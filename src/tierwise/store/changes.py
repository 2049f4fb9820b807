"""Which customers' tasks changed, as this process saw them commit: what lets a cache of task
figures (the dashboard's) catch up by re-reading a few customers instead of every task.

Every writer of the ``tasks`` table reports the customers it touched once its transaction has
committed (:meth:`tierwise.store.database.Database.after_commit`); a regeneration of everyone
reports ``None``. A reader takes :func:`position` *before* it reads the tasks, so whatever
committed after that read is reported past the position and is seen by the next
:func:`since`. While ``tierwise serve`` runs it is the only process writing the workspace
(commands go through it), so its log is complete; a process that starts has no cache to mend.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable
from pathlib import Path

KEEP = 4096  # the changes remembered per workspace; a reader further behind reads everything again
_lock = threading.Lock()
_logs: dict[str, _Log] = {}


class _Log:
    def __init__(self) -> None:
        self.position = 0
        self.changes: deque[tuple[int, frozenset[str] | None]] = deque(maxlen=KEEP)


def _key(db: str | Path) -> str:
    return str(Path(db).resolve())


def tasks_changed(db: str | Path, customers: Iterable[str] | None) -> None:
    """Record that the tasks of ``customers`` (None: any customer's) changed in ``db``."""
    found = None if customers is None else frozenset(customers)
    if found is not None and not found:
        return
    with _lock:
        log = _logs.setdefault(_key(db), _Log())
        log.position += 1
        log.changes.append((log.position, found))


def position(db: str | Path) -> int:
    """Where the log of ``db`` stands now (take it before reading the tasks)."""
    with _lock:
        log = _logs.get(_key(db))
        return log.position if log else 0


def since(db: str | Path, at: int) -> frozenset[str] | None:
    """The customers whose tasks changed after :func:`position` returned ``at``; None when any
    customer's may have (a regeneration of everyone, or ``at`` is older than the log keeps)."""
    with _lock:
        log = _logs.get(_key(db))
        if log is None or log.position == at:
            return frozenset()
        if not log.changes or log.changes[0][0] > at + 1:
            return None
        out: set[str] = set()
        for pos, customers in log.changes:
            if pos <= at:
                continue
            if customers is None:
                return None
            out |= customers
        return frozenset(out)
