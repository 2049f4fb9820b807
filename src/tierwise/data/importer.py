"""Importing a file into a canonical table: every row lands or is rejected with a reason.

The steps, all inside the engine:

1. read the file (:mod:`tierwise.data.sources`) into text columns with source row numbers;
2. map headers (:mod:`tierwise.data.headers`) and parse values (:mod:`tierwise.data.values`)
   into a staging table (in a database of its own: :func:`stage_database`), marking each row
   with the first column that fails (``_err``);
3. generate missing keys, reject keys repeated in the file, and (``--strict``) rows naming
   a customer the workspace does not know;
4. write rejected rows to ``FILE.rejected.csv`` (UTF-8 with BOM, so Excel opens it);
5. in one transaction: create customers that orders name but nobody imported, add new
   attribute columns, and upsert the accepted rows by key.

``read = accepted + rejected`` holds for every import; it is checked, not assumed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from tierwise.data.columns import Col, plan_columns, values_sql
from tierwise.data.headers import HeaderMap, MappingSpec, load_mapping, map_headers
from tierwise.data.rejects import (
    BLANK,
    DUPLICATE,
    UNKNOWN_CUSTOMER,
    strict_message,
    top_reasons,
    write_rejects,
)
from tierwise.data.sources import RetryWithEncoding, Source, read_source
from tierwise.data.upsert import STAGE, STAGE_DB, UNKNOWN_CUSTOMERS, differs, key_join, write_rows
from tierwise.data.values import DateOrder, ValueRules, ident
from tierwise.errors import ConfigError, DataError, StorageFull, engine_error
from tierwise.progress import Message, report
from tierwise.store.audit import current_user
from tierwise.store.buckets import attached
from tierwise.store.schema import TABLES, Table

if TYPE_CHECKING:
    from tierwise.store.database import Database

CONTENT_COLUMNS = {  # what identifies a row when the file has no key column
    "orders": ("customer_id", "order_date", "product_id", "quantity", "unit_price", "amount",
               "cost", "due_date", "rep_id", "outlet", "department"),
    "payments": ("customer_id", "payment_date", "amount", "order_id"),
    "activities": ("customer_id", "activity_date", "kind", "rep_id", "outcome", "note"),
}


@dataclass(frozen=True)
class ImportOptions:
    """How to read and write one import (command-line options; a mapping file fills gaps)."""

    mapping: Path | None = None
    dry_run: bool = False
    strict: bool = False
    format: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    date_order: DateOrder | None = None
    decimal_comma: bool | None = None
    rejected_path: Path | None = None
    lang: str = "en"
    progress: Callable[[Message], None] | None = None  # each step, in English and Chinese
    by: str | None = None  # who imports (the audit's actor); default: the user setting, else the login
    source: str | None = None  # where the file's rows came from, when it is a database extract


@dataclass
class ImportSummary:
    """What an import did. ``read == accepted + rejected`` always."""

    table: str
    file: str
    format: str
    encoding: str | None
    read: int
    accepted: int
    inserted: int
    updated: int
    unchanged: int
    rejected: int
    blank: int
    customers_created: int
    rejected_file: str | None
    columns: dict[str, str]  # file header -> canonical column or attribute
    ignored_columns: list[str]
    dry_run: bool
    strict: bool
    seconds: float
    top_reasons: list[dict[str, object]] = field(default_factory=list)
    import_id: int | None = None
    credit_limits_changed: int = 0  # existing customers whose credit_limit the import changed (audited)
    # (order, a value that proves it) when the day/month order was not declared but the file's dates
    # allow one reading only, e.g. ("MDY", "12/23/2010")
    date_order_inferred: tuple[str, str] | None = None
    source: str | None = None  # a database import: the URL (no password) and the table or query

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def import_file(ws: Database, table_name: str, path: Path, options: ImportOptions) -> ImportSummary:
    """Import ``path`` into ``table_name`` of ``ws``; see the module docstring."""
    started = time.perf_counter()
    started_at = dt.datetime.now()
    table = _table(table_name)
    spec = load_mapping(options.mapping) if options.mapping else MappingSpec()
    rules = ValueRules(
        date_order=options.date_order or spec.date_order,
        decimal_comma=bool(options.decimal_comma if options.decimal_comma is not None
                           else spec.decimal_comma),
    )
    step = options.progress or (lambda message: report(None, message))  # a job's progress, if any
    con = ws.con
    capped = False
    try:
        limited = ws.settings.memory_bytes() is not None  # a limit the user set: the stage in a file
        with _import_memory(ws) as capped, stage_database(con, in_file=limited):
            return _import(ws, con, table, spec, rules, step, path, options, started, started_at)
    except duckdb.OutOfMemoryException as exc:
        if not capped:
            raise _out_of_memory(path, table, exc) from None
    # auto: the 1GB an import normally needs was not enough (a file of tens of millions of rows);
    # the stage is gone and nothing was written, so read it again with the engine's whole share
    step(Message("more rows than 1GB of engine memory holds: reading the file again with the "
                 "engine's whole memory", "1GB 内存不足：使用引擎全部内存重新读取文件"))
    try:
        with stage_database(con, in_file=False):
            return _import(ws, con, table, spec, rules, step, path, options, started, started_at)
    except duckdb.OutOfMemoryException as exc:
        raise _out_of_memory(path, table, exc) from None


# An attached database is the engine's, seen by every cursor of the open file (a temporary table
# was the cursor's own): two imports at once in one process (the server runs its import jobs one
# at a time; a program's threads might not) take turns rather than fail on the name
_STAGING = threading.Lock()


@contextlib.contextmanager
def stage_database(con: duckdb.DuckDBPyConnection, *, in_file: bool) -> Iterator[None]:
    """The database the import's stage (:data:`~tierwise.data.upsert.STAGE`) is made in, attached
    for the block: with ``in_file`` (a memory limit the user set), a new file in a private folder
    beside the engine's spill, deleted after it; else one in memory.

    12-07, 103M order lines under a 2GB limit: staged in memory (as a temporary table was), the
    stage held 900 MiB of the engine's 954 MiB, and the duplicate check and the search for new
    customers beside it ran out in two imports of the orders in four (alone, each failed in some
    runs at 500 to 800 MB); staged in a file, they passed at 500, 700 and 954 MB every time (12 of
    12). The file costs 10-20% of an import's time, so it is kept for a limit that must hold;
    without one, an import that runs out of its 1GB is read again with the engine's whole memory
    (:func:`import_file`)."""
    with _STAGING, attached(con, STAGE_DB, "tierwise-import-", in_file=in_file):
        yield


SNIFF_ROWS = 100_000  # rows of a file looked at for day/month dates before the whole is read


def infer_date_order(con: duckdb.DuckDBPyConnection, table: Table, src: Source,
                     headers: HeaderMap) -> tuple[DateOrder, str] | None:
    """The day/month order the file's own dates prove, when it was not declared: some text date
    such as 23/12/2010 (day first) or 12/23/2010 (month first) can be read one way only, and no
    date of any date column contradicts it. Returns (order, a value proving it), else None (such
    dates stay rejected as ambiguous). Only when the first rows hold such dates at all is the
    whole file read for it, so ISO dates cost a glance."""
    texts = [h for c in table.columns if c.kind in ("date", "timestamp")
             and (h := headers.canonical.get(c.name)) is not None
             and src.types.get(h, "VARCHAR") == "VARCHAR"]
    if not texts:
        return None
    pattern = r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-]\d{4}"
    parts = []
    for h in texts:
        x = f"CAST({ident(h)} AS VARCHAR)"
        parts.append(f"SELECT {x} AS v, TRY_CAST(regexp_extract({x}, '{pattern}', 1) AS INTEGER) AS a, "
                     f"TRY_CAST(regexp_extract({x}, '{pattern}', 2) AS INTEGER) AS b FROM <rel>")
    day, month = "a > 12 AND b <= 12", "b > 12 AND a <= 12"
    query = (f"SELECT count(*) FILTER (WHERE {day}), min(v) FILTER (WHERE {day}), "
             f"count(*) FILTER (WHERE {month}), min(v) FILTER (WHERE {month}), count(a) FROM (<union>)")

    def counts(rel: str) -> tuple[Any, ...]:
        union = " UNION ALL ".join(p.replace("<rel>", rel) for p in parts)
        return con.execute(query.replace("<union>", union)).fetchone() or (0, None, 0, None, 0)

    if not counts(f"(SELECT * FROM {src.relation} LIMIT {SNIFF_ROWS})")[4]:
        return None  # no day/month dates at the start: nothing to infer
    day_first, day_example, month_first, month_example, _ = counts(src.relation)
    if day_first and not month_first:
        return "DMY", str(day_example).strip()
    if month_first and not day_first:
        return "MDY", str(month_example).strip()
    return None


def _out_of_memory(path: Path, table: Table, exc: duckdb.Error) -> DataError:
    return DataError(
        f"{path}: the engine ran out of memory importing it into {table.name} "
        f"({str(exc).splitlines()[0]}): raise the memory_limit setting (--memory-limit 8GB or "
        f"TIERWISE_MEMORY_LIMIT), or split the file / 导入时内存不足：请调高 memory_limit 设置，或拆分文件")


@contextlib.contextmanager
def _import_memory(ws: Database) -> Iterator[bool]:
    """Hold an import to 1GB of engine memory unless the user set a limit: measured on 10M
    rows, it is as fast as 8GB and keeps the import's peak under 2GB. Yields whether it did
    (an import that needs more is then run again without the cap: :func:`import_file`). Under
    a limit the user set, the import keeps the engine's share of it like every other stage
    (103M order lines, 10M customers in one process under 2GB: peak 1,564 MiB, README "Memory
    as a setting"): nothing it does holds memory the engine cannot spill any more."""
    before = ws.settings.engine_config().get("memory_limit")  # what the workspace opened with
    if ws.settings.memory_bytes() is not None:
        yield False
        return
    try:
        ws.con.execute(f"SET memory_limit = '{ws.settings.IMPORT_MEMORY_LIMIT}'")
    except duckdb.OutOfMemoryException:  # the engine holds more now (a big import's index): no cap
        yield False
        return
    try:
        yield True
    finally:
        if before:
            ws.con.execute(f"SET memory_limit = '{before}'")
        else:
            ws.con.execute("RESET memory_limit")


def _import(ws: Database, con: duckdb.DuckDBPyConnection, table: Table, spec: MappingSpec,
            rules: ValueRules, step: Callable[[Message], None], path: Path, options: ImportOptions,
            started: float, started_at: dt.datetime) -> ImportSummary:
    step(Message("reading the file", "读取文件"))
    encoding = options.encoding or spec.encoding
    src: Source | None = None
    try:
        while True:
            src = read_source(con, path, fmt=options.format, encoding=encoding,
                              delimiter=options.delimiter or spec.delimiter,
                              sheet=options.sheet or spec.sheet)
            headers = map_headers(table, src.headers, spec, path.name)
            inferred = None
            if rules.date_order is None:
                inferred = infer_date_order(con, table, src, headers)
                if inferred is not None:
                    rules = ValueRules(date_order=inferred[0], decimal_comma=rules.decimal_comma)
            cols = plan_columns(con, table, src, headers, spec, rules, path.name, options.lang)
            step(Message("checking the rows", "检查数据"))
            try:
                _stage(con, table, cols, src)
                src.number_rows(con, STAGE)
                break
            except RetryWithEncoding as retry:
                src.cleanup(con)
                encoding = retry.encoding
            except duckdb.OutOfMemoryException:  # the machine's limit, not the file: import_file says so
                raise
            except duckdb.Error as exc:  # the scan broke off mid-file: the user's file, not us
                if isinstance(engine_error(exc), StorageFull):  # the stage's disk, not the file
                    raise
                raise DataError(
                    f"{path}: cannot be read as {src.format}: {str(exc).splitlines()[0]} — save it "
                    f"again from a spreadsheet program, or as UTF-8 CSV / 无法读取该文件，请用表格软件"
                    f"重新保存，或另存为 UTF-8 CSV"
                ) from None
        _generate_keys(con, table, cols)
        if table.name == "targets":  # a target is the month's: any day of it names it
            con.execute(f"UPDATE {STAGE} SET month = date_trunc('month', month)::DATE WHERE _err IS NULL")
        _reject_duplicates(con, table)
        created = _unknown_customers(con, table, options.strict)
        src.fill_text(con, STAGE, f"_err IS NOT NULL AND _err <> {BLANK}")
        accepted, rejected = _count(con, src)
        inserted, updated, unchanged = _compare(con, table, cols, accepted)
        if rejected:
            con.execute(f"CREATE OR REPLACE TEMP TABLE _tw_rejected AS SELECT * FROM {STAGE} "
                        f"WHERE _err IS NOT NULL AND _err <> {BLANK}")
        top = top_reasons(con, table, cols, src.headers, options.lang) if rejected else []
        rejected_file = write_rejects(con, table, src, cols, path, options, rejected)
        summary = ImportSummary(
            table=table.name, file=str(path), format="database" if options.source else src.format,
            source=options.source, encoding=src.encoding,
            read=src.read, accepted=accepted, inserted=inserted, updated=updated,
            unchanged=unchanged, rejected=rejected, blank=src.blank,
            customers_created=created if not options.strict else 0,
            rejected_file=str(rejected_file) if rejected_file else None,
            columns={c.header: c.name for c in cols if c.header},
            ignored_columns=headers.ignored, dry_run=options.dry_run, strict=options.strict,
            seconds=0.0, top_reasons=top, date_order_inferred=inferred,
        )
        if options.strict and rejected:
            raise DataError(strict_message(summary, options.lang))
        if not options.dry_run:
            step(Message("writing to the workspace", "写入工作区"))
            # Only the write is a transaction: the stage is outside the workspace, so a
            # failure or kill before or during it leaves the workspace as it was.
            with ws.transaction():
                row = con.execute("SELECT nextval('import_seq')").fetchone()
                import_id = int(row[0]) if row else 0
                actor = current_user(options.by or ws.settings.user)
                write_rows(con, table, cols, summary, options, started_at, import_id, actor)
            summary.import_id = import_id
        summary.seconds = round(time.perf_counter() - started, 3)
    except BaseException:
        if src is not None:  # the first error is the one to report, not a failed clean-up after it
            with contextlib.suppress(duckdb.Error):
                src.cleanup(con)
        raise
    src.cleanup(con)
    return summary


def _table(name: str) -> Table:
    if name not in TABLES:
        import difflib

        close = difflib.get_close_matches(name, TABLES, 1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise ConfigError(f"no table '{name}'{hint}; tables are {', '.join(TABLES)}")
    return TABLES[name]


# -- staging -----------------------------------------------------------------------------
def _stage(con: duckdb.DuckDBPyConnection, table: Table, cols: list[Col], src: Source) -> None:
    """Parse every record in one scan into the staging table, then mark failing rows.

    The stage has the target table's columns in its order (absent ones NULL), the new
    attribute columns, and scratch columns: ``_row``, ``_p_<name>`` (a value was there),
    ``_blank``, ``_raw`` (the row's text, only for rows that needed a slow form), ``_err``
    and ``_detail``.
    ``_err`` (index of the first failing column, NULL when fine, BLANK for a row with no
    value) is set afterwards over stored columns: the engine inlines sub-selects, so
    referring to parsed values twice in one query would parse them twice.
    """
    values = values_sql(cols)
    by_name = {c.name: c for c in cols}
    layout = [f"CAST(v_{col.name} AS {col.sql_type}) AS {ident(col.name)}" if col.name in by_name
              else f"NULL::{col.sql_type} AS {ident(col.name)}" for col in table.columns]
    layout += [f"CAST(v_{c.name} AS {c.sql_type}) AS {ident(c.name)}"
               for c in cols if c.is_attribute]
    blank = " AND ".join(f"{ident(h)} IS NULL" for h in src.headers) or "true"
    slow = " OR ".join(f"({c.slow})" for c in cols)
    raw = "[" + ", ".join(f"CAST({ident(h)} AS VARCHAR)" for h in src.headers) + "]"
    scratch = [f"{c.present} AS _p_{c.name}" for c in cols if c.present]
    scratch += [f"{blank} AS _blank", f"CASE WHEN {slow} THEN {raw} END AS _raw",
                "NULL::INTEGER AS _err", "NULL::VARCHAR AS _detail"]
    con.execute(
        f"CREATE OR REPLACE TABLE {STAGE} AS SELECT _row, {', '.join(layout + scratch)} "
        f"FROM (SELECT *, {values} FROM {src.relation})"
    )
    # A computed amount fails when quantity or unit price does: report those first.
    order = sorted(range(len(cols)), key=lambda i: cols[i].name == "amount")
    err = " ".join(f"WHEN {cols[i].problem} THEN {i}" for i in order)
    fails = " OR ".join(f"({c.problem})" for c in cols)
    con.execute(f"UPDATE {STAGE} SET _err = CASE WHEN _blank THEN {BLANK} {err} END "
                f"WHERE _blank OR {fails}")


def _generate_keys(con: duckdb.DuckDBPyConnection, table: Table, cols: list[Col]) -> None:
    """Keys the file lacks, made stable so re-importing the same rows finds the same keys:
    a hash of the row's content and of how many identical rows came before it."""
    present = {c.name for c in cols}
    missing = [k for k in table.generated_key if k not in present]
    if not missing:
        return
    content = [c for c in CONTENT_COLUMNS[table.name] if c in present]
    parts = ", ".join(f"coalesce(CAST({ident(c)} AS VARCHAR), '')" for c in content)
    h = f"md5(concat_ws('|', {parts}))"
    occ = f"row_number() OVER (PARTITION BY {h} ORDER BY _row)"
    ok = "_err IS NULL"
    gen: dict[str, str] = {}
    if table.name == "orders":
        if "order_id" in missing:
            gen["order_id"] = ("'G-' || customer_id || '-' || strftime(order_date, '%Y%m%d')")
        if "line_no" in missing:
            gen["line_no"] = f"CAST(md5_number({h} || '#' || {occ}) % 9007199254740991 AS BIGINT)"
    else:
        gen[missing[0]] = f"'G' || substr(md5({h} || '#' || {occ}), 1, 16)"
    select = ", ".join(f"{expr} AS {ident(name)}" for name, expr in gen.items())
    sets = ", ".join(f"{ident(name)} = g.{ident(name)}" for name in gen)
    con.execute(f"UPDATE {STAGE} s SET {sets} FROM (SELECT _row, {select} FROM {STAGE} "
                f"WHERE {ok}) g WHERE s._row = g._row")
    for name in gen:
        cols.append(Col(name, "", "BIGINT" if name == "line_no" else "VARCHAR", "NULL",
                        "NULL", "false", "NULL"))


DUPLICATE_ROWS = 16_000_000
"""Rows whose keys one duplicate check groups at a time: a file of more is checked in parts by
the keys' hash (a key's rows all fall in one part). Grouping 103M order lines at once asked the
engine for one 128 MiB block more than 1.5 GB held, beside the stage."""


def _reject_duplicates(con: duckdb.DuckDBPyConnection, table: Table) -> None:
    """A key repeated inside the file: the first row stands, later ones are rejected."""
    key = [ident(k) for k in table.key]
    on = " AND ".join(f"s.{k} IS NOT DISTINCT FROM d.{k}" for k in key)  # a target's key may be empty
    counted = con.execute(f"SELECT count(*) FROM {STAGE}").fetchone()
    parts = max(1, -(-int(counted[0] if counted else 0) // DUPLICATE_ROWS))
    for part in range(parts):
        where = "_err IS NULL" + (f" AND hash({', '.join(key)}) % {parts} = {part}" if parts > 1 else "")
        dup = con.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {STAGE} WHERE {where} "
            f"GROUP BY {', '.join(key)} HAVING count(*) > 1)"
        ).fetchone()
        if not dup or not dup[0]:
            continue
        con.execute(
            f"UPDATE {STAGE} s SET _err = {DUPLICATE}, _detail = CAST(d.first AS VARCHAR) FROM "
            f"(SELECT {', '.join(key)}, min(_row) AS first FROM {STAGE} WHERE {where} "
            f"GROUP BY {', '.join(key)} HAVING count(*) > 1) d WHERE {on} AND s._row > d.first "
            f"AND s._err IS NULL"
        )


def _unknown_customers(con: duckdb.DuckDBPyConnection, table: Table, strict: bool) -> int:
    """Customers the rows name that the workspace lacks: rejected under --strict, else
    counted (they are created when the import is written)."""
    if not table.references_customers:
        return 0
    if strict:
        con.execute(f"UPDATE {STAGE} SET _err = {UNKNOWN_CUSTOMER} WHERE _err IS NULL "
                    f"AND customer_id IN ({UNKNOWN_CUSTOMERS})")
        return 0
    row = con.execute(f"SELECT count(*) FROM ({UNKNOWN_CUSTOMERS})").fetchone()
    return int(row[0]) if row else 0


def _count(con: duckdb.DuckDBPyConnection, src: Source) -> tuple[int, int]:
    """(accepted, rejected), and the source's read and blank counts from the stage."""
    row = con.execute(
        f"SELECT count(*) FILTER (WHERE _err IS NULL), count(*) FILTER (WHERE _err IS NOT NULL "
        f"AND _err <> {BLANK}), count(*) FILTER (WHERE _err = {BLANK}) FROM {STAGE}"
    ).fetchone()
    accepted, failed, blank = (int(row[0]), int(row[1]), int(row[2])) if row else (0, 0, 0)
    src.blank += blank
    src.read = accepted + failed + src.bad
    rejected = failed + src.bad
    bad = con.execute("SELECT count(*) FROM _tw_bad").fetchone()
    if not bad or int(bad[0]) != src.bad:  # a bug, never a user's mistake
        raise AssertionError(f"{src.path}: unreadable rows counted twice or lost")
    return accepted, rejected


def _compare(con: duckdb.DuckDBPyConnection, table: Table, cols: list[Col],
             accepted: int) -> tuple[int, int, int]:
    """(inserted, updated, unchanged) the accepted rows would cause."""
    existing = con.execute(f"SELECT count(*) FROM {ident(table.name)}").fetchone()
    if not existing or not existing[0] or table.name == "targets":  # targets replace their months
        return accepted, 0, 0
    if table.name == "customers" and "rep_id" in {c.name for c in cols}:
        _keep_owners(con, {c.name for c in cols})
    row = con.execute(
        f"SELECT count(*) FILTER (WHERE t.{ident(table.key[0])} IS NULL), "
        f"count(*) FILTER (WHERE t.{ident(table.key[0])} IS NOT NULL AND ({differs(con, table, cols)})) "
        f"FROM {STAGE} s LEFT JOIN {ident(table.name)} t ON {key_join(table)} "
        f"WHERE s._err IS NULL"
    ).fetchone()
    inserted, updated = (int(row[0]), int(row[1])) if row else (0, 0)
    return inserted, updated, accepted - inserted - updated


def _keep_owners(con: duckdb.DuckDBPyConnection, names: set[str]) -> None:
    """A customer whose owner tierwise changed (a handover, the public pool) keeps it while the
    file names the rep it named when that happened (``file_rep``: the company's system has not
    moved the customer since; the monthly re-import of the same list does not undo the team's
    work). A file naming another rep moves the customer, audited as any import move."""
    dept = ", department = c.department" if "department" in names else ""
    con.execute(f"""UPDATE {STAGE} s SET rep_id = c.rep_id{dept}
                    FROM customers c LEFT JOIN owners o USING (customer_id)
                    LEFT JOIN pool p USING (customer_id)
                    WHERE s.customer_id = c.customer_id AND s._err IS NULL
                      AND (o.customer_id IS NOT NULL OR p.customer_id IS NOT NULL)
                      AND coalesce(o.file_rep, p.file_rep) IS NOT DISTINCT FROM s.rep_id
                      AND c.rep_id IS DISTINCT FROM s.rep_id""")
