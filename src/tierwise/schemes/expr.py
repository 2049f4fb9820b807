"""The small expression language of scheme files: conditions and computed values.

Written like Python, read by :mod:`ast` and never executed::

    revenue >= 5000000
    flag == "key" or annual_agreement == "yes"
    lifetime_orders >= 10 and loyalty >= median(loyalty)
    coalesce(on_time_ratio, 1) >= 0.8 and max_days_overdue <= 30
    type in ["工程", "construction"]

Names are metric columns, customer attributes, a scheme's scores (and ``r``, ``f``, ``m``,
``fm`` in RFM rules). Functions: ``coalesce``, ``isnull``, ``notnull``, ``abs``, ``least``,
``greatest``; and the population statistics ``median(x)``, ``mean(x)``, ``quantile(x, q)``,
``min(x)``, ``max(x)``, which are computed once over the scheme's population and then
compared like numbers. An empty value makes a comparison false.
"""

from __future__ import annotations

import ast
import difflib
import functools
import re
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import ibis
import ibis.expr.types as ir

from tierwise.errors import ConfigError

COMPARE = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!=",
           ast.In: "in", ast.NotIn: "not in"}
SHOWN = {"<": "<", "<=": "≤", ">": ">", ">=": "≥", "==": "=", "!=": "≠", "in": "in", "not in": "not in"}
SHOWN_ZH = {**SHOWN, "in": "属于", "not in": "不属于"}
ARITH = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
FUNCTIONS = ("coalesce", "isnull", "notnull", "abs", "least", "greatest")
AGGREGATES = ("median", "mean", "quantile", "min", "max")
# One thread parses at a time: CPython 3.11 keeps the AST constructor's recursion count per
# interpreter, so two threads parsing at once (a job's classify beside a page) can fail with
# "SystemError: AST constructor recursion depth mismatch" (seen in CI on 3.11.7).
_PARSING = threading.Lock()


class Node:
    """A parsed expression; ``text`` is its source as written."""

    text: str


@dataclass(frozen=True)
class Name(Node):
    name: str
    text: str


@dataclass(frozen=True)
class Const(Node):
    value: Any
    text: str


@dataclass(frozen=True)
class Seq(Node):
    values: tuple[Any, ...]
    text: str


@dataclass(frozen=True)
class Compare(Node):
    op: str
    left: Node
    right: Node
    text: str


@dataclass(frozen=True)
class BoolOp(Node):
    op: str  # and / or
    values: tuple[Node, ...]
    text: str


@dataclass(frozen=True)
class Not(Node):
    value: Node
    text: str


@dataclass(frozen=True)
class Arith(Node):
    op: str
    left: Node
    right: Node
    text: str


@dataclass(frozen=True)
class Call(Node):
    func: str
    args: tuple[Node, ...]
    text: str


@dataclass(frozen=True)
class Agg(Node):
    """A population statistic, e.g. ``median(revenue)``; computed before the rules run."""

    func: str
    arg: Node
    q: float | None
    text: str

    @property
    def key(self) -> str:
        return self.text


MAX_CHARS = 1000  # of one expression (the presets' longest is 145)
MAX_NODES = 200  # terms, operators and values of one expression (the presets' most: 27)
MAX_DEPTH = 20  # brackets inside brackets


def _bounded(source: str, where: str) -> None:
    """Refuse an expression too long or too deeply bracketed to be read in bounded time and
    memory (one of 10,000 terms kept a server's CPU busy, a deep one overflows the parser)."""
    if len(source) > MAX_CHARS:
        raise ConfigError(f"{where}: an expression of {len(source):,} characters; at most {MAX_CHARS:,}: "
                          f"split it into rules or a computed column / 表达式过长（最多 {MAX_CHARS} 个字符）")
    depth = deepest = 0
    for char in source:
        depth += (char in "([{") - (char in ")]}")
        deepest = max(deepest, depth)
    if deepest > MAX_DEPTH:
        raise ConfigError(f"{where}: brackets nested {deepest} deep; at most {MAX_DEPTH} / "
                          f"括号嵌套过深（最多 {MAX_DEPTH} 层）")


def parse(text: str, where: str) -> Node:
    """Parse ``text``; ``where`` ("file: field.path") prefixes every error."""
    source = str(text).strip()
    if not source:
        raise ConfigError(f"{where}: empty expression; write a condition such as revenue >= 100000")
    _bounded(source, where)
    try:
        with _PARSING:
            tree = ast.parse(source, mode="eval")
        nodes = sum(isinstance(n, ast.expr) for n in ast.walk(tree))
    except (RecursionError, MemoryError):
        raise ConfigError(f"{where}: too deeply nested to read / 表达式嵌套过深") from None
    except SyntaxError as exc:
        col = (exc.offset or 1) - 1
        raise ConfigError(
            f"{where}: cannot read {source!r} at character {col + 1} ({exc.msg}); write conditions "
            f"like revenue >= 100000 and flag == \"key\" (use and / or / not, == for equals, quote text)"
        ) from None
    if nodes > MAX_NODES:
        raise ConfigError(f"{where}: an expression of {nodes:,} terms; at most {MAX_NODES}: split it into "
                          f"rules / 表达式项数过多（最多 {MAX_NODES} 项）")
    return _node(tree.body, source, where, in_agg=False)


@functools.lru_cache(maxsize=256)
def _lines(source: str) -> tuple[bytes, ...]:
    """``source``'s lines as UTF-8 (the ast's offsets count bytes), split as the parser does."""
    out, start = [], 0
    for match in re.finditer(r"\r\n|\r|\n", source):
        out.append(source[start:match.end()].encode())
        start = match.end()
    if start < len(source):
        out.append(source[start:].encode())
    return tuple(out)


def _segment(source: str, node: ast.AST) -> str | None:
    """The text of ``node`` (as :func:`ast.get_source_segment`, which splits the whole source
    again for every node: 10 s for a long scheme, here 10 ms)."""
    end_line, end_col = getattr(node, "end_lineno", None), getattr(node, "end_col_offset", None)
    line, col = getattr(node, "lineno", None), getattr(node, "col_offset", None)
    if end_line is None or end_col is None or line is None or col is None:
        return None
    lines = _lines(source)
    if line == end_line:
        return lines[line - 1][col:end_col].decode()
    middle = b"".join(lines[line:end_line - 1])
    return (lines[line - 1][col:] + middle + lines[end_line - 1][:end_col]).decode()


def _fail(where: str, node: ast.AST, source: str, what: str) -> ConfigError:
    seg = _segment(source, node) or source
    return ConfigError(f"{where}: {what} in {seg!r}")


def _node(node: ast.AST, source: str, where: str, *, in_agg: bool) -> Node:
    text = _segment(source, node) or source

    def sub(n: ast.AST) -> Node:
        return _node(n, source, where, in_agg=in_agg)

    if isinstance(node, ast.Name):
        if node.id in ("true", "false", "null", "none"):
            return Const({"true": True, "false": False}.get(node.id), text)
        return Name(node.id, text)
    if isinstance(node, ast.Constant):
        if not isinstance(node.value, int | float | str | bool) and node.value is not None:
            raise _fail(where, node, source, "unsupported constant")
        return Const(node.value, text)
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        values = []
        for elt in node.elts:
            if not isinstance(elt, ast.Constant):
                raise _fail(where, elt, source, "a list may hold only numbers and quoted text")
            values.append(elt.value)
        return Seq(tuple(values), text)
    if isinstance(node, ast.UnaryOp):
        if isinstance(node.op, ast.Not):
            return Not(sub(node.operand), text)
        if isinstance(node.op, ast.USub):
            inner = sub(node.operand)
            if isinstance(inner, Const) and isinstance(inner.value, int | float):
                return Const(-inner.value, text)
            return Arith("-", Const(0, "0"), inner, text)
        raise _fail(where, node, source, "unsupported operator")
    if isinstance(node, ast.BoolOp):
        return BoolOp("and" if isinstance(node.op, ast.And) else "or",
                      tuple(sub(v) for v in node.values), text)
    if isinstance(node, ast.Compare):
        parts: list[Node] = []
        left = sub(node.left)
        for op, right_ast in zip(node.ops, node.comparators, strict=True):
            name = COMPARE.get(type(op))
            if name is None:
                raise _fail(where, node, source, "use <, <=, >, >=, ==, !=, in or not in")
            right = sub(right_ast)
            if name in ("in", "not in") and not isinstance(right, Seq):
                raise _fail(where, node, source, f"`{name}` needs a list, e.g. [\"a\", \"b\"]")
            seg = f"{left.text} {name} {right.text}"
            parts.append(Compare(name, left, right, seg))
            left = right
        return parts[0] if len(parts) == 1 else BoolOp("and", tuple(parts), text)
    if isinstance(node, ast.BinOp):
        arith = ARITH.get(type(node.op))
        if arith is None:
            raise _fail(where, node, source, "use + - * / for arithmetic")
        return Arith(arith, sub(node.left), sub(node.right), text)
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.keywords:
            raise _fail(where, node, source, "call functions by name with plain arguments")
        func = node.func.id
        if func in AGGREGATES:
            if in_agg:
                raise _fail(where, node, source, "statistics cannot be nested")
            want = 2 if func == "quantile" else 1
            if len(node.args) != want:
                usage = "quantile(x, 0.8)" if func == "quantile" else f"{func}(x)"
                raise _fail(where, node, source, f"write {usage}")
            q = None
            if func == "quantile":
                q_node = node.args[1]
                if not (isinstance(q_node, ast.Constant) and isinstance(q_node.value, int | float)
                        and 0 <= q_node.value <= 1):
                    raise _fail(where, node, source, "the quantile is a number from 0 to 1")
                q = float(q_node.value)
            return Agg(func, _node(node.args[0], source, where, in_agg=True), q, text)
        if func not in FUNCTIONS:
            hint = difflib.get_close_matches(func, FUNCTIONS + AGGREGATES, n=1)
            did = f" (did you mean {hint[0]}?)" if hint else ""
            raise _fail(where, node, source,
                        f"unknown function {func!r}{did}; functions: {', '.join(FUNCTIONS + AGGREGATES)}")
        arity = {"isnull": 1, "notnull": 1, "abs": 1}.get(func)
        if (arity and len(node.args) != arity) or (not arity and len(node.args) < 2):
            raise _fail(where, node, source, f"wrong number of arguments to {func}")
        return Call(func, tuple(sub(a) for a in node.args), text)
    raise _fail(where, node, source, "unsupported syntax")


def walk(node: Node) -> Iterable[Node]:
    """``node`` and everything under it."""
    yield node
    children: tuple[Node, ...] = ()
    if isinstance(node, Compare | Arith):
        children = (node.left, node.right)
    elif isinstance(node, BoolOp):
        children = node.values
    elif isinstance(node, Not):
        children = (node.value,)
    elif isinstance(node, Call):
        children = node.args
    elif isinstance(node, Agg):
        children = (node.arg,)
    for child in children:
        yield from walk(child)


def names(node: Node) -> list[str]:
    """Column names ``node`` reads, in order of appearance, once each."""
    out: list[str] = []
    for n in walk(node):
        if isinstance(n, Name) and n.name not in out:
            out.append(n.name)
    return out


def aggregates(node: Node) -> list[Agg]:
    return [n for n in walk(node) if isinstance(n, Agg)]


def check_names(node: Node, known: Iterable[str], where: str) -> None:
    """Fail with "did you mean" when ``node`` reads a column that is not in ``known``."""
    known = list(known)
    for name in names(node):
        if name not in known:
            close = difflib.get_close_matches(name, known, n=2, cutoff=0.6)
            hint = f"; did you mean {' or '.join(close)}?" if close else ""
            raise ConfigError(
                f"{where}: unknown column {name!r}{hint} (metrics are listed by `tierwise metrics "
                f"--list`; customer attributes are the columns of your customers file)")


def is_condition(node: Node) -> bool:
    return isinstance(node, Compare | BoolOp | Not) or (
        isinstance(node, Call) and node.func in ("isnull", "notnull")) or (
        isinstance(node, Const) and isinstance(node.value, bool))


# -- compiling to Ibis -----------------------------------------------------------------

Stats = Mapping[str, Any]


def to_ibis(node: Node, table: ir.Table, stats: Stats) -> ir.Value:
    """The Ibis expression of ``node`` over ``table``; statistics come from ``stats``."""

    def go(n: Node) -> Any:
        return to_ibis(n, table, stats)

    if isinstance(node, Name):
        return table[node.name]
    if isinstance(node, Const):
        return ibis.literal(node.value) if node.value is not None else ibis.null()
    if isinstance(node, Agg):
        value = stats.get(node.key)
        return ibis.literal(value) if value is not None else ibis.null("float64")
    if isinstance(node, Compare):
        left = go(node.left)
        if isinstance(node.right, Seq):
            values = list(node.right.values)
            cond = left.isin(values)
            return ~cond if node.op == "not in" else cond
        right = go(node.right)
        ops: dict[str, Callable[[Any, Any], Any]] = {
            "<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b,
            ">=": lambda a, b: a >= b, "==": lambda a, b: a == b, "!=": lambda a, b: a != b}
        return ops[node.op](left, right)
    if isinstance(node, BoolOp):
        parts = [go(v) for v in node.values]
        out = parts[0]
        for p in parts[1:]:
            out = (out & p) if node.op == "and" else (out | p)
        return out
    if isinstance(node, Not):
        return ~go(node.value)
    if isinstance(node, Arith):
        a, b = go(node.left), go(node.right)
        if node.op == "/":
            # Spark's ANSI mode fails on x / 0: an empty result instead, as in DuckDB.
            return ibis.ifelse(b == 0, ibis.null("float64"), a.cast("float64") / b)
        return {"+": a + b, "-": a - b, "*": a * b}[node.op]
    if isinstance(node, Call):
        args = [go(a) for a in node.args]
        if node.func == "coalesce":
            return ibis.coalesce(*args)
        if node.func == "isnull":
            return args[0].isnull()
        if node.func == "notnull":
            return args[0].notnull()
        if node.func == "abs":
            return args[0].abs()
        if node.func == "least":
            return ibis.least(*args)
        return ibis.greatest(*args)
    raise ConfigError(f"cannot compute {node.text!r} here")  # Seq outside `in`


def aggregate_expr(agg: Agg, table: ir.Table) -> ir.Scalar:
    """The population statistic ``agg`` over ``table`` (a one-row aggregation)."""
    value = to_ibis(agg.arg, table, {}).cast("float64")
    if agg.func == "median":
        return value.quantile(0.5)
    if agg.func == "quantile":
        return value.quantile(agg.q)
    return {"mean": value.mean, "min": value.min, "max": value.max}[agg.func]()


def condition(node: Node, table: ir.Table, stats: Stats) -> ir.BooleanValue:
    """``node`` as a condition: empty counts as false."""
    return to_ibis(node, table, stats).fill_null(False)


def leaves(node: Node) -> list[Node]:
    """The comparisons a reason shows: the parts of and / or, down to each test."""
    if isinstance(node, BoolOp):
        return [leaf for v in node.values for leaf in leaves(v)]
    return [node]
