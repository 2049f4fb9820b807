"""The scheme language: validation messages, the kinds' edge cases, snapshots, and the CLI.

Preset behaviour is pinned in test_presets_a/b; DuckDB–Spark agreement in
test_schemes_engines. Here the language itself: what a person gets wrong is named with
file, field and fix; ranks and cuts behave at ties; the commands work as documented.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import gc
import json
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import ibis
import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import query, run_cli
from schemes_fixture import classes, company
from tierwise.errors import ConfigError
from tierwise.schemes import expr as ex
from tierwise.schemes import spec as sp
from tierwise.schemes.compiler import CHECK_SECONDS, Columns, compile_scheme
from tierwise.schemes.fmt import dialect, fmt_literal, fmt_share, fmt_share_value, fmt_value
from tierwise.settings import Settings
from tierwise.workspace import Workspace

HEAD = """name: mine
title: {zh: 我的, en: Mine}
"""
CLASSES = """classes:
  - {id: A, label: {zh: 甲, en: first}}
  - {id: B, label: {zh: 乙, en: second}}
  - {id: C, label: {zh: 丙, en: third}}
"""
TIERS = HEAD + """kind: rank_tiers
rank_by: revenue
tiers:
  - {class: A, top: 5%}
  - {class: B, top: 20%}
  - {class: C}
""" + CLASSES


def error(text: str) -> str:
    with pytest.raises(ConfigError) as info:
        sp.load_text(text, "schemes/mine.yaml")
    return str(info.value)


def compile_error(text: str, columns: list[str]) -> str:
    spec = sp.load_text(text, "schemes/mine.yaml")
    with pytest.raises(ConfigError) as info:
        compile_scheme(spec, text, "schemes/mine.yaml", Columns(dict.fromkeys(columns)))
    return str(info.value)


# -- validation ------------------------------------------------------------------------


def test_a_valid_scheme_loads() -> None:
    spec = sp.load_text(TIERS, "x.yaml")
    assert isinstance(spec, sp.RankTiers)
    assert [t.top for t in spec.tiers] == [0.05, 0.2, None]


def test_unknown_key_says_did_you_mean() -> None:
    msg = error(TIERS.replace("rank_by:", "rank_bye:"))
    assert "schemes/mine.yaml: rank_bye: unknown key (did you mean 'rank_by'?)" in msg
    assert "schemes/mine.yaml: rank_by: missing; add it" in msg
    nested = error(TIERS.replace("{id: A, label:", "{id: A, lable:"))
    assert "classes[0].lable: unknown key (did you mean 'label'?)" in nested


def test_unknown_kind_says_did_you_mean() -> None:
    msg = error(TIERS.replace("kind: rank_tiers", "kind: rank_tier"))
    assert msg == ("schemes/mine.yaml: kind: 'rank_tier' is not a kind (did you mean 'rank_tiers'?); "
                   "use one of rank_tiers, thresholds, matrix, scorecard, rfm")


def test_tiers_out_of_order() -> None:
    msg = error(TIERS.replace("top: 5%", "top: 30%"))
    assert msg == ("schemes/mine.yaml: tiers[1].top: 20% is not above tiers[0].top (30%); list tiers "
                   "from the smallest share to the largest, each top counting from the first customer")


def test_last_tier_takes_the_rest_and_others_need_top() -> None:
    assert "tiers[1]: give `top`" in error(TIERS.replace("{class: B, top: 20%}", "{class: B}"))
    rest = error(TIERS.replace("{class: C}", "{class: C, top: 50%}"))
    assert "tiers[2]: the last tier takes the rest" in rest


def test_fallbacks_counted() -> None:
    def rules(body: str) -> str:
        return HEAD + "kind: thresholds\nrules:\n" + body + CLASSES

    none = error(rules('  - {class: A, when: "revenue > 1"}\n'))
    assert "rules: no `otherwise: true` rule; add one as the last rule" in none
    two = error(rules("  - {class: A, otherwise: true}\n  - {class: B, otherwise: true}\n"))
    assert "rules: 2 `otherwise` rules (rules[0] and rules[1]); keep exactly one, as the last rule" in two
    early = error(rules('  - {class: A, otherwise: true}\n  - {class: B, when: "revenue > 1"}\n'))
    assert "rules[0]: the `otherwise` rule must be the last one" in early
    both = error(rules('  - {class: A, when: "revenue > 1", otherwise: true}\n'))
    assert "give either `when: <condition>` or `otherwise: true`" in both


def test_weights_must_add_up() -> None:
    card = HEAD + """kind: scorecard
score:
  name: s
  indicators:
    - {by: revenue, weight: 60}
    - {by: loyalty, weight: 30}
grades:
  - {class: A, min: 50}
  - {class: B, otherwise: true}
""" + CLASSES
    msg = error(card)
    assert "score: the weights of score 's' add up to 90, not 100" in msg
    assert "revenue 67, loyalty 33" in msg


def test_matrix_cells_and_classes() -> None:
    matrix = HEAD + """kind: matrix
axes:
  - {name: value, by: revenue}
  - {name: loyal, by: loyalty}
cells: {high/high: A, high/low: B, low/high: C}
""" + CLASSES
    assert "cells: low/low missing" in error(matrix)
    unknown = matrix.replace("low/high: C}", "low/high: C, low/low: D}")
    assert "class 'D' is used but not listed under classes" in error(unknown)
    bad_cut = matrix.replace("by: revenue}", "by: revenue, cut: middle}").replace("C}", "C, low/low: C}")
    assert "axes[0].cut: 'middle': a cut is median, mean, pNN" in error(bad_cut)


def test_yaml_syntax_error_names_the_line() -> None:
    msg = error("name: x\ntitle: {zh: a, en: b\nkind: matrix\n")
    assert msg.startswith("schemes/mine.yaml:3:")
    assert "not valid YAML" in msg


def test_unknown_column_says_did_you_mean() -> None:
    msg = compile_error(TIERS.replace("rank_by: revenue", "rank_by: revenu"), ["revenue", "loyalty"])
    assert msg.startswith("schemes/mine.yaml: rank_by: unknown column 'revenu'; did you mean revenue?")
    assert "tierwise metrics --list" in msg


def test_expression_mistakes() -> None:
    rules = (HEAD + 'kind: thresholds\nrules:\n  - {class: A, when: "WHEN"}\n'
             + "  - {class: C, otherwise: true}\n" + CLASSES)
    cols = ["revenue", "flag"]
    assert "cannot read 'revenue >= = 5'" in compile_error(rules.replace("WHEN", "revenue >= = 5"), cols)
    assert "'revenue * 2' is a value, not a condition" in compile_error(rules.replace("WHEN", "revenue * 2"),
                                                                       cols)
    assert "unknown function 'mediam' (did you mean median?)" in compile_error(
        rules.replace("WHEN", "revenue > mediam(revenue)"), cols)
    assert "`in` needs a list" in compile_error(rules.replace("WHEN", "flag in 'key'"), cols)


def test_two_threads_read_expressions_at_once() -> None:
    """CPython 3.11 counts the AST constructor's depth per interpreter: a job's thread parsing
    beside another (at a different stack depth, a collection switching threads mid-parse) failed
    with "AST constructor recursion depth mismatch" in CI until parsing took a lock."""
    failures: list[BaseException] = []

    def parse_at(depth: int) -> None:
        if depth:
            return parse_at(depth - 1)
        try:
            for _ in range(200):
                ex.parse('type in ["工程", "construction"] and (revenue + (orders * 2) > 3)', "t")
        except BaseException as exc:  # the failure is what the test reports
            failures.append(exc)
        return None

    def switch(phase: str, info: dict[str, int]) -> None:
        time.sleep(0)  # hand the GIL to the other thread in the middle of a parse

    threshold = gc.get_threshold()
    gc.callbacks.append(switch)
    gc.set_threshold(20)
    try:
        threads = [threading.Thread(target=parse_at, args=(depth,)) for depth in (0, 40)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        gc.callbacks.remove(switch)
        gc.set_threshold(*threshold)
    assert failures == []


def test_a_scheme_too_big_to_check_in_bounded_time_is_refused_with_the_limit() -> None:
    """What a person types is bounded before it is parsed: an expression's length, terms and
    bracket depth, the text's size, the number of rules, and YAML aliases (a few lines of them
    expand to billions of nodes)."""
    rules = (HEAD + 'kind: thresholds\nrules:\n  - {class: A, when: "WHEN"}\n'
             + "  - {class: C, otherwise: true}\n" + CLASSES)
    cols = ["revenue", "flag"]
    long = " or ".join(["revenue > 1"] * 100)
    msg = compile_error(rules.replace("WHEN", long), cols)
    assert "an expression of 1,496 characters; at most 1,000" in msg
    many = " or ".join(f"flag == {i}" for i in range(70))  # under 1,000 characters, over 200 terms
    assert "terms; at most 200" in compile_error(rules.replace("WHEN", many), cols)
    deep = "(" * 30 + "revenue > 1" + ")" * 30
    assert "brackets nested 30 deep; at most 20" in compile_error(rules.replace("WHEN", deep), cols)
    assert "at most 256,000" in error(rules + "#" * 256_000)
    bomb = rules + "x: &a [1, 1]\ny: &b [*a, *a]\nz: [*b, *b]\n"
    assert "YAML aliases" in error(bomb)
    lots = rules.replace('  - {class: A, when: "WHEN"}\n', '  - {class: A, when: "revenue > 1"}\n' * 101)
    assert "rules: " in error(lots) and "at most 100" in error(lots)
    near = rules.replace("WHEN", " or ".join(["revenue > 1"] * 60))
    compile_scheme(sp.load_text(near, "x.yaml"), near, "x.yaml", Columns(dict.fromkeys(cols)),
                   seconds=CHECK_SECONDS)  # just under the limits: fine, well within the time limit
    with pytest.raises(ConfigError, match=r"checking took over 0 s and was stopped at rules\[0\]\.when"):
        compile_scheme(sp.load_text(near, "x.yaml"), near, "x.yaml", Columns(dict.fromkeys(cols)), seconds=0)


def test_required_columns_are_checked() -> None:
    assert "requires: 'order.cost': no table 'order' (did you mean 'orders'?)" in error(
        TIERS.replace("rank_by: revenue", "rank_by: revenue\nrequires: [order.cost]"))
    assert "requires: 'orders.cots': orders has no column 'cots' (did you mean 'cost'?)" in error(
        TIERS.replace("rank_by: revenue", "rank_by: revenue\nrequires: [orders.cots]"))
    sp.load_text(TIERS.replace("rank_by: revenue", "rank_by: revenue\nrequires: [customers.wallet]"), "x")


def test_class_ids_and_playbook_checked() -> None:
    assert "service_ratio '1 to 2': write 1:N or 1:N-M" in error(
        TIERS.replace("{id: A, label: {zh: 甲, en: first}}",
                      "{id: A, label: {zh: 甲, en: first}, playbook: {service_ratio: 1 to 2}}"))
    assert "classes[0].id: String should match pattern" in error(TIERS.replace("{id: A,", "{id: 'A B',"))


def test_a_strategy_makes_tasks_or_says_it_is_advice() -> None:
    """A class's strategy either has the team do something (its tasks) or says it is advice
    only: a silent strategy is noted when the scheme is checked, and contradictions refused."""
    text = TIERS.replace("{id: A, label: {zh: 甲, en: first}}",
                         "{id: A, label: {zh: 甲, en: first}, playbook: {strategy: {zh: 引, en: nurture}}}")
    spec = sp.load_text(text, "schemes/mine.yaml")
    notes = compile_scheme(spec, text, "schemes/mine.yaml", Columns(dict.fromkeys(["revenue"]))).notes
    assert [n for n in notes if n.startswith("class A: its strategy makes no task")], notes
    for fix in ("call_every_days: 60", "advice_only: true", "credit_action: collect"):
        fixed = text.replace("en: nurture}", "en: nurture}, " + fix)
        spec = sp.load_text(fixed, "schemes/mine.yaml")
        assert not compile_scheme(spec, fixed, "schemes/mine.yaml", Columns(dict.fromkeys(["revenue"]))).notes
    assert "advice_only: true, yet the playbook asks for tasks (call every 60 days)" in error(
        text.replace("en: nurture}", "en: nurture}, advice_only: true, call_every_days: 60"))
    watch = text.replace("en: nurture}", "en: nurture}, credit_action: watch")  # watching makes no task
    spec = sp.load_text(watch, "schemes/mine.yaml")
    assert compile_scheme(spec, watch, "schemes/mine.yaml", Columns(dict.fromkeys(["revenue"]))).notes


def test_matrix_unless_rules_are_checked() -> None:
    matrix = HEAD + """kind: matrix
axes:
  - {name: value, by: revenue, cut: median}
  - {name: loyalty, by: loyalty, cut: median}
cells: {high/high: A, high/low: B, low/high: C, low/low: C}
unless:
  - {cell: high/high, when: on_time_ratio < 0.8, class: B, requires: [payments.amount]}
""" + CLASSES
    spec = sp.load_text(matrix, "schemes/mine.yaml")
    assert isinstance(spec, sp.Matrix) and spec.unless[0].class_ == "B"
    assert "unless[0].cell: 'top/high' is not a cell" in error(
        matrix.replace("cell: high/high", "cell: top/high"))
    assert "class 'D' is used but not listed" in error(matrix.replace("class: B,", "class: D,"))
    assert "should be table.column" in error(matrix.replace("[payments.amount]", "[payments]"))
    assert "is a value, not a condition" in compile_error(
        matrix.replace("on_time_ratio < 0.8", "on_time_ratio"), ["revenue", "loyalty", "on_time_ratio"])
    cols = dict.fromkeys(["revenue", "loyalty", "on_time_ratio"])
    without = compile_scheme(spec, matrix, "schemes/mine.yaml", Columns(cols, filled=frozenset()))
    assert without.skipped_unless == {0} and "unless[0] skipped: needs payments.amount" in without.notes[0]
    assert not compile_scheme(spec, matrix, "m.yaml", Columns(cols, filled=frozenset({"payments.amount"}))
                              ).skipped_unless


def test_every_preset_strategy_makes_tasks_or_is_advice_only() -> None:
    from tierwise.schemes.registry import presets

    silent, plans = [], {}
    for name, file in presets().items():
        spec = file.spec()
        for c in spec.classes:
            pb = c.playbook
            assert pb is not None and pb.strategy is not None, (name, c.id)  # the seed gives every class one
            if not pb.makes_tasks() and not pb.advice_only:
                silent.append((name, c.id))
            plans[name, c.id] = pb.plan()
    assert not silent
    # the classes the seed says to work on have tasks: 蜗牛「引」, EIII 定期拜访, the dormant layers, PI–PIV
    assert plans["value_loyalty", "snail"] == [("call every 60 days", "每 60 天电话联系")]
    assert plans["contribution_stability", "EIII"] == [("visit every 90 days", "每 90 天拜访")]
    assert plans["lifecycle", "dormant_temporary"] and plans["b2b_levels", "dormant"]
    assert all(plans["prospect_pi", k] for k in ("PI", "PII", "PIII", "PIV"))
    assert plans["credit_rating", "C"] == [("cash before shipping", "款到发货")]


# -- kinds at the edges ----------------------------------------------------------------


def orders_of(amounts: dict[str, float], day: str = "2024-03-01") -> list[dict[str, object]]:
    return [{"customer_id": c, "order_date": day, "amount": a} for c, a in amounts.items()]


def test_rank_ties_share_the_better_tier(ws: Workspace, tmp_path: Path) -> None:
    # 20 buyers with 990, 980, ...: top 5% = rank 1 (A), top 20% = ranks 2–4 (B). X05 ties
    # X04 at 960, so both rank 4 and both are B: ties take the better tier; X06 ranks 6.
    amounts = {f"X{i:02d}": 1000 - 10 * i for i in range(1, 21)}
    amounts["X05"] = amounts["X04"]  # ranks 4 and 4: both inside the top 20% (ranks 1–4)
    company(ws, tmp_path, orders=orders_of(amounts))
    got = classes(ws, TIERS, tmp=tmp_path)
    first = ("X01", "X02", "X03", "X04", "X05", "X06")
    assert [got[c].klass for c in first] == ["A", "B", "B", "B", "B", "C"]
    assert got["X05"].reason_en == ("B second: revenue ¥960 ranks 4 of 20 buyers "
                                    "(top 20%; B = top 20%, ranks 2–4)")
    assert got["X06"].reason_en == ("C third: revenue ¥940 ranks 6 of 20 buyers "
                                    "(top 30%; C = the rest, ranks 5–20)")


def test_rank_by_cumulative_value(ws: Workspace, tmp_path: Path) -> None:
    # revenue 500, 300, 100, 100: total 1,000. Shares ahead: 0, 50%, 80%, 80% (the tie).
    company(ws, tmp_path, orders=orders_of({"P": 500, "Q": 300, "R": 100, "S": 100}))
    text = TIERS.replace("rank_by: revenue", "rank_by: revenue\nbasis: value") \
        .replace("top: 5%", "top: 50%").replace("top: 20%", "top: 85%")
    got = classes(ws, text, tmp=tmp_path)
    assert {c: a.klass for c, a in got.items()} == {"P": "A", "Q": "B", "R": "B", "S": "B"}
    assert got["Q"].reason_en == ("B second: revenue ¥300 ranks 2 of 4; those ahead make 50% of the "
                                  "total (B = the customers making the first 85%)")
    tight = text.replace("top: 85%", "top: 80%")
    got = classes(ws, tight, tmp=tmp_path)  # R and S start at 80%: not before the 80% line
    assert {c: a.klass for c, a in got.items()} == {"P": "A", "Q": "B", "R": "C", "S": "C"}


def test_scorecard_rank_normalisation_and_missing(ws: Workspace, tmp_path: Path) -> None:
    card = HEAD + """kind: scorecard
population: all
score:
  name: s
  indicators:
    - {by: size, weight: 50, scale: rank}
    - {by: size, weight: 50, scale: [0, 10], missing: 0.5}
grades:
  - {class: A, min: 75}
  - {class: B, min: p50}
  - {class: C, otherwise: true}
""" + CLASSES
    company(ws, tmp_path, customers=[{"customer_id": c, "size": s} for c, s in
                                     [("K1", 10), ("K2", 5), ("K3", 5), ("K4", None)]])
    got = classes(ws, card, tmp=tmp_path, as_of=date(2024, 3, 31))  # no orders to take it from
    # rank part: share of valued customers at or below: K1 3/3, K2 and K3 2/3; K4 empty → 0.
    # range part: K1 10/10, K2 K3 5/10, K4 missing → 0.5. Score = 50·rank + 50·range:
    # K1 100, K2 K3 58.33, K4 25. p50 of (25, 58.33, 58.33, 100) = 58.33.
    assert {c: a.klass for c, a in got.items()} == {"K1": "A", "K2": "B", "K3": "B", "K4": "C"}
    assert got["K2"].score == pytest.approx(50 * 2 / 3 + 25)
    assert got["K4"].reason_en == ("C third: score 25 < p50 58.333 (size n/a → 0/50; size n/a → 25/50)")


def test_lapsed_and_prospects_are_outside_buyers(ws: Workspace, tmp_path: Path) -> None:
    company(ws, tmp_path, customers=[{"customer_id": "PROS"}],
            orders=orders_of({"OLD": 100}, "2020-01-01") + orders_of({"NEW": 100}))
    got = classes(ws, TIERS, tmp=tmp_path)
    assert set(got) == {"NEW"}


# -- snapshots -------------------------------------------------------------------------


def test_same_run_replaces_its_snapshot(ws: Workspace, tmp_path: Path) -> None:
    company(ws, tmp_path, orders=orders_of({"P": 500, "Q": 300}))
    first = ws.snapshots.classify(["abc"])
    again = ws.snapshots.classify(["abc"])
    assert again.snapshot_id == first.snapshot_id
    rows = ws.db.con.execute("SELECT count(*) FROM classes").fetchone()
    assert rows == (2,)
    later = ws.snapshots.classify(["abc"], as_of=date(2024, 6, 30))
    assert later.snapshot_id != first.snapshot_id
    assert ws.db.con.execute("SELECT count(DISTINCT snapshot_id) FROM classes").fetchone() == (2,)


# -- formatting agrees with Python -----------------------------------------------------


FORMAT_CASES = [(kind, lang) for kind in ("money", "days", "int", "dec") for lang in ("en", "zh")]


@functools.cache
def _formatting_sql(engine: str) -> str:
    """Every formatting case over a table ``fmt_input`` (column ``x``), compiled once: the portable
    expression (``""``) or DuckDB's own format() (``"duckdb"``)."""
    table = ibis.table({"x": "float64"}, name="fmt_input")
    with dialect(engine):
        exprs = {f"{k}_{lang}": fmt_value(table.x, k, lang) for k, lang in FORMAT_CASES}
    return str(ibis.to_sql(table.select(**exprs), dialect="duckdb"))


@settings(max_examples=25, deadline=None)
@given(st.lists(st.floats(min_value=-1e11, max_value=1e11, allow_nan=False), min_size=1, max_size=20))
def test_engine_formatting_matches_python(values: list[float]) -> None:
    con = duckdb.connect()
    con.register("fmt_input", pa.table({"x": pa.array(values, pa.float64())}))
    for engine in ("", "duckdb"):
        got = con.execute(_formatting_sql(engine)).to_arrow_table()
        for kind, lang in FORMAT_CASES:
            expected = [fmt_literal(v, kind, lang) for v in values]
            assert got[f"{kind}_{lang}"].to_pylist() == expected, (engine, kind)


def test_the_first_of_many_is_top_under_a_tenth_of_a_percent_not_zero() -> None:
    """Rank 1 of 14,308 is 0.007%: written "<0.1%" (it read "top 0.0%"), by the engine and by
    Python alike; zero stays 0%, and 0.05% rounds to 0.1% as before."""
    values = [0.0, 1 / 14_308, 1 / 1_000_000, 0.000499, 0.0005, 0.011, 0.05]
    expected = ["0%", "<0.1%", "<0.1%", "<0.1%", "0.1%", "1.1%", "5%"]
    assert [fmt_share(v) for v in values] == expected
    con = ibis.duckdb.connect()
    table = ibis.memtable(pa.table({"x": pa.array(values, pa.float64())}))
    for engine in ("", "duckdb"):
        with dialect(engine):
            got = con.to_pyarrow(table.select(s=fmt_share_value(table.x)))["s"].to_pylist()
        assert got == expected, engine


# -- commands --------------------------------------------------------------------------


@pytest.fixture
def demo_like(tmp_path: Path) -> Path:
    """A small company built through the CLI (customers with attributes, orders)."""
    db = tmp_path / "w.duckdb"
    ws = Workspace.open(__import__("tierwise.settings", fromlist=["Settings"]).Settings(db=db), create=True)
    try:
        company(ws, tmp_path, customers=[{"customer_id": f"C{i}", "flag": "key" if i == 1 else ""}
                                         for i in range(1, 7)],
                orders=orders_of({f"C{i}": 100.0 * i for i in range(1, 7)}))
    finally:
        ws.close()
    return db


def test_schemes_list_show_new(demo_like: Path, tmp_path: Path) -> None:
    listed = run_cli("--db", demo_like, "schemes", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    rows = {r["name"]: r for r in json.loads(listed.stdout)}
    assert rows["abc"]["data_present"] is True and rows["abc"]["method"] == "M1"
    assert rows["value_type"]["data_present"] is False
    assert rows["value_type"]["missing"] == ["orders.cost"]
    shown = run_cli("--db", demo_like, "schemes", "show", "abc")
    preset = Path(__file__).parents[1] / "src/tierwise/schemes/presets/01-abc.yaml"
    assert shown.stdout == preset.read_text(encoding="utf-8")
    made = run_cli("--db", demo_like, "schemes", "new", "abc", "--from", "abc")
    assert made.returncode == 0, made.stderr
    mine = tmp_path / "schemes" / "abc.yaml"
    edited = mine.read_text(encoding="utf-8").replace("{class: A, top: 5%}", "{class: A, top: 50%}")
    mine.write_text(edited.replace("{class: B, top: 20%}", "{class: B, top: 80%}"), encoding="utf-8")
    again_listed = run_cli("--db", demo_like, "schemes", "list", "--json").stdout
    listed = {r["name"]: r for r in json.loads(again_listed)}
    assert listed["abc"]["origin"] == str(mine)  # the workspace's copy overrides the preset
    out = run_cli("--db", demo_like, "classify", "--scheme", "abc", "--json")
    assert json.loads(out.stdout)["schemes"]["abc"]["A"]["customers"] == 3  # top 50% of 6
    again = run_cli("--db", demo_like, "schemes", "new", "abc", "--from", "abc")
    assert again.returncode == 1 and "exists" in again.stderr


def test_validate_reports_one_line_without_traceback(demo_like: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(TIERS.replace("rank_by: revenue", "rank_by: revenu"), encoding="utf-8")
    r = run_cli("--db", demo_like, "schemes", "validate", bad)
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    assert f"{bad}: rank_by: unknown column 'revenu'; did you mean revenue or revenue_rank?" in r.stderr
    good = tmp_path / "good.yaml"
    good.write_text(TIERS, encoding="utf-8")
    r = run_cli("--db", demo_like, "schemes", "validate", good)
    assert r.returncode == 0 and "ok: mine (rank_tiers, 3 classes)" in r.stdout


def test_classify_json_and_exports(demo_like: Path, tmp_path: Path) -> None:
    r = run_cli("--db", demo_like, "classify", "--json")
    assert r.returncode == 0, r.stderr
    result = json.loads(r.stdout)
    assert result["as_of"] == "2024-03-01"
    assert set(result) == {"snapshot_id", "as_of", "schemes", "skipped", "notes"}
    abc = result["schemes"]["abc"]
    assert abc == {"A": {"customers": 1, "revenue": 600.0}, "B": {"customers": 1, "revenue": 500.0},
                   "C": {"customers": 4, "revenue": 1000.0}}
    assert "value_type" in result["skipped"]  # no costs: skipped, with the reason
    stored = query(demo_like, "SELECT count(*) FROM classes WHERE snapshot_id = ?", [result["snapshot_id"]])
    assert stored[0][0] == sum(c["customers"] for s in result["schemes"].values() for c in s.values())

    out_csv = tmp_path / "c.csv"
    r = run_cli("--db", demo_like, "--lang", "zh", "classes", "export", "--out", out_csv, "--scheme", "abc")
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(out_csv.read_text(encoding="utf-8-sig").splitlines()))
    assert [r["客户编号"] for r in rows] == ["C6", "C5", "C1", "C2", "C3", "C4"]  # A, B, then C
    assert rows[0]["分类方案"] == "ABC 客户分类" and rows[0]["类别"] == "关键客户（A）"  # read as people do
    assert "label_en" not in rows[0] and "class" not in rows[0]
    assert rows[0]["依据"] == ("A 关键客户：销售额 ¥600，在 6 个成交客户中排第 1 名"
                                 "（前 16.7%；A 为前 5%，即第 1–1 名）"
                                 "；暂定：首单 2024-03-01 未满 6 个月，2024-09-01 复评")  # all orders are new
    out_xlsx = tmp_path / "c.xlsx"
    assert run_cli("--db", demo_like, "classes", "export", "--out", out_xlsx).returncode == 0
    sheet = openpyxl.load_workbook(out_xlsx)["classes"]
    header = [c.value for c in sheet[1]]
    assert header == ["snapshot_id", "as_of", "customer_id", "scheme", "class", "label_zh", "label_en",
                      "computed_class", "override_id", "provisional_until", "reason"]
    assert sheet.max_row - 1 == stored[0][0]
    assert sheet.freeze_panes == "A2" and "classes" in sheet.tables
    out_pq = tmp_path / "c.parquet"
    assert run_cli("--db", demo_like, "classes", "export", "--out", out_pq).returncode == 0
    assert pq.read_table(out_pq).num_rows == stored[0][0]
    wrong = run_cli("--db", demo_like, "classes", "export", "--out", tmp_path / "c.txt")
    assert wrong.returncode == 1 and ".csv, .parquet or .xlsx" in wrong.stderr


def test_named_scheme_without_its_data_says_what_is_missing(demo_like: Path) -> None:
    r = run_cli("--db", demo_like, "classify", "--scheme", "value_type")
    assert r.returncode == 1
    assert "lacks data this scheme needs: orders.cost" in r.stderr
    r = run_cli("--db", demo_like, "classify", "--scheme", "abcd")
    assert r.returncode == 1 and "no scheme called 'abcd'" in r.stderr


# -- the abc preset (M1) -----------------------------------------------------------------


def test_abc_preset_on_five_customers(ws: Workspace, tmp_path: Path) -> None:
    # 5 buyers: A = top 5% → ceil(0.25) = rank 1 (the best customer always gets A);
    # B = top 20% → ceil(1.0) = rank 1 too, already A, so B is empty; C = ranks 2–5.
    # C and D tie at 300 and share rank 3.
    company(ws, tmp_path, orders=orders_of({"A": 500, "B": 400, "C": 300, "D": 300, "E": 100}))
    got = classes(ws, "abc")
    assert {c: a.klass for c, a in got.items()} == {"A": "A", "B": "C", "C": "C", "D": "C", "E": "C"}
    assert got["A"].reason_en == "A key: revenue ¥500 ranks 1 of 5 buyers (top 20%; A = top 5%, ranks 1–1)"
    assert got["D"].reason_en == ("C ordinary: revenue ¥300 ranks 3 of 5 buyers "
                                  "(top 60%; C = the rest, ranks 2–5)")
    assert got["E"].reason_zh == ("C 普通客户：销售额 ¥100，在 5 个成交客户中排第 5 名"
                                  "（前 100%；C 为其余，即第 2–5 名）")
    assert got["A"].score == 1 and got["D"].score == 3
    result = ws.snapshots.classify(["abc"])
    assert {k: v["customers"] for k, v in result.schemes["abc"].classes.items()} == {"A": 1, "B": 0, "C": 4}


def test_abc_preset_without_buyers_is_empty_not_an_error(ws: Workspace, tmp_path: Path) -> None:
    company(ws, tmp_path, customers=[{"customer_id": "P1"}, {"customer_id": "P2"}])
    result = ws.snapshots.classify(["abc"], as_of=date(2024, 3, 31))
    assert result.schemes["abc"].population == 0
    assert all(v["customers"] == 0 for v in result.schemes["abc"].classes.values())
    with pytest.raises(Exception, match="no orders to take the as-of date from"):
        ws.snapshots.classify(["abc"])  # without --as-of there is no date to evaluate at


def test_classify_under_a_memory_limit_keeps_its_tables_in_a_file_and_classes_are_the_same(
        demo_company: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Under a memory limit the user set, what a classification materialises (the per-order,
    per-day and per-customer parts of each window's metrics, the customers joined to the parts
    one at a time, and the metrics every scheme reads) is kept in a database file of its own
    beside the spill, removed when the run ends (a temporary table's blocks leave memory only
    through the spill); without a limit they stay temporary tables. The classes and the metrics
    are the same."""
    from conftest import demo_copy
    from tierwise.metrics import table as metrics_table

    made: list[tuple[str, Path]] = []
    attach = metrics_table.attached

    def attaching(con: Any, name: str, prefix: str, *, in_file: bool) -> Any:
        assert in_file and prefix == "tierwise-scratch-"
        with attach(con, name, prefix, in_file=in_file):
            ((path,),) = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = ?",
                                     [name]).fetchall()
            made.append((name, Path(path)))
            yield
            kept = con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = ?",
                               [name]).fetchone()
            assert kept is not None and kept[0] >= 4  # per order, per day, BTYD summary, metrics ...
            # the customers joined to the six parts one statement at a time: six tables that
            # still carry the customers' created day (the metrics table itself does not)
            joined = con.execute("SELECT count(DISTINCT table_name) FROM duckdb_columns() "
                                 "WHERE database_name = ? AND column_name = 'created_dn'", [name]).fetchone()
            assert joined == (6,)

    monkeypatch.setattr(metrics_table, "attached", contextlib.contextmanager(attaching))
    runs, metrics = {}, {}
    for limit in ("auto", "1GB"):
        with Workspace.open(Settings(db=demo_copy(demo_company, tmp_path / limit), memory_limit=limit)) as ws:
            result = ws.snapshots.classify()
            runs[limit] = ws.db.con.execute(
                "SELECT scheme, customer_id, class, score, reason_en, reason_zh, computed_class, revenue, "
                "why, why_text FROM classes WHERE snapshot_id = ? ORDER BY ALL",
                [result.snapshot_id]).fetchall()
            if limit == "auto":
                assert not made  # temporary tables
            else:
                windows = {s.window for s in result.schemes.values()}
                assert len(made) == len(windows)  # one file a window, gone after it
                assert all(path.parent.name.startswith("tierwise-scratch-") and not path.parent.exists()
                           for _, path in made)
                databases = ws.db.con.execute("SELECT database_name FROM duckdb_databases()").fetchall()
                attached_now = {r[0] for r in databases}
                assert not attached_now & {name for name, _ in made}
            table = ws.metrics.run(as_of=result.as_of).table
            assert table is not None
            metrics[limit] = table.sort_by("customer_id")
    assert len(runs["auto"]) > 5_000 and runs["1GB"] == runs["auto"]
    assert metrics["1GB"].num_rows >= 500 and metrics["1GB"].equals(metrics["auto"])
