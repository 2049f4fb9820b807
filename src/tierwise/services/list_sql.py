"""The customer list's compiled SQL, kept per filter (see
:meth:`tierwise.services.customers.Customers.list`)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

V = TypeVar("V")


@dataclass(frozen=True)
class ListSql:
    """The compiled customer list of one filter: ``count`` and ``page`` (LIMIT ? OFFSET ?)."""

    count: str
    page: str


class SqlCache(Generic[V]):
    """The last ``size`` compiled customer lists (or other values kept by a key that holds all
    they depend on), shared by the server's threads. Building and
    compiling the Ibis expressions of a page took about 50 ms of Python a request (under the
    GIL, so it capped throughput with many clients); the key holds everything the SQL depends
    on: workspace, scope, filters, sort and each scheme's current snapshot."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._items: OrderedDict[tuple[Any, ...], V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...]) -> V | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def put(self, key: tuple[Any, ...], value: V) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


LIST_SQL: SqlCache[ListSql] = SqlCache()
MARK_LIMIT, MARK_OFFSET = 987_654_321, 123_456_789  # stand-ins for the page, swapped for ?
