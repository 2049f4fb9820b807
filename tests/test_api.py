"""The JSON API over a real server: `tierwise serve` on a free loopback port, a demo company
in a temporary folder, users of every role made with `tierwise users`, and HTTP from outside.

Each endpoint is called by each role, and every way a rep or manager could reach another's
records — by id, filter, search, export, tasks, overrides, reports — must come back empty or
404 (the same answer as a record that does not exist).
"""

from __future__ import annotations

import csv
import io
import json
import re
import socket
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import httpx
import pytest

from conftest import DUCKDB_CONFIG, demo_copy, run_cli
from server_fixture import PASSWORD, add_user, running_server
from tierwise.web.money import MONEY_KEYS

WAIT = {"wait": 60}  # long operations run as jobs: wait for them, as a script would

ERROR_KEYS = {"code", "message", "details"}


@pytest.fixture(scope="module")
def company(tmp_path_factory: pytest.TempPathFactory, demo_company: Path) -> dict[str, Any]:
    """A classified demo company with tasks, its users and tokens, and the facts to check
    the API against (read before the server takes the file)."""
    db = demo_copy(demo_company, tmp_path_factory.mktemp("api"))
    con = duckdb.connect(str(db), config=dict(DUCKDB_CONFIG))
    try:

        def q(sql: str, *params: Any) -> list[tuple[Any, ...]]:
            return con.execute(sql, list(params)).fetchall()

        # two departments, and in each a rep with customers and open tasks
        depts = [
            r[0]
            for r in q(
                "SELECT department FROM reps WHERE department IS NOT NULL GROUP BY 1 "
                "ORDER BY count(*) DESC LIMIT 2"
            )
        ]
        reps = []
        for d in depts:
            reps.append(
                q(
                    """SELECT t.rep_id FROM tasks t JOIN reps r USING (rep_id) WHERE r.department = ?
                             AND t.status = 'open' GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1""",
                    d,
                )[0][0]
            )

        def scope_sql(kind: str, value: str) -> str:
            if kind == "rep":
                return f"SELECT customer_id FROM customers WHERE rep_id = '{value}'"
            return (
                f"SELECT customer_id FROM customers WHERE department = '{value}' OR rep_id IN "
                f"(SELECT rep_id FROM reps WHERE department = '{value}')"
            )

        facts: dict[str, Any] = {
            "depts": depts,
            "reps": reps,
            "all": q("SELECT count(*) FROM customers")[0][0],
        }
        for name, kind, value in (
            ("ra", "rep", reps[0]),
            ("rb", "rep", reps[1]),
            ("mx", "dept", depts[0]),
            ("my", "dept", depts[1]),
        ):
            ids = {r[0] for r in q(scope_sql(kind, value))}
            facts[name] = {
                "ids": ids,
                "revenue": float(
                    q(
                        "SELECT coalesce(sum(amount), 0) FROM orders WHERE customer_id IN "
                        f"({scope_sql(kind, value)})"
                    )[0][0]
                ),
            }
        facts["company_revenue"] = float(q("SELECT sum(amount) FROM orders")[0][0])
        # a customer of rep A with an open visit-type task, and one of rep B
        facts["a_task"] = q(
            """SELECT customer_id, task_id, kind FROM tasks WHERE rep_id = ? AND status = 'open'
                               AND kind IN ('visit', 'call', 'care') ORDER BY due_date, task_id LIMIT 1""",
            reps[0],
        )[0]
        facts["b_customer"] = q(
            "SELECT customer_id, name FROM customers WHERE rep_id = ? ORDER BY 1 LIMIT 1", reps[1]
        )[0]
        facts["a_customer"] = q(
            """SELECT c.customer_id, k.class FROM customers c JOIN classes k USING (customer_id)
                                   WHERE c.rep_id = ? AND k.scheme = 'abc' ORDER BY 1 LIMIT 1""",
            reps[0],
        )[0]
    finally:
        con.close()
    users = {
        "boss": ("admin",),
        "mx": ("manager", "--department", depts[0]),
        "my": ("manager", "--department", depts[1]),
        "ra": ("rep", "--rep-id", reps[0]),
        "rb": ("rep", "--rep-id", reps[1]),
        "vw": ("viewer",),
    }
    tokens = {name: add_user(db, name, *spec) for name, spec in users.items()}
    return {"db": db, "facts": facts, "tokens": tokens}


@pytest.fixture(scope="module")
def server(company: dict[str, Any]) -> Iterator[str]:
    """`tierwise serve` on a free port, started here and stopped after the module."""
    with running_server(company["db"]) as base:
        yield base


@pytest.fixture(scope="module")
def api(server: str, company: dict[str, Any]) -> Any:
    """``api(user, method, path, **kw)`` → the response, signed in as ``user`` (None: no token)."""

    def call(user: str | None, method: str, path: str, headers_extra: dict[str, str] | None = None,
             **kw: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {company['tokens'][user]}"} if user else {}
        return httpx.request(method, server + path, headers={**headers, **(headers_extra or {})}, timeout=60,
                             **kw)

    return call


def error_of(r: httpx.Response, status: int) -> dict[str, Any]:
    """The error of a response, checked to be in the API's one shape with ``status``."""
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error"} and set(body["error"]) == ERROR_KEYS, body
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return dict(body["error"])


def all_ids(api: Any, user: str, **params: Any) -> set[str]:
    ids: set[str] = set()
    page = 1
    while True:
        r = api(user, "GET", "/api/customers", params={**params, "page": page, "page_size": 500})
        assert r.status_code == 200, r.text
        body = r.json()
        ids |= {i["customer_id"] for i in body["items"]}
        if page * 500 >= body["total"]:
            assert len(ids) == body["total"]
            return ids
        page += 1


# -- signing in and the error shape -----------------------------------------------------
def test_no_token_wrong_token_and_the_error_shape(api: Any, server: str) -> None:
    e = error_of(api(None, "GET", "/api/customers"), 401)
    assert e["code"] == "unauthorized" and "Bearer" in e["message"]
    r = httpx.get(server + "/api/customers", headers={"Authorization": "Bearer tw_not-a-real-token"})
    assert error_of(r, 401)["code"] == "unauthorized"
    assert r.headers["www-authenticate"] == "Bearer"
    assert error_of(api("boss", "GET", "/api/no-such-thing"), 404)["code"] == "not_found"
    assert error_of(api("boss", "DELETE", "/api/customers"), 405)["code"] == "method_not_allowed"
    e = error_of(api("boss", "GET", "/api/customers", params={"page_size": 0}), 422)
    assert e["code"] == "invalid_request" and e["details"][0]["where"] == "query.page_size"
    e = error_of(api("boss", "GET", "/api/customers", params={"sort": "bogus"}), 422)
    assert e["code"] == "invalid_request" and "customer_id" in e["message"]
    e = error_of(
        api("boss", "POST", "/api/activities", json={"customer_id": "X", "kind": "visit", "extra": 1}), 422
    )
    assert e["details"][0]["where"] == "body.extra"
    # a JSON false or 1 is not a snapshot id, a day count or a yes/no flag (found by the fuzz test)
    for path, body in (("/api/reports", {"format": "xlsx", "snapshot": False}),
                       ("/api/tasks/refresh", {"days": True}), ("/api/classify", {"due": 1})):
        assert error_of(api("boss", "POST", path, json=body), 422)["details"][0]["where"].startswith("body.")


def test_an_oversized_body_is_refused_before_it_is_read_or_signed_in(api: Any, server: str) -> None:
    """A body over the limit announced by its Content-Length gets its 413 at once, without a token and
    with none of it sent; one streamed without a length is cut off at the limit; the server
    keeps answering meanwhile."""
    from urllib.parse import urlsplit

    from tierwise.web.app import MAX_BODY, MAX_SCHEME, MAX_UPLOAD

    url = urlsplit(server)
    for path, limit in (("/api/activities", MAX_BODY), ("/api/schemes/abc/check", MAX_SCHEME),
                        ("/api/imports", MAX_UPLOAD)):
        with socket.create_connection((url.hostname, url.port), timeout=10) as raw:
            raw.sendall(f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        f"Content-Length: {limit + 1}\r\n\r\n".encode())
            answer = b""
            while b"}" not in answer and (part := raw.recv(65536)):  # the server closes after it
                answer += part
            head = answer.decode("utf-8", "replace")
        assert head.startswith("HTTP/1.1 413"), head
        body = json.loads(head.split("\r\n\r\n", 1)[1])
        assert body["error"]["code"] == "too_large" and body["error"]["details"]["limit_bytes"] == limit
        assert "tierwise import" in body["error"]["message"] or path != "/api/imports"

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        for _ in range(MAX_BODY // 65536 + 2):
            yield b"x" * 65536

    r = httpx.post(server + "/api/activities", content=chunks(), headers={"Content-Type": "text/plain"})
    assert error_of(r, 413)["code"] == "too_large"  # no token either: the size is checked first
    assert api("boss", "GET", "/api/me").status_code == 200


def test_me_for_each_role(api: Any, company: dict[str, Any]) -> None:
    facts = company["facts"]
    assert api("boss", "GET", "/api/me").json()["role"] == "admin"
    assert api("mx", "GET", "/api/me").json()["department"] == facts["depts"][0]
    assert api("ra", "GET", "/api/me").json() == {
        "name": "ra",
        "role": "rep",
        "department": None,
        "rep_id": facts["reps"][0],
        "lang": None,  # added without --lang: the browser's, at the first sign-in
    }
    assert api("vw", "GET", "/api/me").json()["role"] == "viewer"


def test_openapi_lists_every_endpoint(server: str) -> None:
    doc = httpx.get(server + "/api/openapi.json").json()
    for path in (
        "/api/customers",
        "/api/customers/{customer_id}",
        "/api/tasks",
        "/api/activities",
        "/api/overrides",
        "/api/overrides/{override_id}/approve",
        "/api/overrides/{override_id}/reject",
        "/api/schemes",
        "/api/imports",
        "/api/reports/sales",
        "/api/exports/customers",
        "/api/users",
        "/api/users/{name}/tokens",
        "/api/tokens/{token_id}",
    ):
        assert path in doc["paths"], path
    assert "ErrorOut" in doc["components"]["schemas"]
    # money is documented as what it is everywhere: a decimal string, never a number
    money = [(name, prop, spec) for name, schema in doc["components"]["schemas"].items()
             for prop, spec in schema.get("properties", {}).items() if prop in MONEY_KEYS]
    assert len(money) >= 15, money
    cell = doc["components"]["schemas"]["RevenueCell"]["properties"]["before"]["anyOf"][0]
    assert cell["type"] == "string" and "pattern" in cell
    for name, prop, spec in money:
        if spec.get("type") == "object":  # a table of amounts: documented by its cells (RevenueCell)
            continue
        kinds = [s.get("type") for s in spec.get("anyOf", [spec])]
        assert "number" not in kinds and "string" in kinds, (name, prop, spec)
    docs = httpx.get(server + "/api/docs")
    assert docs.status_code == 200 and "GET /api/customers/{customer_id}" in docs.text
    assert "<script" not in docs.text and "https://" not in docs.text  # nothing fetched from elsewhere


# -- customers: scope by list, id, filter, search and export -----------------------------
@pytest.mark.parametrize("user", ["ra", "rb", "mx", "my"])
def test_the_customer_list_is_exactly_the_scope(api: Any, company: dict[str, Any], user: str) -> None:
    assert all_ids(api, user) == company["facts"][user]["ids"]


def test_an_admin_sees_everyone_and_a_viewer_no_records(api: Any, company: dict[str, Any]) -> None:
    assert (
        api("boss", "GET", "/api/customers", params={"page_size": 1}).json()["total"]
        == company["facts"]["all"]
    )
    e = error_of(api("vw", "GET", "/api/customers"), 403)
    assert e["code"] == "forbidden" and "viewer" in e["message"]
    b_id = company["facts"]["b_customer"][0]
    assert error_of(api("vw", "GET", f"/api/customers/{b_id}"), 403)["code"] == "forbidden"


def test_out_of_scope_by_id_reads_like_missing(api: Any, company: dict[str, Any]) -> None:
    b_id = company["facts"]["b_customer"][0]
    assert api("rb", "GET", f"/api/customers/{b_id}").status_code == 200
    assert api("my", "GET", f"/api/customers/{b_id}").status_code == 200
    hidden = error_of(api("ra", "GET", f"/api/customers/{b_id}"), 404)
    missing = error_of(api("ra", "GET", "/api/customers/NO-SUCH-ID"), 404)
    assert hidden["code"] == missing["code"] == "not_found"
    assert hidden["message"].replace(b_id, "X") == missing["message"].replace("NO-SUCH-ID", "X")
    error_of(api("mx", "GET", f"/api/customers/{b_id}"), 404)


def test_filters_and_search_never_reach_past_the_scope(api: Any, company: dict[str, Any]) -> None:
    facts = company["facts"]
    b_id, b_name = facts["b_customer"]
    for params in (
        {"rep_id": facts["reps"][1]},
        {"department": facts["depts"][1]},
        {"q": b_id},
        {"q": b_name},
        {"q": b_id, "scheme": "abc"},
    ):
        r = api("ra", "GET", "/api/customers", params=params)
        assert r.status_code == 200 and r.json()["total"] == 0, (params, r.text)
    assert api("rb", "GET", "/api/customers", params={"q": b_id}).json()["total"] >= 1
    assert api("boss", "GET", "/api/customers", params={"q": b_id}).json()["total"] >= 1


def test_export_is_the_scoped_filter(api: Any, company: dict[str, Any]) -> None:
    facts = company["facts"]
    r = api("ra", "GET", "/api/exports/customers", params={"format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert {row["customer_id"] for row in rows} == facts["ra"]["ids"]
    r = api("ra", "GET", "/api/exports/customers", params={"format": "csv", "rep_id": facts["reps"][1]})
    assert r.content.decode("utf-8-sig").strip().count("\n") == 0  # the header only
    r = api("mx", "GET", "/api/exports/customers", params={"format": "xlsx", "scheme": "abc", "class": "A"})
    assert r.status_code == 200 and r.content[:2] == b"PK"
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(r.content), read_only=True).active
    ids = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert ids and ids <= facts["mx"]["ids"]
    listed = all_ids(api, "mx", scheme="abc", **{"class": "A"})
    assert ids == listed
    # in Chinese: the headers, the class in each scheme the list shows, money as money
    r = api("mx", "GET", "/api/exports/customers",
            params={"format": "xlsx", "scheme": "abc", "class": "A", "lang": "zh"})
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    rows = list(book.active.iter_rows(values_only=True))
    header = list(rows[0])
    assert header[:3] == ["客户编号", "客户名称", "业务员"]
    assert "销售额" in header and "ABC 客户分类" in header
    assert {row[header.index("ABC 客户分类")] for row in rows[1:]} == {"关键客户（A）"}
    money = book.active.cell(row=2, column=header.index("销售额") + 1)
    assert isinstance(money.value, float | int) and money.number_format == "#,##0.00"


def test_list_items_sorting_paging_and_class_filter(api: Any) -> None:
    r = api("boss", "GET", "/api/customers", params={"sort": "-revenue", "page_size": 20}).json()
    assert all(re.fullmatch(r"-?\d+\.\d\d", i["revenue"]) for i in r["items"] if i["revenue"] is not None)
    revenue = [Decimal(i["revenue"] or 0) for i in r["items"]]  # money: decimal text, exact
    assert revenue == sorted(revenue, reverse=True) and revenue[0] > 0
    item = r["items"][0]
    assert {"customer_id", "name", "rep_id", "classes"} <= set(item) and item["classes"]["abc"] == "A"
    page2 = api(
        "boss", "GET", "/api/customers", params={"sort": "-revenue", "page_size": 10, "page": 2}
    ).json()
    assert [i["customer_id"] for i in page2["items"]] == [i["customer_id"] for i in r["items"][10:20]]
    a = api("boss", "GET", "/api/customers", params={"scheme": "abc", "class": "A", "page_size": 500}).json()
    assert a["total"] > 0 and all(i["classes"]["abc"] == "A" for i in a["items"])
    e = error_of(api("boss", "GET", "/api/customers", params={"class": "A"}), 400)
    assert "scheme" in e["message"]


def test_customer_page_has_classes_reasons_history_and_timeline(api: Any, company: dict[str, Any]) -> None:
    a_id = company["facts"]["a_customer"][0]
    body = api("ra", "GET", f"/api/customers/{a_id}").json()
    assert body["customer"]["customer_id"] == a_id
    abc = next(c for c in body["classes"] if c["scheme"] == "abc")
    assert abc["class"] == company["facts"]["a_customer"][1] and abc["reason"] and abc["label"]
    assert any(h["scheme"] == "abc" for h in body["history"])
    assert {"orders", "payments", "activities", "tasks", "overrides", "facts"} <= set(body)
    zh = api("ra", "GET", f"/api/customers/{a_id}", params={"lang": "zh"}).json()
    assert next(c for c in zh["classes"] if c["scheme"] == "abc")["label"] != abc["label"]


# -- tasks and activities ---------------------------------------------------------------
def test_tasks_are_scoped(api: Any, company: dict[str, Any]) -> None:
    facts = company["facts"]
    mine = api("ra", "GET", "/api/tasks", params={"page_size": 500}).json()
    assert mine["total"] > 0 and {t["customer_id"] for t in mine["items"]} <= facts["ra"]["ids"]
    assert api("ra", "GET", "/api/tasks", params={"rep_id": facts["reps"][1]}).json()["total"] == 0
    b_id = facts["b_customer"][0]
    assert api("ra", "GET", "/api/tasks", params={"customer_id": b_id}).json()["total"] == 0
    team = api("mx", "GET", "/api/tasks", params={"page_size": 1}).json()["total"]
    assert team >= mine["total"]
    assert error_of(api("vw", "GET", "/api/tasks"), 403)["code"] == "forbidden"


def test_logging_an_activity_closes_the_task(api: Any, company: dict[str, Any]) -> None:
    customer, task_id, kind = company["facts"]["a_task"]
    before = api("ra", "GET", "/api/tasks", params={"customer_id": customer}).json()
    assert task_id in {t["task_id"] for t in before["items"]}
    r = api("ra", "POST", "/api/activities", json={"customer_id": customer, "kind": kind, "note": "api test"})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["rep_id"] == company["facts"]["reps"][0]
    assert task_id in {t["task_id"] for t in body["closed"]}
    after = api("ra", "GET", "/api/tasks", params={"customer_id": customer}).json()
    assert task_id not in {t["task_id"] for t in after["items"]}
    done = api("ra", "GET", "/api/tasks", params={"customer_id": customer, "status": "done"}).json()
    assert any(
        t["task_id"] == task_id and t["closed_by_activity"] == body["activity_id"] for t in done["items"]
    )
    timeline = api("ra", "GET", f"/api/customers/{customer}").json()["activities"]
    assert timeline[0]["activity_id"] == body["activity_id"]


def test_activities_outside_the_scope_or_role(api: Any, company: dict[str, Any]) -> None:
    b_id = company["facts"]["b_customer"][0]
    error_of(api("ra", "POST", "/api/activities", json={"customer_id": b_id, "kind": "visit"}), 404)
    error_of(api("mx", "POST", "/api/activities", json={"customer_id": b_id, "kind": "visit"}), 404)
    error_of(api("vw", "POST", "/api/activities", json={"customer_id": b_id, "kind": "visit"}), 403)
    a_id = company["facts"]["a_customer"][0]
    e = error_of(api("ra", "POST", "/api/activities", json={"customer_id": a_id, "kind": "dance"}), 400)
    assert "拜访" in e["message"]
    e = error_of(
        api(
            "ra", "POST", "/api/activities", json={"customer_id": a_id, "kind": "visit", "date": "2999-01-01"}
        ),
        400,
    )
    assert "future" in e["message"]


# -- overrides --------------------------------------------------------------------------
def test_propose_and_approve_an_override(api: Any, company: dict[str, Any]) -> None:
    a_id, a_class = company["facts"]["a_customer"]
    target = "C" if a_class != "C" else "B"
    r = api(
        "ra",
        "POST",
        "/api/overrides",
        json={"customer_id": a_id, "scheme": "abc", "class": target, "reason": "signed a 3-year contract"},
    )
    assert r.status_code == 201, r.text
    oid = r.json()["override_id"]
    assert r.json()["state"] == "proposed" and r.json()["proposed_by"] == "ra"
    assert error_of(api("ra", "POST", f"/api/overrides/{oid}/approve"), 403)["code"] == "forbidden"
    assert error_of(api("my", "POST", f"/api/overrides/{oid}/approve"), 404)["code"] == "not_found"
    assert error_of(api("rb", "POST", f"/api/overrides/{oid}/approve"), 404)["code"] == "not_found"
    assert oid not in {o["override_id"] for o in api("my", "GET", "/api/overrides").json()["items"]}
    assert oid in {
        o["override_id"]
        for o in api("mx", "GET", "/api/overrides", params={"status": "proposed"}).json()["items"]
    }
    r = api("mx", "POST", f"/api/overrides/{oid}/approve", json={"note": "ok"})
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "active" and r.json()["decided_by"] == "mx"
    abc = next(
        c for c in api("ra", "GET", f"/api/customers/{a_id}").json()["classes"] if c["scheme"] == "abc"
    )
    assert abc["class"] == target and abc["computed_class"] == a_class and "mx" in abc["reason"]
    listed = api("ra", "GET", "/api/customers", params={"q": a_id}).json()["items"][0]
    assert listed["classes"]["abc"] == target
    e = error_of(api("mx", "POST", f"/api/overrides/{oid}/approve"), 400)
    assert "not waiting" in e["message"]


def test_reject_and_bad_proposals(api: Any, company: dict[str, Any]) -> None:
    a_id = company["facts"]["a_customer"][0]
    r = api(
        "ra",
        "POST",
        "/api/overrides",
        json={"customer_id": a_id, "scheme": "credit_rating", "class": "A", "reason": "bank guarantee"},
    )
    assert r.status_code == 201, r.text
    oid = r.json()["override_id"]
    error_of(api("mx", "POST", f"/api/overrides/{oid}/reject", json={"reason": ""}), 422)
    r = api("boss", "POST", f"/api/overrides/{oid}/reject", json={"reason": "no guarantee on file"})
    assert r.status_code == 200 and r.json()["state"] == "rejected"
    e = error_of(
        api(
            "ra",
            "POST",
            "/api/overrides",
            json={"customer_id": a_id, "scheme": "abc", "class": "Z", "reason": "x"},
        ),
        400,
    )
    assert "Z" in e["message"]
    b_id = company["facts"]["b_customer"][0]
    error_of(
        api(
            "ra",
            "POST",
            "/api/overrides",
            json={"customer_id": b_id, "scheme": "abc", "class": "A", "reason": "x"},
        ),
        404,
    )
    error_of(api("ra", "GET", "/api/overrides", params={"customer_id": b_id}), 404)
    error_of(
        api(
            "vw",
            "POST",
            "/api/overrides",
            json={"customer_id": a_id, "scheme": "abc", "class": "A", "reason": "x"},
        ),
        403,
    )
    error_of(api("boss", "POST", "/api/overrides/999999/approve"), 404)


# -- schemes and reports ----------------------------------------------------------------
@pytest.mark.parametrize("user", ["boss", "mx", "ra", "vw"])
def test_schemes_for_every_role(api: Any, user: str) -> None:
    body = api(user, "GET", "/api/schemes").json()
    abc = next(s for s in body["items"] if s["name"] == "abc")
    assert abc["data_present"] and abc["snapshot_id"] and [c["id"] for c in abc["classes"]] == ["A", "B", "C"]
    zh = api(user, "GET", "/api/schemes", params={"lang": "zh"}).json()
    assert next(s for s in zh["items"] if s["name"] == "abc")["title"] != abc["title"]


@pytest.mark.parametrize("user", ["boss", "vw", "mx", "ra"])
def test_sales_report_is_scoped_and_reconciles(api: Any, company: dict[str, Any], user: str) -> None:
    facts = company["facts"]
    expected = facts["company_revenue"] if user in ("boss", "vw") else facts[user]["revenue"]
    by_dept = api(user, "GET", "/api/reports/sales", params={"by": "department", "from": "2000-01-01"})
    assert by_dept.status_code == 200, by_dept.text
    cents = Decimal("0.01")
    total = sum(Decimal(r["revenue"]) for r in by_dept.json()["items"])
    assert total == pytest.approx(Decimal(str(expected)), abs=cents)
    by_rep = api(user, "GET", "/api/reports/sales", params={"by": "period,rep", "period": "year"}).json()
    total = sum(Decimal(r["revenue"]) for r in by_rep["items"])
    assert total == pytest.approx(Decimal(str(expected)), abs=cents)
    if user == "ra":
        assert {r["rep"] for r in by_rep["items"]} <= {facts["reps"][0], "(none)"} | {
            r["rep"] for r in by_rep["items"] if Decimal(r["revenue"]) == 0
        }
    e = error_of(api(user, "GET", "/api/reports/sales", params={"by": "planet"}), 400)
    assert "department" in e["message"]


# -- imports ----------------------------------------------------------------------------
def test_import_upload_summary_and_rejected_rows(api: Any, company: dict[str, Any]) -> None:
    a_id = company["facts"]["a_customer"][0]
    text = (
        "客户编号,跟进日期,跟进方式,备注\n"
        f"{a_id},2026-09-01,电话,ok\n"
        f"{a_id},not-a-date,电话,bad date\n"
        ",2026-09-02,拜访,no customer\n"
    )
    files = {"file": ("跟进记录.csv", text.encode("gbk"), "text/csv")}
    for user in ("ra", "mx", "vw"):
        error_of(api(user, "POST", "/api/imports", data={"table": "activities"}, files=files), 403)
    r = api("boss", "POST", "/api/imports", data={"table": "activities"}, files=files, params=WAIT)
    assert r.status_code == 201, r.text
    s = r.json()
    assert s["read"] == 3 == s["accepted"] + s["rejected"] and s["accepted"] == 1 and s["rejected"] == 2
    assert s["encoding"] and s["file"] == "跟进记录.csv" and s["rejected_url"]
    rej = api("boss", "GET", s["rejected_url"])
    assert rej.status_code == 200
    rows = list(csv.DictReader(io.StringIO(rej.content.decode("utf-8-sig"))))
    assert len(rows) == 2 and all(any(v and k != "备注" for k, v in row.items()) for row in rows)
    error_of(api("ra", "GET", s["rejected_url"]), 403)
    error_of(api("boss", "POST", "/api/imports", data={"table": "planets"}, files=files, params=WAIT), 422)


# -- users and tokens while the server runs ---------------------------------------------
def test_admin_manages_users_and_tokens_over_the_api(api: Any, server: str, company: dict[str, Any]) -> None:
    error_of(api("mx", "GET", "/api/users"), 403)
    error_of(api("ra", "POST", "/api/users/ra/tokens"), 403)
    r = api(
        "boss",
        "POST",
        "/api/users",
        json={"name": "newrep", "role": "rep", "password": "short", "rep_id": company["facts"]["reps"][0]},
    )
    assert "10" in error_of(r, 400)["message"]
    r = api(
        "boss",
        "POST",
        "/api/users",
        json={"name": "newrep", "role": "rep", "password": PASSWORD, "rep_id": company["facts"]["reps"][0]},
    )
    assert r.status_code == 201, r.text
    made = api("boss", "POST", "/api/users/newrep/tokens").json()
    headers = {"Authorization": f"Bearer {made['token']}"}
    mine = httpx.get(server + "/api/customers", headers=headers, params={"page_size": 1}).json()["total"]
    assert mine == len(company["facts"]["ra"]["ids"])
    assert api("boss", "DELETE", f"/api/tokens/{made['token_id']}").status_code == 204
    error_of(httpx.get(server + "/api/customers", headers=headers), 401)
    made = api("boss", "POST", "/api/users/newrep/tokens").json()
    r = api("boss", "PATCH", "/api/users/newrep", json={"disabled": True})
    assert r.status_code == 200 and r.json()["disabled"] is True
    error_of(httpx.get(server + "/api/me", headers={"Authorization": f"Bearer {made['token']}"}), 401)
    error_of(api("boss", "PATCH", "/api/users/nobody", json={"disabled": True}), 404)
    e = error_of(api("boss", "PATCH", "/api/users/boss", json={"role": "viewer"}), 400)
    assert "last admin" in e["message"]
    listed = {u["name"]: u for u in api("boss", "GET", "/api/users").json()["items"]}
    assert listed["newrep"]["disabled"] and listed["ra"]["tokens"] == 1


def test_the_cli_works_through_the_server_that_holds_the_workspace(
    server: str, company: dict[str, Any]
) -> None:
    done = run_cli("--db", company["db"], "users", "list", "--json")
    assert done.returncode == 0, done.stderr
    assert {"ra", "mx"} <= {u["name"] for u in json.loads(done.stdout)}


def test_the_documented_sorts_are_the_core_ones() -> None:
    from typing import get_args

    from tierwise.services.customers import SORTS
    from tierwise.web.api import Sort

    assert set(get_args(Sort)) == {p + s for s in SORTS for p in ("", "-")}


def test_schemes_text_check_and_save(api: Any, company: dict[str, Any]) -> None:
    text = api("ra", "GET", "/api/schemes/abc").json()["text"]
    assert text.startswith("#") and "name: abc" in text
    error_of(api("ra", "GET", "/api/schemes/nope"), 404)
    ok = api("ra", "POST", "/api/schemes/abc/check", json={"text": text})
    assert ok.status_code == 200 and ok.json()["kind"] == "rank_tiers" and ok.json()["classes"] == 3
    bad = text.replace("\ntitle:", "\ntitel:", 1)
    e = error_of(api("ra", "POST", "/api/schemes/abc/check", json={"text": bad}), 400)
    assert "titel: unknown key (did you mean 'title'?)" in e["message"] and "schemes/abc.yaml" in e["message"]
    # a viewer's 10,000-term condition (it kept the server's CPU busy for ever) is refused at once
    huge = ("name: abc\ntitle: {zh: 甲, en: a}\nkind: thresholds\nrules:\n  - {class: a, when: \""
            + " and ".join(f"revenue > {i}" for i in range(10_000)) + "\"}\n  - {class: b, otherwise: true}\n"
            "classes:\n  - {id: a, label: {zh: 甲, en: a}}\n  - {id: b, label: {zh: 乙, en: b}}\n")
    e = error_of(api("vw", "POST", "/api/schemes/abc/check", json={"text": huge}), 400)
    assert "characters; at most 1,000" in e["message"] and "rules[0].when" in e["message"]
    renamed = text.replace("name: abc", "name: other", 1)
    assert (
        "differs" in error_of(api("boss", "PUT", "/api/schemes/abc", json={"text": renamed}), 400)["message"]
    )
    changed = text.replace("top: 5%", "top: 10%", 1)
    error_of(api("mx", "PUT", "/api/schemes/abc", json={"text": changed}), 403)
    error_of(api("boss", "PUT", "/api/schemes/abc", json={"text": bad}), 400)
    saved = api("boss", "PUT", "/api/schemes/abc", json={"text": changed})
    assert saved.status_code == 200, saved.text
    assert Path(saved.json()["path"]).read_text(encoding="utf-8") == changed
    again = api("vw", "GET", "/api/schemes/abc").json()
    assert again["text"] == changed and again["preset"] is False
    listed = next(s for s in api("vw", "GET", "/api/schemes").json()["items"] if s["name"] == "abc")
    assert listed["origin"] != "preset"


def test_credit_limits_by_managers_in_their_department(api: Any, company: dict[str, Any]) -> None:
    a_id = company["facts"]["a_customer"][0]
    b_id = company["facts"]["b_customer"][0]
    body = {"limit": "¥50,000", "reason": "annual review"}
    error_of(api("ra", "PUT", f"/api/customers/{a_id}/credit-limit", json=body), 403)
    error_of(api("vw", "PUT", f"/api/customers/{a_id}/credit-limit", json=body), 403)
    error_of(api("mx", "PUT", f"/api/customers/{b_id}/credit-limit", json=body), 404)
    r = api("mx", "PUT", f"/api/customers/{a_id}/credit-limit", json=body)
    assert r.status_code == 200 and r.json()["new"] == 50000.0, r.text
    assert api("ra", "GET", f"/api/customers/{a_id}").json()["customer"]["credit_limit"] == "50000.00"
    e = error_of(
        api("mx", "PUT", f"/api/customers/{a_id}/credit-limit", json={"limit": "-5", "reason": "x"}), 400
    )
    assert "negative" in e["message"]
    r = api(
        "boss",
        "PUT",
        f"/api/customers/{b_id}/credit-limit",
        json={"limit": None, "reason": "cash only ended"},
    )
    assert r.status_code == 200 and r.json()["new"] is None


# -- what a careless or hostile client sends ------------------------------------------------
def test_an_id_with_slashes_opens_and_a_lone_surrogate_is_a_422(api: Any, company: dict[str, Any]) -> None:
    """ERP exports write ids like SH/2023/001: its address encodes the slashes and opens the
    customer (record, history, credit limit); a JSON text with a lone surrogate, which the
    engine cannot hold (it was a 500), is refused as what it is."""
    files = {"file": ("c.csv", "customer_id,name\nSH/2023/001,上海斜杠公司\n".encode(), "text/csv")}
    r = api("boss", "POST", "/api/imports", data={"table": "customers"}, files=files, params=WAIT)
    assert r.status_code == 201 and r.json()["accepted"] == 1, r.text
    one = api("boss", "GET", "/api/customers/SH%2F2023%2F001")
    assert one.status_code == 200, one.text
    assert one.json()["customer"]["customer_id"] == "SH/2023/001"
    assert api("boss", "GET", "/api/customers/SH%2F2023%2F001/history").status_code == 200
    changed = api("boss", "PUT", "/api/customers/SH%2F2023%2F001/credit-limit",
                  json={"limit": "20000", "reason": "new terms"})
    assert changed.status_code == 200, changed.text
    error_of(api("boss", "GET", "/api/customers/SH/2023/001"), 404)  # unencoded: another address
    a_id = company["facts"]["a_customer"][0]
    for note in ("\\udc00x", "\\ud800"):  # as the client sent them: escapes in the JSON text
        body = '{"customer_id": "' + a_id + '", "kind": "visit", "note": "' + note + '"}'
        e = error_of(api("boss", "POST", "/api/activities", content=body.encode(),
                         headers_extra={"Content-Type": "application/json"}), 422)
        assert "lone surrogate" in e["message"]
    ok = api("boss", "POST", "/api/activities",
             json={"customer_id": a_id, "kind": "call", "note": "\U0001f600 called"})  # an emoji is fine
    assert ok.status_code == 201, ok.text


@pytest.mark.parametrize("user", ["boss", "mx", "ra"])
def test_service_report_is_scoped_and_adds_up(api: Any, company: dict[str, Any], user: str) -> None:
    r = api(user, "GET", "/api/reports/service", params={"lang": "zh"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["scheme"] == "abc" and body["days"] == 90
    assert [c["class"] for c in body["classes"]] == ["A", "B", "C"]
    customers = sum(c["customers"] for c in body["classes"])
    assert customers == sum(x["customers"] for x in body["reps"]) > 0  # each customer once, by class, by rep
    assert all(re.fullmatch(r"-?\d+\.\d\d", c["revenue"]) for c in body["classes"])  # money: decimal text
    assert all(isinstance(w, str) and re.search("[\u4e00-\u9fff]", w) for w in body["warnings"])
    if user == "ra":
        assert [x["rep_id"] for x in body["reps"]] == [company["facts"]["reps"][0]]
    bad = api(user, "GET", "/api/reports/service", params={"scheme": "no_such"})
    assert bad.status_code == 400 and "not classified" in bad.json()["error"]["message"]
