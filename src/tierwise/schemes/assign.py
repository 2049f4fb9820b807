"""One scheme's assignment over a population: classes, scores and reasons as Ibis expressions.

:class:`Assigner` filters the population, adds the scheme's scores, computes the population
statistics its cuts need (one small aggregation, read back as numbers) and builds the
final table ``customer_id, class, score, why, why_text``: the slots its reasons quote, with
one template per language (:mod:`tierwise.schemes.why`). Templates hold the cuts and labels
(formatted here); the rows hold the values, which are formatted when read. Each kind's
classes and reasons are built by its function in :mod:`tierwise.schemes.kinds`, from the
parts kept here.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any

import ibis
import ibis.expr.types as ir

from tierwise.metrics.expr import exact
from tierwise.schemes import expr as ex
from tierwise.schemes import spec as sp
from tierwise.schemes import why as w
from tierwise.schemes.fmt import CLASS_CODE, fmt_literal, label

if TYPE_CHECKING:
    from tierwise.schemes.compiler import Scheme

POPULATIONS: dict[str, tuple[str, str]] = {
    "buyers": ("buyers", "成交客户"),
    "customers": ("customers", "客户"),
    "lapsed": ("lapsed customers", "流失客户"),
    "prospects": ("prospects", "潜在客户"),
    "all": ("customers", "客户"),
}
OUT_SCHEMA = {"customer_id": "string", "class": "string", "score": "float64",
              "why": "array<float64>", "why_text": "array<string>"}
LANGS = ("en", "zh")


def scores_of(spec: sp.SchemeSpec) -> list[sp.ScoreSpec]:
    """The scores a scheme defines (``scores:``, and a scorecard's ``score``)."""
    extra = [spec.score] if isinstance(spec, sp.Scorecard) else []
    return [*spec.scores, *extra]


def class_title(klass: sp.ClassSpec, lang: str) -> str:
    """How a reason names a class: ``A key`` / ``A 关键客户`` for a code people use (A, EI, AAA),
    else the label alone (never an id like ``new`` or ``key``)."""
    text = klass.label.get(lang)
    repeated = re.match(re.escape(klass.id) + "(?![A-Za-z])", text, re.IGNORECASE)  # "vip" in "VIP客户"
    if CLASS_CODE.fullmatch(klass.id) and not repeated:
        return f"{klass.id} {text}"
    return text


def _spellings(seq: ex.Seq, lang: str) -> tuple[list[str], list[str]]:
    """A list's values as a reader sees them: the spellings in their language (Chinese ones for
    zh, the others for en; all when none is), and the rest, each shown only when it is the
    row's own value ("客户标记 key 属于 [重点, key]", never "key 属于 [重点]")."""
    values = [str(v) for v in seq.values]
    mine = [v for v in values if v.isascii() != (lang == "zh")] or values
    mine = [v for i, v in enumerate(mine) if v.lower() not in {m.lower() for m in mine[:i]}]  # one case
    return mine, [v for v in values if v.lower() not in {m.lower() for m in mine}]


# -- assigning -------------------------------------------------------------------------


def _pop_filter(scheme: Scheme, t: ir.Table) -> ir.Table:
    pop = scheme.spec.population
    status = t.status
    if pop == "buyers":
        return t.filter(status == "buyer")
    if pop == "customers":
        return t.filter(status != "prospect")
    if pop == "lapsed":
        return t.filter(status == "lapsed")
    if pop == "prospects":
        return t.filter(status == "prospect")
    if pop == "all":
        return t
    return t.filter(ex.condition(scheme.node("population"), t, {}))


def barrier(t: ir.Table) -> ir.Table:
    """``t`` with a throw-away random column, which stops Ibis from inlining ``t``'s columns
    into the select above it. Reasons read the same class or score many times; inlined, the
    SQL grows to megabytes and the engines compute each expression again at every use."""
    return t.mutate(_barrier=ibis.random())


class Assigner:
    """Builds one scheme's assignment over a base table (see :meth:`Scheme.assign`)."""

    def __init__(self, scheme: Scheme, base: ir.Table) -> None:
        self.scheme = scheme
        self.spec = scheme.spec
        self.t = _pop_filter(scheme, base)
        self.stats: dict[str, Any] = {}
        self.kinds = scheme.columns
        self.slots = w.Slots()
        self.reasons: dict[str, w.Node] = {}
        # what a chart of the classes reads besides them (a matrix: where its rows keep the axes'
        # values, the cuts, and how reasons name them): stored with the templates (why.dumps)
        self.figures: dict[str, Any] = {}

    # statistics ------------------------------------------------------------------
    def fetch(self, aggs: list[tuple[str, ir.Scalar]], table: ir.Table | None = None) -> None:
        """Compute the named population statistics in one query into ``self.stats``."""
        todo = {key: value for key, value in aggs if key not in self.stats}
        if not todo:
            return
        table = self.t if table is None else table
        names = {f"s{i}": key for i, key in enumerate(todo)}
        row = table.aggregate(**{alias: todo[key] for alias, key in names.items()}).to_pyarrow()
        values = row.to_pylist()[0]
        for alias, key in names.items():
            value = values[alias]
            if isinstance(value, float) and math.isnan(value):
                value = None
            self.stats[key] = value

    def mean(self, key: str, value: ir.NumericValue, t: ir.Table) -> float | None:
        """The mean of ``value`` over ``t`` (``self.stats[key]``), the same on every engine and
        run: the sum is exact (:func:`exact`) and divided here, once. Averaged as floats, the
        last digits followed the order the engine met the rows in."""
        if key not in self.stats:
            self.fetch([(f"{key}:sum", exact(value).sum()), (f"{key}:n", value.count())], t)
            total, n = self.stats[f"{key}:sum"], self.stats[f"{key}:n"]
            mean = float(total) / n if n and total is not None else None
            # as a fetched average: NaN (a float value that is not a number) is no mean
            self.stats[key] = None if mean is not None and math.isnan(mean) else mean
        return self.stats[key]

    def label(self, class_id: str, lang: str) -> str:
        return class_title(self.spec.klass(class_id), lang)

    def kind_of(self, node: ex.Node) -> str:
        if isinstance(node, ex.Name):
            return "dec" if node.name in ("r", "f", "m", "fm") else self.kinds.kind(node.name)
        if isinstance(node, ex.Agg):
            return self.kind_of(node.arg)
        if isinstance(node, ex.Call) and node.func in ("coalesce", "abs", "least", "greatest"):
            return self.kind_of(node.args[0])
        if isinstance(node, ex.Arith) and node.op in "+-":
            left, right = self.kind_of(node.left), self.kind_of(node.right)
            return left if left == right or isinstance(node.right, ex.Const) else "dec"
        return "dec"

    def value(self, value: ir.Value, kind: str) -> w.Val:
        """A row's value a reason quotes (a slot), written as ``kind``."""
        return self.slots.value(value, kind)

    def show(self, node: ex.Node, t: ir.Table, lang: str, other: ex.Node | None = None) -> w.Node:
        """How a reason shows one side of a comparison."""
        if isinstance(node, ex.Name):
            if node.name in ("r", "f", "m", "fm"):
                return w.cat(node.name.upper() + " ", self.value(t[node.name], "dec"))
            return w.cat(label(node.name, lang) + " ", self.value(t[node.name], self.kind_of(node)))
        if isinstance(node, ex.Const):
            kind = self.kind_of(other) if other is not None else "dec"
            return w.Lit(fmt_literal(node.value, kind, lang))
        if isinstance(node, ex.Seq):
            return w.Lit("[" + ", ".join(_spellings(node, lang)[0]) + "]")
        if isinstance(node, ex.Agg):
            names = {"median": ("median", "中位数"), "mean": ("mean", "平均值"), "min": ("min", "最小值"),
                     "max": ("max", "最大值"), "quantile": ("quantile", "分位数")}
            word = names[node.func][1 if lang == "zh" else 0]
            if node.func == "quantile":
                word = f"p{fmt_literal((node.q or 0) * 100, 'dec', lang)}"
            return w.Lit(f"{word} {fmt_literal(self.stats.get(node.key), self.kind_of(node), lang)}")
        value = ex.to_ibis(node, t, self.stats)
        return w.cat(node.text + " ", self.value(value, self.kind_of(node)))

    def fragment(self, leaf: ex.Node, t: ir.Table, lang: str) -> w.Node:
        """The text of one true comparison, e.g. ``revenue ¥6,200,000 ≥ ¥5,000,000``."""
        if isinstance(leaf, ex.Compare):
            shown = ex.SHOWN_ZH if lang == "zh" else ex.SHOWN
            right = self.show(leaf.right, t, lang, leaf.left)
            if isinstance(leaf.right, ex.Seq) and leaf.op == "in":  # the row's own spelling, if not listed
                mine, others = _spellings(leaf.right, lang)
                left = ex.to_ibis(leaf.left, t, self.stats)
                arms = [(self.slots.flag(left == o), "[" + ", ".join([*mine, o]) + "]") for o in others]
                right = w.pick(arms, right)
            return w.cat(self.show(leaf.left, t, lang, leaf.right), f" {shown[leaf.op]} ", right)
        if isinstance(leaf, ex.Call) and leaf.func in ("isnull", "notnull"):
            word = {("isnull", "en"): " is empty", ("isnull", "zh"): " 为空",
                    ("notnull", "en"): " is given", ("notnull", "zh"): " 已填写"}[(leaf.func, lang)]
            arg = leaf.args[0]
            return w.Lit((label(arg.name, lang) if isinstance(arg, ex.Name) else arg.text) + word)
        return w.Lit(leaf.text)

    def values_reason(self, nodes: list[ex.Node], t: ir.Table, lang: str) -> w.Node:
        seen: list[str] = []
        for node in nodes:
            for name in ex.names(node):
                if name not in seen:
                    seen.append(name)
        parts = [self.show(ex.Name(n, n), t, lang) for n in seen[:4]]
        return w.join(", " if lang == "en" else "，", parts)

    # scores ---------------------------------------------------------------------------
    def add_scores(self) -> None:
        scores = scores_of(self.spec)
        if not scores:
            return
        prefix = "score" if isinstance(self.spec, sp.Scorecard) else None
        aggs: list[tuple[str, ir.Scalar]] = [("__n", self.t.count())]
        for s_i, score in enumerate(scores):
            pre = prefix if prefix and s_i == len(scores) - 1 else f"scores[{s_i}]"
            for i in range(len(score.indicators)):
                value = ex.to_ibis(self.scheme.node(f"{pre}.indicators[{i}].by"), self.t, {}).cast("float64")
                key = f"{pre}.{i}"
                aggs += [(f"{key}.min", value.min()), (f"{key}.max", value.max()),
                         (f"{key}.n", value.count())]
        self.fetch(aggs)
        columns: dict[str, ir.Value] = {}
        for s_i, score in enumerate(scores):
            pre = prefix if prefix and s_i == len(scores) - 1 else f"scores[{s_i}]"
            total: Any = ibis.literal(0.0)
            for i, ind in enumerate(score.indicators):
                value = ex.to_ibis(self.scheme.node(f"{pre}.indicators[{i}].by"), self.t, {}).cast("float64")
                points = self.normalise(value, ind, f"{pre}.{i}") * ind.weight
                columns[f"_pts_{score.name}_{i}"] = points
                total = total + points
            columns[score.name] = total
        self.t = barrier(self.t.mutate(**columns))

    def normalise(self, value: ir.FloatingValue, ind: sp.Indicator, key: str) -> ir.FloatingValue:
        """``value`` mapped to 0–1 (1 = best); empty values get ``ind.missing``."""
        lo, hi = self.stats[f"{key}.min"], self.stats[f"{key}.max"]
        if isinstance(ind.scale, tuple):
            lo, hi = ind.scale
            share: Any = ((value.clip(lower=lo, upper=hi) - lo) / (hi - lo))
        elif ind.scale == "minmax":
            if lo is None or hi is None:
                share = ibis.null("float64")
            elif hi == lo:
                share = ibis.ifelse(value.isnull(), ibis.null("float64"), ibis.literal(1.0))
            else:
                share = (value - lo) / (hi - lo)
        else:  # rank: share of the population with a value no better than this one
            known = self.stats[f"{key}.n"] or 1
            order = value if ind.better == "higher" else value.negate()
            window = ibis.window(order_by=[order.isnull(), order])
            share = ibis.cume_dist().over(window) * (self.stats["__n"] / known)
            return ibis.ifelse(value.isnull(), ind.missing, share.clip(upper=1.0)).cast("float64")
        if ind.better == "lower" and ind.scale != "rank":
            share = 1 - share
        return share.fill_null(ind.missing).cast("float64")

    def score_reason(self, score: sp.ScoreSpec, t: ir.Table, lang: str) -> w.Node:
        parts = []
        for i, ind in enumerate(score.indicators):
            pre = "score" if isinstance(self.spec, sp.Scorecard) else \
                f"scores[{[s.name for s in scores_of(self.spec)].index(score.name)}]"
            node = self.scheme.node(f"{pre}.indicators[{i}].by")
            if ind.label is not None and not isinstance(node, ex.Name):  # an expression, named
                value = ex.to_ibis(node, t, self.stats)
                shown = w.cat(ind.label.get(lang) + " ", self.value(value, self.kind_of(node)))
            else:
                shown = self.show(node, t, lang)
            parts.append(w.cat(shown, " → ", self.value(t[f"_pts_{score.name}_{i}"], "dec"),
                               f"/{fmt_literal(ind.weight, 'dec', lang)}"))
        return w.join("; " if lang == "en" else "；", parts)

    # what the kinds share -------------------------------------------------------------
    def cut_value(self, cut: float | str, node: ex.Node, t: ir.Table) -> tuple[float | None, dict[str, str]]:
        """The number ``cut`` stands for over the population, and how reasons name it."""
        if isinstance(cut, float):
            return cut, {"en": "", "zh": ""}
        raw = ex.to_ibis(node, t, self.stats)
        value = raw.cast("float64")
        key = f"{cut}({node.text})"
        if cut == "median":
            agg, names = value.quantile(0.5), {"en": "median ", "zh": "中位数 "}
        elif cut == "mean":
            return self.mean(key, raw, t), {"en": "mean ", "zh": "平均值 "}
        else:
            q = float(cut[1:]) / 100
            agg, names = value.quantile(q), {"en": f"{cut} ", "zh": f"{cut} "}
        self.fetch([(key, agg)], t)
        return self.stats[key], names

    def class_label(self, lang: str, slot: int = w.CLASS) -> w.Node:
        """The row's class (or the class in text slot ``slot``) as reasons name it."""
        pairs = [(w.Eq(slot, c.id), class_title(c, lang)) for c in self.spec.classes]
        return w.pick(pairs, w.Val(slot, "raw"))

    # kinds ----------------------------------------------------------------------------
    def run(self) -> ir.Table:
        """The assignment: the scores, then the classes and reasons of the scheme's kind
        (:mod:`tierwise.schemes.kinds`), as ``customer_id, class, score`` and the slots."""
        from tierwise.schemes import kinds  # it imports this module

        self.add_scores()
        spec = self.spec
        if isinstance(spec, sp.RankTiers):
            out = kinds.rank_tiers(self, spec)
        elif isinstance(spec, sp.Thresholds):
            out = kinds.rules(self, spec.rules, self.t)
        elif isinstance(spec, sp.Matrix):
            out = kinds.matrix(self, spec)
        elif isinstance(spec, sp.Scorecard):
            out = kinds.scorecard(self, spec)
        else:
            out = kinds.rfm(self, spec)
        return out.select("customer_id", "class", "score", **self.slots.columns()).cast(OUT_SCHEMA)
