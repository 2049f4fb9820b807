"""Daily digests as people manage them: each rep's channel (a WeCom or DingTalk group robot,
or e-mail), and sending the day's digests, or previewing them (:mod:`tierwise.playbook.digest`
composes and sends)."""

from __future__ import annotations

import builtins
from datetime import date, datetime
from typing import Any

from tierwise.errors import ConfigError, NotFoundError
from tierwise.playbook import digest as dg
from tierwise.services.base import Service, checked_text, operation
from tierwise.store.audit import record

MAX_REPS = 10_000


class Digests(Service):
    """Where each rep's daily digest goes, and sending it."""

    @operation(cli="digest channels", api="GET /api/digests/channels")
    def channels(self) -> builtins.list[dict[str, Any]]:
        """Each rep's digest channel (admins and managers), the webhook's key hidden."""
        self._require("reports.build")
        rows = self.db.con.execute("SELECT d.rep_id, r.name, d.channel, d.address, d.secret IS NOT NULL, "
                                   "d.changed_by, d.changed_at FROM digest_channels d LEFT JOIN reps r "
                                   "USING (rep_id) ORDER BY d.rep_id").fetchall()
        return [{"rep_id": r[0], "name": r[1], "channel": r[2], "to": dg.masked(r[3]), "signed": r[4],
                 "changed_by": r[5], "changed_at": r[6].isoformat(sep=" ") if r[6] else None} for r in rows]

    @operation(cli="digest set", api="PUT /api/digests/channels/{rep_id}")
    def set_channel(self, rep_id: str, channel: str, address: str | None = None, *,
                    secret: str | None = None) -> dict[str, Any]:
        """Send ``rep_id``'s digest to a ``wecom`` or ``dingtalk`` robot's webhook (with the
        DingTalk robot's signing ``secret``) or to an ``email`` address; ``off`` stops it
        (admins; audited, the address's key not written out)."""
        self._require("users.manage")
        checked_text(rep_id=rep_id, channel=channel, secret=secret)
        if self.db.con.execute("SELECT count(*) FROM reps WHERE rep_id = ?", [rep_id]).fetchone() == (0,):
            raise NotFoundError(f"no rep {rep_id!r} in the reps table / 业务员表中没有 {rep_id}")
        old = self.db.con.execute("SELECT channel, address FROM digest_channels WHERE rep_id = ?",
                                  [rep_id]).fetchone()
        if channel == "off":
            new = None
        else:
            if not address:
                raise ConfigError("give the webhook or e-mail address / 请提供 Webhook 或邮箱地址")
            address = dg.check_address(channel, address)
            if secret is not None and channel != "dingtalk":
                raise ConfigError("--secret is the DingTalk robot's signing secret (加签) / "
                                  "--secret 仅用于钉钉加签")
            new = f"{channel} {dg.masked(address)}"
        with self.db.transaction() as con:
            con.execute("DELETE FROM digest_channels WHERE rep_id = ?", [rep_id])
            if channel != "off":
                con.execute("INSERT INTO digest_channels VALUES (?, ?, ?, ?, ?, ?)",
                            [rep_id, channel, address, secret or None, self.actor.name,
                             datetime.now().replace(microsecond=0)])
            record(con, actor=self.actor.name, action="digest.channel", subject=f"rep {rep_id}",
                   old=f"{old[0]} {dg.masked(old[1])}" if old else None, new=new, reason=None)
        return {"rep_id": rep_id, "channel": None if channel == "off" else channel,
                "to": None if channel == "off" or address is None else dg.masked(address)}

    @operation(cli="digest send", api="POST /api/digests")
    def send(self, *, on: date | None = None, reps: builtins.list[str] | None = None, dry_run: bool = False,
             lang: str | None = None) -> dict[str, Any]:
        """Compose each rep's digest of ``on`` (default today: their open tasks due by then,
        credit holds, customers about to go to the pool) and send it by their channel, one
        message per rep, a robot at most 20 a minute (admins; the schedule does it daily);
        ``dry_run`` only shows the messages and where they would go (managers too)."""
        if dry_run:
            self._require("reports.build")
        else:
            self._require("users.manage")
        checked_text(**{f"r{i}": r for i, r in enumerate((reps or [])[:MAX_REPS])})
        if reps is not None and len(reps) > MAX_REPS:
            raise ConfigError(f"{len(reps):,} reps at once; at most {MAX_REPS:,} / "
                              f"一次最多 {MAX_REPS:,} 位业务员")
        day = on or date.today()
        digests = dg.compose(self.db, day, reps=reps, lang=self._lang(lang))
        if not self.actor.scope.everything:  # a manager previews their department's reps
            mine = {r[0] for r in self.db.con.execute("SELECT rep_id FROM reps WHERE department = ?",
                                                      [self.actor.department]).fetchall()}
            digests = [d for d in digests if d.rep_id in mine]
        done = dg.deliver(self.db, digests, on=day, dry_run=dry_run)
        counts: dict[str, int] = {}
        for o in done:
            counts[o.status] = counts.get(o.status, 0) + 1
        return {"on": day.isoformat(), "dry_run": dry_run, "counts": counts,
                "messages": [o.to_json() for o in done]}
