"""The rejected-rows report: reasons recomputed for rejected rows only, and the file.

Rejected rows are collected in ``_tw_rejected`` (see :mod:`tierwise.data.importer`); the
file ``FILE.rejected.csv`` holds the file's own columns, then ``tierwise_row``,
``tierwise_column``, ``tierwise_value``, ``tierwise_reason``, ``tierwise_原因`` and
``tierwise_code``. Its text is written as every CSV the product writes (an apostrophe before
formula-like text, :mod:`tierwise.data.csvsafe`), which an import reads off again.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from tierwise.data.columns import Col, texts_sql, values_sql
from tierwise.data.csvsafe import safe_sql
from tierwise.data.sources import Source
from tierwise.data.values import ident, reason_sql, sql_str
from tierwise.i18n import t
from tierwise.store.schema import Table

if TYPE_CHECKING:
    from tierwise.data.importer import ImportOptions, ImportSummary

DUPLICATE, UNKNOWN_CUSTOMER, BLANK = -1, -2, -9  # _err codes that are not a column's index
# the text columns tierwise adds after the file's own, after ``tierwise_row``
OWN_TEXT = ("tierwise_column", "tierwise_value", "tierwise_reason", "tierwise_原因", "tierwise_code")


# -- rejected rows -----------------------------------------------------------------------
def rejected_sql(table: Table, cols: list[Col], headers: list[str]) -> str:
    """One row per rejected record: the file's columns, then ``tierwise_row``,
    ``tierwise_column``, ``tierwise_value``, ``tierwise_reason`` (en), ``tierwise_原因`` (zh)
    and ``tierwise_code``. Reasons are recomputed here for the rejected rows only.

    The file's own text comes from ``_raw``: kept by the scan for rows that needed a slow
    form, read back from the file for the others (see ``Source.fill_text``)."""
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
    # the file's text (the parsed value only if the file could not be read back)
    texts_of = {h: (f"coalesce(_raw[{i + 1}], CAST({ident(header_of[h])} AS VARCHAR))"
                    if h in header_of else f"_raw[{i + 1}]") for i, h in enumerate(headers)}
    rows = ", ".join(
        ["_row", "_err", "_detail", *(f"{ident(c.name)} AS s_{c.name}" for c in cols),
         *(f"{texts_of[h]} AS {ident(h)}" for h in headers)])
    originals = "".join(f"e.{ident(h)}, " for h in headers)
    texts = texts_sql(cols) or "NULL AS _no_text"
    extra = f"CASE e._err {detail} END" if detail else "NULL"
    parsed = (
        f"SELECT {originals}e._row AS tierwise_row, "
        f"CASE e._err WHEN {DUPLICATE} THEN {key_header} WHEN {UNKNOWN_CUSTOMER} THEN "
        f"{cust_header} {column} END AS tierwise_column, "
        f"CASE e._err WHEN {DUPLICATE} THEN {key_text} WHEN {UNKNOWN_CUSTOMER} THEN "
        f"{cust_value} {bad} END AS tierwise_value, "
        f"CASE e._err WHEN {DUPLICATE} THEN 'duplicate_key' WHEN {UNKNOWN_CUSTOMER} THEN "
        f"'unknown_customer' {code} END AS code, "
        f"coalesce(e._detail, {extra}) AS detail "
        f"FROM (SELECT *, {values_sql(cols)} FROM (SELECT *, {texts} FROM "
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


def top_reasons(con: duckdb.DuckDBPyConnection, table: Table, cols: list[Col],
                 headers: list[str], lang: str, limit: int = 5) -> list[dict[str, object]]:
    """The most common (column, reason) pairs among rejected rows, with the first example."""
    rows = con.execute(
        f"SELECT tierwise_column, tierwise_code, count(*), min(tierwise_row), "
        f"arg_min(tierwise_value, tierwise_row), arg_min(tierwise_reason, tierwise_row), "
        f"arg_min(tierwise_原因, tierwise_row) FROM ({rejected_sql(table, cols, headers)}) "
        f"GROUP BY ALL ORDER BY count(*) DESC, min(tierwise_row) LIMIT {limit}"
    ).fetchall()
    return [
        {"column": c, "code": code, "count": int(n), "first_row": int(r), "value": val,
         "reason": zh if lang == "zh" else en}
        for c, code, n, r, val, en, zh in rows
    ]


def write_rejects(con: duckdb.DuckDBPyConnection, table: Table, src: Source, cols: list[Col],
                   path: Path, options: ImportOptions, rejected: int) -> Path | None:
    """Write ``FILE.rejected.csv`` (UTF-8 with BOM); remove a stale one when none are. A dry
    run writes (and removes) nothing unless a rejected-rows file was asked for by name."""
    if options.dry_run and options.rejected_path is None:
        return None
    target = options.rejected_path or path.with_name(path.stem + ".rejected.csv")
    if not rejected:
        if target.exists() and options.rejected_path is None:
            target.unlink()
        return None
    body = target.with_name(target.name + ".part")
    tmp = target.with_name(target.name + ".tmp")
    # formula-like text (the file's own too) behind an apostrophe: the file is opened in a spreadsheet
    safe = ", ".join([*(f"{safe_sql(ident(h))} AS {ident(h)}" for h in src.headers), "tierwise_row",
                      *(f"{safe_sql(ident(c))} AS {ident(c)}" for c in OWN_TEXT)])
    try:  # written aside, then moved into place: never a half-written rejected file
        con.execute(f"COPY (SELECT {safe} FROM ({rejected_sql(table, cols, src.headers)}) "
                    f"ORDER BY tierwise_row) TO {sql_str(str(body))} (HEADER, DELIMITER ',')")
        with tmp.open("wb") as out, body.open("rb") as inp:
            out.write(b"\xef\xbb\xbf")  # BOM: Excel then reads the file as UTF-8
            while chunk := inp.read(1 << 20):
                out.write(chunk)
        tmp.replace(target)
    finally:
        body.unlink(missing_ok=True)
        tmp.unlink(missing_ok=True)
    return target


def strict_message(summary: ImportSummary, lang: str) -> str:
    """The --strict error: how many rows would be rejected, where, and the first reason."""
    first = summary.top_reasons[0] if summary.top_reasons else None
    text = t("import.strict_failed", lang,
             file=Path(summary.file).name, n=summary.rejected, rejected=summary.rejected_file)
    if first:
        text += " " + t("import.first", lang, row=first["first_row"], column=first["column"],
                        reason=first["reason"])
    return text
