"""Who owns a customer since when, as tierwise saw the owner change (the ``owners`` table):
a handover, a claim from the public pool, an import that moved the customer. The pool's
neglect clocks start there (:mod:`tierwise.playbook.pool`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any


def record_owner(con: Any, customer_ids: Sequence[str], rep_ids: Sequence[str | None], how: str, *,
                 file_reps: Sequence[str | None], on: date | None = None) -> None:
    """Note that ``customer_ids`` got their owners ``rep_ids`` on ``on`` (a handover, a claim, an
    import that moved them): their neglect clocks start again, and they leave the pool.

    ``file_reps``: the rep the customers file named for each (kept from an earlier change in
    tierwise when there is one; for ``how="import"`` the file's new rep)."""
    if not customer_ids:
        return
    kept = "n.given" if how == "import" else "coalesce(o.file_rep, p.file_rep, n.given)"
    _record(con, f"""SELECT n.customer_id, n.rep_id, {kept} AS file_rep
                     FROM (SELECT unnest($ids) AS customer_id, unnest($reps) AS rep_id,
                                  unnest($files) AS given) n
                     LEFT JOIN owners o USING (customer_id) LEFT JOIN pool p USING (customer_id)""",
            {"ids": list(customer_ids), "reps": list(rep_ids), "files": list(file_reps)}, how, on)


def record_owners(con: Any, source: str, how: str, *, on: date | None = None) -> None:
    """:func:`record_owner` for the customers of the query ``source`` (columns ``customer_id``,
    ``rep_id`` and ``file_rep``; an import's moves of millions of customers stay in the engine)."""
    _record(con, source, {}, how, on)


def _record(con: Any, source: str, params: dict[str, Any], how: str, on: date | None) -> None:
    con.execute(f"CREATE OR REPLACE TEMP TABLE _tw_owner AS {source}", params)
    con.execute("DELETE FROM owners WHERE customer_id IN (SELECT customer_id FROM _tw_owner)")
    con.execute("DELETE FROM pool WHERE customer_id IN (SELECT customer_id FROM _tw_owner)")
    con.execute("""INSERT INTO owners SELECT customer_id, rep_id, $on::DATE, $how, file_rep FROM _tw_owner
                   WHERE rep_id IS NOT NULL""", {"on": on or date.today(), "how": how})
    con.execute("DROP TABLE _tw_owner")
