"""The HTML report and the charts: numbers that reconcile with the workspace, a page with no
outside references that renders in Debian's chromium without errors, and pictures.

The company is the demo generator's at 1,500 customers, imported and classified by the CLI
as a user would (ABC as of 2026-03-31, then every preset as of the latest order), so every
chart has real data behind it.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from conftest import query, run_cli
from tierwise.reports import chart_data as cd
from tierwise.reports.chart_data import ChartContext
from tierwise.reports.charts import CHARTS, build_chart, save_chart
from tierwise.reports.html import vega_bundle
from tierwise.reports.snapshot import snapshot_info
from tierwise.schemes import spec as sp
from tierwise.schemes import why
from tierwise.settings import Settings
from tierwise.workspace import Workspace

ARTIFACTS = Path(os.environ.get("TIERWISE_TEST_ARTIFACTS", Path(__file__).parents[1] / "test-artifacts"))
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# http(s) strings inside the vendored Vega libraries that are identifiers or messages, never
# fetched: XML namespaces, the Vega schema id, an issue link in a warning, the editor URL of
# the "open in editor" action (switched off on our pages).
NOT_FETCHED = {"http://www.w3.org/1999/xlink", "http://www.w3.org/2000/svg", "http://www.w3.org/2000/xmlns/",
               "https://vega.github.io/schema/vega/v6.json", "https://github.com/vega/vega-lite/issues/2415",
               "https://vega.github.io/editor/"}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("html")
    path = tmp / "w.duckdb"
    for args in (("demo", "--customers", 1500, "--out", tmp / "demo"),
                 ("classify", "--as-of", "2026-03-31", "--scheme", "abc"), ("classify",)):
        done = run_cli("--db", path, *args, timeout=300)
        assert done.returncode == 0, done.stderr + done.stdout
        if args[0] == "demo":  # hostile names, as a careless or hostile import brings them
            import duckdb

            with duckdb.connect(str(path)) as con:
                con.execute("UPDATE customers SET name = CASE CAST(right(customer_id, 1) AS INT) % 3 "
                            "WHEN 0 THEN '<!--<script>' WHEN 1 THEN '</script><script>alert(1)</script>' "
                            "ELSE name || ' & <b>' END")
    return path


@pytest.fixture(scope="module")
def ws(db: Path) -> Iterator[Workspace]:
    """The workspace, open in this process on a copy (the CLI tests need the file's lock)."""
    copy = db.with_name("copy.duckdb")
    shutil.copy(db, copy)
    workspace = Workspace.open(Settings(db=copy))
    try:
        yield workspace
    finally:
        workspace.close()


@pytest.fixture(scope="module")
def ctx(ws: Workspace) -> ChartContext:
    return ChartContext(ws.db, snapshot_info(ws.db), "en")


@pytest.fixture(scope="module")
def pages(db: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("pages")
    made = {}
    for lang in ("en", "zh"):
        path = out / f"report-{lang}.html"
        done = run_cli("--db", db, "--lang", lang, "report", "--out", path, timeout=300)
        assert done.returncode == 0, done.stderr + done.stdout
        made[lang] = path
    return made


# -- the numbers behind the charts -------------------------------------------------------------
def test_tier_mix_counts_every_classified_customer(ctx: ChartContext, db: Path) -> None:
    rows = cd.tier_mix(ctx)
    stored = dict(query(db, "SELECT scheme, count(*) FROM classes WHERE snapshot_id = ? GROUP BY 1",
                        [ctx.snap.snapshot_id]))
    by_scheme: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_scheme.setdefault(r["scheme"], []).append(r)
    assert set(by_scheme) == set(stored) == set(ctx.snap.specs)
    for scheme, mine in by_scheme.items():
        assert sum(r["customers"] for r in mine) == stored[scheme]
        assert sum(r["share"] for r in mine) == pytest.approx(1.0)
        assert [r["rank"] for r in mine] == sorted(r["rank"] for r in mine)


def _abc_revenue(db: Path, snapshot_id: int, classes: tuple[str, ...] = ("A", "B", "C")) -> tuple[int, float]:
    """Customers and revenue (returns as 0) of the ABC ``classes`` before overrides, by hand."""
    (n, revenue), = query(db, f"""
        SELECT count(*), sum(greatest(coalesce(f.revenue, 0), 0))::DOUBLE FROM classes c
        LEFT JOIN snapshot_customers f ON f.snapshot_id = c.snapshot_id AND f.customer_id = c.customer_id
             AND f."window" = '12m'
        WHERE c.snapshot_id = ? AND c.scheme = 'abc'
              AND coalesce(c.computed_class, c.class) IN ({", ".join("?" for _ in classes)})""",
                          [snapshot_id, *classes])
    return n, revenue


def test_pareto_curve_and_cuts_match_the_abc_classes(ctx: ChartContext, db: Path) -> None:
    p = cd.pareto(ctx)
    n, total = _abc_revenue(db, ctx.snap.snapshot_id)
    assert (p.customers, p.revenue) == (n, pytest.approx(total))
    assert p.points[0] == {"x": 0.0, "y": 0.0} and p.points[-1] == pytest.approx({"x": 1.0, "y": 1.0})
    xs, ys = [q["x"] for q in p.points], [q["y"] for q in p.points]
    assert xs == sorted(xs) and ys == sorted(ys)  # a Pareto curve only climbs
    assert [c["class"] for c in p.cuts] == ["A", "B"]
    for cut, upto in zip(p.cuts, (("A",), ("A", "B")), strict=True):
        k, rev = _abc_revenue(db, ctx.snap.snapshot_id, upto)
        assert cut["x"] == pytest.approx(k / n) and cut["y"] == pytest.approx(rev / total)
    assert p.cuts[0]["x"] == pytest.approx(0.05, abs=0.01)  # the preset's top 5 %


@pytest.mark.parametrize("scheme", ["value_loyalty", "contribution_stability"])
def test_matrix_points_and_cuts_reproduce_the_stored_classes(ctx: ChartContext, scheme: str) -> None:
    m = cd.matrix_points(ctx, scheme)
    spec = ctx.snap.specs[scheme]
    assert isinstance(spec, sp.Matrix)
    assert len(m.points) == min(m.population, cd.SCATTER_POINTS) > 500
    assert all(c is not None for c in m.cuts) and "median" in m.cut_texts[0]
    moved = 0
    for p in m.points:
        cell = f"{'high' if p['x'] >= m.cuts[0] else 'low'}/{'high' if p['y'] >= m.cuts[1] else 'low'}"
        # the cell's class, or where an `unless` rule of the cell sends it (a true friend paying late)
        instead = {r.class_ for r in spec.unless if r.cell == cell}
        assert p["class"] == spec.cells[cell] or p["class"] in instead, p
        moved += p["class"] != spec.cells[cell]
    assert (moved > 0) == bool(spec.unless)
    values = sorted(p["x"] for p in m.points)
    # the cut is the median of the whole population; the sample straddles it
    assert values[0] < m.cuts[0] < values[-1]


@pytest.mark.parametrize("scheme", ["value_loyalty", "contribution_stability"])
def test_matrix_points_read_from_the_class_rows_are_those_computed_again(ws: Workspace, ctx: ChartContext,
                                                                         scheme: str) -> None:
    # a snapshot's class rows keep both axis values and its reasons the cuts: the scatter reads
    # them instead of computing a million customers' metrics again; the same points, to the bit,
    # for everyone and for a manager's scope, as computing them from the metrics gives
    text, origin, reasons = ws.db.con.execute(
        "SELECT spec_yaml, origin, reasons FROM snapshot_schemes WHERE snapshot_id = ? AND scheme = ?",
        [ctx.snap.sid(scheme), scheme]).fetchone()
    assert len(why.figures(reasons)["axes"]) == 2
    spec = ctx.snap.specs[scheme]
    assert isinstance(spec, sp.Matrix)
    east = pa.table({"customer_id": [r[0] for r in ws.db.con.execute(
        "SELECT customer_id FROM customers WHERE hash(customer_id) % 3 = 0").fetchall()]})
    populations = []
    for mine in (ctx, ChartContext(ws.db, ctx.snap, "zh", scope=east)):
        stored = cd.matrix_points(mine, scheme)
        table, population, cuts, texts = cd._computed_points(mine, scheme, spec, text, origin,
                                                             cd.SCATTER_POINTS)
        assert (stored.population, stored.cuts, stored.cut_texts) == (population, cuts, texts)
        assert stored.points == cd.rows(table) and len(stored.points) > 200
        populations.append(population)
    assert "中位数" in texts[0] and populations[1] < populations[0]  # the cuts stay everyone's


def test_the_scatter_sample_is_fixed_and_says_so(ctx: ChartContext) -> None:
    small = cd.matrix_points(ctx, "value_loyalty", limit=300)
    again = cd.matrix_points(ctx, "value_loyalty", limit=300)
    assert [p["customer_id"] for p in small.points] == [p["customer_id"] for p in again.points]
    assert len(small.points) == 300 < small.population
    chart = build_chart(ChartContext(ctx.ws, ctx.snap, "en"), "value-loyalty")
    assert f"{min(small.population, cd.SCATTER_POINTS):,} of {small.population:,} customers" in chart.caption


def test_rfm_grid_scores_are_one_to_five_and_add_up(ctx: ChartContext, db: Path) -> None:
    scheme, cells = cd.rfm_grid(ctx)
    assert scheme == "rfm"
    (n,), = query(db, "SELECT count(*) FROM classes WHERE snapshot_id = ? AND scheme = 'rfm' "
                      "AND score IS NOT NULL", [ctx.snap.snapshot_id])
    assert sum(c["customers"] for c in cells) == n
    assert {c["r"] for c in cells} <= set(range(1, 6)) and {c["f"] for c in cells} <= set(range(1, 6))
    assert all(1 <= c["m"] <= 5 for c in cells)
    champions = [c for c in cells if (c["r"], c["f"]) == (5, 5)]
    assert champions and champions[0]["label"] == "champions"


def test_migration_cells_add_up_to_both_snapshots(ctx: ChartContext, db: Path) -> None:
    m = cd.migration_cells(ctx)
    (before,), = query(db, "SELECT count(*) FROM classes WHERE snapshot_id = 1 AND scheme = 'abc'")
    (after,), = query(db, "SELECT count(*) FROM classes WHERE snapshot_id = ? AND scheme = 'abc'",
                      [ctx.snap.snapshot_id])
    assert sum(c["customers"] for c in m.cells if c["from"] != "(new)") == before
    assert sum(c["customers"] for c in m.cells if c["to"] != "(out)") == after
    assert (m.start, m.end) == ("2026-03-31", "2026-09-30")


def test_sales_and_workload_rows(ctx: ChartContext, db: Path) -> None:
    monthly = cd.sales_by_month(ctx)
    by_dept = cd.sales_by_month(ctx, "department")
    assert len(monthly) == 24
    assert sum(r["revenue"] for r in by_dept) == pytest.approx(sum(r["revenue"] for r in monthly))
    (reps,), = query(db, "SELECT count(*) FROM reps")
    assert len(cd.workload_rows(ctx)) == reps


def test_every_chart_is_a_valid_vega_lite_spec(ctx: ChartContext) -> None:
    import altair as alt
    from altair.utils.schemapi import validate_jsonschema

    schema = alt.vegalite.v6.schema.core.load_schema()
    for name in CHARTS:
        spec = build_chart(ctx, name).spec
        assert "$schema" not in spec
        validate_jsonschema(spec, schema)  # raises on any invalid property


# -- pictures ------------------------------------------------------------------------------
def test_every_chart_renders_to_png_and_svg(ctx: ChartContext, tmp_path: Path) -> None:
    from PIL import Image

    for lang in ("en", "zh"):
        chart_ctx = ChartContext(ctx.ws, ctx.snap, lang)
        for name in CHARTS:
            chart = build_chart(chart_ctx, name)
            png = save_chart(chart, tmp_path / f"{name}-{lang}.png", lang=lang)
            with Image.open(png) as im:
                assert im.format == "PNG" and im.width > 400 and im.height > 200
                assert len(im.convert("RGB").getcolors(1 << 20) or []) > 20, f"{name} looks blank"
            svg = save_chart(chart, tmp_path / f"{name}-{lang}.svg", lang=lang).read_text()
            assert svg.startswith("<svg") and svg.count("<path") + svg.count("<rect") > 3
            assert html.escape(chart.title.split("（")[0]) in svg or chart.title in svg
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(tmp_path / f"pareto-{lang}.png", ARTIFACTS / f"chart-pareto-{lang}.png")


def test_chart_cli_writes_pictures_and_explains_bad_requests(db: Path, tmp_path: Path) -> None:
    done = run_cli("--db", db, "chart", "rfm", "--out", tmp_path / "rfm.png")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "rfm.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    done = run_cli("--db", db, "--lang", "zh", "chart", "tier-mix", "--out", tmp_path / "mix.svg")
    assert done.returncode == 0, done.stderr
    assert "各方案客户结构" in (tmp_path / "mix.svg").read_text()
    bad = run_cli("--db", db, "chart", "pie", "--out", tmp_path / "x.png")
    assert bad.returncode == 1 and "tier-mix" in bad.stderr and not (tmp_path / "x.png").exists()
    bad = run_cli("--db", db, "chart", "rfm", "--out", tmp_path / "x.gif")
    assert bad.returncode == 1 and ".png or .svg" in bad.stderr
    # snapshot 1 holds ABC alone and has nothing before it
    bad = run_cli("--db", db, "chart", "migration", "--snapshot", 1, "--out", tmp_path / "m.png")
    assert bad.returncode == 1 and "Error" in bad.stderr and not (tmp_path / "m.png").exists()


def test_a_snapshot_without_the_data_leaves_charts_out_with_the_reason(db: Path, tmp_path: Path) -> None:
    done = run_cli("--db", db, "report", "--snapshot", 1, "--out", tmp_path / "one.html")
    assert done.returncode == 0, done.stderr
    gone = ("value-loyalty", "contribution-stability", "rfm", "migration")
    for name in gone:
        assert f"left out {name}" in done.stdout
    page = (tmp_path / "one.html").read_text()
    assert page.count('class="missing"') == len(gone) and "Not available" in page
    assert "has the role &#39;value_loyalty&#39;" in page or "has the role 'value_loyalty'" in page
    assert 'data-chart="pareto"' in page  # ABC alone still gives the Pareto curve


# -- the page ------------------------------------------------------------------------------
def test_the_page_is_self_contained(pages: dict[str, Path]) -> None:
    for lang, path in pages.items():
        page = path.read_text(encoding="utf-8")
        markup = re.sub(r"(<script[^>]*>).*?(</script>)", r"\1\2", page, flags=re.S)  # the page, not the code
        assert markup.count("<script") == 4
        tags = r"<(script|img|iframe|link|source|object|embed)[^>]+(src|href|data)\s*="
        assert not re.search(tags, markup, re.I)
        assert not re.search(r"url\(|@import", markup, re.I)
        assert set(re.findall(r"https?://[^\s\"'`)<>\\]+", page)) <= NOT_FETCHED
        assert vega_bundle() in page  # the libraries are inlined whole
        specs = json.loads(re.search(r'<script id="tw-specs" type="application/json">(.*?)</script>', page,
                                     re.S).group(1))  # type: ignore[union-attr]
        assert list(specs) == list(CHARTS)
        names = {p.get("name") for d in specs["value-loyalty"]["datasets"].values() for p in d}
        assert {"<!--<script>", "</script><script>alert(1)</script>"} <= names  # in the page, as data
        assert all("$schema" not in s and "datasets" in s for s in specs.values())
        assert f'<html lang="{"zh-CN" if lang == "zh" else "en"}">' in page
    assert "客户分级报告" in pages["zh"].read_text() and "各方案客户结构" in pages["zh"].read_text()
    assert "Tier mix per scheme" in pages["en"].read_text()


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium: apt-get install chromium")
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_page_renders_in_chromium_without_errors(pages: dict[str, Path], lang: str) -> None:
    from PIL import Image
    from playwright.sync_api import sync_playwright

    problems: list[str] = []
    outside: list[str] = []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / f"report-{lang}.png"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.on("console", lambda m: problems.append(f"{m.type}: {m.text}")
                    if m.type in ("error", "warning") else None)
            page.on("pageerror", lambda e: problems.append(f"page error: {e}"))

            def block(route: Any) -> None:
                if route.request.url.startswith("file:"):
                    route.continue_()
                else:
                    outside.append(route.request.url)
                    route.abort()

            page.route("**/*", block)
            page.goto(pages[lang].as_uri())
            page.wait_for_selector("body[data-charts]", timeout=60_000)
            assert page.eval_on_selector("body", "b => b.dataset.charts") == "rendered"
            for name in CHARTS:
                marks = page.locator(", ".join(f"#chart-{name} svg .mark-{kind} path"
                                               for kind in ("rect", "symbol", "area", "line")))
                assert marks.count() > 0, f"{name} drew nothing"
            page.hover("#chart-rfm svg .mark-rect path >> nth=0", force=True)  # tooltips: interactive
            page.wait_for_selector("#vg-tooltip-element.visible", timeout=5_000)
            page.screenshot(path=str(shot), full_page=True)
            page.emulate_media(media="print")
            assert page.locator("nav").is_hidden()
        finally:
            browser.close()
    assert problems == [] and outside == []
    with Image.open(shot) as im:
        assert im.height > 3000
        top = im.convert("RGB").crop((0, 0, im.width, 1400))
        assert len(top.getcolors(1 << 20) or []) > 200, "the screenshot looks blank"
