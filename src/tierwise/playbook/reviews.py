"""Grade reviews: the ``review`` tasks of :mod:`tierwise.playbook.tasks`.

Two things put a customer's grade up for review (METHODS.md M11: new customers get a
provisional grade and are re-assessed after six months):

- a **provisional grade** (first order younger than the ``provisional_months`` setting at the
  as-of date) is due on the day the customer reaches that age;
- a class whose playbook sets ``review_after_days`` is due that many days after the customer
  **entered the class**: the as-of date of the first classification of their current unbroken
  run in it (a classification that gave another class in between starts the count again).

Either fires once: it goes (and :func:`~tierwise.playbook.task_store.sync_tasks` closes it) when
a classification at or after the due day settles the grade. A customer gets one review task
at a time, the earliest due.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.compute as pc

from tierwise.metrics.expr import day_number
from tierwise.playbook.task_kinds import PARTS, _date_text, _join, _lit

if TYPE_CHECKING:
    from tierwise.playbook.inputs import Inputs


def review_tasks(
    src: Inputs, current: ir.Table, books: ir.Table, books_pa: pa.Table, months: int
) -> ir.Table:
    """One review task per customer due for one (columns :data:`~tierwise.playbook.tasks.PARTS`).

    ``current``: the current classes (``customer_id``, ``scheme``, ``klass``, ``as_dn``,
    ``provisional_dn``, ``first_order``); ``books``: the playbook of every current class (its
    ``review`` column is ``review_after_days``), ``books_pa`` the same as Arrow.
    """
    parts = [_provisional(current, months)]
    reviewed = books_pa.filter(pc.is_valid(books_pa["review"]))
    if reviewed.num_rows:
        schemes = sorted(set(reviewed["scheme"].to_pylist()))
        parts.append(_class_reviews(src, current, books, schemes))
    t = ibis.union(*(p.select(*PARTS) for p in parts))
    ranked = t.mutate(rn=ibis.row_number().over(group_by=t.customer_id, order_by=[t.due_dn, t.task_id]))
    return ranked.filter(ranked.rn == 0).drop("rn")


def _provisional(current: ir.Table, months: int) -> ir.Table:
    t = current.filter(current.provisional_dn.notnull())
    t = t.group_by("customer_id").agg(due_dn=t.provisional_dn.min(), first=t.first_order.min())
    first = t.first.cast("string")
    return t.select(
        task_id=_join("review:", t.customer_id, ":", _date_text(t.due_dn)), kind=_lit("review"),
        customer_id=t.customer_id, to_manager=ibis.literal(False), due_dn=t.due_dn, since_dn=t.due_dn,
        base_priority=ibis.literal(4, "int64"), scheme=ibis.null("string"), **{"class": ibis.null("string")},
        reason_en=_join("provisional grade due for review: first order ", first, ", ", str(months),
                        " months on ", _date_text(t.due_dn), "; the next classification settles it"),
        reason_zh=_join("暂定等级到期复评：首单 ", first, "，", _date_text(t.due_dn), " 满 ", str(months),
                        " 个月；下次分类时确定等级"))


def _class_reviews(src: Inputs, current: ir.Table, books: ir.Table, schemes: list[str]) -> ir.Table:
    """Customers in a class with ``review_after_days``, due that long after they entered it."""
    b = books.filter(books.review.notnull())
    # the classes of those schemes first: the join with their books probed every scheme's classes
    # (13.7M for a million customers; 10 s, busy machine)
    cur = current.filter(current.scheme.isin(schemes))
    cur = cur.join(b, [cur.scheme == b.scheme, cur.klass == b["class"]])
    cur = cur.select("customer_id", "scheme", "klass", "as_dn", "review", "label_en", "label_zh", "title_en",
                     "title_zh", "priority")
    # the class history of those customers in those schemes, up to the current classification
    snaps = src.table("snapshots")
    snaps = snaps.select("snapshot_id", s_dn=day_number(snaps.as_of))
    hist = src.table("classes")
    hist = hist.filter(hist.scheme.isin(schemes)).select("snapshot_id", "scheme", "customer_id",
                                                         h_class=hist["class"])
    h = hist.join(snaps, "snapshot_id").join(cur, ["customer_id", "scheme"])
    h = h.filter(h.s_dn <= h.as_dn)
    other = h.group_by(["customer_id", "scheme"]).agg(last_other=h.s_dn.max(where=h.h_class != h.klass))
    h = h.join(other, ["customer_id", "scheme"])
    run = h.filter((h.h_class == h.klass) & (h.last_other.isnull() | (h.s_dn > h.last_other)))
    entered = run.group_by(["customer_id", "scheme"]).agg(entered_dn=run.s_dn.min())
    t = cur.join(entered, ["customer_id", "scheme"])
    t = t.mutate(due_dn=t.entered_dn + t.review)
    t = t.filter(t.due_dn > t.as_dn)  # a classification at or after the due day has settled it
    since, due = _date_text(t.entered_dn), _date_text(t.due_dn)
    return t.select(
        task_id=_join("review:", t.scheme, ":", t.klass, ":", t.customer_id, ":", due), kind=_lit("review"),
        customer_id=t.customer_id, to_manager=ibis.literal(False), due_dn=t.due_dn, since_dn=t.due_dn,
        base_priority=t.priority.fill_null(4), scheme=t.scheme, **{"class": t.klass},
        reason_en=_join("grade review due ", due, ": ", t.label_en, " (", t.title_en, ") since ", since,
                        ", reviewed after ", t.review, " days; the next classification settles it"),
        reason_zh=_join("等级复评到期 ", due, "：自 ", since, " 起为", t.label_zh, "（", t.title_zh, "），",
                        t.review, " 天后复评；下次分类时确定等级"))
