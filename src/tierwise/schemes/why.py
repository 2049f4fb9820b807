"""Reasons as a template and the values it quotes, rendered when someone reads them.

A class row does not store its reason's text: at a million customers the two languages'
sentences were 1.5 GB of a snapshot's 1.8 GB, and building them was a third of a
classification. A scheme's assignment instead gives each row its **slots** (the numbers and
short texts its reason quotes: a revenue, a rank, which comparisons held) and, once per
scheme and snapshot, a **template** per language: the sentence with holes, the scheme's cuts
and labels already written in (they are the same for every row). The template is stored
with the snapshot (``snapshot_schemes.reasons``), the slots with the row (``classes.why``
numbers, ``classes.why_text`` texts).

One template renders three ways, to the very same text:

- :func:`render_ibis`: an engine expression over class rows (reports, exports, task
  reasons, the Spark lake output): many rows at once;
- :func:`render_py`: in Python, for the few rows of one customer (the customer page, its
  history), with :func:`~tierwise.schemes.fmt.fmt_literal`, which writes numbers as the
  engines do.

Template nodes: :class:`Lit` text, :class:`Val` a slot formatted by kind, :class:`Cat`
(concatenation: empty if any part is empty, as the engines' ``||`` is), :class:`Join`
(the non-empty parts with a separator), :class:`Pick` (the first arm whose condition holds).
Conditions: :class:`Flag` (a bit of a slot is set: the truths a reason reads, such as which
of a rule's comparisons held, share one number), :class:`Eq` (a slot, or the row's class,
equals a value) and :class:`Null` (a slot is empty).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import ibis
import ibis.expr.types as ir

from tierwise.schemes.fmt import NONE, fmt_literal, fmt_share, fmt_share_value, fmt_value

CLASS = -1  # the slot number standing for the row's computed class
TEXT_KINDS = ("text", "date", "raw")  # slots kept as text (dates as their ISO text)


@dataclass(frozen=True)
class Lit:
    text: str


@dataclass(frozen=True)
class Val:
    """Slot ``slot`` written as ``kind``: money, days, int, dec (a dash-free n/a when empty),
    share (a percentage; empty stays empty), text/date (n/a when empty) or raw (as is)."""

    slot: int
    kind: str


@dataclass(frozen=True)
class Cat:
    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Join:
    sep: str
    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Flag:
    slot: int
    bit: int


@dataclass(frozen=True)
class Eq:
    slot: int  # CLASS for the row's class
    value: str | float


@dataclass(frozen=True)
class Null:
    slot: int


Cond = Flag | Eq | Null


@dataclass(frozen=True)
class Pick:
    arms: tuple[tuple[Cond, Node], ...]
    default: Node | None  # None: empty
    keys: tuple[str, ...] | None = None  # what each arm stands for (a thresholds rule: its class)


Node = Lit | Val | Cat | Join | Pick


def cat(*parts: Node | str) -> Node:
    """Concatenation of ``parts`` (texts become literals; neighbouring literals merge)."""
    out: list[Node] = []
    for p in parts:
        node = Lit(p) if isinstance(p, str) else p
        if isinstance(node, Cat):
            for inner in node.parts:
                _append(out, inner)
        else:
            _append(out, node)
    return out[0] if len(out) == 1 else Cat(tuple(out))


def _append(out: list[Node], node: Node) -> None:
    if isinstance(node, Lit) and out and isinstance(out[-1], Lit):
        out[-1] = Lit(out[-1].text + node.text)
    else:
        out.append(node)


def join(sep: str, parts: Sequence[Node | str]) -> Node:
    """The non-empty ``parts`` separated by ``sep``; never empty itself."""
    nodes = tuple(Lit(p) if isinstance(p, str) else p for p in parts)
    if not nodes:
        return Lit("")
    return Join(sep, nodes)


def pick(arms: Sequence[tuple[Cond, Node | str]], default: Node | str | None,
         keys: Sequence[str] | None = None) -> Node:
    """The first arm whose condition holds, else ``default``; ``keys``: what each arm stands
    for, kept with the template (the task generation finds a rule's text by its class)."""
    nodes = tuple((c, Lit(n) if isinstance(n, str) else n) for c, n in arms)
    other = Lit(default) if isinstance(default, str) else default
    if keys is not None and len(keys) != len(nodes):
        raise ValueError(f"{len(keys)} keys for {len(nodes)} arms")
    named = tuple(keys) if keys is not None else None
    return Pick(nodes, other, named) if nodes else (other if other is not None else Pick((), None))


def class_is(class_id: str) -> Eq:
    return Eq(CLASS, class_id)


def is_null(val: Val) -> Null:
    return Null(val.slot)


@dataclass
class Slots:
    """The slots of one scheme's rows while its reasons are built: each distinct engine
    expression once, numbers apart from texts."""

    numbers: list[ir.Value] = field(default_factory=list)
    texts: list[ir.Value] = field(default_factory=list)
    _seen: dict[Any, int] = field(default_factory=dict)
    _flags: dict[Any, Flag] = field(default_factory=dict)
    _bits: dict[int, list[ir.BooleanValue]] = field(default_factory=dict)  # mask slot → its truths

    def add(self, value: ir.Value, kind: str = "dec") -> int:
        """The slot holding ``value`` (a number, a 0/1 truth, or for text kinds a text);
        text slots are numbered after :data:`TEXT_BASE`."""
        text = kind in TEXT_KINDS
        key = (text, kind == "date", value.op())
        if key in self._seen:
            return self._seen[key]
        if text:
            shown = value.cast("date").cast("string") if kind == "date" else value.cast("string")
            self.texts.append(shown)
            slot = TEXT_BASE + len(self.texts) - 1
        else:
            self.numbers.append(value.cast("float64"))
            slot = len(self.numbers) - 1
        self._seen[key] = slot
        return slot

    def value(self, value: ir.Value, kind: str) -> Val:
        return Val(self.add(value, kind), kind)

    def flag(self, value: ir.BooleanValue) -> Flag:
        """A truth (empty counts as false), kept as one bit of a mask slot."""
        key = value.op()
        if key not in self._flags:
            slot = next((s for s, bits in self._bits.items() if len(bits) < MASK_BITS), None)
            if slot is None:
                slot = len(self.numbers)
                self.numbers.append(ibis.literal(0.0))  # the mask, made in columns()
                self._bits[slot] = []
            self._flags[key] = Flag(slot, len(self._bits[slot]))
            self._bits[slot].append(value)
        return self._flags[key]

    def _mask(self, slot: int) -> ir.Value:
        total: Any = ibis.literal(0, "int64")
        for bit, value in enumerate(self._bits[slot]):
            total = total + ibis.ifelse(value, 1 << bit, 0)
        return total.cast("float64")

    def columns(self) -> dict[str, ir.Value]:
        """The ``why`` / ``why_text`` columns a class row stores."""
        values = [self._mask(i) if i in self._bits else v for i, v in enumerate(self.numbers)]
        numbers = ibis.array(values) if values else ibis.null("array<float64>")
        texts = ibis.array(self.texts) if self.texts else ibis.null("array<string>")
        return {"why": numbers.cast("array<float64>"), "why_text": texts.cast("array<string>")}


TEXT_BASE = 1000  # slot numbers from here on are texts (why_text[slot - TEXT_BASE])
MASK_BITS = 52  # truths per mask slot: a double holds whole numbers below 2^53 exactly


# -- rendering in the engine -----------------------------------------------------------------


def stored_lookup(t: ir.Table) -> Callable[[int], ir.Value]:
    """Slot number → its value in a class row (``why``, ``why_text``; the class the reason
    speaks of is the computed one, which an override keeps in ``computed_class``)."""
    klass = ibis.coalesce(t.computed_class, t["class"]) if "computed_class" in t.columns else t["class"]
    return lambda slot: klass if slot == CLASS else (
        t.why_text[slot - TEXT_BASE] if slot >= TEXT_BASE else t.why[slot])


def render_ibis(node: Node, get: Callable[[int], ir.Value], lang: str,
                shown: Callable[[Val], ir.StringValue] | None = None) -> ir.StringValue:
    """``node`` as an engine string expression; ``get`` gives each slot's expression,
    ``shown`` each value's written form (default: formatted from ``get`` where it stands)."""
    if isinstance(node, Lit):
        return ibis.literal(node.text, "string")
    if isinstance(node, Val):
        return shown(node) if shown is not None else _fmt_ibis(get(node.slot), node.kind, lang)
    if isinstance(node, Cat):
        out = render_ibis(node.parts[0], get, lang, shown)
        for part in node.parts[1:]:
            out = out + render_ibis(part, get, lang, shown)
        return out
    if isinstance(node, Join):
        parts = [render_ibis(p, get, lang, shown) for p in node.parts]
        if len(parts) == 1:
            return parts[0].fill_null("")
        return ibis.literal(node.sep, "string").join(parts)
    arms = [(_cond_ibis(c, get), render_ibis(n, get, lang, shown)) for c, n in node.arms]
    default = render_ibis(node.default, get, lang, shown) if node.default is not None else ibis.null("string")
    return ibis.cases(*arms, else_=default) if arms else default


def values(node: Node | None) -> set[Val]:
    """The values ``node`` writes out."""
    if node is None or isinstance(node, Lit):
        return set()
    if isinstance(node, Val):
        return {node}
    if isinstance(node, Cat | Join):
        return set().union(*(values(p) for p in node.parts))
    return set().union(values(node.default), *(values(n) for _, n in node.arms))


def formatted(value: ir.Value, kind: str, lang: str) -> ir.StringValue:
    """``value`` written as ``kind`` (see :class:`Val`)."""
    return _fmt_ibis(value, kind, lang)


def holds_ibis(cond: Cond, get: Callable[[int], ir.Value]) -> ir.BooleanValue:
    """Whether ``cond`` holds for a row, as an engine expression (``get``: each slot's)."""
    return _cond_ibis(cond, get)


def _cond_ibis(cond: Cond, get: Callable[[int], ir.Value]) -> ir.BooleanValue:
    if isinstance(cond, Flag):
        return (get(cond.slot).cast("int64") & (1 << cond.bit)) != 0
    if isinstance(cond, Null):
        return get(cond.slot).isnull()
    return get(cond.slot) == cond.value


def _fmt_ibis(value: ir.Value, kind: str, lang: str) -> ir.StringValue:
    if kind == "raw":
        return value.cast("string")
    if kind == "share":
        return fmt_share_value(value)
    if kind == "date":
        return value.cast("string").fill_null(NONE[lang])  # kept as its ISO text
    return fmt_value(value, kind, lang)


# -- rendering in Python ---------------------------------------------------------------------


def render_py(node: Node, numbers: Sequence[float | None] | None, texts: Sequence[str | None] | None,
              klass: str | None, lang: str) -> str | None:
    """``node`` for one stored row (its ``why``, ``why_text`` and computed class)."""

    def get(slot: int) -> Any:
        if slot == CLASS:
            return klass
        if slot >= TEXT_BASE:
            return texts[slot - TEXT_BASE] if texts is not None else None
        return numbers[slot] if numbers is not None else None

    return _render_py(node, get, lang)


def _render_py(node: Node, get: Callable[[int], Any], lang: str) -> str | None:
    if isinstance(node, Lit):
        return node.text
    if isinstance(node, Val):
        return _fmt_py(get(node.slot), node.kind, lang)
    if isinstance(node, Cat):
        out = []
        for part in node.parts:
            text = _render_py(part, get, lang)
            if text is None:
                return None
            out.append(text)
        return "".join(out)
    if isinstance(node, Join):
        found = [_render_py(p, get, lang) for p in node.parts]
        return node.sep.join(t for t in found if t is not None)
    for cond, arm in node.arms:
        if _holds(cond, get(cond.slot)):
            return _render_py(arm, get, lang)
    return _render_py(node.default, get, lang) if node.default is not None else None


def _holds(cond: Cond, value: Any) -> bool:
    if isinstance(cond, Flag):
        return value is not None and bool(int(value) >> cond.bit & 1)
    if isinstance(cond, Null):
        return value is None
    return value is not None and bool(value == cond.value)


def _fmt_py(value: Any, kind: str, lang: str) -> str | None:
    if kind == "raw":
        return None if value is None else str(value)
    if kind == "share":
        return None if value is None else fmt_share(value)
    if kind in ("text", "date"):
        return NONE[lang] if value is None else str(value)
    return fmt_literal(value, kind, lang)


# -- storing ---------------------------------------------------------------------------------


FIGURES = "figures"  # beside the languages: what a chart reads besides the rows (Assigner.figures)


def dumps(templates: Mapping[str, Node], figures: Mapping[str, Any] | None = None) -> str:
    """The templates of one scheme (language → node) and its ``figures`` (a matrix: the slots
    of its axes' values, its cuts and how reasons name them) as the JSON a snapshot stores."""
    out: dict[str, Any] = {lang: _to_json(node) for lang, node in templates.items()}
    if figures:
        out[FIGURES] = figures
    return json.dumps(out, ensure_ascii=False, separators=(",", ":"))


def loads(text: str) -> dict[str, Node]:
    """The templates :func:`dumps` stored, by language."""
    return {lang: _from_json(node) for lang, node in json.loads(text).items() if lang != FIGURES}


def figures(text: str | None) -> dict[str, Any]:
    """The figures :func:`dumps` stored with the templates (empty: none, or stored before them)."""
    return dict(json.loads(text).get(FIGURES) or {}) if text else {}


def _to_json(node: Node | None) -> Any:
    if node is None:
        return None
    if isinstance(node, Lit):
        return node.text
    if isinstance(node, Val):
        return {"v": node.slot, "k": node.kind}
    if isinstance(node, Cat):
        return [_to_json(p) for p in node.parts]
    if isinstance(node, Join):
        return {"join": node.sep, "parts": [_to_json(p) for p in node.parts]}
    arms = [[_cond_json(c), _to_json(n)] for c, n in node.arms]
    out = {"pick": arms, "else": _to_json(node.default)}
    if node.keys is not None:
        out["keys"] = list(node.keys)
    return out


def _cond_json(cond: Cond) -> Any:
    if isinstance(cond, Flag):
        return {"flag": cond.slot, "bit": cond.bit}
    if isinstance(cond, Null):
        return {"null": cond.slot}
    return {"eq": cond.slot, "value": cond.value}


def _from_json(data: Any) -> Node:
    if isinstance(data, str):
        return Lit(data)
    if isinstance(data, list):
        return Cat(tuple(_from_json(p) for p in data))
    if "v" in data:
        return Val(int(data["v"]), str(data["k"]))
    if "join" in data:
        return Join(str(data["join"]), tuple(_from_json(p) for p in data["parts"]))
    arms = tuple((_cond_from_json(c), _from_json(n)) for c, n in data["pick"])
    keys = tuple(str(k) for k in data["keys"]) if "keys" in data else None
    return Pick(arms, None if data["else"] is None else _from_json(data["else"]), keys)


def _cond_from_json(data: dict[str, Any]) -> Cond:
    if "flag" in data:
        return Flag(int(data["flag"]), int(data["bit"]))
    if "null" in data:
        return Null(int(data["null"]))
    return Eq(int(data["eq"]), data["value"])
