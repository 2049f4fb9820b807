"""Files people open, in their language: a Chinese reader's CSV or Excel export has Chinese
headers, schemes by their titles, classes by their names ("知己客户", "主要客户（B）"), task
kinds by theirs and one reason column, never an id from the catalogs. English files keep the
column names and ids (what scripts read)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.compute as pc

from tierwise.schemes.fmt import class_text

if TYPE_CHECKING:
    from tierwise.schemes.spec import SchemeSpec

DROPPED = ("label_zh", "label_en", "reason_en")  # the class's name is in the class column
RENAMED = {"reason_zh": "reason", "computed_class": "class_computed"}
EXTRA_HEADS = {"class_computed": "计算所得类别", "override_id": "调整编号", "provisional_until": "暂定至",
               "customer_id": "客户编号"}


def for_people(table: pa.Table, lang: str, specs: dict[str, SchemeSpec],
               kinds: dict[str, tuple[str, str]] | None = None) -> pa.Table:
    """``table`` (columns such as scheme, class, kind, reason_zh) as a person reads it in ``lang``;
    unchanged in English. ``specs``: the schemes by name; ``kinds``: task kind → (English, Chinese)."""
    if lang != "zh":
        return table
    from tierwise.reports.workbook import HEADERS

    names = {pair_key(s, c.id): class_text(c.id, c.label.zh, "zh") for s, spec in specs.items()
             for c in spec.classes}
    titles = {s: spec.title.zh for s, spec in specs.items()}
    schemes = table["scheme"] if "scheme" in table.column_names else None
    columns, heads = [], []
    for name in table.column_names:
        if name in DROPPED:
            continue
        values = table[name]
        if name in ("class", "computed_class") and schemes is not None:
            values = relabel(values, names, pc.binary_join_element_wise(schemes, values, SEP))
        elif name == "scheme":
            values = relabel(values, titles)
        elif name == "kind" and kinds:
            values = relabel(values, {k: zh for k, (_, zh) in kinds.items()})
        name = RENAMED.get(name, name)
        head = EXTRA_HEADS.get(name) or HEADERS.get(name, (name, name))[1]
        while head in heads:
            head += " "
        columns.append(values)
        heads.append(head)
    return pa.table(dict(zip(heads, columns, strict=True)))


SEP = "\x1f"  # between a scheme and a class in one lookup key (no id holds it)


def pair_key(scheme: str, klass: str) -> str:
    """The lookup key of a scheme's class for :func:`relabel`."""
    return f"{scheme}{SEP}{klass}"


def relabel(values: pa.Array | pa.ChunkedArray, names: dict[str, str],
            keys: pa.Array | pa.ChunkedArray | None = None) -> pa.ChunkedArray | pa.Array:
    """``values`` with each one found in ``names`` (by itself, or by its row's ``keys``)
    replaced by its name, the others kept as they are: Arrow kernels, no row loop in Python (a
    workbook's lists run to millions of rows)."""
    keys = values if keys is None else keys
    if not names or len(values) == 0:
        return pc.cast(values, pa.string())
    found = pc.index_in(keys, value_set=pa.array(list(names), pa.string()))
    named = pc.take(pa.array(list(names.values()), pa.string()), found)
    return pc.if_else(pc.is_null(found), pc.cast(values, pa.string()), named)

