"""Classifications stored over time: running one (a snapshot), listing them, migration between
two, a customer's history, and the classes of a snapshot."""

from __future__ import annotations

import builtins
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Literal, overload

import pyarrow as pa
import pyarrow.compute as pc

from tierwise.services.base import Service, check_page, checked_text, helper, operation

if TYPE_CHECKING:
    from tierwise.schedule import Due
    from tierwise.schemes.classify import Classification
    from tierwise.schemes.migration import Migration
    from tierwise.schemes.overrides import Override


@dataclass
class Scheduled:
    """The answer of ``classify(due=True)``: the schedule's decision and, when it was due, the
    classification it ran."""

    due: Due
    result: Classification | None = None

    def to_json(self) -> dict[str, Any]:
        """As ``tierwise classify --due --json``: ``due`` plus the summary, or why not and when next."""
        if self.result is None:
            nxt = self.due.next_start
            return {"due": False, "reason": self.due.reason_en, "reason_zh": self.due.reason_zh,
                    "next": nxt.isoformat() if nxt else None}
        return {"due": True, **self.result.to_json()}


@dataclass
class History:
    """A customer's class per scheme in every snapshot (oldest first) and their overrides."""

    customer_id: str
    rows: list[dict[str, Any]]
    overrides: list[Override] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"customer_id": self.customer_id, "history": self.rows,
                "overrides": [o.to_json() for o in self.overrides]}


class Snapshots(Service):
    """Classifying and reading classifications."""

    @overload
    def classify(self, schemes: builtins.list[str] | None = None, *, as_of: date | None = None,
                 engine: str | None = None, due: Literal[False] = False) -> Classification: ...

    @overload
    def classify(self, schemes: builtins.list[str] | None = None, *, as_of: date | None = None,
                 engine: str | None = None, due: Literal[True]) -> Scheduled: ...

    @overload
    def classify(self, schemes: builtins.list[str] | None = None, *, as_of: date | None = None,
                 engine: str | None = None, due: bool) -> Classification | Scheduled: ...

    @operation(cli="classify", api="POST /api/classify")
    def classify(
        self, schemes: builtins.list[str] | None = None, *, as_of: date | None = None,
        engine: str | None = None, due: bool = False,
    ) -> Classification | Scheduled:
        """Apply ``schemes`` (names or YAML paths; default: every scheme whose data is present)
        as of ``as_of`` (default: the latest order date) and store the result as a snapshot
        (admins and managers).

        With ``due``, first ask the ``schedule`` setting: classify only when no run in the
        current period covers these schemes yet, and answer a :class:`Scheduled` (the decision,
        and the classification when it ran, recorded with the trigger ``due``).
        """
        from tierwise.schemes.classify import classify, evaluation_due

        self._require("classify.run")
        if not due:
            return classify(self.db, schemes, as_of=as_of, engine=engine, by=self.actor.name)
        check = evaluation_due(self.db, schemes)
        if not check.due:
            return Scheduled(check)
        return Scheduled(check, classify(self.db, schemes, as_of=as_of, engine=engine, trigger="due",
                                         by=self.actor.name))

    @helper("the server's schedule asks before it queues an evaluation")
    def due_now(self, schemes: builtins.list[str] | None = None) -> Due:
        """Whether the ``schedule`` setting calls for an evaluation of ``schemes`` today."""
        from tierwise.schemes.classify import evaluation_due

        self._require("classify.run")
        return evaluation_due(self.db, schemes)

    @operation(cli="snapshots", api="GET /api/snapshots")
    def list(self) -> builtins.list[dict[str, Any]]:
        """Every snapshot, newest first: as-of date, when it ran, the engine, its schemes and
        how many class assignments it holds (counts only, no customer)."""
        from tierwise.schemes.migration import list_snapshots

        self._require("schemes.read")
        return list_snapshots(self.db)

    @operation(cli="snapshots", api="GET /api/snapshots/current")
    def current(self) -> dict[str, Any]:
        """The current classification (:mod:`tierwise.schemes.facts`): each scheme's current
        snapshot with its as-of date and roles, and the snapshot the key figures read."""
        from tierwise.schemes import facts

        self._require("schemes.read")
        schemes = facts.current_schemes(self.db.con)
        snapshot_id, window = facts.figures_source(self.db.con)
        return {
            "snapshot_id": snapshot_id,
            "window": window,
            "schemes": {
                name: {"snapshot_id": s.snapshot_id, "as_of": s.as_of.isoformat(), "window": s.window,
                       "roles": list(s.roles)}
                for name, s in sorted(schemes.items())
            },
        }

    @operation(cli="migration", api="GET /api/migration")
    def migration(self, scheme: str, *, start: int | None = None, end: int | None = None) -> Migration:
        """How ``scheme``'s classes moved from snapshot ``start`` to ``end`` (default: the latest
        by as-of date and the one before it): the matrix, revenue per cell, and the movers.

        A manager or rep counts only the customers in their scope.
        """
        from tierwise.schemes.migration import migration

        self._require("customers.read")
        checked_text(scheme=scheme)
        return migration(self.db, scheme, start=start, end=end, scope=self._ws.customers.scope_ids())

    @operation(cli="history", api="GET /api/customers/{customer_id}/history")
    def history(self, customer_id: str, *, scheme: str | None = None, lang: str | None = None) -> History:
        """A customer in scope: their class per scheme across all snapshots (reason in ``lang``),
        and their overrides; a customer missing or out of scope is not found."""
        from tierwise.schemes.store import history

        self._check_customer(customer_id)
        checked_text(scheme=scheme)
        rows = history(self.db, customer_id, scheme=scheme, lang=self._lang(lang))
        return History(customer_id, rows, self._ws.overrides.list(customer_id=customer_id, scheme=scheme))

    def _class_table(
        self, *, snapshot_id: int | None, scheme: str | None, klass: str | None, provisional: bool,
        overridden: bool, lang: str | None,
    ) -> pa.Table:
        """The classes of a snapshot (default: the latest) narrowed to the customers in scope."""
        from tierwise.schemes.store import class_table

        self._require("customers.read")
        checked_text(scheme=scheme, klass=klass)
        table = class_table(self.db, snapshot_id=snapshot_id, scheme=scheme, lang=self._lang(lang),
                            klass=klass, provisional=provisional, overridden=overridden)
        if self.actor.scope.everything:
            return table
        ids = self._customers().select("customer_id").to_pyarrow().column("customer_id")
        return table.filter(pc.is_in(table.column("customer_id"), value_set=ids.combine_chunks()))

    @operation(cli="classes list", api="GET /api/classes")
    def classes(
        self, *, snapshot_id: int | None = None, scheme: str | None = None, klass: str | None = None,
        provisional: bool = False, overridden: bool = False, lang: str | None = None, page: int = 1,
        page_size: int = 50,
    ) -> dict[str, Any]:
        """One page of the customers in scope and their class per scheme in a snapshot (default:
        the latest), best class first, with ``total``: only ``scheme``, ``klass``, provisional
        classes (young customers) or classes held by an override, when asked."""
        check_page(page, page_size)
        table = self._class_table(snapshot_id=snapshot_id, scheme=scheme, klass=klass,
                                  provisional=provisional, overridden=overridden, lang=lang)
        items = table.slice((page - 1) * page_size, page_size).to_pylist()
        return {"items": items, "total": table.num_rows, "page": page, "page_size": page_size}

    @operation(cli="classes export", api="GET /api/exports/classes")
    def export_classes(
        self, *, snapshot_id: int | None = None, scheme: str | None = None, klass: str | None = None,
        provisional: bool = False, overridden: bool = False, lang: str | None = None,
        for_people: bool = True,
    ) -> pa.Table:
        """Every row of :meth:`classes` (no paging), columns
        :data:`~tierwise.schemes.store.EXPORT_COLUMNS`, for CSV / XLSX / Parquet files; in Chinese,
        as people read it (:func:`tierwise.reports.people.for_people`: 客户编号, 分类方案 by title,
        类别 by name, 依据) unless not ``for_people``."""
        from tierwise.reports import people
        from tierwise.schemes.store import snapshot_schemes

        table = self._class_table(snapshot_id=snapshot_id, scheme=scheme, klass=klass,
                                  provisional=provisional, overridden=overridden, lang=lang)
        if self._lang(lang) != "zh" or not for_people:
            return table
        sid = table["snapshot_id"][0].as_py() if table.num_rows else None
        return people.for_people(table, "zh", snapshot_schemes(self.db, sid) if sid is not None else {})
