"""Daily digests (playbook/digest.py) delivered to receivers the test starts: a WeCom robot and
a signing DingTalk robot (a local HTTP server answering as they do) and a mail server (a local
SMTP server); one message per rep with their tasks due, credit holds and pool warnings; a
robot's refusal fails that rep only; the pace of 20 messages a minute; the dry run; channels
checked and audited; the CLI and the API.

R1 (WeCom), R2 (DingTalk, signed) and R3 (e-mail) each own a customer due for a visit (the
scheme ``tier``: everyone visited every 30 days); R3's customer also owes money overdue; R4
owns one too but has no channel.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import socketserver
import threading
import urllib.parse
from collections.abc import Iterator
from datetime import date
from email import message_from_bytes
from email.policy import default as email_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from conftest import do_import, run_cli, write_csv
from schemes_fixture import company, order, tier_scheme
from server_fixture import add_user, running_server
from tierwise.access.users import User
from tierwise.errors import ConfigError, ForbiddenError
from tierwise.playbook.digest import Pace
from tierwise.settings import Settings
from tierwise.workspace import Workspace

BOSS = User("boss", "admin", lang="zh")
ON = date(2026, 6, 30)
SECRET = "SEC0123456789abcdef"
REPS = [["rep_id", "name", "department"], ["R1", "王强", "East"], ["R2", "李娜", "East"],
        ["R3", "张伟", "East"], ["R4", "赵敏", "East"]]


class Robots:
    """A local HTTP server answering as WeCom and DingTalk group robots do; ``refuse``: paths
    answered with an errcode."""

    def __init__(self) -> None:
        self.posts: list[dict[str, Any]] = []
        self.refuse: set[str] = set()
        robots = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # the standard library's name
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                url = urllib.parse.urlsplit(self.path)
                robots.posts.append({"path": url.path, "query": dict(urllib.parse.parse_qsl(url.query)),
                                     "body": body})
                refused = url.path in robots.refuse
                answer = json.dumps({"errcode": 45009 if refused else 0,
                                     "errmsg": "api freq out of limit" if refused else "ok"}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


class Mailbox:
    """A local SMTP server (just enough of RFC 5321) keeping the messages it is given."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []
        box = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                self.wfile.write(b"220 localhost test mail\r\n")
                rcpt: list[str] = []
                while line := self.rfile.readline():
                    verb = line.decode().strip().split(" ")[0].upper()
                    if verb in ("EHLO", "HELO"):
                        self.wfile.write(b"250 localhost\r\n")
                    elif verb == "MAIL":
                        rcpt = []
                        self.wfile.write(b"250 OK\r\n")
                    elif verb == "RCPT":
                        rcpt.append(line.decode().split(":", 1)[1].strip().strip("<>"))
                        self.wfile.write(b"250 OK\r\n")
                    elif verb == "DATA":
                        self.wfile.write(b"354 go on\r\n")
                        data = b""
                        while (chunk := self.rfile.readline()) != b".\r\n":
                            data += chunk
                        box.messages.append((rcpt, data))
                        self.wfile.write(b"250 OK\r\n")
                    elif verb == "QUIT":
                        self.wfile.write(b"221 bye\r\n")
                        return
                    else:
                        self.wfile.write(b"250 OK\r\n")

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def robots() -> Iterator[Robots]:
    found = Robots()
    yield found
    found.server.shutdown()


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    found = Mailbox()
    yield found
    found.server.shutdown()


@pytest.fixture
def db(tmp_path: Path, robots: Robots) -> Path:
    path = tmp_path / "w.duckdb"
    with Workspace.open(Settings(db=path), create=True, actor=BOSS) as ws:
        assert do_import(ws, "reps", write_csv(tmp_path / "reps.csv", REPS)).rejected == 0
        owners = {"C1": "R1", "C2": "R2", "C3": "R3", "C4": "R4"}
        company(ws, tmp_path,
                customers=[{"customer_id": c, "name": f"客户{c}", "rep_id": r, "department": "East",
                            **({"credit_limit": 100} if c == "C3" else {})} for c, r in owners.items()],
                orders=[order(c, "2026-04-01", 500, due_date="2026-04-30") for c in owners],
                payments=[{"customer_id": c, "payment_date": "2026-04-20", "amount": 500}
                          for c in ("C1", "C2", "C4")])  # C3 owes 500 over its limit of 100
        ws.schemes.save("tier", tier_scheme("visit_every_days: 30", "visit_every_days: 30"))
        ws.snapshots.classify(["tier"], as_of=ON)
        ws.tasks.refresh(on=ON, days=7)
        ws.digests.set_channel("R1", "wecom", f"{robots.url}/cgi-bin/webhook/send?key=WECOMKEY1234")
        ws.digests.set_channel("R2", "dingtalk", f"{robots.url}/robot/send?access_token=DINGTOKEN",
                               secret=SECRET)
        ws.digests.set_channel("R3", "email", "zhangwei@example.cn")
    return path


def _settings(db: Path, mailbox: Mailbox | None = None) -> Settings:
    extra = {"smtp_host": "127.0.0.1", "smtp_port": mailbox.port, "smtp_from": "tierwise@example.cn"} \
        if mailbox else {}
    return Settings(db=db, **extra)


def test_each_rep_gets_one_message_where_they_are(db: Path, robots: Robots, mailbox: Mailbox) -> None:
    with Workspace.open(_settings(db, mailbox), actor=BOSS) as ws:
        done = ws.digests.send(on=ON)
    assert done["counts"] == {"sent": 3, "no-channel": 1}
    by_rep = {m["rep_id"]: m for m in done["messages"]}
    assert by_rep["R4"]["status"] == "no-channel"
    wecom = next(p for p in robots.posts if p["path"] == "/cgi-bin/webhook/send")
    assert wecom["query"] == {"key": "WECOMKEY1234"} and wecom["body"]["msgtype"] == "markdown"
    content = wecom["body"]["markdown"]["content"]
    assert content.startswith("**今日待办 · 王强（R1） · 2026-06-30**")
    assert "客户C1" in content and "拜访" in content
    ding = next(p for p in robots.posts if p["path"] == "/robot/send")
    stamp, sign = ding["query"]["timestamp"], ding["query"]["sign"]
    mac = hmac.new(SECRET.encode(), f"{stamp}\n{SECRET}".encode(), hashlib.sha256).digest()
    assert ding["query"]["access_token"] == "DINGTOKEN"
    assert sign == base64.b64encode(mac).decode()  # 加签, as DingTalk checks it
    assert ding["body"]["markdown"]["title"] == "今日待办 · 李娜（R2） · 2026-06-30"
    [(to, data)] = mailbox.messages
    mail = message_from_bytes(data, policy=email_policy)
    assert to == ["zhangwei@example.cn"] and mail["Subject"] == "今日待办 · 张伟（R3） · 2026-06-30"
    body = mail.get_content()
    assert "信用冻结 1 个客户" in body and "**" not in body  # plain text for mail
    with Workspace.open(Settings(db=db), actor=BOSS) as ws:
        log = ws.db.con.execute("SELECT rep_id, channel, status, sent_to FROM digest_log ORDER BY rep_id"
                                ).fetchall()
    assert [row[:3] for row in log] == [("R1", "wecom", "sent"), ("R2", "dingtalk", "sent"),
                                        ("R3", "email", "sent")]
    assert "WECOMKEY" not in log[0][3] and log[0][3].endswith("1234")  # the key is not logged


def test_a_refusing_robot_fails_its_rep_only_and_a_dry_run_sends_nothing(db: Path, robots: Robots) -> None:
    robots.refuse.add("/robot/send")
    with Workspace.open(_settings(db), actor=BOSS) as ws:
        preview = ws.digests.send(on=ON, dry_run=True)
        assert robots.posts == [] and preview["counts"] == {"dry-run": 3, "no-channel": 1}
        assert "今日待办" in next(m for m in preview["messages"] if m["rep_id"] == "R1")["text"]
        done = ws.digests.send(on=ON, reps=["R1", "R2", "R3"])
    by_rep = {m["rep_id"]: m for m in done["messages"]}
    assert by_rep["R1"]["status"] == "sent"
    assert by_rep["R2"]["status"] == "failed" and "45009 api freq out of limit" in by_rep["R2"]["error"]
    assert by_rep["R3"]["status"] == "failed" and "smtp_host" in by_rep["R3"]["error"]  # no mail server set


def test_a_robot_takes_at_most_twenty_a_minute() -> None:
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    pace = Pace(clock=lambda: now[0], sleep=sleep)
    times: list[float] = []
    for i in range(45):
        pace.wait("robot-a")
        times.append(now[0])
        now[0] += 0.5
        if i < 3:
            pace.wait("robot-b")  # another robot has its own minute
    assert all(times[i + 20] - times[i] >= 60 for i in range(len(times) - 20))  # never 21 in a minute
    assert slept[0] == pytest.approx(50.0)  # the 21st waits for the 1st's minute to pass
    assert times[-1] < 150  # and no longer than that


def test_channels_are_checked_and_audited(db: Path) -> None:
    with Workspace.open(Settings(db=db), actor=BOSS) as ws:
        with pytest.raises(ConfigError, match="https://"):
            ws.digests.set_channel("R4", "wecom", "http://example.com/cgi-bin/webhook/send?key=x")
        with pytest.raises(ConfigError, match="e-mail"):
            ws.digests.set_channel("R4", "email", "not an address")
        with pytest.raises(ConfigError, match="加签"):
            ws.digests.set_channel("R4", "wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
                                   secret="s")
        with pytest.raises(ForbiddenError):
            ws.acting_as(User("m", "manager", department="East")).digests.set_channel("R4", "off")
        listed = {c["rep_id"]: c for c in ws.digests.channels()}
        assert listed["R2"]["signed"] and "DINGTOKEN" not in listed["R2"]["to"]
        ws.digests.set_channel("R1", "off")
        assert "R1" not in {c["rep_id"] for c in ws.digests.channels()}
        audit = ws.db.con.execute("SELECT actor, subject, new_value FROM audit "
                                  "WHERE action = 'digest.channel' "
                                  "ORDER BY audit_id").fetchall()
    assert [a[1] for a in audit] == ["rep R1", "rep R2", "rep R3", "rep R1"] and audit[-1][2] is None
    assert all("WECOMKEY1" not in (a[2] or "") for a in audit)


def test_cli_and_api(db: Path, robots: Robots) -> None:
    shown = run_cli("--db", db, "--lang", "zh", "digest", "send", "--date", ON.isoformat(), "--dry-run")
    assert shown.returncode == 0, shown.stderr
    assert "R1 将发送 → wecom" in shown.stdout and "今日待办 · 王强（R1）" in shown.stdout
    assert robots.posts == []
    token = add_user(db, "boss", "admin")
    rep = add_user(db, "li", "rep", "--rep-id", "R2")
    with running_server(db) as base:
        r = httpx.post(base + "/api/digests", json={"on": ON.isoformat(), "reps": ["R1"]},
                       headers={"Authorization": f"Bearer {token}"}, timeout=60)
        assert r.status_code == 200 and r.json()["counts"] == {"sent": 1}, r.text
        assert httpx.post(base + "/api/digests", json={"dry_run": True}, timeout=60,
                          headers={"Authorization": f"Bearer {rep}"}).status_code == 403
        bad = httpx.put(base + "/api/digests/channels/R4", json={"channel": "sms", "address": "x"},
                        headers={"Authorization": f"Bearer {token}"}, timeout=60)
        assert bad.status_code == 422
    assert len(robots.posts) == 1 and robots.posts[0]["query"]["key"] == "WECOMKEY1234"
    listed = json.loads(run_cli("--db", db, "digest", "channels", "--json").stdout)
    assert [c["rep_id"] for c in listed] == ["R1", "R2", "R3"]


def test_the_mail_password_is_never_shown(tmp_path: Path) -> None:
    with Workspace.open(Settings(db=tmp_path / "w.duckdb", smtp_password="hunter2"), create=True,
                        actor=BOSS) as ws:
        shown = {s["name"]: s["value"] for s in ws.system.settings_list()}
    assert shown["smtp_password"] == "(set)" and "hunter2" not in json.dumps(shown)
