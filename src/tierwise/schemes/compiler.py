"""Compiled schemes: a raw spec checked against the data and turned into engine expressions.

:func:`compile_scheme` checks every name a scheme reads against the columns the workspace
has (metrics plus customer attributes) and parses every expression.
:meth:`Scheme.assign_slots` then builds, for the scheme's population, one Ibis table of
``customer_id, class, score`` and the slots its reasons quote, with the reasons' templates
(:mod:`tierwise.schemes.why`); :meth:`Scheme.assign` writes the reasons out. Cuts that
depend on the population (medians, quantiles, min/max for normalising, the count for rank
shares) are computed first with one small aggregation and enter the final expression as
literals, so reasons can quote them and both engines compare against the very same numbers.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import ibis.expr.datatypes as dt
import ibis.expr.types as ir

from tierwise.errors import ConfigError
from tierwise.schemes import expr as ex
from tierwise.schemes import spec as sp
from tierwise.schemes import why as why_
from tierwise.schemes.assign import POPULATIONS, scores_of
from tierwise.schemes.fmt import value_kind


@dataclass(frozen=True)
class Columns:
    """The columns a scheme may read: name → type, and which are customer attributes."""

    types: Mapping[str, dt.DataType | None]
    attributes: frozenset[str] = frozenset()
    filled: frozenset[str] | None = None  # table.column holding data (None: not looked at)

    def kind(self, name: str) -> str:
        return value_kind(name, self.types.get(name))


@dataclass
class Scheme:
    """A scheme ready to run: its spec, where it came from, its parsed expressions."""

    spec: sp.SchemeSpec
    text: str
    origin: str
    columns: Columns
    notes: list[str] = field(default_factory=list)
    exprs: dict[str, ex.Node] = field(default_factory=dict)
    skipped: set[int] = field(default_factory=set)  # optional rules whose columns are absent
    skipped_unless: set[int] = field(default_factory=set)  # a matrix's unless rules whose data is absent
    capped: bool = False  # a scorecard's cap applies (its attribute is in the workspace)

    @property
    def name(self) -> str:
        return self.spec.name

    def node(self, path: str) -> ex.Node:
        return self.exprs[path]

    @property
    def reads(self) -> list[str]:
        """The columns of the base table this scheme reads: ``customer_id``, ``status`` (the
        population), and every column its expressions name, in the base's column order."""
        named = {n for node in self.exprs.values() for n in ex.names(node)}
        return [c for c in self.columns.types if c in ("customer_id", "status") or c in named]

    def assign(self, base: ir.Table) -> ir.Table:
        """Classes and reasons of the population of ``base`` (metrics joined to attributes):
        ``customer_id, class, score, reason_en, reason_zh``, the reasons written out.

        Runs the population statistics on ``base``'s engine, then returns the lazy table.
        """
        from tierwise.schemes.fmt import dialect

        rows, templates, _ = self.assign_slots(base)
        get = why_.stored_lookup(rows)
        with dialect(base._find_backend().name):
            reasons = {f"reason_{lang}": why_.render_ibis(node, get, lang)
                       for lang, node in templates.items()}
        return rows.select("customer_id", "class", "score", **reasons)

    def assign_slots(self, base: ir.Table) -> tuple[ir.Table, dict[str, why_.Node], dict[str, Any]]:
        """Classes of the population of ``base`` with their reasons' slots (``customer_id, class,
        score, why, why_text``), the reasons' templates by language (what a snapshot stores:
        :mod:`tierwise.schemes.why`), and the figures a chart reads besides the rows (a
        matrix: the slots of its axes' values, its cuts and how reasons name them)."""
        from tierwise.schemes.assign import Assigner
        from tierwise.schemes.fmt import dialect

        with dialect(base._find_backend().name):
            assigner = Assigner(self, base)
            rows = assigner.run()
        return rows, assigner.reasons, assigner.figures


# -- compiling -----------------------------------------------------------------------


def _where(scheme_source: str, path: str) -> str:
    return f"{scheme_source}: {path}"


CHECK_SECONDS = 5.0  # a check over the size limits takes 0.6 s at most; this stops anything else


def compile_scheme(spec: sp.SchemeSpec, text: str, origin: str, columns: Columns,
                   seconds: float | None = None) -> Scheme:
    """Parse the expressions of ``spec`` and check every name against ``columns``.

    Raises :class:`ConfigError` naming the file and field for an unknown column or a bad
    expression, or when the check has run over ``seconds`` (it stops there: a person's text
    never holds a server thread longer). Optional rules (``optional: true``) whose columns are
    absent are skipped and noted instead.
    """
    scheme = Scheme(spec, text, origin, columns)
    deadline = time.monotonic() + seconds if seconds is not None else None
    virtual = [s.name for s in scores_of(spec)]
    known = list(columns.types) + virtual
    if isinstance(spec, sp.Rfm):
        known += ["r", "f", "m", "fm"]

    def add(path: str, source: str, *, condition: bool = False, names: list[str] | None = None,
            optional: bool = False, rule: int | None = None) -> None:
        where = _where(origin, path)
        if deadline is not None and time.monotonic() > deadline:
            raise ConfigError(f"{origin}: checking took over {seconds:g} s and was stopped at {path}: "
                              f"shorten the expressions or split the scheme / "
                              f"方案校验超过 {seconds:g} 秒，已停止")
        node = ex.parse(source, where)
        missing = [n for n in ex.names(node) if n not in (names if names is not None else known)]
        if missing and optional and rule is not None and all(m not in columns.types for m in missing):
            scheme.skipped.add(rule)
            scheme.notes.append(f"{path} skipped: no column {', '.join(missing)}")
            return
        ex.check_names(node, names if names is not None else known, where)
        if condition and not ex.is_condition(node):
            raise ConfigError(f"{where}: {source!r} is a value, not a condition; compare it, "
                              f"e.g. {source} >= 100")
        if not condition and ex.is_condition(node):
            raise ConfigError(f"{where}: {source!r} is a condition; give a value (a metric or a "
                              f"calculation) here")
        scheme.exprs[path] = node

    base_names = list(columns.types)
    if spec.population not in POPULATIONS:
        add("population", spec.population, condition=True, names=base_names)
        if ex.aggregates(scheme.exprs["population"]):
            raise ConfigError(f"{origin}: population: statistics such as median() cannot be used "
                              f"to choose the population")
    for s_i, score in enumerate(scores_of(spec)):
        prefix = "score" if isinstance(spec, sp.Scorecard) else f"scores[{s_i}]"
        for i, ind in enumerate(score.indicators):
            add(f"{prefix}.indicators[{i}].by", ind.by, names=base_names)
    if isinstance(spec, sp.RankTiers):
        add("rank_by", spec.rank_by)
    elif isinstance(spec, sp.Matrix):
        for i, axis in enumerate(spec.axes):
            add(f"axes[{i}].by", axis.by)
        for i, cell_rule in enumerate(spec.unless):
            add(f"unless[{i}].when", cell_rule.when, condition=True)
            filled = columns.filled
            lacking = [r for r in cell_rule.requires if filled is not None and r not in filled]
            if lacking:  # e.g. credit without payments: unknown, not bad
                scheme.skipped_unless.add(i)
                scheme.notes.append(f"unless[{i}] skipped: needs {', '.join(lacking)} / "
                                    f"unless[{i}] 未执行：缺少 {', '.join(lacking)}")
    elif isinstance(spec, sp.Rfm):
        for dim in ("recency", "frequency", "monetary"):
            add(f"{dim}.by", getattr(spec, dim).by, names=base_names)
    if isinstance(spec, sp.Thresholds | sp.Rfm):
        for i, rule in enumerate(spec.rules):
            if rule.when is not None:
                add(f"rules[{i}].when", rule.when, condition=True, optional=rule.optional, rule=i)
    if isinstance(spec, sp.Scorecard) and spec.cap is not None:
        scheme.capped = spec.cap.by in columns.attributes
        if scheme.capped:
            add("cap.by", spec.cap.by, names=base_names)  # so that it is read (``reads``)
        else:
            scheme.notes.append(f"cap skipped: no column {spec.cap.by}")
    for c in spec.classes:
        pb = c.playbook
        if pb is not None and pb.strategy is not None and not pb.makes_tasks() and not pb.advice_only:
            scheme.notes.append(
                f"class {c.id}: its strategy makes no task (no visit or call cadence, care, reminder, review "
                f"or credit action): add one, or advice_only: true to say it is advice for the rep / "
                f"类别 {c.id} 的策略不产生任何任务：请设定拜访或电话周期、关怀、提醒、复评或信用措施，"
                f"或写 advice_only: true 表明仅为服务建议")
    return scheme


def needed_columns(spec: sp.SchemeSpec, metric_names: Iterable[str]) -> tuple[list[str], list[str]]:
    """(attributes the scheme reads, attributes only its optional rules read)."""
    metrics = set(metric_names) | {s.name for s in scores_of(spec)}
    if isinstance(spec, sp.Rfm):
        metrics |= {"r", "f", "m", "fm"}
    sources: list[tuple[str, bool]] = []
    if spec.population not in POPULATIONS:
        sources.append((spec.population, False))
    for score in scores_of(spec):
        sources += [(i.by, False) for i in score.indicators]
    if isinstance(spec, sp.RankTiers):
        sources.append((spec.rank_by, False))
    elif isinstance(spec, sp.Matrix):
        sources += [(a.by, False) for a in spec.axes] + [(r.when, False) for r in spec.unless]
    elif isinstance(spec, sp.Rfm):
        sources += [(spec.recency.by, False), (spec.frequency.by, False), (spec.monetary.by, False)]
    if isinstance(spec, sp.Thresholds | sp.Rfm):
        sources += [(r.when, r.optional) for r in spec.rules if r.when is not None]
    if isinstance(spec, sp.Scorecard) and spec.cap is not None:
        sources.append((spec.cap.by, True))
    required: list[str] = []
    optional: list[str] = []
    for text, opt in sources:
        try:
            node = ex.parse(text, spec.name)
        except ConfigError:
            continue
        for name in ex.names(node):
            if name in metrics:
                continue
            target = optional if opt else required
            if name not in target:
                target.append(name)
    return required, [n for n in optional if n not in required]


