"""The kinds of scheme: one function each that assigns the classes and writes the reasons.

:meth:`Assigner.run <tierwise.schemes.assign.Assigner.run>` calls the one its scheme's kind
names (``thresholds`` is :func:`rules`, which ``rfm`` also ends with). Each takes the
assigner, whose population table ``a.t`` already holds the scheme's scores, and returns that
table with ``class`` and ``score``; on the way it stores the reasons' templates in
``a.reasons`` (a matrix also its chart figures in ``a.figures``). What the kinds share (the
population statistics, cuts, how a reason shows a value or names a class) stays on the
:class:`~tierwise.schemes.assign.Assigner`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import ibis
import ibis.expr.types as ir

from tierwise.metrics.expr import exact
from tierwise.schemes import expr as ex
from tierwise.schemes import spec as sp
from tierwise.schemes import why as w
from tierwise.schemes.assign import LANGS, POPULATIONS, barrier
from tierwise.schemes.fmt import NONE, fmt_literal, fmt_share, label

if TYPE_CHECKING:
    from tierwise.schemes.assign import Assigner
    from tierwise.schemes.compiler import Scheme


def _noun(scheme: Scheme, lang: str) -> str:
    pair = POPULATIONS.get(scheme.spec.population, ("customers in scope", "范围内客户"))
    return pair[1] if lang == "zh" else pair[0]


def rank_tiers(a: Assigner, spec: sp.RankTiers) -> ir.Table:
    node = a.scheme.node("rank_by")
    raw = ex.to_ibis(node, a.t, a.stats)
    # _x: the value summed exactly (money stays DECIMAL), so the shares of the total are the
    # same on every engine and run; ranks and ties go by the float _v as before
    t = a.t.mutate(_v=raw.cast("float64"), _x=exact(raw))
    order = ibis.desc(t._v) if spec.order == "desc" else t._v
    a.fetch([("__ranked", t._v.count()), ("__total", ibis.ifelse(t._v > 0, t._x, 0).sum())], t)
    n = int(a.stats["__ranked"] or 0)
    total = float(a.stats["__total"] or 0)
    window = ibis.window(order_by=[t._v.isnull(), order])
    t = t.mutate(_rank=(ibis.rank().over(window) + 1))
    if spec.basis == "value":
        order = ibis.desc(t._v) if spec.order == "desc" else t._v  # re-derived from the new t
        ahead = t._x.sum().over(ibis.window(order_by=[t._v.isnull(), order], range=(None, 0)))
        peers = t._x.sum().over(ibis.window(group_by=t._v))
        # nothing: all of it is ahead
        positive = ibis.ifelse(t._v > 0, (ahead - peers).cast("float64"), total)
        t = t.mutate(_before=ibis.ifelse(total > 0, positive / (total or 1), 1.0))
    cases, reasons = [], {lang: [] for lang in LANGS}  # type: ignore[var-annotated]
    # which tier's scope a reason names: the row's class when every tier has its own
    by_class = len({tier.class_ for tier in spec.tiers}) == len(spec.tiers)
    lo = 0
    *ranked, rest = spec.tiers
    metric = {lang: label(node.name, lang) if isinstance(node, ex.Name) else node.text for lang in LANGS}
    kind = a.kind_of(node)
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
    t = barrier(t.mutate(_class=klass))
    value = a.value(t._v, kind)
    rank = a.value(t._rank, "int")
    top = a.value(t._rank / max(n, 1), "share")
    before = a.value(t._before, "share") if spec.basis == "value" else None
    for lang in LANGS:
        arms = [(w.class_is(c) if by_class else a.slots.flag(test), text)
                for c, test, text in reasons[lang]]
        named = w.pick(arms, rest_scope[lang])
        label_node = a.class_label(lang)
        noun = _noun(a.scheme, lang)
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
        a.reasons[lang] = w.pick([(w.is_null(value), missing)], ranked_text)
    return t.mutate(**{"class": t._class, "score": t._rank.cast("float64")})


def rules(a: Assigner, rules: list[sp.Rule], t: ir.Table,
          prefix: Mapping[str, w.Node] | None = None) -> ir.Table:
    live = [(i, r) for i, r in enumerate(rules) if r.when is not None and i not in a.scheme.skipped]
    nodes = [a.scheme.node(f"rules[{i}].when") for i, _ in live]
    aggs = [agg for node in nodes for agg in ex.aggregates(node)]
    a.fetch([(agg.key, ex.aggregate_expr(agg, t)) for agg in aggs], t)
    fallback = rules[-1].class_
    # every rule's and every comparison's truth once, as columns the reasons then read
    tests: dict[str, Any] = {}
    for k, node in enumerate(nodes):
        tests[f"_c{k}"] = ex.condition(node, t, a.stats)
        for j, leaf in enumerate(ex.leaves(node)):
            tests[f"_l{k}_{j}"] = ex.condition(leaf, t, a.stats)
    t = barrier(t.mutate(**tests)) if tests else t
    klass = ibis.cases(*[(t[f"_c{k}"], r.class_) for k, (_, r) in enumerate(live)], else_=fallback) \
        if live else ibis.literal(fallback)
    t = barrier(t.mutate(_class=klass))
    for lang in LANGS:
        colon = "：" if lang == "zh" else ": "
        if prefix:
            a.reasons[lang] = w.cat(a.class_label(lang), colon, prefix[lang])
            continue
        texts = []
        for k, ((_, rule), node) in enumerate(zip(live, nodes, strict=True)):
            parts = [w.pick([(a.slots.flag(t[f"_l{k}_{j}"]), a.fragment(leaf, t, lang))], None)
                     for j, leaf in enumerate(ex.leaves(node))]
            body = w.join("; " if lang == "en" else "；", parts)
            texts.append((a.slots.flag(t[f"_c{k}"]),
                          w.cat(a.label(rule.class_, lang) + colon, body)))
        none = {"en": "no rule matched", "zh": "未满足其他规则"}[lang]
        if nodes:
            rest = w.cat(a.label(fallback, lang) + colon + none + (" (" if lang == "en" else "（"),
                         a.values_reason(nodes, t, lang), ")" if lang == "en" else "）")
        else:
            rest = w.Lit(a.label(fallback, lang))
        # each arm keeps its rule's class: a customer meeting several rules is flagged by
        # each (reminders: one task per rule whose class reminds, playbook/task_kinds.py)
        a.reasons[lang] = w.pick(texts, rest, keys=[rule.class_ for _, rule in live])
    return t.mutate(**{"class": t._class, "score": ibis.null("float64")})


def matrix(a: Assigner, spec: sp.Matrix) -> ir.Table:
    t = a.t
    cols: dict[str, Any] = {}
    cuts = []
    for i, axis in enumerate(spec.axes):
        node = a.scheme.node(f"axes[{i}].by")
        value = ex.to_ibis(node, t, a.stats).cast("float64")
        cut, names = a.cut_value(axis.cut, node, t)
        cuts.append((cut, names))
        high = (value >= cut) if cut is not None else ibis.literal(None, "boolean")
        cols[f"_x{i}"] = value
        cols[f"_h{i}"] = high.fill_null(axis.missing == "high")
    t = barrier(t.mutate(**cols))
    cell = ibis.cases(*[
        ((t._h0 == c.startswith("high/")) & (t._h1 == c.endswith("/high")), spec.cells[c])
        for c in sp.CELLS])
    rules = [(rule, a.scheme.node(f"unless[{i}].when")) for i, rule in enumerate(spec.unless)
             if i not in a.scheme.skipped_unless]
    if rules:  # a cell's customers meeting a rule go elsewhere, the first rule first
        in_cell = {c: (t._h0 == c.startswith("high/")) & (t._h1 == c.endswith("/high")) for c in sp.CELLS}
        tests = {}
        for i, (rule, node) in enumerate(rules):
            tests[f"_u{i}"] = in_cell[rule.cell] & ex.condition(node, t, a.stats).fill_null(False)
            for j, leaf in enumerate(ex.leaves(node)):
                tests[f"_u{i}_{j}"] = ex.condition(leaf, t, a.stats)
        t = barrier(t.mutate(**tests))
        cell = ibis.cases(*[(t[f"_u{i}"], rule.class_) for i, (rule, _) in enumerate(rules)], else_=cell)
    t = barrier(t.mutate(_class=cell))
    parts: dict[str, list[w.Node]] = {lang: [] for lang in LANGS}
    a.figures = {"axes": [], "cuts": [None if c is None else float(c) for c, _ in cuts],
                 "cut_text": {lang: [] for lang in LANGS}}
    for i, axis in enumerate(spec.axes):
        node = a.scheme.node(f"axes[{i}].by")
        cut, names = cuts[i]
        kind = a.kind_of(node)
        shown = a.value(t[f"_x{i}"], kind)
        a.figures["axes"].append(shown.slot)
        high = a.slots.flag(t[f"_h{i}"])
        for lang in LANGS:
            name = axis.label.get(lang) if axis.label else (
                label(node.name, lang) if isinstance(node, ex.Name) else node.text)
            cut_text = names[lang] + fmt_literal(cut, kind, lang)
            a.figures["cut_text"][lang].append(cut_text)
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
            instead = a.label(spec.cells[rule.cell], lang)
            head = f"{sep}not {instead}: " if lang == "en" else f"{sep}不归入{instead}："
            texts = [w.pick([(a.slots.flag(t[f"_u{i}_{j}"]), a.fragment(leaf, t, lang))], None)
                     for j, leaf in enumerate(ex.leaves(node))]
            moved.append((a.slots.flag(t[f"_u{i}"]), w.cat(head, w.join(sep, texts))))
        a.reasons[lang] = w.cat(a.class_label(lang), ": " if lang == "en" else "：",
                                parts[lang][0], sep, parts[lang][1], w.pick(moved, ""))
    return t.mutate(**{"class": t._class, "score": ibis.null("float64")})


def scorecard(a: Assigner, spec: sp.Scorecard) -> ir.Table:
    t = a.t
    node = ex.Name(spec.score.name, spec.score.name)
    cases, shown = [], {lang: [] for lang in LANGS}  # type: ignore[var-annotated]
    for grade in spec.grades[:-1]:
        assert grade.min is not None
        cut, names = a.cut_value(grade.min, node, t)
        test = (t[spec.score.name] >= cut) if cut is not None else ibis.literal(False)
        cases.append((test, grade.class_))
        for lang in LANGS:
            shown[lang].append((grade.class_, f" ≥ {names[lang]}{fmt_literal(cut, 'dec', lang)}"))
    last = spec.grades[-1].class_
    first_cut = {lang: shown[lang][-1][1].replace("≥", "<") for lang in LANGS}
    t = barrier(t.mutate(_class=ibis.cases(*cases, else_=last)))
    score = t[spec.score.name]
    final = t._class
    capped = spec.cap is not None and a.scheme.capped
    # the grade the score alone gives: the row's class unless a cap may have lowered it
    scored = w.CLASS
    if capped:
        final, lowered = cap(a, spec, t)
        scored = a.slots.add(t._class, "raw")
    shown_score = a.value(score, "dec")
    for lang in LANGS:
        word = "score" if lang == "en" else "得分"
        cmp = w.pick([(w.Eq(scored, c), text) for c, text in shown[lang]], first_cut[lang])
        body = w.cat(f"{word} ", shown_score, cmp, " (" if lang == "en" else "（",
                     a.score_reason(spec.score, t, lang), ")" if lang == "en" else "）")
        if capped:
            cap_spec = spec.cap
            assert cap_spec is not None
            value = a.value(ex.to_ibis(a.scheme.node("cap.by"), t, {}).cast("string"), "raw")
            klass, alone = w.Val(w.CLASS, "raw"), w.Val(scored, "raw")
            if lang == "en":
                why = w.cat(f"{cap_spec.label.en} ", value, f" ({cap_spec.by}) caps it at ", klass,
                            "; the score alone gives ", alone, ": ")
            else:
                why = w.cat(f"{cap_spec.label.zh} ", value, "限为 ", klass, "，按得分为 ", alone,
                            "：")
            body = w.cat(w.pick([(a.slots.flag(lowered), why)], ""), body)  # the score's text once
        colon = ": " if lang == "en" else "："
        a.reasons[lang] = w.cat(a.class_label(lang), colon, body)
    return t.mutate(**{"class": final, "score": score})


def cap(a: Assigner, spec: sp.Scorecard, t: ir.Table) -> tuple[ir.StringValue, ir.BooleanValue]:
    """The scored grade ``t._class`` capped by ``spec.cap`` (the worse of the two, grades
    being listed best first), and whether the cap lowered it."""
    assert spec.cap is not None
    order = [g.class_ for g in spec.grades]
    value = ex.to_ibis(a.scheme.node("cap.by"), t, {}).cast("string")
    best = ibis.cases(*[(value == v, order.index(g)) for v, g in spec.cap.best.items()],
                      else_=ibis.null("int64"))
    scored = ibis.cases(*[(t._class == g, i) for i, g in enumerate(order)], else_=len(order) - 1)
    capped = ibis.coalesce(best > scored, False)
    worse = ibis.cases(*[(best == i, g) for i, g in enumerate(order)], else_=t._class)
    return ibis.ifelse(capped, worse, t._class), capped


def rfm(a: Assigner, spec: sp.Rfm) -> ir.Table:
    t = a.t
    columns: dict[str, Any] = {}
    dims = []
    for letter, dim_name in (("r", "recency"), ("f", "frequency"), ("m", "monetary")):
        dim: sp.RfmDimension = getattr(spec, dim_name)
        node = a.scheme.node(f"{dim_name}.by")
        value = ex.to_ibis(node, t, a.stats).cast("float64")
        cuts = rfm_cuts(a, spec, dim, node, t)
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
    t = barrier(t.mutate(**columns))
    t = t.mutate(fm=(t.f + t.m) / 2)
    texts: dict[str, list[w.Node]] = {lang: [] for lang in LANGS}
    for letter, dim, node, cuts in dims:
        kind = a.kind_of(node)
        score, value = a.value(t[letter], "int"), a.value(t[f"_{letter}v"], kind)
        for lang in LANGS:
            bins = _bin_texts(cuts, dim.better, kind, lang)
            name = label(node.name, lang) if isinstance(node, ex.Name) else node.text
            bin_text = w.pick([(w.Eq(score.slot, float(s)), txt) for s, txt in bins.items()], "")
            texts[lang].append(w.cat(f"{letter.upper()}", score, f" {name} ", value, " (", bin_text, ")"))
    head = {lang: w.join(", " if lang == "en" else "，", texts[lang]) for lang in LANGS}
    out = rules(a, spec.rules, t, prefix=head)
    return out.mutate(score=(out.r * 100 + out.f * 10 + out.m).cast("float64"))


def rfm_cuts(a: Assigner, spec: sp.Rfm, dim: sp.RfmDimension, node: ex.Node, t: ir.Table) -> list[float]:
    if dim.cuts is not None:
        return list(dim.cuts)
    value = ex.to_ibis(node, t, a.stats).cast("float64")
    if spec.bins in ("mean", "median"):
        key = f"{spec.bins}({node.text})"
        if spec.bins == "mean":
            mean = a.mean(key, ex.to_ibis(node, t, a.stats), t)
            return [mean] if mean is not None else []
        a.fetch([(key, value.quantile(0.5))], t)
        return [a.stats[key]] if a.stats[key] is not None else []
    bins = int(spec.bins)
    keys = [(f"quantile({node.text}, {i}/{bins})", value.quantile(i / bins)) for i in range(1, bins)]
    a.fetch(keys, t)
    return [a.stats[k] for k, _ in keys if a.stats[k] is not None]


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
