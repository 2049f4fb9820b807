"""Files people open, in their language: a Chinese reader's CSV or Excel export has Chinese
headers, schemes by their titles, classes by their names ("知己客户", "主要客户（B）"), task
kinds by theirs and one reason column, never an id from the catalogs. English files keep the
column names and ids (what scripts read)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyarrow as pa

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

    names = {(s, c.id): class_text(c.id, c.label.zh, "zh") for s, spec in specs.items() for c in spec.classes}
    titles = {s: spec.title.zh for s, spec in specs.items()}
    schemes = table["scheme"].to_pylist() if "scheme" in table.column_names else None
    columns, heads = [], []
    for name in table.column_names:
        if name in DROPPED:
            continue
        values = table[name]
        if name in ("class", "computed_class") and schemes is not None:
            values = pa.array([names.get((s, v), v) if v else v
                               for s, v in zip(schemes, values.to_pylist(), strict=True)], pa.string())
        elif name == "scheme":
            values = pa.array([titles.get(v, v) if v else v for v in values.to_pylist()], pa.string())
        elif name == "kind" and kinds:
            values = pa.array([kinds[v][1] if v in kinds else v for v in values.to_pylist()], pa.string())
        name = RENAMED.get(name, name)
        head = EXTRA_HEADS.get(name) or HEADERS.get(name, (name, name))[1]
        while head in heads:
            head += " "
        columns.append(values)
        heads.append(head)
    return pa.table(dict(zip(heads, columns, strict=True)))
