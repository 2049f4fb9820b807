"""One scheme's assignment over a population: classes, scores and reasons as Ibis expressions.

:class:`Assigner` filters the population, adds the scheme's scores, computes the population
statistics its cuts need (one small aggregation, read back as numbers) and builds the
final table ``customer_id, class, score, why, why_text``: the slots its reasons quote, with
one template per language (:mod:`tierwise.schemes.why`). Templates hold the cuts and labels
(formatted here); the rows hold the values, which are formatted when read.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import ibis
import ibis.expr.types as ir

from tierwise.schemes import expr as ex
from tierwise.schemes import spec as sp
from tierwise.schemes import why as w
from tierwise.schemes.fmt import CLASS_CODE, NONE, fmt_literal, fmt_share, label

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


def _noun(scheme: Scheme, lang: str) -> str:
    pair = POPULATIONS.get(scheme.spec.population, ("customers in scope", "范围内客户"))
    return pair[1] if lang == "zh" else pair[0]


def _barrier(t: ir.Table) -> ir.Table:
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
        self.t = _barrier(self.t.mutate(**columns))

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

    # kinds ----------------------------------------------------------------------------
    def run(self) -> ir.Table:
        self.add_scores()
        spec = self.spec
        if isinstance(spec, sp.RankTiers):
            out = self.rank_tiers(spec)
        elif isinstance(spec, sp.Thresholds):
            out = self.rules(spec.rules, self.t)
        elif isinstance(spec, sp.Matrix):
            out = self.matrix(spec)
        elif isinstance(spec, sp.Scorecard):
            out = self.scorecard(spec)
        else:
            out = self.rfm(spec)
        return out.select("customer_id", "class", "score", **self.slots.columns()).cast(OUT_SCHEMA)

    def cut_value(self, cut: float | str, node: ex.Node, t: ir.Table) -> tuple[float | None, dict[str, str]]:
        """The number ``cut`` stands for over the population, and how reasons name it."""
        if isinstance(cut, float):
            return cut, {"en": "", "zh": ""}
        value = ex.to_ibis(node, t, self.stats).cast("float64")
        key = f"{cut}({node.text})"
        if cut == "median":
            agg, names = value.quantile(0.5), {"en": "median ", "zh": "中位数 "}
        elif cut == "mean":
            agg, names = value.mean(), {"en": "mean ", "zh": "平均值 "}
        else:
            q = float(cut[1:]) / 100
            agg, names = value.quantile(q), {"en": f"{cut} ", "zh": f"{cut} "}
        self.fetch([(key, agg)], t)
        return self.stats[key], names

    def rank_tiers(self, spec: sp.RankTiers) -> ir.Table:
        node = self.scheme.node("rank_by")
        t = self.t.mutate(_v=ex.to_ibis(node, self.t, self.stats).cast("float64"))
        order = ibis.desc(t._v) if spec.order == "desc" else t._v
        self.fetch([("__ranked", t._v.count()), ("__total", ibis.ifelse(t._v > 0, t._v, 0).sum())], t)
        n = int(self.stats["__ranked"] or 0)
        total = float(self.stats["__total"] or 0)
        window = ibis.window(order_by=[t._v.isnull(), order])
        t = t.mutate(_rank=(ibis.rank().over(window) + 1))
        if spec.basis == "value":
            order = ibis.desc(t._v) if spec.order == "desc" else t._v  # re-derived from the new t
            ahead = t._v.sum().over(ibis.window(order_by=[t._v.isnull(), order], range=(None, 0)))
            peers = t._v.sum().over(ibis.window(group_by=t._v))
            positive = ibis.ifelse(t._v > 0, ahead - peers, total)  # nothing: all of it is ahead
            t = t.mutate(_before=ibis.ifelse(total > 0, positive / (total or 1), 1.0))
        cases, reasons = [], {lang: [] for lang in LANGS}  # type: ignore[var-annotated]
        # which tier's scope a reason names: the row's class when every tier has its own
        by_class = len({tier.class_ for tier in spec.tiers}) == len(spec.tiers)
        lo = 0
        *ranked, rest = spec.tiers
        metric = {lang: label(node.name, lang) if isinstance(node, ex.Name) else node.text for lang in LANGS}
        kind = self.kind_of(node)
        for tier in ranked:
            assert tier.top is not None
            if spec.basis == "customers":
                k = math.ceil(tier.top * n - 1e-9)
                test = t._v.notnull() & (t._rank <= k)
                scope = {"en": f"{tier.class_} = top {fmt_share(tier.top)}, "
                               + (f"ranks {lo + 1:,}–{k:,}" if k > lo else "no rank left"),
                         "zh": f"{tier.class_} 为前 {fmt_share(tier.top)}，"
                               + (f"即第 {lo + 1:,}–{k:,} 名" if k > lo else "无剩余名次")}
                lo = max(lo, k)
            else:
                test = t._v.notnull() & (t._v > 0) & (t._before < tier.top)
                scope = {"en": f"{tier.class_} = the customers making the first {fmt_share(tier.top)}",
                         "zh": f"{tier.class_} 为累计贡献前 {fmt_share(tier.top)} 的客户"}
            cases.append((test, tier.class_))
            for lang in LANGS:
                reasons[lang].append((tier.class_, test, scope[lang]))
        rest_scope = {"en": f"{rest.class_} = the rest", "zh": f"{rest.class_} 为其余客户"}
        if spec.basis == "customers" and n > lo:
            rest_scope = {"en": f"{rest.class_} = the rest, ranks {lo + 1:,}–{n:,}",
                          "zh": f"{rest.class_} 为其余，即第 {lo + 1:,}–{n:,} 名"}
        klass = ibis.cases(*cases, else_=rest.class_) if cases else ibis.literal(rest.class_)
        t = _barrier(t.mutate(_class=klass))
        value = self.value(t._v, kind)
        rank = self.value(t._rank, "int")
        top = self.value(t._rank / max(n, 1), "share")
        before = self.value(t._before, "share") if spec.basis == "value" else None
        for lang in LANGS:
            arms = [(w.class_is(c) if by_class else self.slots.flag(test), text)
                    for c, test, text in reasons[lang]]
            named = w.pick(arms, rest_scope[lang])
            label_node = self.class_label(lang)
            noun = _noun(self.scheme, lang)
            if lang == "en":
                ranked_text = w.cat(label_node, f": {metric['en']} ", value, " ranks ", rank,
                                    f" of {n:,} {noun} (top ", top, "; ", named, ")")
                if before is not None:
                    ranked_text = w.cat(label_node, f": {metric['en']} ", value, " ranks ", rank,
                                        f" of {n:,}; those ahead make ", before, " of the total (", named,
                                        ")")
                missing = w.cat(label_node, f": no {metric['en']} value ({rest_scope['en']})")
            else:
                ranked_text = w.cat(label_node, f"：{metric['zh']} ", value, f"，在 {n:,} 个{noun}中排第 ",
                                    rank, " 名（前 ", top, "；", named, "）")
                if before is not None:
                    ranked_text = w.cat(label_node, f"：{metric['zh']} ", value, "，排第 ", rank,
                                        f" 名（共 {n:,} 名），排在前面的客户累计占 ", before, "（", named,
                                        "）")
                missing = w.cat(label_node, f"：无{metric['zh']}数据（{rest_scope['zh']}）")
            self.reasons[lang] = w.pick([(w.is_null(value), missing)], ranked_text)
        return t.mutate(**{"class": t._class, "score": t._rank.cast("float64")})

    def class_label(self, lang: str, slot: int = w.CLASS) -> w.Node:
        """The row's class (or the class in text slot ``slot``) as reasons name it."""
        pairs = [(w.Eq(slot, c.id), class_title(c, lang)) for c in self.spec.classes]
        return w.pick(pairs, w.Val(slot, "raw"))

    def rules(self, rules: list[sp.Rule], t: ir.Table,
              prefix: Mapping[str, w.Node] | None = None) -> ir.Table:
        live = [(i, r) for i, r in enumerate(rules) if r.when is not None and i not in self.scheme.skipped]
        nodes = [self.scheme.node(f"rules[{i}].when") for i, _ in live]
        aggs = [a for node in nodes for a in ex.aggregates(node)]
        self.fetch([(a.key, ex.aggregate_expr(a, t)) for a in aggs], t)
        fallback = rules[-1].class_
        # every rule's and every comparison's truth once, as columns the reasons then read
        tests: dict[str, Any] = {}
        for k, node in enumerate(nodes):
            tests[f"_c{k}"] = ex.condition(node, t, self.stats)
            for j, leaf in enumerate(ex.leaves(node)):
                tests[f"_l{k}_{j}"] = ex.condition(leaf, t, self.stats)
        t = _barrier(t.mutate(**tests)) if tests else t
        klass = ibis.cases(*[(t[f"_c{k}"], r.class_) for k, (_, r) in enumerate(live)], else_=fallback) \
            if live else ibis.literal(fallback)
        t = _barrier(t.mutate(_class=klass))
        for lang in LANGS:
            colon = "：" if lang == "zh" else ": "
            if prefix:
                self.reasons[lang] = w.cat(self.class_label(lang), colon, prefix[lang])
                continue
            texts = []
            for k, ((_, rule), node) in enumerate(zip(live, nodes, strict=True)):
                parts = [w.pick([(self.slots.flag(t[f"_l{k}_{j}"]), self.fragment(leaf, t, lang))], None)
                         for j, leaf in enumerate(ex.leaves(node))]
                body = w.join("; " if lang == "en" else "；", parts)
                texts.append((self.slots.flag(t[f"_c{k}"]),
                              w.cat(self.label(rule.class_, lang) + colon, body)))
            none = {"en": "no rule matched", "zh": "未满足其他规则"}[lang]
            if nodes:
                rest = w.cat(self.label(fallback, lang) + colon + none + (" (" if lang == "en" else "（"),
                             self.values_reason(nodes, t, lang), ")" if lang == "en" else "）")
            else:
                rest = w.Lit(self.label(fallback, lang))
            # each arm keeps its rule's class: a customer meeting several rules is flagged by
            # each (reminders: one task per rule whose class reminds, playbook/task_kinds.py)
            self.reasons[lang] = w.pick(texts, rest, keys=[rule.class_ for _, rule in live])
        return t.mutate(**{"class": t._class, "score": ibis.null("float64")})

    def matrix(self, spec: sp.Matrix) -> ir.Table:
        t = self.t
        cols: dict[str, Any] = {}
        cuts = []
        for i, axis in enumerate(spec.axes):
            node = self.scheme.node(f"axes[{i}].by")
            value = ex.to_ibis(node, t, self.stats).cast("float64")
            cut, names = self.cut_value(axis.cut, node, t)
            cuts.append((cut, names))
            high = (value >= cut) if cut is not None else ibis.literal(None, "boolean")
            cols[f"_x{i}"] = value
            cols[f"_h{i}"] = high.fill_null(axis.missing == "high")
        t = _barrier(t.mutate(**cols))
        cell = ibis.cases(*[
            ((t._h0 == c.startswith("high/")) & (t._h1 == c.endswith("/high")), spec.cells[c])
            for c in sp.CELLS])
        rules = [(rule, self.scheme.node(f"unless[{i}].when")) for i, rule in enumerate(spec.unless)
                 if i not in self.scheme.skipped_unless]
        if rules:  # a cell's customers meeting a rule go elsewhere, the first rule first
            in_cell = {c: (t._h0 == c.startswith("high/")) & (t._h1 == c.endswith("/high")) for c in sp.CELLS}
            tests = {}
            for i, (rule, node) in enumerate(rules):
                tests[f"_u{i}"] = in_cell[rule.cell] & ex.condition(node, t, self.stats).fill_null(False)
                for j, leaf in enumerate(ex.leaves(node)):
                    tests[f"_u{i}_{j}"] = ex.condition(leaf, t, self.stats)
            t = _barrier(t.mutate(**tests))
            cell = ibis.cases(*[(t[f"_u{i}"], rule.class_) for i, (rule, _) in enumerate(rules)], else_=cell)
        t = _barrier(t.mutate(_class=cell))
        parts: dict[str, list[w.Node]] = {lang: [] for lang in LANGS}
        self.figures = {"axes": [], "cuts": [None if c is None else float(c) for c, _ in cuts],
                        "cut_text": {lang: [] for lang in LANGS}}
        for i, axis in enumerate(spec.axes):
            node = self.scheme.node(f"axes[{i}].by")
            cut, names = cuts[i]
            kind = self.kind_of(node)
            shown = self.value(t[f"_x{i}"], kind)
            self.figures["axes"].append(shown.slot)
            high = self.slots.flag(t[f"_h{i}"])
            for lang in LANGS:
                name = axis.label.get(lang) if axis.label else (
                    label(node.name, lang) if isinstance(node, ex.Name) else node.text)
                cut_text = names[lang] + fmt_literal(cut, kind, lang)
                self.figures["cut_text"][lang].append(cut_text)
                side = {"high": {"en": "high", "zh": "高"},
                        "low": {"en": "low", "zh": "低"}}[axis.missing][lang]
                parts[lang].append(w.pick([
                    (w.is_null(shown), f"{name} {NONE[lang]} → {side}"),
                    (high, w.cat(f"{name} ", shown, f" ≥ {cut_text}"))],
                    w.cat(f"{name} ", shown, f" < {cut_text}")))
        for lang in LANGS:
            sep = "; " if lang == "en" else "；"
            moved: list[tuple[w.Cond, w.Node | str]] = []
            for i, (rule, node) in enumerate(rules):
                instead = self.label(spec.cells[rule.cell], lang)
                head = f"{sep}not {instead}: " if lang == "en" else f"{sep}不归入{instead}："
                texts = [w.pick([(self.slots.flag(t[f"_u{i}_{j}"]), self.fragment(leaf, t, lang))], None)
                         for j, leaf in enumerate(ex.leaves(node))]
                moved.append((self.slots.flag(t[f"_u{i}"]), w.cat(head, w.join(sep, texts))))
            self.reasons[lang] = w.cat(self.class_label(lang), ": " if lang == "en" else "：",
                                       parts[lang][0], sep, parts[lang][1], w.pick(moved, ""))
        return t.mutate(**{"class": t._class, "score": ibis.null("float64")})

    def scorecard(self, spec: sp.Scorecard) -> ir.Table:
        t = self.t
        node = ex.Name(spec.score.name, spec.score.name)
        cases, shown = [], {lang: [] for lang in LANGS}  # type: ignore[var-annotated]
        for grade in spec.grades[:-1]:
            assert grade.min is not None
            cut, names = self.cut_value(grade.min, node, t)
            test = (t[spec.score.name] >= cut) if cut is not None else ibis.literal(False)
            cases.append((test, grade.class_))
            for lang in LANGS:
                shown[lang].append((grade.class_, f" ≥ {names[lang]}{fmt_literal(cut, 'dec', lang)}"))
        last = spec.grades[-1].class_
        first_cut = {lang: shown[lang][-1][1].replace("≥", "<") for lang in LANGS}
        t = _barrier(t.mutate(_class=ibis.cases(*cases, else_=last)))
        score = t[spec.score.name]
        final = t._class
        capped = spec.cap is not None and self.scheme.capped
        # the grade the score alone gives: the row's class unless a cap may have lowered it
        scored = w.CLASS
        if capped:
            final, lowered = self.cap(spec, t)
            scored = self.slots.add(t._class, "raw")
        shown_score = self.value(score, "dec")
        for lang in LANGS:
            word = "score" if lang == "en" else "得分"
            cmp = w.pick([(w.Eq(scored, c), text) for c, text in shown[lang]], first_cut[lang])
            body = w.cat(f"{word} ", shown_score, cmp, " (" if lang == "en" else "（",
                         self.score_reason(spec.score, t, lang), ")" if lang == "en" else "）")
            if capped:
                cap = spec.cap
                assert cap is not None
                value = self.value(ex.to_ibis(self.scheme.node("cap.by"), t, {}).cast("string"), "raw")
                klass, alone = w.Val(w.CLASS, "raw"), w.Val(scored, "raw")
                if lang == "en":
                    why = w.cat(f"{cap.label.en} ", value, f" ({cap.by}) caps it at ", klass,
                                "; the score alone gives ", alone, ": ")
                else:
                    why = w.cat(f"{cap.label.zh} ", value, "限为 ", klass, "，按得分为 ", alone,
                                "：")
                body = w.cat(w.pick([(self.slots.flag(lowered), why)], ""), body)  # the score's text once
            colon = ": " if lang == "en" else "："
            self.reasons[lang] = w.cat(self.class_label(lang), colon, body)
        return t.mutate(**{"class": final, "score": score})

    def cap(self, spec: sp.Scorecard, t: ir.Table) -> tuple[ir.StringValue, ir.BooleanValue]:
        """The scored grade ``t._class`` capped by ``spec.cap`` (the worse of the two, grades
        being listed best first), and whether the cap lowered it."""
        assert spec.cap is not None
        order = [g.class_ for g in spec.grades]
        value = ex.to_ibis(self.scheme.node("cap.by"), t, {}).cast("string")
        best = ibis.cases(*[(value == v, order.index(g)) for v, g in spec.cap.best.items()],
                          else_=ibis.null("int64"))
        scored = ibis.cases(*[(t._class == g, i) for i, g in enumerate(order)], else_=len(order) - 1)
        capped = ibis.coalesce(best > scored, False)
        worse = ibis.cases(*[(best == i, g) for i, g in enumerate(order)], else_=t._class)
        return ibis.ifelse(capped, worse, t._class), capped

    def rfm(self, spec: sp.Rfm) -> ir.Table:
        t = self.t
        columns: dict[str, Any] = {}
        dims = []
        for letter, dim_name in (("r", "recency"), ("f", "frequency"), ("m", "monetary")):
            dim: sp.RfmDimension = getattr(spec, dim_name)
            node = self.scheme.node(f"{dim_name}.by")
            value = ex.to_ibis(node, t, self.stats).cast("float64")
            cuts = self.rfm_cuts(spec, dim, node, t)
            if dim.better == "higher":
                hits = [ibis.ifelse(value > c, 1, 0) for c in cuts]
            else:
                hits = [ibis.ifelse(value <= c, 1, 0) for c in cuts]
            total: Any = ibis.literal(1)
            for h in hits:
                total = total + h
            columns[letter] = ibis.ifelse(value.isnull(), 1, total).cast("int64")
            columns[f"_{letter}v"] = value
            dims.append((letter, dim, node, cuts))
        t = _barrier(t.mutate(**columns))
        t = t.mutate(fm=(t.f + t.m) / 2)
        texts: dict[str, list[w.Node]] = {lang: [] for lang in LANGS}
        for letter, dim, node, cuts in dims:
            kind = self.kind_of(node)
            score, value = self.value(t[letter], "int"), self.value(t[f"_{letter}v"], kind)
            for lang in LANGS:
                bins = _bin_texts(cuts, dim.better, kind, lang)
                name = label(node.name, lang) if isinstance(node, ex.Name) else node.text
                bin_text = w.pick([(w.Eq(score.slot, float(s)), txt) for s, txt in bins.items()], "")
                texts[lang].append(w.cat(f"{letter.upper()}", score, f" {name} ", value, " (", bin_text, ")"))
        head = {lang: w.join(", " if lang == "en" else "，", texts[lang]) for lang in LANGS}
        out = self.rules(spec.rules, t, prefix=head)
        return out.mutate(score=(out.r * 100 + out.f * 10 + out.m).cast("float64"))

    def rfm_cuts(self, spec: sp.Rfm, dim: sp.RfmDimension, node: ex.Node, t: ir.Table) -> list[float]:
        if dim.cuts is not None:
            return list(dim.cuts)
        value = ex.to_ibis(node, t, self.stats).cast("float64")
        if spec.bins in ("mean", "median"):
            key = f"{spec.bins}({node.text})"
            agg = value.mean() if spec.bins == "mean" else value.quantile(0.5)
            self.fetch([(key, agg)], t)
            return [self.stats[key]] if self.stats[key] is not None else []
        bins = int(spec.bins)
        keys = [(f"quantile({node.text}, {i}/{bins})", value.quantile(i / bins)) for i in range(1, bins)]
        self.fetch(keys, t)
        return [self.stats[k] for k, _ in keys if self.stats[k] is not None]


def _bin_texts(cuts: list[float], better: str, kind: str, lang: str) -> dict[int, str]:
    """What each score means, e.g. {5: "≤ 12 days", 4: "12–30 days", ...}."""
    out: dict[int, str] = {}
    # whole-number columns cut at an interpolated quantile (2.6 orders) show the decimals
    shown = [fmt_literal(c, "dec" if kind in ("int", "days") and c != int(c) else kind, lang) for c in cuts]
    k = len(cuts)
    if not k:
        return {1: "all" if lang == "en" else "全部"}
    for s in range(1, k + 2):
        if better == "higher":
            lo, hi = (shown[s - 2] if s >= 2 else None), (shown[s - 1] if s <= k else None)
            text = f"≤ {hi}" if lo is None else (f"> {lo}" if hi is None else f"> {lo}, ≤ {hi}")
        else:  # score s: value ≤ cuts[k + 2 - s] and > cuts[k + 1 - s] (1-based)
            hi_i, lo_i = k + 2 - s, k + 1 - s
            hi = shown[hi_i - 1] if 1 <= hi_i <= k else None
            lo = shown[lo_i - 1] if lo_i >= 1 else None
            text = f"≤ {hi}" if lo is None and hi is not None else (
                f"> {lo}" if hi is None else f"> {lo}, ≤ {hi}")
        out[s] = text
    return out
