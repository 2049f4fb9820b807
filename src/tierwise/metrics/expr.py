"""Small expression helpers that spell the same thing on every engine.

Money is summed as integer cents (exact like DECIMAL, and several times cheaper than
DuckDB's 128-bit decimal accumulators), dates are compared as epoch days (integer arithmetic
is the one kind of date arithmetic every engine spells alike), and conditional counts are
written so that no engine turns an empty count into NULL.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

MONEY = "decimal(18, 2)"
EPOCH = date(1970, 1, 1)


def count_if(condition: ir.BooleanValue) -> ir.IntegerValue:
    """Rows where ``condition`` holds (0, never null; a null condition does not count).

    Not ``Table.count(where=...)``: Ibis compiles that to ``COUNT(*) FILTER`` on DuckDB but
    to ``SUM(CAST(cond AS BIGINT))`` on Spark, which is NULL when every condition is NULL.
    """
    return ibis.ifelse(condition, 1, 0).sum()


def exact(value: ir.NumericValue) -> ir.NumericValue:
    """``value`` in a type whose sums no engine rounds: money and counts as DECIMAL(38, their
    scale) (exact to begin with; 38 digits hold sums of squares of any month's cents), anything
    else as float64. Summed as floats, the last digits of a total follow the order the engine
    met the rows in, which differs between runs and between DuckDB and Spark."""
    dtype = value.type()
    if dtype.is_decimal():
        return value.cast(dt.Decimal(38, dtype.scale or 0))
    if dtype.is_integer():
        return value.cast(dt.Decimal(38, 0))
    return value.cast("float64")


def day_number(value: ir.DateValue) -> ir.IntegerValue:
    """Days since 1970-01-01."""
    return value.epoch_days()


def cents(money: ir.NumericValue) -> ir.IntegerValue:
    """Money (DECIMAL with two places) as integer cents."""
    return (money * 100).cast("int64")


def money(cents: ir.NumericValue) -> ir.DecimalValue:
    """Integer cents back to yuan as DECIMAL(18, 2), exactly."""
    return (cents.cast("decimal(18, 0)") * ibis.literal(Decimal("0.01"))).cast(MONEY)
