"""The evaluation frame: the as-of date and the window every metric looks through.

Everything is "as of" a date: nothing dated after it is seen. The window ends on the as-of
date (inclusive) and reaches back a number of days, months or years:

- ``90d``: the 90 days ending on the as-of date;
- ``6m`` / ``12m`` / ``2y``: calendar months counted back from the as-of date, the way a
  person counts them: a date is *n* months back when it falls after the as-of date minus
  *n* + 1 months and on or before the as-of date minus *n* months (the day of month is
  clamped at month ends, so 31 March minus one month is 28 or 29 February). A window of
  12 months ending on 30 September 2026 is 1 October 2025 – 30 September 2026;
- ``all``: everything up to the as-of date.

The previous window (for growth) is the same length immediately before the window.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import ClassVar, Literal

from tierwise.errors import ConfigError

CREDIT_UNKNOWN = ("outstanding", "overdue_amount", "max_days_overdue", "invoices_due", "on_time_ratio",
                  "credit_utilization")
"""The metrics a workspace without any payment cannot know: they are left empty."""

_WINDOW = re.compile(r"^\s*(?:(\d+)\s*([dmy])|(all))\s*$", re.IGNORECASE)


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months, the day of month clamped to the month's end."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Window:
    """A window length: ``count`` days or months (years are 12 months), or everything."""

    unit: Literal["day", "month", "all"]
    count: int
    text: str

    @classmethod
    def parse(cls, text: str) -> Window:
        """Parse ``90d``, ``6m``, ``12m``, ``2y`` or ``all``."""
        match = _WINDOW.match(text or "")
        if not match or (match.group(1) is not None and int(match.group(1)) == 0):
            raise ConfigError(
                f"window {text!r} is not understood: write a number of days, months or years "
                f"such as 90d, 6m, 12m or 2y, or 'all' / 无法识别的时间窗口 {text!r}：请写 90d、6m、"
                f"12m、2y 或 all"
            )
        if match.group(3):
            return cls("all", 0, "all")
        count, unit = int(match.group(1)), match.group(2).lower()
        if unit == "d":
            return cls("day", count, f"{count}d")
        months = count * 12 if unit == "y" else count
        return cls("month", months, f"{count}{unit}")


def window_text(text: str, lang: str) -> str:
    """A window as a person reads it: ``12m`` → "last 12 months" / "近12个月", ``all`` → "all
    time" / "全部时间"; text that is no window is returned as it is."""
    match = _WINDOW.match(text or "")
    if not match:
        return text
    if match.group(3):
        return "全部时间" if lang == "zh" else "all time"
    count, unit = int(match.group(1)), match.group(2).lower()
    if lang == "zh":
        return f"近{count}" + {"d": "天", "m": "个月", "y": "年"}[unit]
    word = {"d": "day", "m": "month", "y": "year"}[unit]
    return f"last {count} {word}" + ("s" if count != 1 else "")


@dataclass(frozen=True)
class EvaluationFrame:
    """The as-of date and window of one evaluation.

    Attributes
    ----------
    as_of
        Last day seen (inclusive).
    window
        The window length.
    start
        First day of the window (inclusive).
    previous_start
        First day of the previous window of the same length (``None`` for ``all``).
    slices
        How many months (or, for day windows, 30-day slices) the window spans; the
        stability and active-month metrics count over these.
    """

    as_of: date
    window: Window
    start: date
    previous_start: date | None
    slices: int
    data_start: date | None = None  # the earliest order, when known: how far the data goes back
    payments: bool = True  # whether the workspace holds any payment: without, balances are unknown

    COVERED: ClassVar[float] = 0.75  # the share of the previous window the data must cover

    @classmethod
    def build(cls, as_of: date, window: Window | str, first_day: date | None = None, *,
              payments: bool = True) -> EvaluationFrame:
        """The frame ending on ``as_of``; ``first_day`` (the earliest order) bounds ``all`` and
        tells whether the previous window is covered; ``payments`` whether any payment is
        recorded (without one, the credit metrics are unknown, not everything unpaid)."""
        if isinstance(window, str):
            window = Window.parse(window)
        if window.unit == "day":
            start = as_of - timedelta(days=window.count - 1)
            previous: date | None = start - timedelta(days=window.count)
            slices = -(-window.count // 30)
        elif window.unit == "month":
            start = add_months(as_of, -window.count) + timedelta(days=1)
            previous = add_months(as_of, -2 * window.count) + timedelta(days=1)
            slices = window.count
        else:
            first = min(first_day or as_of, as_of)
            start, previous = first, None
            slices = months_back(first, as_of) + 1
        return cls(as_of, window, start, previous, slices, first_day, payments)

    @property
    def previous_coverage(self) -> float | None:
        """The share of the previous window's days on or after the earliest order (None: no
        previous window, or the earliest order unknown)."""
        if self.previous_start is None or self.data_start is None:
            return None
        days = (self.start - self.previous_start).days
        covered = (self.start - max(self.data_start, self.previous_start)).days
        return max(0, min(covered, days)) / days

    @property
    def previous_covered(self) -> bool:
        """Whether "vs the previous window" means something: the data covers at least
        :data:`COVERED` of it. Data from only the last days of the previous window makes every
        customer's growth several hundred per cent (the UCI Online Retail log: 9 days of
        December 2010 against a year)."""
        coverage = self.previous_coverage
        return self.previous_start is not None and (coverage is None or coverage >= self.COVERED)

    def coverage_note(self) -> tuple[str, str] | None:
        """Why growth and the previous revenue are empty (en, zh), or None when they are not."""
        coverage = self.previous_coverage
        if self.previous_start is None or coverage is None or coverage >= self.COVERED:
            return None
        end = self.start - timedelta(days=1)
        return (f"the previous window ({self.previous_start} to {end}) is only {coverage:.0%} covered by the "
                f"orders (the first is of {self.data_start}): revenue_prev and growth are left empty",
                f"上一窗口（{self.previous_start} 至 {end}）只有 {coverage:.0%} 在订单数据范围内（最早订单 "
                f"{self.data_start}）：revenue_prev 和 growth 留空")

    def notes(self) -> list[tuple[str, str]]:
        """What the data does not cover and which metrics are left empty for it (en, zh)."""
        notes = [note for note in [self.coverage_note()] if note]
        if not self.payments:
            notes.append((
                "no payments imported: " + ", ".join(CREDIT_UNKNOWN) + " are left empty (unknown, "
                "not unpaid); import the payments file (tierwise import payments FILE)",
                "未导入回款数据：" + "、".join(CREDIT_UNKNOWN) + " 留空（未知，并非未付）；请导入回款文件"
                "（tierwise import payments 文件）"))
        return notes

    @property
    def days(self) -> int:
        """Length of the window in days."""
        return (self.as_of - self.start).days + 1

    @property
    def slice_unit(self) -> Literal["month", "day30"]:
        """How the window is sliced: calendar months counted back, or 30-day slices."""
        return "day30" if self.window.unit == "day" else "month"

    def describe(self) -> str:
        return f"as of {self.as_of}, window {self.window.text} ({self.start} – {self.as_of})"


def months_back(day: date, as_of: date) -> int:
    """How many whole months ``day`` lies before ``as_of`` (0 within the last month).

    ``day`` is *k* months back when ``as_of`` minus *k* + 1 months < ``day`` ≤ ``as_of``
    minus *k* months. Counting calendar months and taking one off when ``day``'s day of month
    is past ``as_of``'s gives exactly that, month-end clamping included. This is the Python
    twin of the engine expression in :mod:`tierwise.metrics.compute`; tests pin the two.
    """
    months = (as_of.year * 12 + as_of.month) - (day.year * 12 + day.month)
    return months - (1 if day.day > as_of.day else 0)
