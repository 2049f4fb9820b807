"""The credit action a customer's classes call for (``credit_action`` in a class's playbook), as
the credit positions apply it (:mod:`tierwise.playbook.credit_positions`; the rules are in
:mod:`tierwise.playbook.credit`): the strictest of the customer's current classes,
``cash_only`` > ``hold_over_limit`` > ``collect`` > ``watch`` > ``none``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, get_args

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from tierwise.schemes.spec import CreditAction

if TYPE_CHECKING:
    from tierwise.store.database import Database

# credit_action values of a playbook, strictest last; only the two that change a hold or ask
# for a limit are read here (collect and watch: the overdue rules already chase and show them)
ACTIONS: tuple[str, ...] = get_args(CreditAction)
ACTING = ("hold_over_limit", "cash_only")
ACTION_COLUMNS = ("snapshot_id", "scheme", "class", "credit_action", "rank", "from_en", "from_zh")


def action_rows(ws: Database) -> pa.Table:
    """Every current class whose playbook's ``credit_action`` holds or asks for a limit
    (:data:`ACTING`), columns :data:`ACTION_COLUMNS`: the snapshot holding the scheme now, the
    action, its rank in :data:`ACTIONS` and the class as a reason names it, ``poor
    (credit_rating)`` / ``信用差（credit_rating）``. A few rows: the input of every position."""
    from tierwise.schemes.facts import current_schemes

    rows: list[tuple[Any, ...]] = []
    for stored in current_schemes(ws.con).values():
        for c in stored.spec.classes:
            action = c.playbook.credit_action if c.playbook else None
            if action in ACTING:
                rows.append((stored.snapshot_id, stored.name, c.id, action, ACTIONS.index(action),
                             f"{c.label.en} ({stored.spec.title.en})",
                             f"{c.label.zh}（{stored.spec.title.zh}）"))
    types = (pa.int64(), pa.string(), pa.string(), pa.string(), pa.int64(), pa.string(), pa.string())
    return pa.table({name: pa.array([r[i] for r in rows], kind)
                     for i, (name, kind) in enumerate(zip(ACTION_COLUMNS, types, strict=True))})


def strictest_action(classes: ir.Table, actions: ir.Table) -> ir.Table:
    """Per customer of ``classes`` (rows of the ``classes`` table), the strictest of the
    ``actions`` (:func:`action_rows`) its current classes carry: ``customer_id``,
    ``credit_action``, ``action_from`` (``scheme:class``), ``from_en``, ``from_zh``."""
    c = classes.select("snapshot_id", "scheme", "customer_id", klass=classes["class"])
    a = actions.select("snapshot_id", "scheme", "credit_action", "rank", "from_en", "from_zh",
                       klass=actions["class"])
    j = c.join(a, ["snapshot_id", "scheme", "klass"])
    ranked = j.mutate(rn=ibis.row_number().over(group_by=j.customer_id,
                                                order_by=[j["rank"].desc(), j.scheme]))
    top = ranked.filter(ranked.rn == 0)
    return top.select("customer_id", "credit_action", "from_en", "from_zh",
                      action_from=top.scheme + ":" + top.klass)
