"""Reasons stored as templates and values (schemes/why.py): every way of writing them out
gives the same text, an override and a provisional grade still wrap them, and snapshots
stored before templates read as they were."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest

from conftest import demo_copy
from tierwise.schemes import why
from tierwise.schemes.store import classes_from, fill_reason, reason_sql
from tierwise.settings import Settings
from tierwise.workspace import Workspace


@pytest.fixture(scope="module")
def ws(demo_company: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    path = demo_copy(demo_company, tmp_path_factory.mktemp("why"))
    workspace = Workspace.open(Settings(db=path))
    yield workspace
    workspace.close()


def _current(ws: Workspace) -> int:
    row = ws.db.con.execute("SELECT max(snapshot_id) FROM snapshots").fetchone()
    assert row is not None
    return int(row[0])


def test_python_writes_every_reason_as_the_engine_does(ws: Workspace) -> None:
    """Every class row of every preset of the demo: the engine's text (exports, reports,
    tasks) equals Python's (the customer page), in both languages."""
    sid = _current(ws)
    con = ws.db.con
    engine = con.execute(
        f"SELECT c.scheme, c.customer_id, c.reason_en, c.reason_zh FROM {classes_from(ws.db, [sid])} "
        "WHERE c.snapshot_id = ?", [sid]).fetchall()
    raw = con.execute(
        """SELECT c.scheme, c.customer_id, x.reasons, c.why, c.why_text, coalesce(c.computed_class, c.class)
           FROM classes c JOIN snapshot_schemes x USING (snapshot_id, scheme) WHERE c.snapshot_id = ?""",
        [sid]).fetchall()
    assert len(engine) == len(raw) > 5_000
    schemes = {r[0] for r in raw}
    assert len(schemes) >= 15
    python = {(r[0], r[1]): tuple(why.render_py(why.loads(r[2])[lang], r[3], r[4], r[5], lang)
                                  for lang in ("en", "zh")) for r in raw}
    differ = [(r[0], r[1], r[2:], python[r[0], r[1]]) for r in engine if python[r[0], r[1]] != tuple(r[2:])]
    assert not differ, differ[:3]
    # one scheme's rows (a workbook sheet, an export of one scheme) format each value once in a
    # subquery: the same text
    for scheme in schemes:
        one = con.execute(
            "SELECT c.scheme, c.customer_id, c.reason_en, c.reason_zh "
            f"FROM {classes_from(ws.db, [sid], scheme)} WHERE c.snapshot_id = ? AND c.scheme = ?",
            [sid, scheme]).fetchall()
        assert one and all(python[r[0], r[1]] == tuple(r[2:]) for r in one), scheme
    # and they say something: the class, then values
    assert all(en and zh and en != zh for en, zh in python.values())


def test_a_snapshot_stores_values_not_sentences(ws: Workspace) -> None:
    sid = _current(ws)
    stored = ws.db.con.execute(
        "SELECT count(*), count(reason_en), count(why) FROM classes WHERE snapshot_id = ?", [sid]).fetchone()
    assert stored is not None and stored[0] > 5_000
    assert stored[1] == 0 and stored[2] == stored[0]
    templates = ws.db.con.execute("SELECT count(reasons) FROM snapshot_schemes WHERE snapshot_id = ?",
                                  [sid]).fetchone()
    assert templates is not None and templates[0] >= 15


def test_the_customer_page_history_and_export_agree(ws: Workspace) -> None:
    """One customer's reasons on the page (Python) equal the export's (engine), with an
    override's and a provisional grade's wording around them."""
    sid = _current(ws)
    con = ws.db.con
    customer = con.execute("SELECT customer_id FROM snapshot_customers WHERE snapshot_id = ? "
                           "AND provisional_until IS NOT NULL LIMIT 1", [sid]).fetchone()
    assert customer is not None, "the demo has customers with provisional grades"
    cid = str(customer[0])
    scheme = "abc"
    ws.overrides.set(cid, scheme, "A", reason="strategic account")
    for lang in ("en", "zh"):
        page = {c["scheme"]: c["reason"] for c in ws.customers.get(cid, lang=lang)["classes"]}
        table = ws.db.con.execute(
            f"SELECT c.scheme, {reason_sql(lang)} FROM {classes_from(ws.db, [sid])} "
            "WHERE c.snapshot_id = ? AND c.customer_id = ?", [sid, cid]).fetchall()
        assert page == dict(table)
        history = [h for h in ws.customers.get(cid, lang=lang)["history"] if h["snapshot_id"] == sid]
        assert {h["scheme"]: h["reason"] for h in history} == page
        held = page[scheme]
        marker = ("held at A by" if lang == "en" else "调整为 A")
        provisional = "provisional: first order" if lang == "en" else "暂定：首单"
        assert marker in held and provisional in held and "\ue000" not in held, held


def test_fill_reason_leaves_own_text_alone() -> None:
    assert fill_reason("outside the population", "en", None, None, None, "A") == "outside the population"
    node = why.cat("A: revenue ", why.Val(0, "money"))
    text = why.dumps({"en": node, "zh": node})
    filled = fill_reason("computed B: \ue000.", "en", text, [1234.5], None, "B")
    assert filled == "computed B: A: revenue ¥1,235."


def test_templates_survive_json() -> None:
    node = why.cat(
        why.pick([(why.class_is("A"), "A key"), (why.Eq(3, 2.0), "two")], why.Val(why.CLASS, "raw")), ": ",
        why.join("; ", [why.pick([(why.Flag(1, 0), why.cat("x ", why.Val(0, "days")))], None),
                        why.pick([(why.Null(2), "none")], why.Val(1000, "text"))]),
        " ", why.Val(4, "share"))
    back = why.loads(why.dumps({"en": node}))["en"]
    assert back == node
    assert why.render_py(node, [12, 1, None, 2, 0.4567], ["t"], "A", "en") == "A key: x 12 days; none 45.7%"
    assert why.render_py(node, [12, 0, 5, 1, 0.1], ["t"], "B", "zh") == "B: t 10%"
    assert why.render_py(node, [12, 0, 5, 1, None], ["t"], "B", "zh") is None  # as the engines' ||


def test_snapshots_stored_before_templates_read_as_they_were(tmp_path: Path) -> None:
    """A workspace of schema 10 (reasons as text): after the upgrade its classes read the
    same text."""
    path = tmp_path / "old.duckdb"
    with Workspace.open(Settings(db=path), create=True):
        pass
    con = duckdb.connect(str(path))
    con.execute("INSERT INTO snapshots (snapshot_id, as_of, created_at, engine, customers) "
                "VALUES (1, ?, now(), 'duckdb', 1)", [date(2026, 1, 31)])
    con.execute("INSERT INTO snapshot_schemes (snapshot_id, scheme, \"window\", spec_hash, spec_yaml, "
                "origin, population) VALUES (1, 'abc', '12m', 'h', 'x', 'old', 1)")
    con.execute("INSERT INTO classes (snapshot_id, scheme, customer_id, class, reason_en, reason_zh) "
                "VALUES (1, 'abc', 'C1', 'A', 'A key: old words', 'A 关键：旧文字')")
    con.close()
    with Workspace.open(Settings(db=path)) as w:
        rows = w.db.con.execute(f"SELECT c.reason_en, c.reason_zh FROM {classes_from(w.db, [1])}").fetchall()
    assert rows == [("A key: old words", "A 关键：旧文字")]
