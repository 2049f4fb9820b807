"""The daily digest: each rep's day (tasks due, credit holds, customers about to go to the
public pool) sent where the rep already is — a WeCom (企业微信) or DingTalk (钉钉) group robot,
or e-mail.

Channels are set per rep (``digest_channels``: ``wecom`` / ``dingtalk`` webhook address, the
DingTalk robot's signing secret, or an ``email`` address). A digest is composed from the
stored open tasks of the rep (``tasks``; the day's refresh made them), in the rep's language
(their user's, else the workspace's), as Markdown for the robots and plain text for e-mail,
within the robots' 4,096 bytes. One message per rep; a robot takes at most
:data:`PER_MINUTE` messages a minute, so sending waits when a robot's last minute is full.
Every attempt is logged (``digest_log``) with its outcome; a failure for one rep does not stop
the others.

DingTalk signs: ``sign = base64(HMAC-SHA256(secret, f"{timestamp}\\n{secret}"))``, sent URL-
encoded with the millisecond ``timestamp`` beside the access token (its robot "加签"). A robot
answers ``{"errcode": 0, "errmsg": "ok"}``; any other errcode is a failure with its message.
"""

from __future__ import annotations

import base64
import collections
import hashlib
import hmac
import ipaddress
import smtplib
import time
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from email.message import EmailMessage
from typing import TYPE_CHECKING, Any

from tierwise.errors import ConfigError
from tierwise.playbook.task_kinds import KINDS

if TYPE_CHECKING:
    from tierwise.settings import Settings
    from tierwise.store.database import Database

CHANNELS = ("wecom", "dingtalk", "email")
PER_MINUTE = 20  # messages one group robot takes a minute (WeCom and DingTalk alike)
MAX_BYTES = 4000  # a robot's Markdown message: 4,096 bytes at most
TOP = 10  # tasks listed by name; the rest counted
SEND_TIMEOUT = 10.0  # seconds for one robot or mail server


@dataclass(frozen=True)
class Digest:
    rep_id: str
    lang: str
    title: str
    text: str  # Markdown
    tasks: int
    holds: int
    pool: int

    def plain(self) -> str:
        return self.text.replace("**", "").replace("> ", "")


# -- composing ---------------------------------------------------------------------------------
def compose(ws: Database, on: date, *, reps: Sequence[str] | None = None, lang: str = "zh") -> list[Digest]:
    """The digest of each rep with open tasks due by ``on`` (``reps``: only these), in the rep's
    language (their user's, else ``lang``)."""
    con = ws.con
    where, params = "", [on, *([list(reps)] if reps else [])]
    if reps:
        where = "AND t.rep_id IN (SELECT unnest(?))"
    rows = con.execute(f"""
        SELECT t.rep_id, t.kind, t.customer_id, t.customer_name, t.due_date, t.priority, t.reason_en,
               t.reason_zh, row_number() OVER (PARTITION BY t.rep_id
                                               ORDER BY t.priority, t.due_date, t.customer_id, t.task_id)
        FROM tasks t WHERE t.status = 'open' AND t.due_date <= ? AND t.rep_id IS NOT NULL {where}
        ORDER BY t.rep_id, 9""", params).fetchall()
    names = dict(con.execute("SELECT rep_id, name FROM reps").fetchall())
    langs = dict(con.execute("SELECT rep_id, lang FROM users WHERE rep_id IS NOT NULL AND lang IS NOT NULL "
                             "AND NOT coalesce(disabled, false)").fetchall())
    per: dict[str, list[tuple[Any, ...]]] = collections.defaultdict(list)
    for r in rows:
        per[r[0]].append(r)
    return [_digest(rep, tasks, names.get(rep), langs.get(rep, lang), on) for rep, tasks in per.items()]


def _digest(rep: str, tasks: list[tuple[Any, ...]], name: str | None, lang: str, on: date) -> Digest:
    zh = lang == "zh"
    kinds = collections.Counter(t[1] for t in tasks)
    late = sum(t[4] < on for t in tasks)
    who = f"{name}（{rep}）" if zh and name else f"{name} ({rep})" if name else rep
    title = f"今日待办 · {who} · {on}" if zh else f"Today · {who} · {on}"
    word = {k: (v[1] if zh else v[0]) for k, v in KINDS.items()}
    spread = ("，" if zh else ", ").join(f"{word.get(k, k)} {n}" for k, n in kinds.most_common())
    head = (f"**{title}**\n到期任务 {len(tasks)} 项（已逾期 {late}）：{spread}" if zh else
            f"**{title}**\n{len(tasks)} tasks due ({late} late): {spread}")
    holds = [t for t in tasks if t[1] == "credit_hold"]
    pool = [t for t in tasks if t[1] == "pool"]
    lines = [head]
    if holds:
        lines.append(f"**信用冻结 {len(holds)} 个客户**：" + "、".join(str(t[3] or t[2]) for t in holds[:5])
                     if zh else f"**{len(holds)} customers on credit hold**: "
                     + ", ".join(str(t[3] or t[2]) for t in holds[:5]))
    if pool:
        lines.append(f"**{len(pool)} 个客户即将收回公海**，请尽快跟进" if zh else
                     f"**{len(pool)} customers about to go back to the public pool**: follow them up")
    body: list[str] = []
    for t in tasks[:TOP]:
        reason = t[7] if zh else t[6]
        body.append(f"> {t[4]} {t[3] or t[2]}：{reason}" if zh else f"> {t[4]} {t[3] or t[2]}: {reason}")
    more = len(tasks) - TOP
    tail = ([f"……另有 {more} 项，请在 tierwise 查看" if zh else f"… and {more} more in tierwise"]
            if more > 0 else [])
    text = _fit([*lines, *body], tail, zh)
    return Digest(rep, lang, title, text, len(tasks), len(holds), len(pool))


def _fit(lines: list[str], tail: list[str], zh: bool) -> str:
    """The lines (and ``tail``) within :data:`MAX_BYTES`, dropping task lines from the end."""
    while True:
        text = "\n".join([*lines, *tail])
        if len(text.encode()) <= MAX_BYTES or len(lines) <= 1:
            return text[: MAX_BYTES // 3] if len(text.encode()) > MAX_BYTES else text
        lines = lines[:-1]
        tail = ["……更多任务请在 tierwise 查看" if zh else "… more in tierwise"]


# -- channels ------------------------------------------------------------------------------------
def check_address(channel: str, address: str) -> str:
    """``address`` checked for ``channel``: a robot's https webhook (http only to this machine,
    for testing), or an e-mail address."""
    address = address.strip()
    if channel not in CHANNELS:
        raise ConfigError(f"channel {channel!r}: one of {', '.join(CHANNELS)} / "
                          "渠道应为 wecom、dingtalk 或 email")
    if len(address) > 2000:
        raise ConfigError("the address is longer than 2,000 characters / 地址过长")
    if channel == "email":
        if "@" not in address or any(c in address for c in " \r\n,;<>"):
            raise ConfigError(f"{address!r} is not one e-mail address / 不是有效的邮箱地址")
        return address
    url = urllib.parse.urlsplit(address)
    local = False
    try:
        local = url.hostname is not None and (url.hostname == "localhost"
                                              or ipaddress.ip_address(url.hostname).is_loopback)
    except ValueError:
        local = False
    if url.scheme != "https" and not (url.scheme == "http" and local):
        raise ConfigError(f"{channel} webhook {address!r}: give the robot's https:// address "
                          "(企业微信/钉钉群机器人的 Webhook 地址) / "
                          "请填写 https:// 开头的机器人 Webhook 地址")
    if not url.hostname:
        raise ConfigError(f"{address!r} has no host / 地址缺少主机名")
    return address


def masked(address: str) -> str:
    """An address as listings show it: a webhook's key hidden but for its last 4 characters."""
    if "@" in address and "://" not in address:
        return address
    url = urllib.parse.urlsplit(address)
    return f"{url.scheme}://{url.netloc}{url.path}?…{address[-4:]}"


# -- sending ---------------------------------------------------------------------------------------
@dataclass
class Pace:
    """At most ``per`` messages to one robot within ``window`` seconds: :meth:`wait` sleeps
    until the next one may go."""

    per: int = PER_MINUTE
    window: float = 60.0
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    sent: dict[str, collections.deque[float]] = field(default_factory=dict)

    def wait(self, key: str) -> float:
        """Wait (if need be) before a message to ``key``; the seconds waited."""
        times = self.sent.setdefault(key, collections.deque())
        now = self.clock()
        while times and now - times[0] >= self.window:
            times.popleft()
        waited = 0.0
        if len(times) >= self.per:
            waited = self.window - (now - times[0])
            self.sleep(waited)
            now = self.clock()
            times.popleft()
        times.append(now)
        return waited


def signed(url: str, secret: str, now_ms: int | None = None) -> str:
    """A DingTalk robot's ``url`` with its signature (加签) for ``secret``."""
    stamp = str(now_ms if now_ms is not None else int(time.time() * 1000))
    digest = hmac.new(secret.encode(), f"{stamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest).decode())
    return f"{url}{'&' if '?' in url else '?'}timestamp={stamp}&sign={sign}"


def post_robot(client: Any, channel: str, address: str, secret: str | None, d: Digest) -> None:
    """Post ``d`` to a WeCom or DingTalk robot; a ConfigError with the robot's answer on failure."""
    if channel == "wecom":
        url, body = address, {"msgtype": "markdown", "markdown": {"content": d.text}}
    else:
        url = signed(address, secret) if secret else address
        body = {"msgtype": "markdown", "markdown": {"title": d.title, "text": d.text}}
    answer = client.post(url, json=body, timeout=SEND_TIMEOUT)
    if answer.status_code != 200:
        raise ConfigError(f"{channel} robot answered HTTP {answer.status_code}")
    try:
        found = answer.json()
    except ValueError:
        raise ConfigError(f"{channel} robot answered no JSON") from None
    if found.get("errcode") != 0:
        raise ConfigError(f"{channel} robot: errcode {found.get('errcode')} "
                          f"{found.get('errmsg', '')}".strip())


def send_mail(settings: Settings, to: str, d: Digest) -> None:
    """Send ``d`` as plain UTF-8 text by the ``smtp_*`` settings."""
    if not settings.smtp_host:
        raise ConfigError("no mail server: set smtp_host (TIERWISE_SMTP_HOST) / 未设置邮件服务器 smtp_host")
    message = EmailMessage()
    message["Subject"] = d.title
    message["From"] = settings.smtp_from or f"tierwise@{settings.smtp_host}"
    message["To"] = to
    message.set_content(d.plain(), charset="utf-8")
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=SEND_TIMEOUT) as server:
        if settings.smtp_starttls:
            server.starttls()
        if settings.smtp_user:
            server.login(settings.smtp_user, settings.smtp_password or "")
        server.send_message(message)


@dataclass(frozen=True)
class Outcome:
    rep_id: str
    channel: str | None
    to: str | None  # masked
    status: str  # sent, failed, dry-run, no-channel
    error: str | None
    digest: Digest

    def to_json(self) -> dict[str, Any]:
        return {"rep_id": self.rep_id, "channel": self.channel, "to": self.to, "status": self.status,
                "error": self.error, "title": self.digest.title, "text": self.digest.text,
                "tasks": self.digest.tasks, "holds": self.digest.holds, "pool": self.digest.pool}


def channels_of(ws: Database) -> dict[str, tuple[str, str, str | None]]:
    """rep → (channel, address, secret)."""
    return {r[0]: (r[1], r[2], r[3]) for r in ws.con.execute(
        "SELECT rep_id, channel, address, secret FROM digest_channels").fetchall()}


def deliver(ws: Database, digests: list[Digest], *, on: date, dry_run: bool, pace: Pace | None = None,
            client: Any = None) -> list[Outcome]:
    """Send each digest by its rep's channel (``dry_run``: only say where), logging each."""
    import httpx

    pace = pace or Pace()
    found = channels_of(ws)
    out: list[Outcome] = []
    own = client is None and not dry_run
    client = client or (httpx.Client() if not dry_run else None)
    try:
        for d in digests:
            if d.rep_id not in found:
                out.append(Outcome(d.rep_id, None, None, "no-channel", None, d))
                continue
            channel, address, secret = found[d.rep_id]
            if dry_run:
                out.append(Outcome(d.rep_id, channel, masked(address), "dry-run", None, d))
                continue
            try:
                if channel == "email":
                    send_mail(ws.settings, address, d)
                else:
                    pace.wait(address)
                    post_robot(client, channel, address, secret, d)
                out.append(Outcome(d.rep_id, channel, masked(address), "sent", None, d))
            except Exception as exc:  # one rep's robot down must not keep the others' digests
                out.append(Outcome(d.rep_id, channel, masked(address), "failed", str(exc)[:500], d))
    finally:
        if own and client is not None:
            client.close()
    tried = [o for o in out if o.status in ("sent", "failed")]
    if tried:
        now = datetime.now().replace(microsecond=0)
        ws.con.executemany("INSERT INTO digest_log VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           [[now, on, o.rep_id, o.channel, o.to, o.status, o.error, o.digest.tasks]
                            for o in tried])
    return out
