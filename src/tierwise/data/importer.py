"""Importing a file into a canonical table: every row lands or is rejected with a reason.

The steps, all inside the engine:

1. read the file (:mod:`tierwise.data.sources`) into text columns with source row numbers;
2. map headers (:mod:`tierwise.data.headers`) and parse values (:mod:`tierwise.data.values`)
   into a staging table, marking each row with the first column that fails (``_err``);
3. generate missing keys, reject keys repeated in the file, and (``--strict``) rows naming
   a customer the workspace does not know;
4. write rejected rows to ``FILE.rejected.csv`` (UTF-8 with BOM, so Excel opens it);
5. in one transaction: create customers that orders name but nobody imported, add new
   attribute columns, and upsert the accepted rows by key.

``read = accepted + rejected`` holds for every import; it is checked, not assumed.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from tierwise import _faults
from tierwise.data.headers import (
    HeaderMap,
    MappingSpec,
    load_mapping,
    map_headers,
    missing_column_error,
)
from tierwise.data.sources import RetryWithEncoding, Source, read_source
from tierwise.data.values import (
    DateOrder,
    ValueRules,
    clean_text,
    fast_value,
    ident,
    parse_value,
    reason_sql,
    sql_str,
    value_problem,
)
from tierwise.errors import ConfigError, DataError
from tierwise.store.schema import CREATED_BY_IMPORT, IMPORT_ID, TABLES, Column, Table

if TYPE_CHECKING:
    from tierwise.store.workspace import Workspace

DUPLICATE, UNKNOWN_CUSTOMER, BLANK = -1, -2, -9  # _err codes that are not a column's index
STAGE = "_tw_stage"  # temporary staging table, inside the import's transaction
CONTENT_COLUMNS = {  # what identifies a row when the file has no key column
    "orders": ("customer_id", "order_date", "product_id", "quantity", "unit_price", "amount",
               "cost", "due_date", "rep_id", "outlet", "department"),
    "payments": ("customer_id", "payment_date", "amount", "order_id"),
    "activities": ("customer_id", "activity_date", "kind", "rep_id", "outcome", "note"),
}
RULES = {  # range checks beyond parsing: column -> (SQL condition that fails, reason code)
    "credit_limit": ("{v} < 0", "negative"),
    "payment_terms_days": ("{v} < 0", "negative"),
    "capacity": ("{v} < 0", "negative"),
    "consumption_days": ("{v} <= 0", "not_positive"),
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
    progress: Callable[[str], None] | None = None


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

    def to_json(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class _Col:
    """One column to import: where it comes from and how it is parsed and checked."""

    name: str  # column name in the table
    header: str  # the file's header ("" when tierwise makes the column)
    sql_type: str
    text: str  # SQL over the file's columns: cleaned text (reasons only)
    value: str  # SQL over the file's columns (and v_<other>): the typed value
    problem: str  # SQL over the stage: this column makes the row fail
    code: str  # SQL over t_<name>, v_<name>: the reason code when it fails
    slow: str = "false"  # SQL over the file's columns, cheap: keep the row's text
    detail: str = "NULL"  # SQL: extra context for the reason (e.g. the expected type)
    present: str | None = None  # SQL over the file's columns: a value is there (stored p_<name>)
    is_attribute: bool = False


def import_file(ws: Workspace, table_name: str, path: Path, options: ImportOptions) -> ImportSummary:
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
    step = options.progress or (lambda _msg: None)
    con = ws.con
    step("reading")
    encoding = options.encoding or spec.encoding
    src: Source | None = None
    try:
        while True:
            src = read_source(con, path, fmt=options.format, encoding=encoding,
                              delimiter=options.delimiter or spec.delimiter,
                              sheet=options.sheet or spec.sheet)
            headers = map_headers(table, src.headers, spec, path.name)
            cols = _plan_columns(con, ws, table, src, headers, spec, rules, path.name,
                                 options.lang)
            step("checking")
            try:
                _stage(con, table, cols, src)
                src.number_rows(con, STAGE)
                break
            except RetryWithEncoding as retry:
                src.cleanup(con)
                encoding = retry.encoding
        generated = _generate_keys(con, table, cols)
        _reject_duplicates(con, table, cols, generated)
        created = _unknown_customers(con, table, options.strict)
        src.fill_text(con, STAGE, f"_err IS NOT NULL AND _err <> {BLANK}")
        accepted, rejected = _count(con, src)
        inserted, updated, unchanged = _compare(con, table, cols, accepted)
        if rejected:
            con.execute(f"CREATE OR REPLACE TEMP TABLE _tw_rejected AS SELECT * FROM {STAGE} "
                        f"WHERE _err IS NOT NULL AND _err <> {BLANK}")
        top = _top_reasons(con, table, cols, src.headers, options.lang) if rejected else []
        rejected_file = _write_rejects(con, table, src, cols, path, options, rejected)
        summary = ImportSummary(
            table=table.name, file=str(path), format=src.format, encoding=src.encoding,
            read=src.read, accepted=accepted, inserted=inserted, updated=updated,
            unchanged=unchanged, rejected=rejected, blank=src.blank,
            customers_created=created if not options.strict else 0,
            rejected_file=str(rejected_file) if rejected_file else None,
            columns={c.header: c.name for c in cols if c.header},
            ignored_columns=headers.ignored, dry_run=options.dry_run, strict=options.strict,
            seconds=0.0, top_reasons=top,
        )
        if options.strict and rejected:
            raise DataError(_strict_message(summary, options.lang))
        if not options.dry_run:
            step("writing")
            # Only the write is a transaction: the stage is temporary, so a failure or
            # kill before or during it leaves the workspace as it was.
            with ws.transaction():
                row = con.execute("SELECT nextval('import_seq')").fetchone()
                import_id = int(row[0]) if row else 0
                _write(con, table, cols, summary, options, started_at, import_id)
            summary.import_id = import_id
        summary.seconds = round(time.perf_counter() - started, 3)
        return summary
    finally:
        if src is not None:
            src.cleanup(con)


def _table(name: str) -> Table:
    if name not in TABLES:
        import difflib

        close = difflib.get_close_matches(name, TABLES, 1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise ConfigError(f"no table '{name}'{hint}; tables are {', '.join(TABLES)}")
    return TABLES[name]


# -- planning the columns ----------------------------------------------------------------
def _plan_columns(con: duckdb.DuckDBPyConnection, ws: Workspace, table: Table, src: Source,
                  headers: HeaderMap, spec: MappingSpec, rules: ValueRules,
                  source: str, lang: str = "en") -> list[_Col]:
    for col in table.columns:
        if col.name in headers.canonical or col.name in table.generated_key:
            continue
        if col.required and not (
            table.name == "orders" and col.name == "amount"
            and {"quantity", "unit_price"} <= headers.canonical.keys()
        ):
            raise missing_column_error(table, col.name, src.headers, source, lang)
    out: list[_Col] = []
    by_header = {h: name for name, h in headers.canonical.items()}
    for header in src.headers:  # file order, so a row's first problem is its leftmost
        if header in by_header:
            out.append(_canonical(table.column(by_header[header]), header, src, spec, rules))
    if table.name == "orders" and "amount" not in headers.canonical:
        out.append(_Col("amount", "", "DECIMAL(18,2)", "NULL", "NULL", "false", "NULL"))
    if table.name == "orders":
        _compute_amount(out)
    existing = _existing_attributes(con, table)
    for attr, header in headers.extras.items():
        if attr in table.names or attr in (IMPORT_ID, CREATED_BY_IMPORT):
            headers.ignored.append(header)
            continue
        out.append(_attribute(con, attr, header, src, existing.get(attr)))
    return out


def _raw(header: str, src: Source, mapped: dict[str, str] | None = None) -> str:
    """SQL for the file's value of ``header`` as text; ``mapped`` rewrites values first."""
    raw = ident(header) if src.types.get(header) == "VARCHAR" else (
        f"CAST({ident(header)} AS VARCHAR)")
    if mapped:
        pairs = " ".join(f"WHEN {sql_str(k)} THEN {sql_str(v)}" for k, v in mapped.items())
        raw = f"(CASE {clean_text(raw)} {pairs} ELSE {raw} END)"
    return raw



def _canonical(col: Column, header: str, src: Source, spec: MappingSpec,
               rules: ValueRules) -> _Col:
    """How canonical column ``col`` is read from ``header``.

    ``value``, ``slow`` and ``present`` run on every row, so they read the raw cell with
    the cheap forms first. ``problem`` runs on the stored stage; ``code`` only on rejected
    rows, where the cleaned text ``t_<name>`` is at hand.
    """
    t, v, stored = f"t_{col.name}", f"v_{col.name}", ident(col.name)
    typed = src.types.get(header, "VARCHAR") != "VARCHAR"
    mapped = None if col.kind == "activity_kind" else spec.values.get(col.name)
    raw = _raw(header, src, mapped)
    parsed_kind = col.kind in ("timestamp", "date", "money", "number", "integer")
    if typed and parsed_kind:  # Parquet dates and numbers: cast, no text parsing
        value = f"TRY_CAST({ident(header)} AS {col.sql_type})"
        if col.kind == "integer" and not _is_integer_type(src.types[header]):
            d = f"TRY_CAST({ident(header)} AS DOUBLE)"  # 1.5 is not whole
            value = f"CASE WHEN {d} = trunc({d}) THEN TRY_CAST({d} AS BIGINT) END"
        fast: str | None = value
    else:
        fast = fast_value(col.kind, raw, rules, col.sql_type)
        value = parse_value(col.kind, raw, rules, col.sql_type, spec.values.get(col.name))
    required = col.required or col.name in ("order_id", "line_no")
    ranges: list[tuple[str, str]] = []  # (condition on a value {v}, reason code)
    if col.kind in ("timestamp", "date"):
        ranges.append(("year({v}) NOT BETWEEN 1900 AND 2100", "implausible_date"))
    if col.name in RULES:
        ranges.append(RULES[col.name])
    # slow: cheap test, on the raw cell, that the value needed the slow forms; such rows
    # keep their text for the rejected-rows report (other rejected rows get it from a
    # second read of the file, only when there are any).
    slow = []
    if fast is not None:
        slow.append(f"({raw} IS NOT NULL AND {fast} IS NULL)")
    elif col.kind == "activity_kind":
        slow.append(f"({raw} IS NOT NULL AND {v} IS NULL)")
    present = None
    if required:
        problem = f"{stored} IS NULL"
    elif parsed_kind or col.kind == "activity_kind":
        check = f"{fast} IS NOT NULL" if fast is not None else "false"
        present = (f"CASE WHEN {raw} IS NULL THEN false WHEN {check} THEN true "
                   f"ELSE {clean_text(raw)} IS NOT NULL END")
        problem = f"({stored} IS NULL AND _p_{col.name})"
    else:
        problem = "false"
    code = f"CASE WHEN {t} IS NULL THEN 'missing' ELSE " + (
        value_problem(col.kind, t, v, rules) or "'bad_value'") + " END"
    for cond, reason_code in reversed(ranges):
        code = f"CASE WHEN {cond.format(v=v)} THEN '{reason_code}' ELSE {code} END"
    problems = [problem, *(cond.format(v=stored) for cond, _ in ranges)]
    return _Col(col.name, header, col.sql_type, clean_text(raw), value, " OR ".join(problems),
                code, slow=" OR ".join(slow) or "false", present=present)


def _is_integer_type(duckdb_type: str) -> bool:
    return duckdb_type.upper() in ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT",
                                   "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT")


def _compute_amount(cols: list[_Col]) -> None:
    """Orders: a missing amount is quantity × unit price (a bad one is still rejected)."""
    names = {c.name for c in cols}
    amount = next(c for c in cols if c.name == "amount")
    product = "CAST(round(v_quantity * v_unit_price, 2) AS DECIMAL(18,2))"
    computable = {"quantity", "unit_price"} <= names
    if amount.header:
        if computable:
            amount.value = (f"CASE WHEN {amount.value} IS NOT NULL THEN {amount.value} "
                            f"WHEN {amount.text} IS NULL THEN {product} END")
        amount.code = f"CASE WHEN t_amount IS NOT NULL THEN {amount.code} ELSE 'no_amount' END"
    else:
        amount.value = product
        amount.code = "'no_amount'"
    amount.problem = '"amount" IS NULL'


def _existing_attributes(con: duckdb.DuckDBPyConnection, table: Table) -> dict[str, str]:
    rows = con.execute(
        "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ? "
        "AND schema_name = 'main'", [table.name]
    ).fetchall()
    return {str(n): str(t) for n, t in rows}


def _attribute(con: duckdb.DuckDBPyConnection, attr: str, header: str, src: Source,
               existing: str | None) -> _Col:
    """An extra attribute column: the existing column's type, else DOUBLE when every
    value is a number, else VARCHAR."""
    text = clean_text(_raw(header, src))
    if existing is None:
        row = con.execute(
            f"SELECT count({text}), count(TRY_CAST({text} AS DOUBLE)) FROM {src.relation}"
        ).fetchone()
        existing = "DOUBLE" if row and row[0] and row[0] == row[1] else "VARCHAR"
    if existing == "VARCHAR":
        return _Col(attr, header, existing, text, text, "false", "'bad_value'",
                    is_attribute=True)
    raw = _raw(header, src)
    return _Col(attr, header, existing, text, f"TRY_CAST({text} AS {existing})",
                f"({ident(attr)} IS NULL AND _p_{attr})", "'bad_value'",
                slow=f"({raw} IS NOT NULL AND TRY_CAST({raw} AS {existing}) IS NULL)",
                present=f"{text} IS NOT NULL", detail=sql_str(existing), is_attribute=True)


# -- staging -----------------------------------------------------------------------------
def _stage(con: duckdb.DuckDBPyConnection, table: Table, cols: list[_Col], src: Source) -> None:
    """Parse every record in one scan into the staging table, then mark failing rows.

    The stage has the target table's columns in its order (absent ones NULL), the new
    attribute columns, and scratch columns: ``_row``, ``_p_<name>`` (a value was there),
    ``_blank``, ``_raw`` (the row's text, only for rows that needed a slow form), ``_err``
    and ``_detail``.
    ``_err`` (index of the first failing column, NULL when fine, BLANK for a row with no
    value) is set afterwards over stored columns: the engine inlines sub-selects, so
    referring to parsed values twice in one query would parse them twice.
    """
    values = _values_sql(cols)
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
        f"CREATE OR REPLACE TEMP TABLE {STAGE} AS SELECT _row, {', '.join(layout + scratch)} "
        f"FROM (SELECT *, {values} FROM {src.relation})"
    )
    # A computed amount fails when quantity or unit price does: report those first.
    order = sorted(range(len(cols)), key=lambda i: cols[i].name == "amount")
    err = " ".join(f"WHEN {cols[i].problem} THEN {i}" for i in order)
    fails = " OR ".join(f"({c.problem})" for c in cols)
    con.execute(f"UPDATE {STAGE} SET _err = CASE WHEN _blank THEN {BLANK} {err} END "
                f"WHERE _blank OR {fails}")



def _texts_sql(cols: list[_Col]) -> str:
    """Cleaned texts of the columns that come from the file (for reasons only)."""
    return ", ".join(f"{c.text} AS t_{c.name}" for c in cols if c.header)


def _values_sql(cols: list[_Col]) -> str:
    """Typed values in dependency order (amount may use quantity and unit price)."""
    ordered = sorted(cols, key=lambda c: c.name == "amount")
    # DuckDB resolves aliases defined earlier in the same SELECT list.
    return ", ".join(f"{c.value} AS v_{c.name}" for c in ordered)


def _generate_keys(con: duckdb.DuckDBPyConnection, table: Table, cols: list[_Col]) -> list[str]:
    """Keys the file lacks, made stable so re-importing the same rows finds the same keys:
    a hash of the row's content and of how many identical rows came before it."""
    present = {c.name for c in cols}
    missing = [k for k in table.generated_key if k not in present]
    if not missing:
        return []
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
        cols.append(_Col(name, "", "BIGINT" if name == "line_no" else "VARCHAR", "NULL",
                         "NULL", "false", "NULL"))
    return list(gen)


def _reject_duplicates(con: duckdb.DuckDBPyConnection, table: Table, cols: list[_Col],
                       generated: list[str]) -> None:
    """A key repeated inside the file: the first row stands, later ones are rejected."""
    key = [ident(k) for k in table.key]
    on = " AND ".join(f"s.{k} = d.{k}" for k in key)
    dup = con.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM {STAGE} WHERE _err IS NULL "
        f"GROUP BY {', '.join(key)} HAVING count(*) > 1)"
    ).fetchone()
    if not dup or not dup[0]:
        return
    con.execute(
        f"UPDATE {STAGE} s SET _err = {DUPLICATE}, _detail = CAST(d.first AS VARCHAR) FROM "
        f"(SELECT {', '.join(key)}, min(_row) AS first FROM {STAGE} WHERE _err IS NULL "
        f"GROUP BY {', '.join(key)} HAVING count(*) > 1) d WHERE {on} AND s._row > d.first "
        f"AND s._err IS NULL"
    )


def _unknown_customers(con: duckdb.DuckDBPyConnection, table: Table, strict: bool) -> int:
    """Customers the rows name that the workspace lacks: rejected under --strict, else
    counted (they are created when the import is written)."""
    if not table.references_customers:
        return 0
    unknown = ("_err IS NULL AND customer_id NOT IN (SELECT customer_id FROM customers "
               "WHERE customer_id IS NOT NULL)")
    if strict:
        con.execute(f"UPDATE {STAGE} SET _err = {UNKNOWN_CUSTOMER} WHERE {unknown}")
        return 0
    row = con.execute(f"SELECT count(DISTINCT customer_id) FROM {STAGE} WHERE {unknown}"
                      ).fetchone()
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


def _compare(con: duckdb.DuckDBPyConnection, table: Table, cols: list[_Col],
             accepted: int) -> tuple[int, int, int]:
    """(inserted, updated, unchanged) the accepted rows would cause."""
    existing = con.execute(f"SELECT count(*) FROM {ident(table.name)}").fetchone()
    if not existing or not existing[0]:
        return accepted, 0, 0
    row = con.execute(
        f"SELECT count(*) FILTER (WHERE t.{ident(table.key[0])} IS NULL), "
        f"count(*) FILTER (WHERE t.{ident(table.key[0])} IS NOT NULL AND ({_differs(con, table, cols)})) "
        f"FROM {STAGE} s LEFT JOIN {ident(table.name)} t ON {_key_join(table)} "
        f"WHERE s._err IS NULL"
    ).fetchone()
    inserted, updated = (int(row[0]), int(row[1])) if row else (0, 0)
    return inserted, updated, accepted - inserted - updated


def _key_join(table: Table) -> str:
    return " AND ".join(f"t.{ident(k)} = s.{ident(k)}" for k in table.key)


def _differs(con: duckdb.DuckDBPyConnection, table: Table, cols: list[_Col]) -> str:
    have = _existing_attributes(con, table)
    parts = []
    for c in cols:
        if c.name in table.key:
            continue
        if c.name in have:
            parts.append(f"t.{ident(c.name)} IS DISTINCT FROM s.{ident(c.name)}")
        else:  # a new attribute column: a value in it is a change
            parts.append(f"s.{ident(c.name)} IS NOT NULL")
    if table.name == "customers":
        parts.append(f"t.{CREATED_BY_IMPORT}")
    return " OR ".join(parts) or "false"


# -- rejected rows -----------------------------------------------------------------------
def _rejected_sql(table: Table, cols: list[_Col], headers: list[str]) -> str:
    """One row per rejected record: the file's columns, then ``tierwise_row``,
    ``tierwise_column``, ``tierwise_value``, ``tierwise_reason`` (en), ``tierwise_原因`` (zh)
    and ``tierwise_code``. Reasons are recomputed here for the rejected rows only.

    Rows that parsed but repeat a key or name an unknown customer show their values as
    parsed (the scan keeps the file's text only for rows that fail to parse)."""
    by_name = {c.name: c for c in cols if c.header}
    keys = [c for c in cols if c.name in table.key]
    cust = by_name.get("customer_id")
    column = " ".join(f"WHEN {i} THEN {sql_str(c.header)}" for i, c in enumerate(cols))
    code = " ".join(f"WHEN {i} THEN {c.code}" for i, c in enumerate(cols))
    bad = " ".join(f"WHEN {i} THEN t_{c.name}" for i, c in enumerate(cols) if c.header)
    detail = " ".join(f"WHEN {i} THEN {c.detail}" for i, c in enumerate(cols) if c.detail != "NULL")
    key_header = sql_str(", ".join(c.header or c.name for c in keys))
    key_text = ("concat_ws(' / ', " + ", ".join(f"CAST(s_{c.name} AS VARCHAR)" for c in keys)
                + ")") if keys else "NULL"
    cust_header, cust_value = (sql_str(cust.header), "s_customer_id") if cust else ("NULL", "NULL")
    header_of = {c.header: c.name for c in cols if c.header}
    # the file's text where the scan kept it, else the value as parsed
    texts_of = {h: (f"coalesce(_raw[{i + 1}], CAST({ident(header_of[h])} AS VARCHAR))"
                    if h in header_of else f"_raw[{i + 1}]") for i, h in enumerate(headers)}
    originals = "".join(f", {ident(f'r_{h}')} AS {ident(h)}" for h in headers)
    rows = ", ".join(
        ["_row", "_err", "_detail", *(f"{ident(c.name)} AS s_{c.name}" for c in cols),
         *(f"{texts_of[h]} AS {ident(h)}" for h in headers),
         *(f"{texts_of[h]} AS {ident(f'r_{h}')}" for h in headers)])
    texts = _texts_sql(cols) or "NULL AS _no_text"
    parsed = (
        f"SELECT {originals.lstrip(', ') + ', ' if originals else ''}e._row AS tierwise_row, "
        f"CASE e._err WHEN {DUPLICATE} THEN {key_header} WHEN {UNKNOWN_CUSTOMER} THEN "
        f"{cust_header} {column} END AS tierwise_column, "
        f"CASE e._err WHEN {DUPLICATE} THEN {key_text} WHEN {UNKNOWN_CUSTOMER} THEN "
        f"{cust_value} {bad} END AS tierwise_value, "
        f"CASE e._err WHEN {DUPLICATE} THEN 'duplicate_key' WHEN {UNKNOWN_CUSTOMER} THEN "
        f"'unknown_customer' {code} END AS code, "
        f"coalesce(e._detail, CASE e._err {detail or 'WHEN NULL THEN NULL'} END) AS detail "
        f"FROM (SELECT *, {_values_sql(cols)} FROM (SELECT *, {texts} FROM "
        f"(SELECT {rows} FROM _tw_rejected))) e"
    )
    unreadable = ("SELECT _row AS tierwise_row, NULL::VARCHAR AS tierwise_column, "
                  "raw AS tierwise_value, code, detail FROM _tw_bad")
    return (
        f"SELECT * EXCLUDE (code, detail), "
        f"{reason_sql('code', 'tierwise_value', 'detail', 'en')} AS tierwise_reason, "
        f"{reason_sql('code', 'tierwise_value', 'detail', 'zh')} AS tierwise_原因, "
        f"code AS tierwise_code FROM ({parsed} UNION ALL BY NAME {unreadable})"
    )


def _top_reasons(con: duckdb.DuckDBPyConnection, table: Table, cols: list[_Col],
                 headers: list[str], lang: str, limit: int = 5) -> list[dict[str, object]]:
    """The most common (column, reason) pairs among rejected rows, with the first example."""
    rows = con.execute(
        f"SELECT tierwise_column, tierwise_code, count(*), min(tierwise_row), "
        f"arg_min(tierwise_value, tierwise_row), arg_min(tierwise_reason, tierwise_row), "
        f"arg_min(tierwise_原因, tierwise_row) FROM ({_rejected_sql(table, cols, headers)}) "
        f"GROUP BY ALL ORDER BY count(*) DESC, min(tierwise_row) LIMIT {limit}"
    ).fetchall()
    return [
        {"column": c, "code": code, "count": int(n), "first_row": int(r), "value": val,
         "reason": zh if lang == "zh" else en}
        for c, code, n, r, val, en, zh in rows
    ]


def _write_rejects(con: duckdb.DuckDBPyConnection, table: Table, src: Source, cols: list[_Col],
                   path: Path, options: ImportOptions, rejected: int) -> Path | None:
    """Write ``FILE.rejected.csv`` (UTF-8 with BOM); remove a stale one when none are."""
    target = options.rejected_path or path.with_name(path.stem + ".rejected.csv")
    if not rejected:
        if target.exists() and options.rejected_path is None:
            target.unlink()
        return None
    body = target.with_name(target.name + ".part")
    con.execute(
        f"COPY ({_rejected_sql(table, cols, src.headers)} ORDER BY tierwise_row) "
        f"TO {sql_str(str(body))} "
        f"(HEADER, DELIMITER ',')"
    )
    tmp = target.with_name(target.name + ".tmp")
    with tmp.open("wb") as out, body.open("rb") as inp:
        out.write(b"\xef\xbb\xbf")
        while chunk := inp.read(1 << 20):
            out.write(chunk)
    body.unlink()
    tmp.replace(target)
    return target


def _strict_message(summary: ImportSummary, lang: str) -> str:
    first = summary.top_reasons[0] if summary.top_reasons else None
    from tierwise.i18n import t

    text = t("import.strict_failed", lang,
             file=Path(summary.file).name, n=summary.rejected, rejected=summary.rejected_file)
    if first:
        text += " " + t("import.first", lang, row=first["first_row"], column=first["column"],
                        reason=first["reason"])
    return text


# -- writing -----------------------------------------------------------------------------
def _write(con: duckdb.DuckDBPyConnection, table: Table, cols: list[_Col],
           summary: ImportSummary, options: ImportOptions, started_at: dt.datetime,
           import_id: int) -> None:
    """Upsert the accepted rows (and the customers they need); the caller holds the
    transaction."""
    name = ident(table.name)
    names = [c.name for c in cols]
    _faults.checkpoint("import.before_write")
    if table.references_customers and summary.customers_created:
        con.execute(
            f"INSERT INTO customers (customer_id, {CREATED_BY_IMPORT}, {IMPORT_ID}) "
            f"SELECT DISTINCT customer_id, true, {import_id} FROM {STAGE} WHERE _err IS "
            f"NULL AND customer_id NOT IN (SELECT customer_id FROM customers "
            f"WHERE customer_id IS NOT NULL)"
        )
    # Measured: writing the stage into the workspace file and renaming it into place on a
    # first import is slower than this copy (the temporary stage spills to disk cheaply).
    have = _existing_attributes(con, table)
    for c in cols:
        if c.is_attribute and c.name not in have:
            con.execute(f"ALTER TABLE {name} ADD COLUMN {ident(c.name)} {c.sql_type}")
    system = {IMPORT_ID: str(import_id)}
    if table.name == "customers":
        system[CREATED_BY_IMPORT] = "false"
    targets = ", ".join(ident(n) for n in [*names, *system])
    values = ", ".join([*(f"s.{ident(n)}" for n in names), *system.values()])
    if summary.inserted == summary.accepted:
        con.execute(f"INSERT INTO {name} ({targets}) SELECT {values} "
                    f"FROM {STAGE} s WHERE s._err IS NULL")
    elif summary.inserted or summary.updated:
        sets = ", ".join([*(f"{ident(n)} = s.{ident(n)}" for n in names if n not in table.key),
                          *(f"{k} = {v}" for k, v in system.items())])
        con.execute(
            f"MERGE INTO {name} AS t USING (SELECT * FROM {STAGE} WHERE _err IS NULL) "
            f"AS s ON {_key_join(table)} "
            f"WHEN MATCHED AND ({_differs(con, table, cols)}) THEN UPDATE SET {sets} "
            f"WHEN NOT MATCHED THEN INSERT ({targets}) VALUES ({values})"
        )
    _faults.checkpoint("import.after_write")
    con.execute(
        "INSERT INTO imports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [import_id, table.name, summary.file, summary.format, summary.encoding,
         started_at, dt.datetime.now(), summary.read, summary.accepted, summary.inserted,
         summary.updated, summary.unchanged, summary.rejected, summary.customers_created,
         summary.rejected_file, json.dumps({
             "strict": options.strict, "date_order": options.date_order,
             "decimal_comma": options.decimal_comma,
             "mapping": str(options.mapping) if options.mapping else None})],
    )
