"""Chinese first: every page, export and report a Chinese sales team opens, rendered in Chinese
over the demo company, must not show an id or an English word of tierwise's own catalogs
(scheme and class ids, class labels, metric names, task and follow-up kinds, windows like
``12m``). The company's own data (customer names, attribute values typed in English, task
keys) is theirs and is not checked. A user added without ``--lang`` reads the app in the
language their browser asked the sign-in page for, and keeps it after signing in.

The pages come from a real `tierwise serve`; the files through the facade and the CLI.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import httpx
import openpyxl
import pytest

from conftest import DUCKDB_CONFIG, demo_copy, run_cli
from server_fixture import PASSWORD, add_user, running_server
from tierwise import Workspace
from tierwise.settings import Settings
from zh_words import chart_text, offences, page_text

WINDOW_CODE = re.compile(r"(?<![\w.:-])\d+[dmy](?![\w-])")  # "12m" where "近12个月" belongs
TASK_KEY = re.compile(r"^[a-z_]+:[^\s]+$")  # a task's key (credit_hold:C000006): an id like a customer's


def _data_words(db: Path) -> set[str]:
    """Every text value of the company's own tables a page may quote: names, attribute values
    (a flag typed as "key", a personality "silent"), regions, departments."""
    con = duckdb.connect(str(db), read_only=True, config=dict(DUCKDB_CONFIG))
    try:
        words: set[str] = set()
        for table in ("customers", "reps", "products"):
            columns = [r[0] for r in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                "AND data_type = 'VARCHAR'", [table]).fetchall()]
            for column in columns:
                words |= {r[0] for r in con.execute(f'SELECT DISTINCT "{column}" FROM {table}').fetchall()
                          if r[0]}
        return words
    finally:
        con.close()


def _problems(pieces: list[str], data: set[str]) -> list[str]:
    """What a Chinese reader should not meet in ``pieces``: catalog words (not the company's own
    data) and window codes."""
    found = [f"{term!r} ({why}) in {piece!r}" for term, why, piece in offences(pieces, data)
             if term not in data]
    found += [f"window code {m.group(0)!r} in {p[:120]!r}" for p in pieces if p not in data
              for m in WINDOW_CODE.finditer(p)]
    return found


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, demo_company: Path) -> Iterator[dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("zh")
    db = demo_copy(demo_company, tmp)
    with Workspace.open(Settings(db=db, lang="zh")) as ws:
        ids = [r["customer_id"] for r in ws.customers.list(page_size=400, sort="-revenue")["items"]]
        top, other = ids[0], ids[1]
        ws.activities.add(top, "visit", note="回访")
        ws.activities.add(other, "call")
        current = ws.customers.get(top)["classes"]
        value = next(c for c in current if c["scheme"] == "value_loyalty")
        target = "snail" if value["class"] != "snail" else "butterfly"
        ws.overrides.propose(top, "value_loyalty", target, reason="大客户，经理确认")
        ws.jobs.run("classify")  # a classify job with its class counts on the jobs page
        job = ws.jobs.list(page_size=1)["items"][0]["job_id"]
        rep = ws.customers.get(other)["customer"]["rep_id"]
        files = tmp / "files"
        files.mkdir()
        ws.reports.build("xlsx", files / "report.xlsx", lang="zh", on=date(2026, 9, 30))
        ws.reports.build("html", files / "report.html", lang="zh", on=date(2026, 9, 30))
        ws.tasks.refresh(on=date(2026, 9, 30))
    for out in ("tasks.xlsx", "tasks.csv"):
        done_cli = run_cli("--db", db, "--lang", "zh", "tasks", "--date", "2026-09-30", "--out", files / out)
        assert done_cli.returncode == 0, done_cli.stderr
    for out in ("classes.xlsx", "classes.csv"):
        done_cli = run_cli("--db", db, "--lang", "zh", "classes", "export", "--out", files / out)
        assert done_cli.returncode == 0, done_cli.stderr
    add_user(db, "boss", "admin")  # no --lang: the browser's, at the first sign-in
    add_user(db, "ra", "rep", "--rep-id", rep, "--lang", "zh")
    add_user(db, "en", "admin", "--lang", "en")
    data = _data_words(db)
    with running_server(db) as base:
        yield {"db": db, "base": base, "top": top, "other": other, "files": files, "data": data,
               "job": job}


def _signed_in(base: str, name: str) -> httpx.Client:
    client = httpx.Client(base_url=base, headers={"accept-language": "zh-CN,zh;q=0.9,en;q=0.5"},
                          follow_redirects=True, timeout=120)
    page = client.get("/login").text
    pre = re.search(r'name="csrf" value="([^"]+)"', page)
    lang = re.search(r'name="lang" value="([^"]*)"', page)
    assert pre and lang and lang.group(1) == "zh", "the sign-in page follows a Chinese browser"
    signed = client.post("/login", data={"name": name, "password": PASSWORD, "csrf": pre.group(1),
                                         "next": "/", "lang": lang.group(1)})
    assert signed.status_code == 200 and signed.url.path == "/", signed.text[:300]
    return client


def _pages(site: dict[str, Any]) -> list[str]:
    from tierwise.schemes.registry import presets

    top, other = site["top"], site["other"]
    return ["/", "/customers", "/customers?scheme=value_loyalty&class=true_friend",
            "/customers?class=lifecycle:loyal", f"/customers/{top}", f"/customers/{other}", "/tasks",
            "/tasks?kind=visit", "/schemes", *(f"/schemes/{name}" for name in presets()), "/import",
            "/jobs", f"/jobs/{site['job']}", "/service", "/service?scheme=value_loyalty",
            "/handover"]


def test_a_chinese_browser_keeps_chinese_after_signing_in(site: dict[str, Any]) -> None:
    """The admin was added without --lang: the sign-in page in Chinese makes their pages Chinese,
    after the sign-in too (not the server's locale), and it is kept on the user."""
    with contextlib.closing(_signed_in(site["base"], "boss")) as client:
        page = client.get("/customers")
        assert '<html lang="zh-CN">' in page.text and "客户" in page.text
        assert client.get("/api/me").json()["lang"] == "zh"  # kept on the user


@pytest.mark.parametrize(("who", "browser", "expected", "not_expected"), [
    ("ra", "en-US,en;q=0.9", "没有这个地址", "no such address"),
    ("en", "zh-CN,zh;q=0.9", "no such address", "没有这个地址"),
])
def test_an_unknown_address_reads_in_the_users_language(site: dict[str, Any], who: str, browser: str,
                                                        expected: str, not_expected: str) -> None:
    """No page dependency runs for an address that does not exist: its error page still reads
    in the signed-in user's language, not the browser's."""
    with httpx.Client(base_url=site["base"], headers={"accept-language": browser}, follow_redirects=True,
                      timeout=120) as client:
        pre = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text)
        assert pre
        signed = client.post("/login", data={"name": who, "password": PASSWORD, "csrf": pre.group(1),
                                             "next": "/", "lang": ""})
        assert signed.status_code == 200, signed.text[:300]
        page = client.get("/no-such-page")
        assert page.status_code == 404 and expected in page.text and not_expected not in page.text


@pytest.mark.parametrize("who", ["boss", "ra"])
def test_every_page_reads_in_chinese(site: dict[str, Any], who: str) -> None:
    problems: list[str] = []
    with contextlib.closing(_signed_in(site["base"], who)) as client:
        for path in _pages(site):
            page = client.get(path)
            if who == "ra" and page.status_code in (403, 404):  # not theirs: a refusal, in Chinese
                assert "没有" in page.text or "无权" in page.text or "权限" in page.text, path
            else:
                assert page.status_code == 200, (path, page.text[:300])
            problems += [f"{path}: {p}" for p in _problems(page_text(page.text), site["data"])]
            for spec in re.findall(r'<script id="tw-specs" type="application/json">(.*?)</script>',
                                   page.text, re.S):
                for name, chart in json.loads(spec).items():
                    problems += [f"{path} chart {name}: {p}"
                                 for p in _problems(chart_text(chart), site["data"])]
    assert not problems, f"{len(problems)} English or id texts, e.g.:\n" + "\n".join(problems[:25])


def _xlsx_pieces(body: bytes | Path) -> list[str]:
    book = openpyxl.load_workbook(io.BytesIO(body) if isinstance(body, bytes) else body, read_only=True)
    pieces: list[str] = []
    for sheet in book.worksheets:
        pieces.append(sheet.title)
        for row in sheet.iter_rows(values_only=True):
            pieces += [v for v in row if isinstance(v, str) and not TASK_KEY.match(v)]
    return pieces


def _csv_pieces(text: str) -> list[str]:
    return [v for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for v in row if not TASK_KEY.match(v)]


def test_every_export_and_report_reads_in_chinese(site: dict[str, Any]) -> None:
    files: Path = site["files"]
    found: dict[str, list[str]] = {}
    with contextlib.closing(_signed_in(site["base"], "boss")) as client:
        for fmt in ("csv", "xlsx"):
            body = client.get(f"/customers/export?format={fmt}").content
            found[f"customers.{fmt}"] = (_csv_pieces(body.decode("utf-8")) if fmt == "csv"
                                         else _xlsx_pieces(body))
        body = client.get("/api/exports/classes?format=xlsx&lang=zh&scheme=value_loyalty").content
        found["api classes.xlsx"] = _xlsx_pieces(body)
    for name in ("report.xlsx", "tasks.xlsx", "classes.xlsx"):
        found[name] = _xlsx_pieces(files / name)
    for name in ("tasks.csv", "classes.csv"):
        found[name] = _csv_pieces((files / name).read_text(encoding="utf-8"))
    html = (files / "report.html").read_text(encoding="utf-8")
    found["report.html"] = page_text(html)
    specs = re.search(r'<script id="tw-specs" type="application/json">(.*?)</script>', html, re.S)
    assert specs is not None
    charts = json.loads(specs.group(1)).values()
    found["report.html charts"] = [t for chart in charts for t in chart_text(chart)]
    problems = {name: _problems(pieces, site["data"]) for name, pieces in found.items()}
    assert all(len(pieces) > 20 for pieces in found.values()), {k: len(v) for k, v in found.items()}
    bad = {name: p[:8] for name, p in problems.items() if p}
    assert not bad, json.dumps(bad, ensure_ascii=False, indent=1)
    sheets = openpyxl.load_workbook(files / "report.xlsx", read_only=True).sheetnames
    assert sheets[0] == "汇总" and "任务" in sheets and "价值×忠诚度矩阵" in sheets, sheets


def test_the_check_finds_english(site: dict[str, Any]) -> None:
    """The same check over an English user's export finds the ids English files keep (so the
    check can fail), and a Chinese page asked for in English (?lang=en) stays Chinese."""
    with httpx.Client(base_url=site["base"], follow_redirects=True, timeout=120) as client:
        page = client.get("/login?lang=en").text
        pre = re.search(r'name="csrf" value="([^"]+)"', page)
        lang = re.search(r'name="lang" value="([^"]*)"', page)
        assert pre and lang and lang.group(1) == "en"
        client.post("/login", data={"name": "en", "password": PASSWORD, "csrf": pre.group(1), "next": "/",
                                    "lang": "en"})
        assert '<html lang="en">' in client.get("/customers").text
        body = client.get("/customers/export?format=csv").text
    assert body.lstrip("\ufeff").startswith('"customer_id"'), body[:200]
    assert _problems(_csv_pieces(body), site["data"]), "English files keep class ids: the check must see them"
    with contextlib.closing(_signed_in(site["base"], "ra")) as client:
        kept = client.get("/tasks?lang=en")  # a Chinese user's page: still Chinese
        assert '<html lang="zh-CN">' in kept.text and _problems(page_text(kept.text), site["data"]) == []
