"""Who could take what: an over-loaded rep's suggested hand-overs and the top-class customers
without a rep, each with the rep of its department who has room (the rules: the module
docstring of :mod:`tierwise.playbook.workload`, "Suggested moves")."""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from tierwise.playbook import workload as wl

if TYPE_CHECKING:
    from tierwise.playbook.workload import RepLoad
    from tierwise.store.database import Database

__all__ = ["UNOWNED_SHOWN", "Move", "Suggestion", "Unowned", "suggest", "unowned"]


@dataclass(frozen=True)
class Unowned:
    """A customer of the top class with no rep (or a rep_id not in the reps table), and the rep
    of its department suggested to take it (the most spare capacity first; ``None``: no one in
    the department has room for it)."""

    customer_id: str
    name: str | None
    department: str | None
    klass: str
    revenue: float | None
    rep_id: str | None
    rep_name: str | None

    def to_json(self) -> dict[str, Any]:
        return {"customer_id": self.customer_id, "name": self.name, "department": self.department,
                "class": self.klass, "revenue": self.revenue, "suggested_rep_id": self.rep_id,
                "suggested_rep_name": self.rep_name}

    def text(self, lang: str) -> str:
        who = f"{self.customer_id} {self.name}" if self.name else self.customer_id
        if self.rep_id is None:
            return pick(lang, f"{who}: no rep of {self.department or 'its department'} has room",
                        f"{who}：{self.department or '所属部门'}没有业务员有余量")
        return pick(lang, f"{who} → {_who(self.rep_id, self.rep_name)}",
                    f"{who} → {_who(self.rep_id, self.rep_name)}")


UNOWNED_SHOWN = 200
"""Unowned customers of the top class listed (with suggested owners); the total is counted."""


@dataclass(frozen=True)
class Move:
    """Hand ``equivalents`` (≈ ``customers`` at the default ratio) to ``rep_id``."""

    rep_id: str
    name: str | None
    equivalents: Fraction
    customers: int

    def to_json(self) -> dict[str, Any]:
        return {"rep_id": self.rep_id, "name": self.name, "equivalents": wl.round_to(self.equivalents),
                "customers": self.customers}


@dataclass(frozen=True)
class Suggestion:
    """What an over-loaded rep could hand over, and to whom in the department."""

    rep_id: str
    name: str | None
    department: str | None
    manager_id: str | None
    excess: Fraction
    customers: int
    moves: tuple[Move, ...]
    left: Fraction
    text_en: str
    text_zh: str

    def text(self, lang: str) -> str:
        return self.text_zh if lang == "zh" else self.text_en

    def to_json(self) -> dict[str, Any]:
        return {"rep_id": self.rep_id, "name": self.name, "department": self.department,
                "manager_id": self.manager_id, "excess": wl.round_to(self.excess),
                "customers": self.customers,
                "moves": [m.to_json() for m in self.moves], "left": wl.round_to(self.left),
                "text_en": self.text_en, "text_zh": self.text_zh}


def pick(lang: str, en: str, zh: str) -> str:
    """``zh`` in Chinese, else ``en``."""
    return zh if lang == "zh" else en


def _who(rep_id: str, name: str | None) -> str:
    return f"{rep_id} {name}" if name else rep_id


def _about(eq: Fraction, ratio: Fraction) -> int:
    """Customers at ``ratio`` making ``eq`` equivalents, rounded up (at least 1 for any)."""
    return math.ceil(eq * ratio) if eq > 0 else 0


def suggest(reps: list[RepLoad] | tuple[RepLoad, ...], ratio: Fraction,
            ratio_from: str | None) -> tuple[Suggestion, ...]:
    """Moves from over-loaded reps to under-loaded reps of their department (the module
    docstring gives the rule). ``ratio`` turns equivalents into approximate customers."""
    room = {r.rep_id: r.spare for r in reps
            if r.status == wl.UNDER and r.spare is not None and r.spare > 0}
    over = sorted((r for r in reps if r.status == wl.OVER),
                  key=lambda r: (-(r.load - (r.capacity or 0)), r.rep_id))
    kind_en = f"{ratio_from + ' ' if ratio_from else ''}customers at {wl.ratio_text(ratio)}"
    kind_zh = f"{' ' + ratio_from + ' 类' if ratio_from else ''}客户，按 {wl.ratio_text(ratio)}"
    out = []
    for r in over:
        excess = r.load - (r.capacity or 0)
        need = excess
        moves = []
        takers = sorted((x for x in reps if x.rep_id in room and x.department == r.department),
                        key=lambda x: (-room[x.rep_id], x.rep_id))
        for x in takers:
            if need <= 0:
                break
            take = min(need, room[x.rep_id])
            room[x.rep_id] -= take
            need -= take
            moves.append(Move(x.rep_id, x.name, take, _about(take, ratio)))
        en, zh = _suggestion_text(r, excess, moves, need, ratio, kind_en, kind_zh)
        out.append(Suggestion(r.rep_id, r.name, r.department, r.manager_id, excess,
                              _about(excess, ratio), tuple(moves), need, en, zh))
    return tuple(out)


def _suggestion_text(r: RepLoad, excess: Fraction, moves: list[Move], left: Fraction, ratio: Fraction,
                     kind_en: str, kind_zh: str) -> tuple[str, str]:
    who = _who(r.rep_id, r.name)
    dept_en = r.department or "no department"
    dept_zh = r.department or "无部门"
    plural = "" if excess == 1 else "s"
    en = (f"{who} ({dept_en}) is over capacity by {wl.fmt_num(excess)} equivalent{plural} "
          f"(≈ {_about(excess, ratio):,} {kind_en})")
    zh = (f"{who}（{dept_zh}）超出容量 {wl.fmt_num(excess)} 个客户当量"
          f"（约 {_about(excess, ratio):,} 个{kind_zh}）")
    if moves:
        en += ": hand " + ", ".join(
            f"{wl.fmt_num(m.equivalents)} (≈ {m.customers:,}) to {_who(m.rep_id, m.name)}" for m in moves)
        zh += "：建议将 " + "，".join(f"{wl.fmt_num(m.equivalents)}（约 {m.customers:,} 个）转给 "
                                      f"{_who(m.rep_id, m.name)}" for m in moves)
    if left > 0:
        if moves:
            en += f"; {wl.fmt_num(left)} left that no under-loaded rep of the department can take"
            zh += f"；余下 {wl.fmt_num(left)} 部门内无负荷偏低的业务员可接"
        else:
            en += "; no under-loaded rep of the department has spare capacity"
            zh += "；部门内没有负荷偏低且有余量的业务员"
        en += ": look across departments or add capacity"
        zh += "：可跨部门调配或增加人手"
    if r.manager_id:
        en += f" (manager {r.manager_id})"
        zh += f"（主管 {r.manager_id}）"
    return en, zh


def unowned(ws: Database, snapshot_id: int, scheme: str, top: str, department: str | None,
             loads: list[RepLoad], weight: Fraction) -> tuple[tuple[Unowned, ...], int]:
    """The customers of class ``top`` without a known rep (the largest by revenue first, at most
    :data:`UNOWNED_SHOWN`) and their total; each offered to the rep of its department with
    the most spare capacity that has room for ``weight`` (not an over-loaded one)."""
    rows = ws.con.execute(
        f"""SELECT u.customer_id, u.name, u.department, f.revenue, count(*) OVER () AS total
            FROM classes c JOIN customers u ON u.customer_id = c.customer_id
            LEFT JOIN reps r ON r.rep_id = u.rep_id
            LEFT JOIN snapshot_customers f ON f.snapshot_id = c.snapshot_id AND f.customer_id = c.customer_id
                AND f."window" = (SELECT "window" FROM snapshot_schemes
                                  WHERE snapshot_id = c.snapshot_id AND scheme = c.scheme)
            WHERE c.snapshot_id = ? AND c.scheme = ? AND c.class = ? AND r.rep_id IS NULL
              AND (? IS NULL OR u.department = ?)
            ORDER BY f.revenue DESC NULLS LAST, u.customer_id LIMIT {UNOWNED_SHOWN}""",
        [snapshot_id, scheme, top, department, department]).fetchall()
    room = {r.rep_id: r.spare for r in loads
            if r.status != wl.OVER and r.spare is not None and r.spare >= weight}
    out = []
    for cid, name, dept, revenue, _ in rows:
        takers = sorted((r for r in loads
                         if r.rep_id in room and r.department == dept and room[r.rep_id] >= weight),
                        key=lambda r: (-room[r.rep_id], r.rep_id))
        taker = takers[0] if takers else None
        if taker is not None:
            room[taker.rep_id] -= weight
        out.append(Unowned(str(cid), name, dept, top, None if revenue is None else float(revenue),
                           taker.rep_id if taker else None, taker.name if taker else None))
    return tuple(out), int(rows[0][4]) if rows else 0
