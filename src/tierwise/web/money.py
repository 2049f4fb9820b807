"""Money in the API: one type everywhere, a decimal string in the workspace currency
(``"1234.50"``, ``"-138.00"``), never a binary float that rounds (``0.1 + 0.2``). Every
response names the currency where it matters (``currency`` with the customers list, a customer
and the overview);
the amounts themselves are plain decimals so any language parses them exactly.

Which fields are money: the catalog's money metrics (unit yuan, see docs/metrics.md) and the
amounts the API adds (``amount``, ``overdue``, ``headroom`` ...). Response models type them as
:data:`Money`; answers built as plain dicts go through :class:`ApiJSON`, which writes the same
fields the same way, so the two cannot drift.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Annotated, Any

from fastapi.responses import JSONResponse
from pydantic import BeforeValidator, WithJsonSchema

from tierwise.metrics.catalog import METRICS

CENT = Decimal("0.01")
MONEY_KEYS = frozenset({m.name for m in METRICS if m.unit == "yuan"} | {
    "amount", "overdue", "headroom", "over_by", "outstanding_after", "limit", "revenue_before",
    "revenue_now", "revenue_after", "shipped", "received", "avg_order_value", "revenue_prev"})


def money_text(value: Any) -> Any:
    """``value`` (a number, a Decimal or decimal text) as a decimal string with cents; None,
    text that is no number and booleans stay as they are."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, (int, float, Decimal, str)):
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            return value
        if not number.is_finite():
            return value
        return str(number.quantize(CENT, rounding=ROUND_HALF_UP))
    return value


def money_json(content: Any, money: bool = False) -> Any:
    """``content`` with every money field (:data:`MONEY_KEYS`, at any depth) as a decimal string;
    under a money field that holds a table (migration's ``revenue`` by class), every number."""
    if isinstance(content, dict):
        return {k: money_json(v, money or k in MONEY_KEYS) for k, v in content.items()}
    if isinstance(content, list):
        return [money_json(v, money) for v in content]
    return money_text(content) if money else content


class ApiJSON(JSONResponse):
    """The API's JSON answers, money as decimal strings (:func:`money_json`)."""

    def render(self, content: Any) -> bytes:
        return super().render(money_json(content))


Money = Annotated[
    str,
    BeforeValidator(money_text),
    WithJsonSchema({"type": "string", "pattern": r"^-?\d+\.\d{2}$", "examples": ["1234.50"],
                    "description": "Money: a decimal string with cents in the workspace currency."}),
]
