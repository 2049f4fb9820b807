"""The jobs pages and the jobs API through a real `tierwise serve`: usable on a phone, the
progress message in the reader's language, no server path shown, and the loopback route of the
commands refusing an oversized body.

A classification held running (the ``classify.after_classes:pause`` fault point) gives the
pages a job with progress and a cancel button; Debian's chromium drives the pages at 390 px.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from conftest import demo_copy, run_cli, write_csv
from server_fixture import add_user, running_server
from test_pages import CHROMIUM, Page

PHONE = {"width": 390, "height": 844}


def _until(base: str, token: str, job_id: int, test: Any, what: str) -> dict[str, Any]:
    for _ in range(600):
        job: dict[str, Any] = httpx.get(f"{base}/api/jobs/{job_id}",
                                        headers={"Authorization": f"Bearer {token}"}).json()
        if test(job):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} never {what}: {job}")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, demo_company: Path) -> Iterator[dict[str, Any]]:
    """The demo over a server whose classifications hold (until cancelled) while they save."""
    db = demo_copy(demo_company, tmp_path_factory.mktemp("jobs-pages"))
    token = add_user(db, "boss", "admin")
    add_user(db, "lin", "admin")
    assert run_cli("--db", db, "users", "set", "lin", "--language", "zh").returncode == 0
    with running_server(db, {"TIERWISE_FAULT": "classify.after_classes:pause"}) as base:
        auth = {"Authorization": f"Bearer {token}"}
        r = httpx.post(base + "/api/classify", json={"schemes": ["abc"]}, headers=auth)
        assert r.status_code == 202, r.text
        job_id = r.json()["job_id"]
        _until(base, token, job_id, lambda j: j["message"] == "saving the snapshot", "held")
        yield {"db": db, "base": base, "token": token, "auth": auth, "held": job_id}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if CHROMIUM is None:
        pytest.skip("needs Debian's chromium: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def phone(browser: Any, site: dict[str, Any]) -> Iterator[Page]:
    tab = Page(browser, site["base"])
    tab.page.set_viewport_size(PHONE)
    try:
        yield tab
        assert tab.problems == [], tab.problems
    finally:
        tab.close()


def _no_page_scroll(page: Any) -> None:
    """Nothing sticks out to the side: the page scrolls only up and down."""
    wide = page.evaluate("""() => [document.documentElement.scrollWidth, window.innerWidth,
        [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right
            > window.innerWidth + 1 && !e.closest('.scroll')).map(e => e.tagName + '#' + e.id + '.' +
            e.className).slice(0, 5)]""")
    assert wide[0] <= wide[1] and not wide[2], wide


def test_the_jobs_pages_fit_a_phone_and_the_cancel_button_is_reachable(
    phone: Page, site: dict[str, Any]
) -> None:
    page = phone.sign_in("boss")
    page = phone.go("/jobs")
    assert page.locator(f"#jobs tr[data-job='{site['held']}']").count() == 1
    _no_page_scroll(page)
    box = page.locator("#jobs").evaluate(
        "t => { const b = t.closest('.scroll'); "
        "return b && [getComputedStyle(b).overflowX, b.getBoundingClientRect().right]; }")
    assert box is not None and box[0] == "auto" and box[1] <= PHONE["width"], box  # scrolls in its box
    phone.shot("jobs-phone")
    page.click(f"#jobs tr[data-job='{site['held']}'] a")
    page.wait_for_load_state("networkidle")
    _no_page_scroll(page)
    cancel = page.locator("#cancel-job")
    cancel.scroll_into_view_if_needed()
    where = cancel.bounding_box()
    assert where is not None and where["x"] >= 0 and where["x"] + where["width"] <= PHONE["width"]
    assert where["height"] >= 28  # a finger's target, not a speck
    phone.shot("job-phone")
    cancel.click()
    page.wait_for_load_state("networkidle")
    page.wait_for_function("document.querySelector('#job-state').textContent.trim() === 'cancelled'")
    _no_page_scroll(page)  # with its error shown


def test_a_job_shows_its_progress_in_the_readers_language(browser: Any, site: dict[str, Any]) -> None:
    base, auth = site["base"], site["auth"]
    httpx.post(f"{base}/api/jobs/{site['held']}/cancel", headers=auth)  # one classification at a time
    r = httpx.post(base + "/api/classify", json={"schemes": ["rfm"]}, headers=auth)
    job_id = r.json()["job_id"]
    _until(base, site["token"], job_id, lambda j: j["message"] == "saving the snapshot", "held")
    zh = httpx.get(f"{base}/api/jobs/{job_id}?lang=zh", headers=auth).json()
    assert zh["state"] == "running" and zh["message"] == "保存快照"
    listed = httpx.get(f"{base}/api/jobs?lang=zh&state=running", headers=auth).json()["items"]
    assert [j["message"] for j in listed if j["job_id"] == job_id] == ["保存快照"]
    tab = Page(browser, base)
    try:
        page = tab.sign_in("lin")  # a user whose language is Chinese
        page = tab.go(f"/jobs/{job_id}")
        assert page.inner_text("#job-message") == "保存快照"
        page.wait_for_timeout(1500)  # the page polls the API: still Chinese after a refresh of it
        assert page.inner_text("#job-message") == "保存快照"
        page.click("#cancel-job")
        page.wait_for_load_state("networkidle")
        assert tab.problems == [], tab.problems
    finally:
        tab.close()
    _until(base, site["token"], job_id, lambda j: j["state"] == "cancelled", "cancelled")


def test_jobs_show_file_names_not_the_servers_folders(
    phone: Page, site: dict[str, Any], tmp_path: Path
) -> None:
    base, auth, folder = site["base"], site["auth"], str(site["db"].parent)
    data = write_csv(tmp_path / "new-customers.csv", [("customer_id", "name"), ("N1", "Neu")])
    with data.open("rb") as fh:
        r = httpx.post(base + "/api/imports?wait=30", headers=auth,
                       data={"table": "customers", "dry_run": "true"},
                       files={"file": ("new-customers.csv", fh, "text/csv")})
    assert r.status_code == 201, r.text
    listed = httpx.get(base + "/api/jobs?kind=import", headers=auth).json()["items"]
    job = listed[0]
    assert job["state"] == "done" and job["params"]["args"][1].endswith("-new-customers.csv")
    assert job["params"]["args"][1] == Path(job["params"]["args"][1]).name
    shown = json.dumps(listed, ensure_ascii=False) + httpx.get(f"{base}/api/jobs/{job['job_id']}",
                                                              headers=auth).text
    assert folder not in shown and "/uploads/" not in shown
    page = phone.sign_in("boss")
    for path in ("/jobs", f"/jobs/{job['job_id']}"):
        page = phone.go(path)
        assert folder not in page.content() and "new-customers.csv" in page.content()
        _no_page_scroll(page)


def test_the_commands_route_refuses_an_oversized_body_with_413(site: dict[str, Any]) -> None:
    url = site["base"] + "/api/_local/call"
    port = int(site["base"].rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=20) as raw:  # 9 MiB announced, 16 bytes sent:
        raw.sendall(f"POST /api/_local/call HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {9 << 20}\r\n"
                    "Connection: close\r\n\r\n".encode() + b"x" * 16)  # refused on the header, unread
        answer = b""
        while chunk := raw.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413"), answer[:300]
    error = json.loads(body)["error"]
    assert error["code"] == "too_large" and "8 MiB" in error["message"] and "超过 8 MiB" in error["message"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it streams
        for _ in range(9):
            yield b"x" * (1 << 20)

    streamed = httpx.post(url, content=chunks())
    assert streamed.status_code == 413 and streamed.json()["error"]["code"] == "too_large"
    small = httpx.post(url, content=b"x" * 16)  # under the cap: read, then refused for its signature
    assert small.status_code == 503 and "signed" in small.json()["error"]["message"]


def test_a_command_does_not_send_an_oversized_request(site: dict[str, Any]) -> None:
    from tierwise.cli.remote import RemoteWorkspace
    from tierwise.errors import WorkspaceError
    from tierwise.settings import Settings
    from tierwise.web.handoff import running

    settings = Settings(db=site["db"])
    found = running(settings)
    assert found is not None
    with RemoteWorkspace(settings, found, "boss") as ws, pytest.raises(WorkspaceError, match="8 MiB"):
        ws.schemes.check("abc", "x" * (9 << 20))
