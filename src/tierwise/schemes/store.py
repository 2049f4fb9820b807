"""Reading stored classifications: snapshots, and the classes of one as a table to export.

Labels come from the scheme text stored with the snapshot, so an export shows the names the
classes had when they were assigned, even after the scheme file was edited. Reasons are
stored as templates and the values they quote (:mod:`tierwise.schemes.why`) and written out
here: by the engine for many rows (:func:`classes_from`, :func:`written_reason`), in Python
for one customer's (:func:`fill_reason`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from tierwise.errors import ConfigError, DataError
from tierwise.schemes import spec as sp
from tierwise.schemes import why
from tierwise.schemes.fmt import dialect
from tierwise.store.keys import customer_key, has_customer, one_customer_sql

if TYPE_CHECKING:
    from tierwise.store.database import Database

EXPORT_COLUMNS = ("snapshot_id", "as_of", "customer_id", "scheme", "class", "label_zh", "label_en",
                  "computed_class", "override_id", "provisional_until", "reason")


def latest_snapshot(ws: Database, scheme: str | None = None) -> int:
    """The current classification: the snapshot with the latest as-of date (then the latest
    run) — of those holding ``scheme``, when given."""
    from tierwise.schemes.facts import require_current

    return require_current(ws.con, scheme)


def reason_sql(lang: str) -> str:
    """SQL for the reason a person reads, over ``classes c``, ``overrides o`` (joined on
    override_id), ``snapshot_customers f`` and ``snapshots s``: the computed reason, led by
    the override holding the class and followed by the provisional mark."""
    if lang == "zh":
        held = """concat('计算为 ', coalesce(c.computed_class, '（不在评估范围）'), '，由 ',
                  o.decided_by, ' 调整为 ', c.class,
                  CASE WHEN o.until IS NOT NULL THEN concat('（至 ', o.until, '）') ELSE '' END,
                  '：', o.reason, CASE WHEN c.computed_class IS NOT NULL
                  THEN concat('。计算依据：', c.reason_zh) ELSE '' END)"""
        provisional = """concat('；暂定：首单 ', f.first_order_date, ' 未满 ', s.provisional_months,
                         ' 个月，', f.provisional_until, ' 复评')"""
        base = "c.reason_zh"
    else:
        held = """concat('computed ', coalesce(c.computed_class, '(outside the population)'), ', held at ',
                  c.class, ' by ', o.decided_by, CASE WHEN o.until IS NOT NULL THEN concat(' until ', o.until)
                  ELSE '' END, ': ', o.reason, CASE WHEN c.computed_class IS NOT NULL
                  THEN concat('. Computed: ', c.reason_en) ELSE '' END)"""
        provisional = """concat('; provisional: first order ', f.first_order_date, ', under ',
                         s.provisional_months, ' months; review on ', f.provisional_until)"""
        base = "c.reason_en"
    return (f"concat(CASE WHEN c.override_id IS NULL THEN {base} ELSE {held} END, "
            f"CASE WHEN f.provisional_until IS NOT NULL THEN {provisional} ELSE '' END)")


# classes c with everything needed to read them (but their reasons: see classes_from): the
# snapshot, the scheme's window, the override holding the class, the customer's facts at the
# snapshot
CLASSES_FROM = """classes c JOIN snapshots s USING (snapshot_id)
    JOIN snapshot_schemes x ON x.snapshot_id = c.snapshot_id AND x.scheme = c.scheme
    LEFT JOIN overrides o ON o.override_id = c.override_id
    LEFT JOIN snapshot_customers f ON f.snapshot_id = c.snapshot_id AND f."window" = x."window"
        AND f.customer_id = c.customer_id"""

# One customer's classes (``$customer``, its key ``$key``: see one_customer_params): the same
# joins over that customer's rows, found by the key's zone maps (store/keys.py; MATERIALIZED
# so that the filtered scans run first): about 1 ms at a million customers instead of a scan
# of every class. A computed reason reads as MARK (reason_sql keeps it in place); select
# ONE_CUSTOMER_WHY too and :func:`fill_reason` writes it out.
MARK = "\ue000"
_ONE = one_customer_sql("$key", "$customer")
ONE_CUSTOMER = f"""WITH _c AS MATERIALIZED (SELECT * REPLACE (coalesce(reason_en, '{MARK}') AS reason_en,
        coalesce(reason_zh, '{MARK}') AS reason_zh) FROM classes WHERE {_ONE}),
    _f AS MATERIALIZED (SELECT * FROM snapshot_customers WHERE {_ONE})"""
ONE_CUSTOMER_CLASSES_FROM = (CLASSES_FROM.replace("classes c", "_c c", 1)
                             .replace("snapshot_customers f", "_f f", 1))
WHY_COLUMNS = ("_reasons", "_numbers", "_texts", "_class")  # what fill_reason reads, in its order
ONE_CUSTOMER_WHY = ("x.reasons AS _reasons, c.why AS _numbers, c.why_text AS _texts, "
                    "coalesce(c.computed_class, c.class) AS _class")


def fill_reason(reason: str | None, lang: str, reasons: str | None, numbers: Any, texts: Any,
                klass: str | None) -> str | None:
    """``reason`` (read with :data:`ONE_CUSTOMER`) with its computed part written out from the
    row's :data:`ONE_CUSTOMER_WHY` columns."""
    if reason is None or MARK not in reason:
        return reason
    node = _templates(reasons)[lang] if reasons else None
    shown = why.render_py(node, numbers, texts, klass, lang) if node is not None else None
    return reason.replace(MARK, shown or "")


@functools.lru_cache(maxsize=256)
def _templates(text: str) -> dict[str, why.Node]:
    return why.loads(text)


def templates(ws: Database, snapshot_ids: Iterable[int]) -> dict[tuple[int, str], dict[str, why.Node]]:
    """The reason templates of every scheme of ``snapshot_ids``: (snapshot, scheme) → language
    → template (none for snapshots stored before templates)."""
    return {(sid, name): _templates(text) for sid, name, text in _template_rows(ws, snapshot_ids)}


def _template_rows(ws: Database, snapshot_ids: Iterable[int],
                   scheme: str | None = None) -> list[tuple[int, str, str]]:
    rows = ws.con.execute("SELECT snapshot_id, scheme, reasons FROM snapshot_schemes "
                          "WHERE list_contains(?, snapshot_id) AND reasons IS NOT NULL "
                          "AND (? IS NULL OR scheme = ?) ORDER BY 1, 2",
                          [sorted(set(snapshot_ids)), scheme, scheme]).fetchall()
    return [(int(r[0]), str(r[1]), str(r[2])) for r in rows]


def written_reason(t: ir.Table, found: dict[tuple[int, str], dict[str, why.Node]],
                   lang: str, shown: Callable[[why.Val], ir.StringValue] | None = None) -> ir.StringValue:
    """The reason of each row of ``t`` (class rows: ``snapshot_id, scheme, class,
    computed_class, why, why_text, reason_en, reason_zh``) in ``lang``, written out by the
    engine from the templates ``found`` (:func:`templates`); ``shown``: each value's written
    form, when ``t`` has them (see :func:`classes_from`)."""
    own = t[f"reason_{lang}"]
    if not found:
        return own
    get = why.stored_lookup(t)
    with dialect(t._find_backend().name if shown is None else "duckdb"):
        arms = [((t.snapshot_id == sid) & (t.scheme == name), why.render_ibis(nodes[lang], get, lang, shown))
                for (sid, name), nodes in sorted(found.items())]
    return ibis.coalesce(own, ibis.cases(*arms, else_=ibis.null("string")))


_SQL: dict[tuple[object, ...], str] = {}


def classes_from(ws: Database, snapshot_ids: Iterable[int], scheme: str | None = None, *,
                 among: str | None = None) -> str:
    """:data:`CLASSES_FROM` whose ``c.reason_en`` / ``c.reason_zh`` are written out for the
    classes of ``snapshot_ids`` (of ``scheme`` only, when given: a smaller expression). The SQL
    is kept per set of templates: each set is compiled once per process. ``among``: a table of
    ``customer_id``; only their class rows are read, and their reasons alone written out (a
    sheet's top rows, ranked first: ten million reasons made for the million a sheet shows cost
    ten times the time)."""
    source = ("classes" if among is None else
              f"(SELECT * FROM classes WHERE customer_id IN (SELECT customer_id FROM {among}))")
    rows = _template_rows(ws, snapshot_ids, scheme)
    if not rows:
        return CLASSES_FROM.replace("classes c", f"{source} c", 1)
    key = (scheme is not None, *rows)
    if key not in _SQL:
        found = {(sid, name): _templates(text) for sid, name, text in rows}
        if len(_SQL) > 64:
            _SQL.clear()
        _SQL[key] = _flat_sql(ws, found) if scheme is not None else _inline_sql(ws, found)
    return CLASSES_FROM.replace("classes c", _SQL[key].replace(_SOURCE, source, 1), 1)


_SOURCE = "\ue001"  # where the class rows are read from, in the SQL kept in _SQL


def _inline_sql(ws: Database, found: dict[tuple[int, str], dict[str, why.Node]]) -> str:
    """The class rows with their reasons written out, each value formatted where it stands
    (classes of any number of schemes: a slot means something else in each)."""
    t = ws.ibis.table("classes")
    head, tail = "SELECT ", ' AS "_r" FROM "classes" AS "t0"'
    columns = []
    for lang in ("en", "zh"):
        sql = str(ws.ibis.compile(t.select(_r=written_reason(t, found, lang))))
        assert sql.startswith(head) and sql.endswith(tail), sql[:200]
        columns.append(f"{sql[len(head):-len(tail)]} AS reason_{lang}")
    return f'(SELECT "t0".* REPLACE ({", ".join(columns)}) FROM {_SOURCE} "t0") c'


def _flat_sql(ws: Database, found: dict[tuple[int, str], dict[str, why.Node]]) -> str:
    """The class rows of one scheme with their reasons written out: each value the templates
    write is formatted once, in a subquery, and the reasons are flat concatenations of those
    (about 5× faster than formatting each value where it stands: the formatting expression
    reads the value several times and the engine does not share that between CASE arms)."""
    t = ws.ibis.table("classes")
    get = why.stored_lookup(t)
    wanted = sorted({(lang, v) for lang in ("en", "zh") for nodes in found.values()
                     for v in why.values(nodes[lang])}, key=lambda x: (x[0], x[1].slot, x[1].kind))
    names = {key: f"_v{i}" for i, key in enumerate(wanted)}
    with dialect("duckdb"):
        inner = t.mutate(**{names[(lang, v)]: why.formatted(get(v.slot), v.kind, lang) for lang, v in wanted})
    inner_sql = str(ws.ibis.compile(inner))
    assert inner_sql.count('FROM "classes" AS "t0"') == 1, inner_sql[-200:]
    inner_sql = inner_sql.replace('FROM "classes" AS "t0"', f'FROM {_SOURCE} AS "t0"')
    u = ibis.table(inner.schema(), name="_w")
    head, tail = "SELECT ", ' AS "_r" FROM "_w" AS "t0"'
    columns = []
    for lang in ("en", "zh"):
        reason = written_reason(u, found, lang, lambda v, lang=lang: u[names[(lang, v)]])  # type: ignore[misc]
        sql = str(ws.ibis.compile(u.select(_r=reason)))
        assert sql.startswith(head) and sql.endswith(tail), sql[:200]
        columns.append(f"{sql[len(head):-len(tail)]} AS reason_{lang}")
    drop = f' EXCLUDE ({", ".join(names.values())})' if names else ""
    return f'(SELECT "t0".*{drop} REPLACE ({", ".join(columns)}) FROM ({inner_sql}) "t0") c'


def one_customer_params(customer: str, **more: Any) -> dict[str, Any]:
    """The named parameters of :data:`ONE_CUSTOMER` for ``customer`` (and any ``more``)."""
    return {"customer": customer, "key": customer_key(customer), **more}


def snapshot_schemes(ws: Database, snapshot_id: int) -> dict[str, sp.SchemeSpec]:
    """The specs (as they were when the snapshot ran) of the schemes in ``snapshot_id``."""
    rows = ws.con.execute(
        "SELECT scheme, spec_yaml, origin FROM snapshot_schemes WHERE snapshot_id = ? ORDER BY scheme",
        [snapshot_id]).fetchall()
    if not rows:
        raise ConfigError(f"no snapshot {snapshot_id}: `tierwise classify` makes one / "
                          f"没有快照 {snapshot_id}")
    return {name: sp.load_stored(text, origin) for name, text, origin in rows}


def _labels(specs: dict[str, sp.SchemeSpec]) -> pa.Table:
    return pa.table({
        "scheme": [n for n, s in specs.items() for _ in s.classes],
        "class": [c.id for s in specs.values() for c in s.classes],
        "label_zh": [c.label.zh for s in specs.values() for c in s.classes],
        "label_en": [c.label.en for s in specs.values() for c in s.classes],
        "rank": [i for s in specs.values() for i, _ in enumerate(s.classes)],
    })


def class_table(ws: Database, *, snapshot_id: int | None = None, scheme: str | None = None,
                lang: str = "en", klass: str | None = None, customer: str | None = None,
                provisional: bool = False, overridden: bool = False) -> pa.Table:
    """Columns :data:`EXPORT_COLUMNS`: each customer's class per scheme, reason in ``lang``;
    optionally only one class, one customer, provisional or overridden classes."""
    snapshot_id = latest_snapshot(ws, scheme) if snapshot_id is None else snapshot_id
    specs = snapshot_schemes(ws, snapshot_id)
    if scheme is not None and scheme not in specs:
        raise ConfigError(f"scheme {scheme!r} is not in snapshot {snapshot_id}; it has "
                          f"{', '.join(specs)} / 快照中没有方案 {scheme!r}")
    if klass is not None:
        ids = {c.id for name, s in specs.items() if scheme in (None, name) for c in s.classes}
        if klass not in ids:
            raise ConfigError(f"no class {klass!r} in {scheme or 'any scheme'} of snapshot {snapshot_id}; "
                              f"classes: {', '.join(sorted(ids))} / 没有类别 {klass!r}")
    con = ws.con
    con.register("_tw_labels", _labels(specs))
    try:
        where = ["c.snapshot_id = ?"]
        params: list[Any] = [snapshot_id]
        for column, value in (("c.scheme", scheme), ("c.class", klass)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        if customer is not None:  # its rows by the key's zone maps (store/keys.py)
            where.append(one_customer_sql(alias="c"))
            params += [customer_key(customer), customer]
        if provisional:
            where.append("f.provisional_until IS NOT NULL")
        if overridden:
            where.append("c.override_id IS NOT NULL")
        return con.execute(
            f"""SELECT c.snapshot_id, s.as_of, c.customer_id, c.scheme, c.class, l.label_zh, l.label_en,
                       c.computed_class, c.override_id, f.provisional_until, {reason_sql(lang)} AS reason
                FROM {classes_from(ws, [snapshot_id], scheme)}
                LEFT JOIN _tw_labels l ON l.scheme = c.scheme AND l.class = c.class
                WHERE {' AND '.join(where)} ORDER BY c.scheme, l.rank, c.customer_id""",
            params).to_arrow_table()
    finally:
        con.unregister("_tw_labels")


def history(ws: Database, customer: str, *, scheme: str | None = None,
            lang: str = "en") -> list[dict[str, Any]]:
    """``customer``'s class in every snapshot, per scheme (oldest first), with its reason."""
    if not has_customer(ws.con, customer):
        raise DataError(f"no customer {customer!r} / 没有客户 {customer!r}")
    rows = ws.con.execute(
        f"""{ONE_CUSTOMER}
            SELECT c.snapshot_id, s.as_of, c.scheme, c.class, c.computed_class, c.override_id,
                   f.provisional_until, c.score, {reason_sql(lang)} AS reason, x.spec_yaml, x.origin,
                   {ONE_CUSTOMER_WHY}
            FROM {ONE_CUSTOMER_CLASSES_FROM}
            WHERE $scheme IS NULL OR c.scheme = $scheme
            ORDER BY c.scheme, s.as_of, c.snapshot_id""",
        one_customer_params(customer, scheme=scheme)).fetchall()
    out = []
    for r in rows:
        spec = sp.load_stored(r[9], r[10])
        label = next((c.label.get(lang) for c in spec.classes if c.id == r[3]), r[3])
        out.append({"snapshot_id": r[0], "as_of": r[1].isoformat(), "scheme": r[2], "class": r[3],
                    "label": label, "computed_class": r[4], "override_id": r[5],
                    "provisional_until": r[6].isoformat() if r[6] else None, "score": r[7],
                    "reason": fill_reason(r[8], lang, *r[11:])})
    return out


def write_export(table: pa.Table, path: Path, sheet: str = "classes") -> None:
    """Write ``table`` to ``path`` by its extension: .csv, .parquet or .xlsx (one Excel table
    on the sheet ``sheet``)."""
    from tierwise.metrics.table import write_table

    suffix = path.suffix.lower()
    if suffix in (".csv", ".parquet"):
        write_table(table, path)
        return
    if suffix != ".xlsx":
        raise ConfigError(f"{path}: write .csv, .parquet or .xlsx / 输出文件请用 .csv、.parquet 或 .xlsx")
    from tierwise.data.xlsx import EXCEL_MAX_ROWS

    if table.num_rows > EXCEL_MAX_ROWS:
        raise ConfigError(
            f"{path}: {table.num_rows:,} rows do not fit one Excel sheet (1,048,575): pick a scheme "
            f"with --scheme, or write .csv / .parquet / 行数超过 Excel 上限，请用 --scheme 或导出 csv")
    _write_xlsx(table, path, sheet)


def _write_xlsx(table: pa.Table, path: Path, sheet_name: str) -> None:
    from tierwise.data.xlsx import XlsxSheet, write_xlsx

    widths = {"customer_id": 14, "scheme": 22, "class": 14, "label_zh": 14, "label_en": 18,
              "reason": 90, "as_of": 12, "snapshot_id": 10}
    def format_of(kind: pa.DataType) -> str | None:  # money (decimals) with thousands and cents
        if pa.types.is_date(kind):
            return "yyyy-mm-dd"
        return "#,##0.00" if pa.types.is_decimal(kind) else None

    formats = [format_of(f.type) for f in table.schema]
    write_xlsx(path, [XlsxSheet(sheet_name, table, table.column_names, formats,
                                [widths.get(n, 14) for n in table.column_names], sheet_name)])
