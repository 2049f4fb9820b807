"""Customers as the actor may see them: the list (search, filters, sort, pages), exports, one
customer's page, and manual attributes (flags) on a customer."""

from __future__ import annotations

import builtins
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from tierwise.errors import ConfigError, ForbiddenError, NotFoundError
from tierwise.schemes import spec as sp
from tierwise.schemes.facts import current_snapshots, figures_source, one, rows
from tierwise.services.base import Service, check_page, checked_text, helper, operation
from tierwise.services.list_sql import LIST_SQL, MARK_LIMIT, MARK_OFFSET, ListSql
from tierwise.store.keys import KEYED_TABLES, customer_key, one_customer_args, one_customer_sql

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


def _check_sort(sort: str) -> str:
    """The column of ``sort`` (a :data:`SORTS` name, ``-`` first for descending)."""
    key = sort.lstrip("-")
    if key not in SORTS:
        raise ConfigError(
            f"sort {sort!r}: one of {', '.join(SORTS)} (a leading - sorts descending) / "
            f"排序字段应为 {', '.join(SORTS)}"
        )
    return key


class Customers(Service):
    """The customers in the actor's scope."""

    @helper("the scope narrows reports built from other services (charts)")
    def scope_ids(self) -> pa.Table | None:
        """The ids of the customers in scope (one column ``customer_id``), or None when the
        actor sees every customer; for reports that narrow their own queries."""
        if self.actor.scope.everything:
            return None
        return self._customers().select("customer_id").to_pyarrow()

    # -- the list ----------------------------------------------------------------------
    def _query(
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
        c = self._customers()
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
            cls = self.db.table("classes")
            cls = cls.filter((cls.snapshot_id == latest[scheme]) & (cls.scheme == scheme))
            if klass:
                cls = cls.filter(cls["class"].isin([k.strip() for k in klass.split(",")]))
            c = c.filter(c.customer_id.isin(cls.customer_id))
        return c, latest

    def _check_filters(
        self, *, scheme: str | None, klass: str | None, latest: dict[str, int] | None, **text: str | None
    ) -> dict[str, int]:
        """The checks of a customer query, before any is built; each scheme's current snapshot."""
        self._require("customers.read")
        checked_text(scheme=scheme, klass=klass, **text)
        latest = current_snapshots(self.db.con) if latest is None else latest
        if klass and not scheme:
            raise ConfigError("class needs scheme (e.g. scheme=abc&class=A) / 按类别筛选需要同时给出方案")
        if scheme and scheme not in latest:
            raise ConfigError(
                f"scheme {scheme!r} has not been classified; classified: "
                f"{', '.join(latest) or 'none'} / 方案 {scheme!r} 尚未分类"
            )
        if klass and scheme:  # a class the scheme does not have is a mistake, not "0 found"
            row = self.db.con.execute("SELECT spec_yaml, origin FROM snapshot_schemes WHERE snapshot_id = ? "
                                      "AND scheme = ?", [latest[scheme], scheme]).fetchone()
            spec = sp.load_stored(row[0], row[1]) if row else None
            wrong = [k.strip() for k in klass.split(",") if spec and k.strip() not in spec.class_ids()]
            if spec is not None and wrong:
                known = ", ".join(f"{c.id} ({c.label.en})" for c in spec.classes)
                raise ConfigError(f"class {', '.join(wrong)}: not a class of {scheme}; its classes: {known}"
                                  f" / 方案 {scheme} 没有类别 {', '.join(wrong)}，可选："
                                  f"{'、'.join(f'{c.id}（{c.label.zh}）' for c in spec.classes)}")
        return latest

    def _with_facts(self, c: ir.Table, latest: dict[str, int]) -> ir.Table:
        """``c`` with the facts of the current classification over its figures' window (revenue,
        orders, ...; see :mod:`tierwise.schemes.facts`), as LIST_COLUMNS."""
        facts = self.db.table("snapshot_customers")
        snapshot_id, window = figures_source(self.db.con) if latest else (None, None)
        if snapshot_id is not None:
            facts = facts.filter((facts.snapshot_id == snapshot_id) & (facts.window == window))
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

    @operation(cli="customers list", api="GET /api/customers")
    def list(
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
    ) -> dict[str, Any]:
        """One page of the customers in scope that match the filters, sorted by ``sort``
        (a :data:`SORTS` name, ``-`` first for descending), with ``total`` and each customer's
        current class in every classified scheme."""
        check_page(page, page_size)
        filters = {"q": q, "scheme": scheme, "klass": klass, "rep_id": rep_id, "department": department,
                   "region": region, "tag": tag}
        _check_sort(sort)
        latest = self._check_filters(latest=None, **filters)
        key = (str(self.db.path), self.actor.scope, tuple(filters.items()), sort,
               tuple(sorted(latest.items())))
        sql = LIST_SQL.get(key)
        if sql is None:
            sql = self._list_sql(filters, latest, sort)
            LIST_SQL.put(key, sql)
        con = self.db.con
        row = con.execute(sql.count).fetchone()
        total = int(row[0]) if row else 0
        items = con.execute(sql.page, [page_size, (page - 1) * page_size]).to_arrow_table().to_pylist()
        classes = self._classes_of([r["customer_id"] for r in items], latest)
        for item in items:
            item["classes"] = classes.get(item["customer_id"], {})
            for k in ("revenue", "outstanding", "overdue"):
                item[k] = float(item[k]) if item[k] is not None else None
        return {"items": items, "total": total, "page": page, "page_size": page_size, "sort": sort,
                "currency": self.db.currency}  # of the money in the items

    def _list_sql(self, filters: dict[str, Any], latest: dict[str, int], sort: str) -> ListSql:
        """The customer list's two queries, compiled once per filter: the count, and the page
        with ``?`` for its LIMIT and OFFSET (compiled with marker values, then swapped)."""
        c, _ = self._query(**filters, latest=latest)
        count = str(self.db.ibis.compile(c.count()))  # before the facts join: at most one row each
        if sort.lstrip("-") in ("customer_id", "name"):  # page on the customers alone, then add the facts
            page_rows = self._sorted(c, sort).limit(MARK_LIMIT, offset=MARK_OFFSET)
            t = self._sorted(self._with_facts(page_rows, latest), sort)
        else:
            t = self._sorted(self._with_facts(c, latest), sort).limit(MARK_LIMIT, offset=MARK_OFFSET)
        page = str(self.db.ibis.compile(t))
        marks = (f"LIMIT {MARK_LIMIT}", f"OFFSET {MARK_OFFSET}")
        if any(page.count(m) != 1 for m in marks):  # never guess: a marker must appear exactly once
            raise AssertionError(f"cannot find the page's LIMIT and OFFSET in {page[-300:]!r}")
        return ListSql(count, page.replace(marks[0], "LIMIT ?").replace(marks[1], "OFFSET ?"))

    @staticmethod
    def _sorted(t: ir.Table, sort: str) -> ir.Table:
        key = _check_sort(sort)
        column = t[key]
        order = ibis.desc(column) if sort.startswith("-") else ibis.asc(column)
        return t.order_by([order] if key == "customer_id" else [order, t.customer_id])

    @operation(cli="customers list", api="GET /api/exports/customers")
    def export(self, *, sort: str = "customer_id", lang: str | None = None, **filters: Any) -> pa.Table:
        """Every customer of the filter (no paging), for CSV / XLSX downloads, with the class in
        each scheme the list shows (main grade, value x loyalty, credit, lifecycle): a column
        per scheme titled in ``lang``, each cell the class and its label (``A 关键客户``)."""
        from tierwise.metrics.catalog import LABELS
        from tierwise.schemes import facts
        from tierwise.schemes.fmt import class_text
        from tierwise.services.reports import LIST_ROLES

        c, latest = self._query(**filters)
        t = self._with_facts(c, latest)
        lang = self._lang(lang)
        current = facts.current_schemes(self.db.con)
        shown = {s.name: s for s in (facts.with_role(current, role) for role in LIST_ROLES) if s is not None}
        for s in shown.values():
            k = self.db.table("classes")
            k = k.filter((k.snapshot_id == s.snapshot_id) & (k.scheme == s.name))
            labels = {x.id: f"{x.id} {x.label.en}" if lang != "zh" else class_text(x.id, x.label.zh, lang)
                      for x in s.spec.classes}
            title = s.spec.title.zh if lang == "zh" else s.spec.title.en
            k = k.select(_tw_id=k.customer_id, **{title: k["class"].substitute(labels)})
            t = t.left_join(k, t.customer_id == k._tw_id).drop("_tw_id")
        out = self._sorted(t, sort).to_pyarrow()
        if lang != "zh":
            return out
        names = {**LABELS, "orders": ("orders", "订单数"), "overdue": ("overdue", "逾期金额")}
        return out.rename_columns([names[n][1] if n in names else n for n in out.column_names])

    def _classes_of(
        self, ids: builtins.list[str], latest: dict[str, int] | None = None
    ) -> dict[str, dict[str, str]]:
        """``{customer_id: {scheme: class}}`` in each scheme's current snapshot (``latest``:
        scheme → snapshot, when the caller has it). ``ids`` must already be in scope."""
        if not ids:
            return {}
        latest = current_snapshots(self.db.con) if latest is None else latest
        if not latest:
            return {}
        pairs = pa.table({"snapshot_id": list(latest.values()), "scheme": list(latest)})
        con = self.db.con.cursor()
        try:
            con.register("_tw_current", pairs)
            con.register("_tw_ids", pa.table({"customer_id": ids}))
            # the snapshot ids as literals let DuckDB skip the row groups of older snapshots
            found = con.execute(
                "SELECT c.customer_id, c.scheme, c.class FROM classes c JOIN _tw_current k "
                "USING (snapshot_id, scheme) WHERE c.snapshot_id IN "
                f"({', '.join(str(int(v)) for v in set(latest.values()))}) "
                "AND c.customer_id IN (SELECT customer_id FROM _tw_ids)",
            ).fetchall()
        finally:
            con.close()
        out: dict[str, dict[str, str]] = {}
        for cid, scheme, klass in found:
            out.setdefault(cid, {})[scheme] = klass
        return {k: dict(sorted(v.items())) for k, v in out.items()}

    # -- one customer ------------------------------------------------------------------
    @operation(cli="customer show", api="GET /api/customers/{customer_id}")
    def get(self, customer_id: str, *, lang: str | None = None, timeline: int = 50) -> dict[str, Any]:
        """One customer: profile, facts of the current snapshot, class per scheme with its
        reason, class history, overrides, open tasks and the latest orders, payments and
        follow-ups (``timeline`` of each)."""
        from tierwise.schemes.store import (
            ONE_CUSTOMER,
            ONE_CUSTOMER_CLASSES_FROM,
            ONE_CUSTOMER_WHY,
            WHY_COLUMNS,
            fill_reason,
            history,
            one_customer_params,
            reason_sql,
        )

        lang = self._lang(lang)
        in_scope = True
        try:
            self._check_customer(customer_id)
        except NotFoundError:  # a pool customer the actor may claim is theirs to look at
            if not self._ws.pool.sees(customer_id):
                raise
            in_scope = False
        con = self.db.con
        # each table's rows of this customer first, by its customer key (store/keys.py)
        profile = one(con, f"SELECT * EXCLUDE (customer_key) FROM customers WHERE {one_customer_sql()}",
                      one_customer_args(customer_id))
        for k in ("import_id", "created_by_import"):
            profile.pop(k, None)
        latest = current_snapshots(con)
        classes: list[dict[str, Any]] = []
        facts: dict[str, Any] = {}
        if latest:
            snapshot_id, window = figures_source(con)
            facts = one(
                con,
                f"SELECT * EXCLUDE (customer_key) FROM snapshot_customers WHERE {one_customer_sql()} "
                'AND snapshot_id = ? AND "window" = ?',
                [customer_key(customer_id), customer_id, snapshot_id, window],
            )
            cur = con.cursor()
            try:
                cur.register(
                    "_tw_current", pa.table({"snapshot_id": list(latest.values()), "scheme": list(latest)})
                )
                classes = rows(
                    cur,
                    f"""{ONE_CUSTOMER}
                        SELECT c.scheme, c.class, c.computed_class, c.override_id, c.score,
                        s.as_of, f.provisional_until, {reason_sql(lang)} AS reason, x.spec_yaml, x.origin,
                        {ONE_CUSTOMER_WHY}
                        FROM {ONE_CUSTOMER_CLASSES_FROM} JOIN _tw_current k ON k.snapshot_id = c.snapshot_id
                        AND k.scheme = c.scheme ORDER BY c.scheme""",
                    one_customer_params(customer_id),
                )
            finally:
                cur.close()
            for c in classes:
                c["reason"] = fill_reason(c["reason"], lang, *(c.pop(k) for k in WHY_COLUMNS))
            _label(classes, lang)

        def latest_of(table: str, columns: str, order: str, limit: int | None = timeline,
                      where: str = "TRUE") -> list[dict[str, Any]]:
            # the tasks through their customer index; the rest by the customer's key (store/keys.py)
            keyed = table in KEYED_TABLES
            mine = one_customer_sql() if keyed else "customer_id = ?"
            return rows(con, f"WITH r AS MATERIALIZED (SELECT * FROM {table} WHERE {mine}) "
                             f"SELECT {columns} FROM r WHERE {where} ORDER BY {order}"
                             + (" LIMIT ?" if limit is not None else ""),
                        (one_customer_args(customer_id) if keyed else [customer_id])
                        + ([limit] if limit is not None else []))

        return {
            "customer": profile,
            "currency": self.db.currency,  # of every amount below
            "facts": facts,
            "classes": classes,
            "history": history(self.db, customer_id, lang=lang),
            "overrides": ([o.to_json() for o in self._ws.overrides.list(customer_id=customer_id)]
                          if in_scope else []),
            "tasks": latest_of(
                "tasks",
                "task_id, kind, due_date, priority, scheme, class, "
                f"reason_{'zh' if lang == 'zh' else 'en'} AS reason, status",
                "due_date, priority DESC", None, "status = 'open'"),
            "orders": latest_of("orders", "order_id, line_no, order_date, product_id, quantity, amount, "
                                "due_date, rep_id", "order_date DESC, order_id"),
            "payments": latest_of("payments", "payment_id, payment_date, amount, order_id",
                                  "payment_date DESC"),
            "activities": latest_of("activities", "activity_id, activity_date, kind, rep_id, outcome, note",
                                    "activity_date DESC"),
        }

    # -- handing customers over ---------------------------------------------------------
    @operation(cli="handover", api="POST /api/handovers")
    def handover(self, to: builtins.list[str], *, customer_ids: builtins.list[str] | None = None,
                 from_rep: str | None = None, reason: str | None = None, apply: bool = False) -> Any:
        """Hand customers (``customer_ids``, or all of ``from_rep``'s in scope) to the rep ``to``,
        or spread them over several by the room each has; previewed unless ``apply`` (managers:
        to reps of their department; admins). Open tasks follow; each customer audited with
        ``reason``; history, classes and overrides stay with the customer."""
        from tierwise.playbook import handover as ho

        self._require("customers.write")
        checked_text(from_rep=from_rep, reason=reason, **{f"to{i}": t for i, t in enumerate(to)})
        if self.actor.role == "manager":
            outside = [r[0] for r in self.db.con.execute(
                "SELECT rep_id FROM reps WHERE rep_id IN (SELECT unnest(?)) "
                "AND department IS DISTINCT FROM ?", [list(to), self.actor.department]).fetchall()]
            if outside:
                raise ForbiddenError(f"{', '.join(outside)} is not a rep of {self.actor.department}: an "
                                     f"admin hands customers across departments / "
                                     f"{', '.join(outside)} 不属于本部门")
        found = ho.plan(self.db, to, customer_ids=customer_ids, from_rep=from_rep, visible=self._visible)
        return ho.apply(self.db, found, by=self.actor.name, reason=reason or "") if apply else found

    # -- attributes set by hand --------------------------------------------------------
    @operation(cli="customer set", api="PUT /api/customers/{customer_id}/attributes/{key}")
    def set_attribute(self, customer_id: str, key: str, value: str | None, *, reason: str) -> dict[str, Any]:
        """Set the attribute ``key`` of a customer in scope to ``value`` (None clears it), such as
        the manager flags the B2B levels read (``flag``: strategic, key, distinguished, model,
        free; ``annual_agreement``); managers and admins. The next classification reads it; a
        re-import keeps it unless the file has that column. Audited with ``reason``."""
        from tierwise.data.attributes import set_attribute

        self._require("customers.write")
        checked_text(key=key, value=value)
        self._check_customer(customer_id)
        old, new = set_attribute(self.db, customer_id, key, value, by=self.actor.name, reason=reason)
        return {"customer_id": customer_id, "key": key, "old": old, "new": new}


def _label(classes: list[dict[str, Any]], lang: str) -> None:
    """Add each class's label, strategy and plan (what its playbook has the team do, or that
    its strategy is advice only) from the scheme text stored with its snapshot; drop the text."""
    for c in classes:
        spec = sp.load_stored(c.pop("spec_yaml"), c.pop("origin"))
        found = next((k for k in spec.classes if k.id == c["class"]), None)
        c["label"] = found.label.get(lang) if found is not None else c["class"]
        c["title"] = spec.title.get(lang)
        book = found.playbook if found is not None else None
        c["strategy"] = book.strategy.get(lang) if book is not None and book.strategy is not None else None
        c["plan"] = [zh if lang == "zh" else en for en, zh in book.plan()] if book is not None else []
        c["advice_only"] = bool(book is not None and book.advice_only)
