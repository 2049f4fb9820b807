"""Which customers a person may see, as an engine expression every query goes through."""

from __future__ import annotations

from dataclasses import dataclass

import ibis
import ibis.expr.types as ir


@dataclass(frozen=True)
class Scope:
    """All customers (admins, viewers), one department's (a manager) or one rep's (a rep).

    A department's customers are those whose ``department`` is it, and those owned by a rep
    of that department (a customer row often leaves the department empty). ``nothing`` is the
    scope of a rep without a rep id or a manager without a department: it fails closed.
    """

    department: str | None = None
    rep_id: str | None = None
    nothing: bool = False

    @property
    def everything(self) -> bool:
        return not self.nothing and self.department is None and self.rep_id is None

    def customers(self, customers: ir.Table, reps: ir.Table) -> ir.Table:
        """``customers`` narrowed to this scope (any Ibis backend)."""
        if self.nothing:
            return customers.filter(ibis.literal(False))
        if self.rep_id is not None:
            return customers.filter(customers.rep_id == self.rep_id)
        if self.department is not None:
            of_department = reps.filter(reps.department == self.department).rep_id
            return customers.filter(
                (customers.department == self.department) | customers.rep_id.isin(of_department)
            )
        return customers

    def where(self, alias: str = "c") -> tuple[str, list[str]]:
        """This scope as a SQL condition on the customers table aliased ``alias`` and its
        positional parameters: the same rows as :meth:`customers`, for one-customer lookups that
        should not pay for compiling an expression."""
        if self.nothing:
            return "FALSE", []
        if self.rep_id is not None:
            return f"{alias}.rep_id = ?", [self.rep_id]
        if self.department is not None:
            return (f"({alias}.department = ? OR {alias}.rep_id IN "
                    "(SELECT rep_id FROM reps WHERE department = ?))", [self.department, self.department])
        return "TRUE", []

    def ids(self, customers: ir.Table, reps: ir.Table) -> ir.Table:
        """The in-scope customer ids, one column ``customer_id`` (for semi-joins)."""
        return self.customers(customers, reps).select("customer_id")
