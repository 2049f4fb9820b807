"""The public pool (公海) as each person may use it: the list, claims, assignments, releases and
the recycling of neglected customers (:mod:`tierwise.playbook.pool` holds the rules).

Who sees the pool: an admin (or viewer) all of it; a manager the customers of their department
and those without one; a rep those of their own department (all of it when the reps table
gives them none) and those without one. A rep claims for themself; a manager assigns to a rep
of their department, an admin to any rep. A rep releases their own customers, a manager those
of their department.
"""

from __future__ import annotations

import builtins
from datetime import date
from typing import Any

from tierwise.access import roles
from tierwise.errors import ConfigError, ForbiddenError, NotFoundError
from tierwise.playbook import pool as pl
from tierwise.services.base import Service, check_page, checked_text, helper, operation
from tierwise.store.keys import customers_in_args, customers_in_sql


class Pool(Service):
    """The pool's customers the actor may see and move."""

    def _where(self) -> tuple[str, builtins.list[Any]]:
        """The pool rows the actor sees, as a condition on ``c`` (the customer)."""
        a = self.actor
        if a.role in ("admin", "viewer"):
            return "TRUE", []
        if a.role == "manager":
            if a.department is None:
                return "FALSE", []
            return "(c.department = ? OR c.department IS NULL)", [a.department]
        if a.rep_id is None:
            return "FALSE", []
        row = self.db.con.execute("SELECT department FROM reps WHERE rep_id = ?", [a.rep_id]).fetchone()
        if row is None or row[0] is None:
            return "TRUE", []
        return "(c.department = ? OR c.department IS NULL)", [row[0]]

    @helper("a rep opens the page of a pool customer they may claim (the customer is in nobody's scope)")
    def sees(self, customer_id: str) -> bool:
        """Whether ``customer_id`` is in the part of the pool the actor sees."""
        if not roles.can(self.actor, "pool.read"):
            return False
        where, params = self._where()
        row = self.db.con.execute(f"SELECT count(*) FROM pool p JOIN customers c USING (customer_id) "
                                  f"WHERE p.customer_id = ? AND c.rep_id IS NULL AND {where}",
                                  [customer_id, *params]).fetchone()
        return bool(row and row[0])

    @operation(cli="pool list", api="GET /api/pool")
    def list(self, *, q: str | None = None, customer_id: str | None = None, page: int = 1,
             page_size: int = 50, lang: str | None = None) -> dict[str, Any]:
        """The pool's customers the actor may see (``q``: id or name contains; ``customer_id``:
        that one), longest in the pool first: since when, whose they were, why they came (the
        rule, or the release's reason), until when their previous owner may not claim them,
        revenue and last order."""
        self._require("pool.read")
        checked_text(q=q, customer_id=customer_id)
        check_page(page, page_size)
        where, params = self._where()
        if customer_id:
            where, params = where + " AND p.customer_id = ?", [*params, customer_id]
        if q:
            where += " AND (contains(lower(p.customer_id), ?) OR contains(lower(c.name), ?))"
            params = [*params, q.strip().lower(), q.strip().lower()]
        from tierwise.schemes.facts import figures_source

        snapshot, window = figures_source(self.db.con)
        named = {"snapshot": snapshot, "window": window, **{f"p{i}": v for i, v in enumerate(params)}}
        sql = pl.pool_sql(_named(where))
        total = self.db.con.execute(f"SELECT count(*) FROM ({sql})", named).fetchone()
        language = self._lang(lang)
        rows = self.db.con.execute(
            f"SELECT * FROM ({sql}) ORDER BY since, customer_id LIMIT $limit OFFSET $offset",
            {**named, "limit": page_size, "offset": (page - 1) * page_size}).fetch_arrow_table().to_pylist()
        items = []
        for r in rows:
            en, zh = r.pop("reason_en"), r.pop("reason_zh")
            r["reason"] = zh if language == "zh" else en
            items.append(r)
        return {"items": items, "total": int(total[0]) if total else 0, "page": page, "page_size": page_size}

    @operation(cli="pool claim", api="POST /api/pool/claim")
    def claim(self, customer_ids: builtins.list[str], *, rep_id: str | None = None,
              on: date | None = None) -> pl.Moved:
        """Take ``customer_ids`` from the pool: a rep for themself (the classes' daily limit,
        ceiling and the previous owner's cooldown apply), a manager or admin for the rep
        ``rep_id`` (an assignment: the ceiling applies). All or none; each audited. The
        customers' tasks are made for the new rep at once."""
        from tierwise.playbook.task_store import refresh_customers

        self._require("pool.claim")
        checked_text(rep_id=rep_id, **{f"c{i}": c for i, c in enumerate(customer_ids[:pl.MAX_CUSTOMERS])})
        a = self.actor
        if a.role == "rep":
            if rep_id not in (None, a.rep_id):
                raise ForbiddenError("a rep claims for themself; a manager assigns to another rep / "
                                     "业务员只能为自己领取，分配给他人须由经理操作")
            if a.rep_id is None:
                raise ForbiddenError("your user has no rep id: ask an admin to set one / "
                                     "您的账号未关联业务员编号")
            target, own = a.rep_id, True
        else:
            if rep_id is None:
                raise ConfigError("name the rep the customers go to (--rep) / "
                                  "请用 --rep 指定接收客户的业务员")
            target, own = rep_id, False
            if a.role == "manager":
                row = self.db.con.execute("SELECT department FROM reps WHERE rep_id = ?", [rep_id]).fetchone()
                if row is not None and row[0] != a.department:
                    raise ForbiddenError(f"{rep_id} is not a rep of {a.department}: an admin assigns across "
                                         f"departments / {rep_id} 不属于本部门")
        self._check_visible(customer_ids)
        with self.db.transaction():
            moved = pl.claim(self.db, customer_ids, target, by=a.name, own=own, on=on)
            refresh_customers(self.db, list(moved.customer_ids), on)
        return moved

    @operation(cli="pool release", api="POST /api/pool/release")
    def release(self, customer_ids: builtins.list[str], *, reason: str, on: date | None = None) -> pl.Moved:
        """Return customers to the pool, saying why (a rep their own, a manager their
        department's, an admin any): their open tasks lapse; the previous owner waits the
        class's cooldown before claiming them back."""
        self._require("pool.release")
        checked_text(reason=reason, **{f"c{i}": c for i, c in enumerate(customer_ids[:pl.MAX_CUSTOMERS])})
        ids = builtins.list(dict.fromkeys(customer_ids))
        seen = self._visible(set(ids))
        missing = [i for i in ids if i not in seen]
        if missing:
            raise NotFoundError(f"no customer {', '.join(missing[:5])} / 没有客户 {', '.join(missing[:5])}")
        return pl.release(self.db, ids, by=self.actor.name, reason=reason, on=on)

    @operation(cli="pool recycle", api="POST /api/pool/recycle")
    def recycle(self, *, on: date | None = None, apply: bool = False,
                lang: str | None = None) -> pl.Recycling:
        """The customers whose class's pool rule has them back in the pool on ``on`` (default
        today): those a rule's days without a follow-up (or order) passed, warned at least the
        rule's warning days before; moved when ``apply`` (admins; the schedule does it daily
        when the ``pool_recycle`` setting is on), else previewed (managers too)."""
        self._require("pool.read")
        if apply:
            self._require("pool.recycle")
        elif self.actor.role not in ("admin", "manager"):
            raise ForbiddenError("the recycling preview is for managers and admins / "
                                 "仅经理和管理员可预览公海回收")
        scope = None
        if not self.actor.scope.everything:  # a manager previews their department's customers only
            scope = self._customers().customer_id.to_pyarrow().to_pylist()
        return pl.recycle(self.db, on or date.today(), apply=apply, by=self.actor.name, lang=self._lang(lang),
                          customers=scope)

    def _check_visible(self, customer_ids: builtins.list[str]) -> None:
        """Customers of the pool outside the actor's part of it are not found."""
        where, params = self._where()
        ids = builtins.list(dict.fromkeys(customer_ids))
        if where == "TRUE":
            return
        seen = {r[0] for r in self.db.con.execute(
            f"SELECT c.customer_id FROM customers c WHERE {customers_in_sql('c')} AND {where}",
            [*customers_in_args(ids), *params]).fetchall()}
        missing = [i for i in ids if i not in seen]
        if missing:
            raise NotFoundError(f"not in the public pool: {', '.join(missing[:5])} / 不在公海中："
                                f"{', '.join(missing[:5])}")


def _named(where: str) -> str:
    """``where`` with its ``?`` marks as the named parameters ``$p0``, ``$p1`` …"""
    parts = where.split("?")
    return "".join(p + (f"$p{i}" if i < len(parts) - 1 else "") for i, p in enumerate(parts))

