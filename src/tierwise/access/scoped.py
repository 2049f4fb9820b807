"""The workspace as one signed-in person sees it: every read narrowed to their scope, every
action checked against their role. The web pages and the JSON API only ever call this, so
no front end can show a customer outside the person's scope.

A record outside the scope answers exactly like a missing one (:class:`NotFoundError`), so
nobody learns that it exists; an action the role does not allow is a :class:`ForbiddenError`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from tierwise.access.list_sql import LIST_SQL, MARK_LIMIT, MARK_OFFSET, ListSql
from tierwise.errors import ConfigError, DataError, ForbiddenError, NotFoundError

if TYPE_CHECKING:
    from tierwise.access.users import User
    from tierwise.data.importer import ImportOptions, ImportSummary
    from tierwise.store.workspace import Workspace

PERMISSIONS: dict[str, tuple[str, ...]] = {
    # action: the roles allowed
    "customers.read": ("admin", "manager", "rep"),
    "activities.add": ("admin", "manager", "rep"),
    "overrides.propose": ("admin", "manager", "rep"),
    "overrides.decide": ("admin", "manager"),
    "credit.limit": ("admin", "manager"),
    "reports.read": ("admin", "manager", "rep", "viewer"),
    "schemes.read": ("admin", "manager", "rep", "viewer"),
    "schemes.save": ("admin",),
    "imports.run": ("admin",),
    "users.manage": ("admin",),
}
SORTS = ("customer_id", "name", "revenue", "orders", "last_order_date", "outstanding", "overdue")
LIST_COLUMNS = (
    "customer_id",
    "name",
    "rep_id",
    "department",
    "region",
    "revenue",
    "orders",
    "last_order_date",
    "outstanding",
    "overdue",
)
MAX_PAGE = 500


def latest_per_scheme(con: Any) -> dict[str, int]:
    """Each scheme's current snapshot: the one with the latest as-of date, then the latest run."""
    rows = con.execute(
        """SELECT x.scheme, x.snapshot_id FROM snapshot_schemes x JOIN snapshots s USING (snapshot_id)
           QUALIFY row_number() OVER (PARTITION BY x.scheme ORDER BY s.as_of DESC, x.snapshot_id DESC) = 1
           ORDER BY x.scheme"""
    ).fetchall()
    return {str(r[0]): int(r[1]) for r in rows}


def _check_sort(sort: str) -> str:
    """The column of ``sort`` (a :data:`SORTS` name, ``-`` first for descending)."""
    key = sort.lstrip("-")
    if key not in SORTS:
        raise ConfigError(
            f"sort {sort!r}: one of {', '.join(SORTS)} (a leading - sorts descending) / "
            f"排序字段应为 {', '.join(SORTS)}"
        )
    return key


def _checked_text(**values: str | None) -> None:
    """Refuse text with NUL or other control characters (no id, name or tag has them; the
    engine cannot hold NUL in a literal)."""
    for name, value in values.items():
        if value is not None and any(ord(ch) < 32 and ch not in "\t" for ch in value):
            raise ConfigError(f"{name}: control characters are not allowed / {name} 不能包含控制字符")


class ScopedWorkspace:
    """What ``user`` may see and do in ``ws``.

    Parameters
    ----------
    ws
        The workspace facade (one connection; the web app gives each request its own cursor).
    user
        The signed-in person; their role decides the actions, their scope the records.
    """

    def __init__(self, ws: Workspace, user: User) -> None:
        self.ws = ws
        self.user = user
        self.scope = user.scope

    # -- checks ------------------------------------------------------------------------
    def can(self, action: str) -> bool:
        return self.user.role in PERMISSIONS[action]

    def require(self, action: str) -> None:
        """Raise :class:`ForbiddenError` unless the user's role may do ``action``."""
        if not self.can(action):
            allowed = ", ".join(PERMISSIONS[action])
            raise ForbiddenError(
                f"a {self.user.role} cannot do {action} (allowed: {allowed}) / 当前角色无此权限"
            )

    def customers_table(self) -> ir.Table:
        """The customers this user may see, as an engine table."""
        return self.scope.customers(self.ws.table("customers"), self.ws.table("reps"))

    def check_customer(self, customer_id: str) -> None:
        """Raise :class:`NotFoundError` for a customer that is missing or out of scope."""
        self.require("customers.read")
        _checked_text(customer_id=customer_id)
        t = self.customers_table()
        if t.filter(t.customer_id == customer_id).count().execute() == 0:
            raise NotFoundError(f"no customer {customer_id!r} / 没有客户 {customer_id!r}")

    # -- customers ---------------------------------------------------------------------
    def _customer_query(
        self,
        *,
        q: str | None = None,
        scheme: str | None = None,
        klass: str | None = None,
        rep_id: str | None = None,
        department: str | None = None,
        region: str | None = None,
        tag: str | None = None,
        latest: dict[str, int] | None = None,
    ) -> tuple[ir.Table, dict[str, int]]:
        """The customers in scope that match the filters, and each scheme's current snapshot
        (``latest``, when the caller has read it)."""
        latest = self._check_filters(
            q=q, scheme=scheme, klass=klass, rep_id=rep_id, department=department, region=region, tag=tag,
            latest=latest,
        )
        c = self.customers_table()
        if q:
            needle = q.strip().lower()
            c = c.filter(c.customer_id.lower().contains(needle) | c.name.lower().contains(needle))
        for column, value in (("rep_id", rep_id), ("department", department), ("region", region)):
            if value:
                c = c.filter(c[column] == value)
        if tag:
            if "flag" not in c.columns:
                raise ConfigError("tag: the customers data has no flag/tag column / 客户数据没有标记列")
            c = c.filter(c.flag.lower().contains(tag.strip().lower()))
        if scheme:
            cls = self.ws.table("classes")
            cls = cls.filter((cls.snapshot_id == latest[scheme]) & (cls.scheme == scheme))
            if klass:
                cls = cls.filter(cls["class"].isin([k.strip() for k in klass.split(",")]))
            c = c.filter(c.customer_id.isin(cls.customer_id))
        return c, latest

    def _check_filters(
        self, *, scheme: str | None, klass: str | None, latest: dict[str, int] | None, **text: str | None
    ) -> dict[str, int]:
        """The checks of a customer query, before any is built; each scheme's current snapshot."""
        self.require("customers.read")
        _checked_text(scheme=scheme, klass=klass, **text)
        latest = latest_per_scheme(self.ws.con) if latest is None else latest
        if klass and not scheme:
            raise ConfigError("class needs scheme (e.g. scheme=abc&class=A) / 按类别筛选需要同时给出方案")
        if scheme and scheme not in latest:
            raise ConfigError(
                f"scheme {scheme!r} has not been classified; classified: "
                f"{', '.join(latest) or 'none'} / 方案 {scheme!r} 尚未分类"
            )
        return latest

    def _with_facts(self, c: ir.Table, latest: dict[str, int]) -> ir.Table:
        """``c`` with the facts of the newest snapshot (revenue, orders, ...), as LIST_COLUMNS."""
        con = self.ws.con
        facts = self.ws.table("snapshot_customers")
        if latest:
            newest = max(latest.values())
            facts = facts.filter(facts.snapshot_id == newest)
            window = con.execute(
                'SELECT min("window") FROM snapshot_schemes WHERE snapshot_id = ?', [newest]
            ).fetchone()
            facts = facts.filter(facts.window == (window[0] if window else "12m"))
        else:
            facts = facts.filter(ibis.literal(False))
        facts = facts.select(
            f_id=facts.customer_id,
            revenue=facts.revenue,
            orders=facts.order_count,
            last_order_date=facts.last_order_date,
            outstanding=facts.outstanding,
            overdue=facts.overdue_amount,
        )
        joined = c.left_join(facts, c.customer_id == facts.f_id)
        return joined.select(*[joined[k] for k in LIST_COLUMNS])

    def customers(
        self,
        *,
        q: str | None = None,
        scheme: str | None = None,
        klass: str | None = None,
        rep_id: str | None = None,
        department: str | None = None,
        region: str | None = None,
        tag: str | None = None,
        sort: str = "customer_id",
        page: int = 1,
        page_size: int = 50,
        lang: str = "en",
    ) -> dict[str, Any]:
        """One page of the customers in scope that match the filters, sorted by ``sort``
        (a :data:`SORTS` name, ``-`` first for descending), with ``total`` and each customer's
        current class in every classified scheme."""
        if page < 1 or not 1 <= page_size <= MAX_PAGE:
            raise ConfigError(
                f"page starts at 1 and page_size is 1 to {MAX_PAGE} / 页码从 1 开始，每页 1 到 {MAX_PAGE} 条"
            )
        filters = {"q": q, "scheme": scheme, "klass": klass, "rep_id": rep_id, "department": department,
                   "region": region, "tag": tag}
        _check_sort(sort)
        latest = self._check_filters(latest=None, **filters)
        key = (str(self.ws.path), self.scope, tuple(filters.items()), sort, tuple(sorted(latest.items())))
        sql = LIST_SQL.get(key)
        if sql is None:
            sql = self._list_sql(filters, latest, sort)
            LIST_SQL.put(key, sql)
        con = self.ws.con
        row = con.execute(sql.count).fetchone()
        total = int(row[0]) if row else 0
        items = con.execute(sql.page, [page_size, (page - 1) * page_size]).to_arrow_table().to_pylist()
        classes = self.classes_of([r["customer_id"] for r in items], latest)
        for item in items:
            item["classes"] = classes.get(item["customer_id"], {})
            for k in ("revenue", "outstanding", "overdue"):
                item[k] = float(item[k]) if item[k] is not None else None
        return {"items": items, "total": total, "page": page, "page_size": page_size, "sort": sort}

    def _list_sql(self, filters: dict[str, Any], latest: dict[str, int], sort: str) -> ListSql:
        """The customer list's two queries, compiled once per filter: the count, and the page
        with ``?`` for its LIMIT and OFFSET (compiled with marker values, then swapped)."""
        c, _ = self._customer_query(**filters, latest=latest)
        count = str(self.ws.ibis.compile(c.count()))  # before the facts join: at most one row each
        if sort.lstrip("-") in ("customer_id", "name"):  # page on the customers alone, then add the facts
            page_rows = self._sorted(c, sort).limit(MARK_LIMIT, offset=MARK_OFFSET)
            t = self._sorted(self._with_facts(page_rows, latest), sort)
        else:
            t = self._sorted(self._with_facts(c, latest), sort).limit(MARK_LIMIT, offset=MARK_OFFSET)
        page = str(self.ws.ibis.compile(t))
        marks = (f"LIMIT {MARK_LIMIT}", f"OFFSET {MARK_OFFSET}")
        if any(page.count(m) != 1 for m in marks):  # never guess: a marker must appear exactly once
            raise AssertionError(f"cannot find the page's LIMIT and OFFSET in {page[-300:]!r}")
        return ListSql(count, page.replace(marks[0], "LIMIT ?").replace(marks[1], "OFFSET ?"))

    def _sorted(self, t: ir.Table, sort: str) -> ir.Table:
        key = _check_sort(sort)
        column = t[key]
        order = ibis.desc(column) if sort.startswith("-") else ibis.asc(column)
        return t.order_by([order] if key == "customer_id" else [order, t.customer_id])

    def export_customers(self, **filters: Any) -> pa.Table:
        """Every customer of the filter (no paging), for CSV / XLSX downloads."""
        sort = filters.pop("sort", "customer_id")
        c, latest = self._customer_query(**filters)
        return self._sorted(self._with_facts(c, latest), sort).to_pyarrow()

    def classes_of(self, ids: list[str], latest: dict[str, int] | None = None) -> dict[str, dict[str, str]]:
        """``{customer_id: {scheme: class}}`` in each scheme's current snapshot (``latest``:
        scheme → snapshot, when the caller has it)."""
        if not ids:
            return {}
        latest = latest_per_scheme(self.ws.con) if latest is None else latest
        if not latest:
            return {}
        pairs = pa.table({"snapshot_id": list(latest.values()), "scheme": list(latest)})
        con = self.ws.con.cursor()
        try:
            con.register("_tw_current", pairs)
            con.register("_tw_ids", pa.table({"customer_id": ids}))
            # the snapshot ids as literals let DuckDB skip the row groups of older snapshots
            rows = con.execute(
                "SELECT c.customer_id, c.scheme, c.class FROM classes c JOIN _tw_current k "
                "USING (snapshot_id, scheme) WHERE c.snapshot_id IN "
                f"({', '.join(str(int(v)) for v in set(latest.values()))}) "
                "AND c.customer_id IN (SELECT customer_id FROM _tw_ids)",
            ).fetchall()
        finally:
            con.close()
        out: dict[str, dict[str, str]] = {}
        for cid, scheme, klass in rows:
            out.setdefault(cid, {})[scheme] = klass
        return {k: dict(sorted(v.items())) for k, v in out.items()}

    def customer(self, customer_id: str, *, lang: str = "en", timeline: int = 50) -> dict[str, Any]:
        """One customer: profile, facts of the current snapshot, class per scheme with its
        reason, class history, overrides, open tasks and the latest orders, payments and
        follow-ups (``timeline`` of each)."""
        from tierwise.schemes.overrides import list_overrides
        from tierwise.schemes.store import CLASSES_FROM, history, reason_sql

        self.check_customer(customer_id)
        con = self.ws.con
        profile = _one(con, "SELECT * FROM customers WHERE customer_id = ?", [customer_id])
        for k in ("import_id", "created_by_import"):
            profile.pop(k, None)
        latest = latest_per_scheme(con)
        classes: list[dict[str, Any]] = []
        facts: dict[str, Any] = {}
        if latest:
            facts = _one(
                con,
                "SELECT * FROM snapshot_customers WHERE snapshot_id = ? AND customer_id = ? "
                'ORDER BY "window" LIMIT 1',
                [max(latest.values()), customer_id],
            )
            cur = con.cursor()
            try:
                cur.register(
                    "_tw_current", pa.table({"snapshot_id": list(latest.values()), "scheme": list(latest)})
                )
                classes = _all(
                    cur,
                    f"""SELECT c.scheme, c.class, c.computed_class, c.override_id, c.score,
                        s.as_of, f.provisional_until, {reason_sql(lang)} AS reason, x.spec_yaml, x.origin
                        FROM {CLASSES_FROM} JOIN _tw_current k ON k.snapshot_id = c.snapshot_id
                        AND k.scheme = c.scheme WHERE c.customer_id = ? ORDER BY c.scheme""",
                    [customer_id],
                )
            finally:
                cur.close()
            _label(classes, lang)
        tasks = _all(
            con,
            "SELECT task_id, kind, due_date, priority, scheme, class, "
            f"reason_{'zh' if lang == 'zh' else 'en'} AS reason, status FROM tasks "
            "WHERE customer_id = ? AND status = 'open' ORDER BY due_date, priority DESC",
            [customer_id],
        )
        return {
            "customer": profile,
            "facts": facts,
            "classes": classes,
            "history": history(self.ws, customer_id, lang=lang),
            "overrides": [o.to_json() for o in list_overrides(self.ws, customer=customer_id)],
            "tasks": tasks,
            "orders": _all(
                con,
                "SELECT order_id, line_no, order_date, product_id, quantity, amount, due_date, rep_id "
                "FROM orders "
                "WHERE customer_id = ? ORDER BY order_date DESC, order_id LIMIT ?",
                [customer_id, timeline],
            ),
            "payments": _all(
                con,
                "SELECT payment_id, payment_date, amount, order_id FROM payments "
                "WHERE customer_id = ? ORDER BY payment_date DESC LIMIT ?",
                [customer_id, timeline],
            ),
            "activities": _all(
                con,
                "SELECT activity_id, activity_date, kind, rep_id, outcome, note FROM activities "
                "WHERE customer_id = ? ORDER BY activity_date DESC LIMIT ?",
                [customer_id, timeline],
            ),
        }

    # -- tasks and follow-ups ----------------------------------------------------------
    def tasks(
        self,
        *,
        status: str = "open",
        due_by: date | None = None,
        rep_id: str | None = None,
        kind: str | None = None,
        customer_id: str | None = None,
        lang: str = "en",
        page: int = 1,
        page_size: int = 100,
    ) -> dict[str, Any]:
        """Stored tasks of the customers in scope (a rep: theirs; a manager: the department's),
        by due date then priority."""
        self.require("customers.read")
        _checked_text(rep_id=rep_id, kind=kind, customer_id=customer_id)
        if status not in ("open", "done", "lapsed", "all"):
            raise ConfigError(
                f"status {status!r}: open, done, lapsed or all / 状态应为 open、done、lapsed 或 all"
            )
        if page < 1 or not 1 <= page_size <= MAX_PAGE:
            raise ConfigError(f"page starts at 1 and page_size is 1 to {MAX_PAGE} / 页码从 1 开始")
        t = self.ws.table("tasks")
        t = t.filter(t.customer_id.isin(self.customers_table().customer_id))
        if status != "all":
            t = t.filter(t.status == status)
        for column, value in (("rep_id", rep_id), ("kind", kind), ("customer_id", customer_id)):
            if value:
                t = t.filter(t[column] == value)
        if due_by is not None:
            t = t.filter(t.due_date <= due_by)
        total = int(t.count().execute())
        t = t.select(
            "task_id",
            "kind",
            "customer_id",
            "customer_name",
            "rep_id",
            "department",
            "due_date",
            "priority",
            "overdue_days",
            "scheme",
            "class",
            "status",
            "closed_on",
            "closed_by_activity",
            reason=t.reason_zh if lang == "zh" else t.reason_en,
        )
        t = t.order_by([t.due_date, ibis.desc(t.priority), t.task_id])
        items = t.limit(page_size, offset=(page - 1) * page_size).to_pyarrow().to_pylist()
        return {"items": items, "total": total, "page": page, "page_size": page_size}

    def log_activity(
        self, customer_id: str, kind: str, *, day: date | None = None, note: str | None = None
    ) -> dict[str, Any]:
        """Log a follow-up with an in-scope customer (a rep logs it as themselves); the open
        tasks it does close."""
        from tierwise.playbook.activity import add_activity

        self.require("activities.add")
        self.check_customer(customer_id)
        rep = self.user.rep_id if self.user.role == "rep" else None
        return add_activity(self.ws, customer_id, kind, day=day or date.today(), rep=rep, note=note)

    # -- overrides ---------------------------------------------------------------------
    def overrides(self, *, status: str | None = None, customer_id: str | None = None) -> list[dict[str, Any]]:
        """Overrides of the customers in scope, newest first."""
        from tierwise.schemes.overrides import list_overrides

        self.require("customers.read")
        if customer_id:
            self.check_customer(customer_id)
        found = list_overrides(self.ws, customer=customer_id, status=status)
        visible = self._visible({o.customer_id for o in found})
        return [o.to_json() for o in found if o.customer_id in visible]

    def _visible(self, ids: set[str]) -> set[str]:
        if self.scope.everything or not ids:
            return ids
        t = self.customers_table()
        return set(t.filter(t.customer_id.isin(sorted(ids))).customer_id.to_pyarrow().to_pylist())

    def propose_override(
        self, customer_id: str, scheme: str, klass: str, *, reason: str, until: date | None = None
    ) -> dict[str, Any]:
        from tierwise.schemes.overrides import propose

        self.require("overrides.propose")
        self.check_customer(customer_id)
        return propose(
            self.ws, customer_id, scheme, klass, reason=reason, by=self.user.name, until=until
        ).to_json()

    def _override_in_scope(self, override_id: int) -> None:
        row = self.ws.con.execute(
            "SELECT customer_id FROM overrides WHERE override_id = ?", [override_id]
        ).fetchone()
        if row is None or not self._visible({str(row[0])}):
            raise NotFoundError(f"no override {override_id} / 没有调整 {override_id}")

    def approve_override(self, override_id: int, *, note: str | None = None) -> dict[str, Any]:
        from tierwise.schemes.overrides import approve

        self._override_in_scope(override_id)
        self.require("overrides.decide")
        return approve(self.ws, override_id, by=self.user.name, note=note).to_json()

    def reject_override(self, override_id: int, *, reason: str) -> dict[str, Any]:
        from tierwise.schemes.overrides import reject

        self._override_in_scope(override_id)
        self.require("overrides.decide")
        return reject(self.ws, override_id, by=self.user.name, reason=reason).to_json()

    # -- credit ------------------------------------------------------------------------
    def set_credit_limit(self, customer_id: str, limit: str | None, *, reason: str) -> dict[str, Any]:
        """Set an in-scope customer's credit limit (managers and admins; audited with the reason);
        ``None`` or ``none`` removes it."""
        from tierwise.playbook.credit import set_credit_limit

        self.check_customer(customer_id)
        self.require("credit.limit")
        value = None if limit is None or limit.strip().lower() in ("none", "") else limit
        old, new = set_credit_limit(self.ws, customer_id, value, by=self.user.name, reason=reason)
        return {
            "customer_id": customer_id,
            "old": float(old) if old is not None else None,
            "new": float(new) if new is not None else None,
        }

    # -- schemes, reports, imports -----------------------------------------------------
    def schemes(self, *, lang: str = "en") -> list[dict[str, Any]]:
        from tierwise.schemes.registry import catalog_rows

        self.require("schemes.read")
        rows = catalog_rows(self.ws.path, self.ws, lang)
        latest = latest_per_scheme(self.ws.con)
        for r in rows:
            r["snapshot_id"] = latest.get(r["name"])
        return rows

    def sales(
        self,
        by: list[str],
        *,
        period: str = "month",
        start: date | None = None,
        end: date | None = None,
        scheme: str | None = None,
    ) -> pa.Table:
        """Sales of the customers in scope (a viewer and an admin: the company's)."""
        from tierwise.reports.sales import sales

        self.require("reports.read")
        return sales(self.ws, by, period=period, start=start, end=end, scheme=scheme, scope=self.scope)

    def import_file(self, table: str, path: Path, options: ImportOptions | None = None) -> ImportSummary:
        self.require("imports.run")
        return self.ws.import_file(table, path, options)


def _all(con: Any, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cur = con.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def _one(con: Any, sql: str, params: list[Any]) -> dict[str, Any]:
    rows = _all(con, sql, params)
    return rows[0] if rows else {}


def _label(classes: list[dict[str, Any]], lang: str) -> None:
    """Add each class's label from the scheme text stored with its snapshot; drop the text."""
    from tierwise.schemes import spec as sp

    specs: dict[tuple[str, str], sp.SchemeSpec] = {}
    for c in classes:
        key = (c.pop("spec_yaml"), c.pop("origin"))
        spec = specs[key] if key in specs else specs.setdefault(key, sp.load_text(*key))
        c["label"] = next((k.label.get(lang) for k in spec.classes if k.id == c["class"]), c["class"])
        c["title"] = spec.title.get(lang)


class UserAdmin:
    """Managing users and tokens while the server holds the workspace (admins only)."""

    def __init__(self, desk: ScopedWorkspace) -> None:
        desk.require("users.manage")
        self.ws, self.by = desk.ws, desk.user.name

    def list(self) -> list[dict[str, Any]]:
        from tierwise.access.users import list_tokens, list_users

        tokens = list_tokens(self.ws)
        out = []
        for u in list_users(self.ws):
            item = u.to_json()
            item["tokens"] = sum(1 for t in tokens if t["user"] == u.name and t["revoked_at"] is None)
            out.append(item)
        return out

    def add(
        self,
        name: str,
        role: str,
        *,
        password: str,
        department: str | None = None,
        rep_id: str | None = None,
        lang: str = "en",
    ) -> dict[str, Any]:
        from tierwise.access.users import add_user

        return add_user(
            self.ws,
            name,
            role,
            password=password,
            by=self.by,
            department=department,
            rep_id=rep_id,
            lang=lang,
        ).to_json()

    def change(self, name: str, **changes: Any) -> dict[str, Any]:
        from tierwise.access.users import change_user, get_user

        try:
            get_user(self.ws, name)
        except DataError:
            raise NotFoundError(f"no user {name!r} / 没有用户 {name!r}") from None
        return change_user(self.ws, name, by=self.by, **changes).to_json()

    def token(self, name: str) -> dict[str, Any]:
        from tierwise.access.users import create_token, get_user

        try:
            get_user(self.ws, name)
        except DataError:
            raise NotFoundError(f"no user {name!r} / 没有用户 {name!r}") from None
        token_id, secret = create_token(self.ws, name, by=self.by)
        return {"token_id": token_id, "user": name, "token": secret}

    def revoke(self, token_id: int) -> None:
        from tierwise.access.users import list_tokens, revoke_token

        if not any(t["token_id"] == token_id for t in list_tokens(self.ws)):
            raise NotFoundError(f"no token {token_id} / 没有令牌 {token_id}")
        revoke_token(self.ws, token_id, by=self.by)
