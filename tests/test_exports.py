"""Exported files are data, never code: text that looks like a formula stays text in Excel."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from tierwise.schemes.store import write_export


def test_xlsx_export_keeps_formula_like_text_as_text(tmp_path: Path) -> None:
    path = tmp_path / "customers.xlsx"
    names = ["=HYPERLINK(\"http://x\",\"点我\")", "=1+1", "广州兴旺建材", None]
    write_export(pa.table({"name": names, "orders": [1, 2, 3, 4]}), path, sheet="customers")
    sheet_xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml  # no cell holds a formula
    cells = openpyxl.load_workbook(path)["customers"]
    assert [cells[f"A{r}"].value for r in range(2, 6)] == names
    assert {cells[f"A{r}"].data_type for r in (2, 3, 4)} == {"s"}


HOSTILE = ['=HYPERLINK("http://evil.example","点我")', "+86 138 0013 8000", "-2+3", "@SUM(A1:A9)",
           "\t=1+1", "广州兴旺建材", "-120.5", "+86", "C-001"]


def test_every_csv_the_product_writes_neutralises_formula_text(tmp_path: Path) -> None:
    """A customer named like a formula comes out of every CSV export as text a spreadsheet will
    not run (a leading apostrophe), in the CLI's classes, customers and tasks exports, the
    metrics file and the API's download; numbers and ordinary names as they were."""
    import csv
    from datetime import date

    from conftest import run_cli
    from schemes_fixture import company
    from tierwise.data.csvsafe import csv_safe
    from tierwise.settings import Settings
    from tierwise.web.api import table_download
    from tierwise.workspace import Workspace

    safe = csv_safe(pa.table({"name": HOSTILE, "n": list(range(len(HOSTILE)))}))
    assert safe["name"].to_pylist() == [
        "'" + HOSTILE[0], "'+86 138 0013 8000", "'-2+3", "'@SUM(A1:A9)", "'\t=1+1", "广州兴旺建材", "-120.5",
        "+86", "C-001"]
    db = tmp_path / "w.duckdb"
    customers = [{"customer_id": f"C{i}", "name": n, "rep_id": "R1"} for i, n in enumerate(HOSTILE)]
    with Workspace.open(Settings(db=db), create=True) as ws:
        company(ws, tmp_path, customers=customers,
                orders=[{"customer_id": c["customer_id"], "order_date": "2026-06-10", "amount": 900 - i}
                        for i, c in enumerate(customers)])
        ws.snapshots.classify(["abc"], as_of=date(2026, 6, 30))
        download = table_download(ws.customers.export(), "customers", "csv").body
    names = {r["name"] for r in csv.DictReader(download.decode("utf-8-sig").splitlines())}
    assert "'" + HOSTILE[0] in names and HOSTILE[0] not in names and "-120.5" in names
    for args in (("classes", "export", "--out", tmp_path / "c.csv"),
                 ("tasks", "--date", "2026-06-30", "--out", tmp_path / "t.csv")):
        done = run_cli("--db", db, *args)
        assert done.returncode == 0, done.stderr
    for name in ("c.csv", "t.csv"):
        text = (tmp_path / name).read_text(encoding="utf-8-sig")
        rows = list(csv.reader(text.splitlines()))
        cells = [c for r in rows for c in r]
        assert not [c for c in cells if c[:1] in ("=", "@") or c.startswith("\t=")], (name, cells)
        if name == "t.csv":  # the tasks name the customers
            assert "'" + HOSTILE[0] in cells  # the largest customer, A


def test_relabel_names_what_it_knows_and_keeps_the_rest() -> None:
    """The Chinese exports name schemes, classes and kinds by Arrow kernels: a known value by its
    name, by its own value or its row's (scheme, class) key; an unknown one, an empty one and a
    null as they were."""
    import pyarrow as pa

    from tierwise.reports.people import pair_key, relabel

    kinds = pa.chunked_array([["visit", None], ["call", "", "other"]])
    named = relabel(kinds, {"visit": "拜访", "call": "电话"})
    assert named.to_pylist() == ["拜访", None, "电话", "", "other"]
    schemes, classes = pa.array(["abc", "abc", "rfm", None]), pa.array(["A", "Z", "A", "A"])
    keys = pa.compute.binary_join_element_wise(schemes, classes, "\x1f")
    named = relabel(classes, {pair_key("abc", "A"): "关键客户（A）", pair_key("rfm", "A"): "冠军"}, keys)
    assert named.to_pylist() == ["关键客户（A）", "Z", "冠军", "A"]
    assert relabel(pa.array([], pa.string()), {"a": "b"}).to_pylist() == []


TRICKY = st.text(alphabet=st.sampled_from("'=+-@\t\r0123456789.,a 点"), max_size=6)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), TRICKY, st.sampled_from(HOSTILE)), min_size=1, max_size=20))
def test_the_engines_safe_text_is_csv_safe_and_an_import_reads_it_back(texts: list[str | None]) -> None:
    """The rejected-rows file makes its text safe in the engine (``safe_sql``) exactly as the
    exports do in Arrow (``csv_safe``), and an import reading it off (``unquoted_sql``) gets what
    it would have got from the text as it was: read off (safe(v)) == read off (v)."""
    import duckdb

    from tierwise.data.csvsafe import csv_safe, safe_sql, unquoted_sql

    data = pa.table({"v": pa.array(texts, pa.string())})
    con = duckdb.connect()
    con.register("t", data)
    safe, back, plain = zip(*con.execute(
        f"SELECT {safe_sql('v')}, {unquoted_sql(safe_sql('v'))}, {unquoted_sql('v')} FROM t").fetchall(),
        strict=True)
    assert list(safe) == csv_safe(data)["v"].to_pylist()
    assert back == plain
