"""How each column of a file is read into a canonical column: parse, check, explain.

:func:`plan_columns` turns the header mapping into :class:`Col` objects, each a few SQL
expressions: the typed ``value`` (over the file's raw cells, fast paths first), cheap
``slow``/``present`` flags for the scan, the ``problem`` that makes a row fail (over the
stored stage) and the reason ``code`` (over the cleaned text of rejected rows only).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from tierwise.data.headers import HeaderMap, MappingSpec, missing_column_error
from tierwise.data.sources import Source
from tierwise.data.values import (
    ValueRules,
    clean_text,
    fast_value,
    ident,
    parse_value,
    sql_str,
    value_problem,
)
from tierwise.store.schema import Column, Table, own_columns

RULES = {  # range checks beyond parsing: column -> (SQL condition that fails, reason code)
    "credit_limit": ("{v} < 0", "negative"),
    "payment_terms_days": ("{v} < 0", "negative"),
    "capacity": ("{v} < 0", "negative"),
    "consumption_days": ("{v} <= 0", "not_positive"),
}


@dataclass
class Col:
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
    present: str | None = None  # SQL over the file's columns: a value is there (_p_<name>)
    is_attribute: bool = False


# -- planning the columns ----------------------------------------------------------------
def plan_columns(con: duckdb.DuckDBPyConnection, table: Table, src: Source, headers: HeaderMap,
                 spec: MappingSpec, rules: ValueRules, source: str,
                 lang: str = "en") -> list[Col]:
    """The columns to import from file ``source``, in file order, then tierwise's own.

    Raises :class:`~tierwise.errors.DataError` when a required column has no header
    (orders may give quantity and unit price instead of an amount).
    """
    for col in table.columns:
        if col.name in headers.canonical or col.name in table.generated_key:
            continue
        if col.required and not (
            table.name == "orders" and col.name == "amount"
            and {"quantity", "unit_price"} <= headers.canonical.keys()
        ):
            raise missing_column_error(table, col.name, src.headers, source, lang)
    out: list[Col] = []
    by_header = {h: name for name, h in headers.canonical.items()}
    for header in src.headers:  # file order, so a row's first problem is its leftmost
        if header in by_header:
            out.append(_canonical(table.column(by_header[header]), header, src, spec, rules))
    if table.name == "orders" and "amount" not in headers.canonical:
        out.append(Col("amount", "", "DECIMAL(18,2)", "NULL", "NULL", "false", "NULL"))
    if table.name == "orders":
        _compute_amount(out)
    existing = existing_attributes(con, table)
    for attr, header in headers.extras.items():
        if attr in table.names or attr in own_columns(table):
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
               rules: ValueRules) -> Col:
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
    empty = "no_customer" if col.name == "customer_id" else "missing"
    code = f"CASE WHEN {t} IS NULL THEN '{empty}' ELSE " + (
        value_problem(col.kind, t, v, rules) or "'bad_value'") + " END"
    for cond, reason_code in reversed(ranges):
        code = f"CASE WHEN {cond.format(v=v)} THEN '{reason_code}' ELSE {code} END"
    problems = [problem, *(cond.format(v=stored) for cond, _ in ranges)]
    return Col(col.name, header, col.sql_type, clean_text(raw), value, " OR ".join(problems),
               code, slow=" OR ".join(slow) or "false", present=present)


def _is_integer_type(duckdb_type: str) -> bool:
    return duckdb_type.upper() in ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT",
                                   "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT")


def _compute_amount(cols: list[Col]) -> None:
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


def existing_attributes(con: duckdb.DuckDBPyConnection, table: Table) -> dict[str, str]:
    rows = con.execute(
        "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ? "
        "AND schema_name = 'main'", [table.name]
    ).fetchall()
    return {str(n): str(t) for n, t in rows}


def _attribute(con: duckdb.DuckDBPyConnection, attr: str, header: str, src: Source,
               existing: str | None) -> Col:
    """An extra attribute column: the existing column's type, else DOUBLE when every
    value is a number, else VARCHAR."""
    text = clean_text(_raw(header, src))
    if existing is None:  # one look at the file (a CSV is scanned once more: small tables)
        row = con.execute(
            f"SELECT count({text}), count(TRY_CAST({text} AS DOUBLE)) FROM {src.relation}"
        ).fetchone()
        existing = "DOUBLE" if row and row[0] and row[0] == row[1] else "VARCHAR"
    if existing == "VARCHAR":
        return Col(attr, header, existing, text, text, "false", "'bad_value'",
                   is_attribute=True)
    raw = _raw(header, src)
    return Col(attr, header, existing, text, f"TRY_CAST({text} AS {existing})",
               f"({ident(attr)} IS NULL AND _p_{attr})", "'bad_value'",
               slow=f"({raw} IS NOT NULL AND TRY_CAST({raw} AS {existing}) IS NULL)",
               present=f"{text} IS NOT NULL", detail=sql_str(existing), is_attribute=True)


def texts_sql(cols: list[Col]) -> str:
    """Cleaned texts of the columns that come from the file (for reasons only)."""
    return ", ".join(f"{c.text} AS t_{c.name}" for c in cols if c.header)


def values_sql(cols: list[Col]) -> str:
    """Typed values in dependency order (amount may use quantity and unit price)."""
    ordered = sorted(cols, key=lambda c: c.name == "amount")
    # DuckDB resolves aliases defined earlier in the same SELECT list.
    return ", ".join(f"{c.value} AS v_{c.name}" for c in ordered)
