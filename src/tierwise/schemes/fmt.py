"""Numbers in reasons, written the same way by the engine and by Python.

Reasons are built inside the engine (one string expression per class), so a value is
formatted by engine expressions; cuts and statistics are known in Python and formatted
here. Both write ``¥1,204,300``, ``42 days`` / ``42天``, ``0.48``, ``2024-03-31``. The
engine side uses integer arithmetic and padding only, which DuckDB and Spark agree on
(casting a double to text does not: Spark writes ``1.0E7``).
"""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Iterator
from contextvars import ContextVar
from datetime import date, datetime
from typing import Any

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

from tierwise.metrics import catalog
from tierwise.settings import CURRENCIES, currency

MONEY_UNITS = ("yuan",)  # the catalog's unit of money columns (in the workspace currency)

def money_kind(code: str | None = None) -> str:
    """The value kind of money in ``code`` (default: the workspace's): ``money`` for CNY (as
    templates stored before currencies read), ``money:GBP`` for the others."""
    code = code or currency()
    return "money" if code == "CNY" else f"money:{code}"


def symbol(kind: str | None = None) -> str:
    """The symbol of money kind ``kind`` (default: the workspace currency's)."""
    if kind is None:
        return CURRENCIES[currency()]
    return CURRENCIES.get(kind.partition(":")[2] or "CNY", "¥")


def money(value: float | int | Any, decimals: int = 0, code: str | None = None) -> str:
    """``value`` as money for people: ``¥1,204``, ``-£92.50`` (sign before the symbol)."""
    sign = symbol(money_kind(code))
    amount = float(value)
    text = f"{abs(amount):,.{decimals}f}"
    return f"-{sign}{text}" if amount < 0 and text.strip("0.,") else f"{sign}{text}"
DAY_UNITS = ("days",)
INT_UNITS = ("orders", "activities", "months", "quarters", "rank")
NONE = {"en": "n/a", "zh": "无"}


def value_kind(name: str, dtype: dt.DataType | None = None) -> str:
    """How to show column ``name``: money, days, int, dec, date or text."""
    metric = catalog.BY_NAME.get(name)
    if metric is not None:
        unit = metric.unit
        if unit in MONEY_UNITS:
            return money_kind()
        if unit in DAY_UNITS:
            return "days"
        if unit in INT_UNITS:
            return "int"
        if unit == "date":
            return "date"
        if unit in ("id", "text") or "/" in unit:
            return "text"
        return "dec"
    if dtype is None:
        return "dec"
    if dtype.is_date() or dtype.is_timestamp():
        return "date"
    if dtype.is_integer():
        return "int"
    if dtype.is_numeric():
        return "dec"
    return "text"


def label(name: str, lang: str) -> str:
    """A column's short name for people (metric labels; attributes keep their name)."""
    pair = catalog.LABELS.get(name)
    if pair is None:
        return name
    return pair[1] if lang == "zh" else pair[0]


# -- Python side ---------------------------------------------------------------------


def _group(n: int) -> str:
    return f"{n:,}"


def fmt_number(value: float, decimals: int = 2) -> str:
    """``value`` rounded to ``decimals``, thousands grouped, trailing zeros dropped."""
    scaled = math.floor(abs(value) * 10**decimals + 0.5)  # half away from zero, as engines round
    whole, frac = divmod(scaled, 10**decimals)
    sign = "-" if value < 0 and scaled else ""
    text = f"{sign}{_group(whole)}"
    if frac:
        text += "." + str(frac).rjust(decimals, "0").rstrip("0")
    return text


def fmt_literal(value: Any, kind: str, lang: str) -> str:
    """``value`` (a cut, a statistic, a constant) as a reason shows it."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NONE[lang]
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return value
    if kind.startswith("money"):
        text, sign = fmt_number(float(value), 0), symbol(kind)
        return f"-{sign}{text[1:]}" if text.startswith("-") else f"{sign}{text}"
    if kind == "days":
        text = fmt_number(float(value), 0)
        return f"{text}天" if lang == "zh" else f"{text} {'day' if text in ('1', '-1') else 'days'}"
    if kind == "int":
        return fmt_number(float(value), 0)
    return fmt_number(float(value), 3)


CLASS_CODE = re.compile(r"[A-Z0-9][A-Z0-9+\-–]{0,5}")  # A, AAA, EI, PIV, MVC: codes people say too


def class_text(class_id: str, label: str | None, lang: str) -> str:
    """How a person reads a class: its label, with its id when that is a code people use too
    ("主要客户（B）", "信用优秀（AAA）"); an id like ``true_friend`` is for files, never shown."""
    if not label:
        return class_id
    if CLASS_CODE.fullmatch(class_id) and class_id not in label:
        return f"{label}（{class_id}）" if lang == "zh" else f"{label} ({class_id})"
    return label


TINY_SHARE = "<0.1%"  # a share above zero that one decimal would write as 0.0% (the #1 of 14,308)


def fmt_share(value: float) -> str:
    """A share 0–1 as a percentage with one decimal: 0.0085 → 0.9%; above zero but under
    0.05% → <0.1% (not "top 0.0%" for the first of many)."""
    return TINY_SHARE if 0 < value < 0.0005 else fmt_number(value * 100, 1) + "%"


# -- engine side ---------------------------------------------------------------------


@ibis.udf.scalar.builtin(name="format")
def _duckdb_format(pattern: str, n: int) -> str:  # type: ignore[empty-body]
    """DuckDB's fmt-style ``format('{:,}', n)``."""


@ibis.udf.scalar.builtin(name="format_number")
def _spark_format_number(n: int, decimals: int) -> str:  # type: ignore[empty-body]
    """Spark's ``format_number(n, 0)``."""


_DIALECT: ContextVar[str] = ContextVar("tierwise_format_dialect", default="")


@contextlib.contextmanager
def dialect(name: str) -> Iterator[None]:
    """Build formatting expressions for engine ``name`` (duckdb or pyspark) in this block:
    each engine's own thousands grouping is about 5× faster than the portable expression."""
    token = _DIALECT.set(name)
    try:
        yield
    finally:
        _DIALECT.reset(token)


def _digits(n: ir.IntegerValue) -> ir.StringValue:
    """A non-negative integer with thousands separators: the engine's own function where
    known (same text on both: the input is already a whole number), else portable."""
    engine = _DIALECT.get()
    if engine == "duckdb":
        return _duckdb_format("{:,}", n)
    if engine == "pyspark":
        return _spark_format_number(n, 0)
    return _portable_digits(n)


def _portable_digits(n: ir.IntegerValue) -> ir.StringValue:
    """A non-negative integer (below 10^18) with thousands separators.

    Padded to 18 digits, cut into groups, then the leading zeros and commas are removed:
    each input appears a fixed number of times, so the expression stays small (Spark's
    code generator gives up on deeply nested ones).
    """
    padded = n.cast("string").lpad(18, "0")
    grouped = padded.substr(0, 3)
    for start in range(3, 18, 3):
        grouped = grouped + "," + padded.substr(start, 3)
    stripped = grouped.re_replace(r"^[0,]+", "")
    return ibis.ifelse(stripped == "", "0", stripped)  # empty stays empty (NULL)


def _parts(value: ir.NumericValue, decimals: int) -> tuple[ir.StringValue, ir.StringValue]:
    """(sign, digits) of ``value`` rounded half away from zero to ``decimals``."""
    scale = 10**decimals
    scaled = (value.cast("float64").abs() * scale).round(0).cast("int64")
    text = _digits(scaled // scale if decimals else scaled)
    if decimals:
        frac = scaled % scale
        # trailing zeros dropped: .500 -> .5
        tail = frac.cast("string").lpad(decimals, "0").re_replace("0+$", "")
        text = text + ibis.ifelse(frac == 0, "", "." + tail)
    sign = ibis.ifelse((value < 0) & (scaled > 0), "-", "")
    return sign, text


def fmt_value(value: ir.Value, kind: str, lang: str) -> ir.StringValue:
    """The engine expression writing ``value`` as :func:`fmt_literal` would."""
    if kind == "text":
        out = value.cast("string")
    elif kind == "date":
        out = value.cast("date").cast("string")
    elif kind.startswith("money"):
        sign, text = _parts(value, 0)
        out = sign + symbol(kind) + text
    elif kind == "days":
        sign, text = _parts(value, 0)
        unit = "天" if lang == "zh" else ibis.ifelse(text == "1", " day", " days")
        out = sign + text + unit
    elif kind == "int":
        sign, text = _parts(value, 0)
        out = sign + text
    else:
        sign, text = _parts(value, 3)
        out = sign + text
    return out.fill_null(NONE[lang])


def fmt_share_value(value: ir.NumericValue) -> ir.StringValue:
    """The engine expression writing ``value`` as :func:`fmt_share` would."""
    sign, text = _parts(value * 100, 1)
    return ibis.ifelse((value > 0) & (value < 0.0005), ibis.literal(TINY_SHARE), sign + text + "%")
