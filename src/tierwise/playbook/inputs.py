"""Where task generation reads its rows, and the statements it runs, kept for the next run.

Two costs made the tasks of one customer (a limit change, an override, a payment) take
seconds in a workspace of a million customers, and both are gone here:

- **Reading.** A filter on the customer inside the tasks query still scanned the orders,
  payments and activities whole (the engine plans the large query before it sees how few
  rows the filter leaves). :func:`scoped_inputs` first copies the rows of those customers,
  only the columns the tasks read, through the customer indexes or keys (a few ms), and the query
  reads the copies.
- **Building.** Ibis takes about a second to build and compile the tasks query, whatever
  the number of customers. :class:`Recorder` keeps the statements of a generation as it runs
  (a :class:`Plan`); the next generation of the same shape (the day, the kinds, the settings,
  the playbooks, the tables' columns, copies or not: the key in
  :func:`tierwise.playbook.tasks.tasks_from`) runs the recorded SQL without Ibis.
"""

from __future__ import annotations

import contextlib
import threading
from collections import OrderedDict
from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import duckdb
import ibis.expr.types as ir
import pyarrow as pa

from tierwise.store import keys
from tierwise.store.keys import KEYED_TABLES, id_filter, keyed_select

if TYPE_CHECKING:
    from tierwise.store.database import Database

# The tables holding rows per customer, and the columns task generation reads of each.
SCOPED: dict[str, tuple[str, ...]] = {
    "customers": ("customer_id", "customer_key", "name", "department", "rep_id", "credit_limit",
                  "payment_terms_days"),
    "orders": ("customer_id", "order_id", "order_date", "amount", "due_date", "product_id"),
    "payments": ("customer_id", "payment_date", "amount"),
    "activities": ("activity_id", "customer_id", "activity_date", "kind", "rep_id"),
    "classes": ("snapshot_id", "scheme", "customer_id", "class", "computed_class", "why", "why_text",
                "reason_en", "reason_zh"),
    "snapshot_customers": ("snapshot_id", "window", "customer_id", "provisional_until", "first_order_date"),
    "owners": ("customer_id", "rep_id", "since"),
    "pool": ("customer_id",),
    "tasks": ("customer_id", "kind", "status", "raised_on"),  # when a customer's pool warning was raised
}
KEYED = KEYED_TABLES  # no index: found by their customer keys (store/keys.py)
READ = (*SCOPED, "snapshots", "reps", "products")  # every table task generation reads
COPY = "_tw_in_"
@dataclass(frozen=True)
class Inputs:
    """The tables task generation reads: the workspace's own, or (``scoped``) the copies of
    a few customers' rows that :func:`scoped_inputs` made."""

    ws: Database
    scoped: bool = False

    def name(self, table: str) -> str:
        return COPY + table if self.scoped and table in SCOPED else table

    def table(self, table: str) -> ir.Table:
        return self.ws.table(self.name(table))


@contextlib.contextmanager
def scoped_inputs(ws: Database, customers: Sequence[str] | None) -> Iterator[Inputs]:
    """The inputs of task generation for ``customers`` (everyone when ``None``): for a list,
    temporary copies of their rows, dropped at the end."""
    if customers is None:
        yield Inputs(ws)
        return
    con = ws.con
    ids = list(dict.fromkeys(customers))
    many = len(ids) > keys.LOOKUP_IDS
    if many:
        con.register(COPY + "ids", pa.table({"customer_id": pa.array(ids, pa.string())}))
    try:
        for name, columns in SCOPED.items():
            cols = ", ".join(f'"{c}"' for c in columns)
            if name in KEYED:
                query, params = keyed_select(name, cols, ids, many=COPY + "ids")
            else:
                where, params = id_filter(ids, table=COPY + "ids")
                query = f"SELECT {cols} FROM {name} WHERE {where}"
            con.execute(f"CREATE OR REPLACE TEMP TABLE {COPY}{name} AS {query}", params)
        yield Inputs(ws, scoped=True)
    finally:
        with contextlib.suppress(duckdb.Error):  # a failed transaction drops them with its rollback
            for name in SCOPED:
                con.execute(f"DROP TABLE IF EXISTS {COPY}{name}")
            if many:
                con.unregister(COPY + "ids")


def columns_of(ws: Database) -> tuple[tuple[str, str], ...]:
    """The definition of every table task generation reads (a column added or retyped
    changes the SQL Ibis writes)."""
    rows = ws.con.execute(
        "SELECT table_name, sql FROM duckdb_tables() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND list_contains($t, table_name) ORDER BY table_name",
        {"t": list(READ)}).fetchall()
    return tuple((str(r[0]), str(r[1])) for r in rows)


def rows_of(table: pa.Table) -> tuple[Hashable, ...]:
    """``table``'s content as a hashable value, for a plan's shape (playbooks: a few rows)."""
    return tuple((name, tuple(column.to_pylist())) for name, column in zip(table.column_names, table.columns,
                                                                            strict=True))


# -- recorded plans ------------------------------------------------------------------------
@dataclass
class Plan:
    """The statements of one generation: those making its temporary tables (``steps``, in
    order; ``temps`` the tables' names), then the queries of the result (its parts, one after
    the other) and the Arrow schema it is cast to."""

    steps: list[str] = field(default_factory=list)
    temps: list[str] = field(default_factory=list)
    queries: list[str] = field(default_factory=list)
    schema: pa.Schema | None = None

    def run(self, ws: Database, sql: str, temp: str) -> None:
        ws.con.execute(sql)
        self.steps.append(sql)
        if temp not in self.temps:
            self.temps.append(temp)


class Recorder:
    """Runs the statements of a generation while Ibis builds it, recording them as a
    :class:`Plan`."""

    def __init__(self, ws: Database) -> None:
        self.ws = ws
        self.plan = Plan()

    def stage(self, name: str, expr: ir.Table, *more: ir.Table) -> ir.Table:
        """``expr`` as a temporary table ``name`` (computed once, read by several parts), then
        the rows of ``more`` (parts of it made one at a time, with the same columns) added."""
        sql = str(self.ws.ibis.compile(expr))
        self.plan.run(self.ws, f'CREATE OR REPLACE TEMP TABLE "{name}" AS {sql}', name)
        for part in more:
            self.plan.run(self.ws, f'INSERT INTO "{name}" BY NAME {self.ws.ibis.compile(part)}', name)
        return self.ws.table(name)

    def collect(self, name: str, types: dict[str, str], parts: Iterator[ir.Table], *,
                keyed: bool = False) -> ir.Table:
        """The rows of ``parts`` (each with the columns of ``types``, engine type names) in one
        temporary table ``name``, one part at a time: in one statement (a union) the engine holds
        the hash tables and windows of every part at once. ``keyed``: with the key of each row's
        ``customer_id`` as ``customer_key`` too (read a key range at a time)."""
        typed = {**types, keys.KEY: "UBIGINT"} if keyed else types
        columns = ", ".join(f'"{c}" {t}' for c, t in typed.items())
        self.plan.run(self.ws, f'CREATE OR REPLACE TEMP TABLE "{name}" ({columns})', name)
        key = f", {keys.key_sql('customer_id')} AS {keys.KEY}" if keyed else ""
        for part in parts:
            sql = f"SELECT *{key} FROM ({self.ws.ibis.compile(part)})"
            self.plan.run(self.ws, f'INSERT INTO "{name}" BY NAME {sql}', name)
        return self.ws.table(name)

    def result(self, parts: Sequence[ir.Table], into: str) -> int:
        """Run ``parts`` (the same columns each) into the temporary table ``into``, one after the
        other (kept as the plan's queries); its rows."""
        self.plan.queries = [str(self.ws.ibis.compile(part)) for part in parts]
        self.plan.schema = parts[0].schema().to_pyarrow()
        return replay(self.ws, self.plan, into, steps=False)


def replay(ws: Database, plan: Plan, into: str, *, steps: bool = True) -> int:
    """Run ``plan`` (its temporary tables too, unless they are made) into the temporary table
    ``into``, in the engine (a million tasks never pass through Python); its rows."""
    con = ws.con
    if steps:
        for sql in plan.steps:
            con.execute(sql)
    # what the result does not read goes first: at ten million customers the staged current
    # classes (137M rows) held about 11 GB of the engine's spill beside the due tasks and the result
    for name in plan.temps:
        if not any(f'"{name}"' in query for query in plan.queries):
            con.execute(f'DROP TABLE IF EXISTS "{name}"')
    first, *rest = plan.queries
    con.execute(f'CREATE OR REPLACE TEMP TABLE "{into}" AS {first}')
    for query in rest:
        con.execute(f'INSERT INTO "{into}" BY NAME {query}')
    row = con.execute(f'SELECT count(*) FROM "{into}"').fetchone()
    return int(row[0]) if row else 0


def drop_steps(ws: Database, plan: Plan) -> None:
    with contextlib.suppress(duckdb.Error):  # a failed transaction drops them with its rollback
        for name in plan.temps:
            ws.con.execute(f'DROP TABLE IF EXISTS "{name}"')


class Plans:
    """The plans of the latest shapes (a server runs a handful: today's refreshes of a few
    customers, of their credit tasks, the daily run)."""

    def __init__(self, size: int = 16) -> None:
        self.size = size
        self.lock = threading.Lock()
        self.plans: OrderedDict[Hashable, Plan] = OrderedDict()

    def get(self, key: Hashable) -> Plan | None:
        with self.lock:
            plan = self.plans.get(key)
            if plan is not None:
                self.plans.move_to_end(key)
            return plan

    def put(self, key: Hashable, plan: Plan) -> None:
        with self.lock:
            self.plans[key] = plan
            self.plans.move_to_end(key)
            while len(self.plans) > self.size:
                self.plans.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.plans.clear()
