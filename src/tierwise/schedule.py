"""When an evaluation is due: the ``schedule`` setting and the rule behind ``classify --due``.

A company evaluates its customers in a rhythm; a daily cron line runs
``tierwise classify --due``, which classifies only when this module says an evaluation is due.
The rhythm is one of (case-insensitive, surrounding spaces ignored):

``monthly`` / ``monthly:DD``
    One evaluation per month; the period runs from day DD (default 1, at most 28) of a month
    to the day before day DD of the next month.
``quarterly`` / ``quarterly:DD``
    One per calendar quarter, from day DD (default 1) of the quarter's first month.
``yearly:MM-DD..MM-DD``
    A fixed window each year, both days inclusive, not wrapping the year end (Feb 29 is not
    allowed); outside the window nothing is due.
``off``
    Never due.

The rule: an evaluation is due when today lies in a period and no earlier run (its calendar
day, not its as-of date) falls in that period up to today. No database access here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

Kind = Literal["monthly", "quarterly", "yearly", "off"]
MonthDay = tuple[int, int]
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
FORMS_EN = ("monthly, monthly:DD (DD 1–28), quarterly, quarterly:DD, "
            "yearly:MM-DD..MM-DD (e.g. yearly:03-25..03-30, start not after end) or off")
FORMS_ZH = ("monthly、monthly:DD（DD 为 1–28）、quarterly、quarterly:DD、"
            "yearly:MM-DD..MM-DD（如 yearly:03-25..03-30，开始不晚于结束）或 off")
_PERIODIC = re.compile(r"(monthly|quarterly)(?:\s*:\s*(\d{1,2}))?")
_YEARLY = re.compile(r"yearly\s*:\s*(\d{1,2})-(\d{1,2})\s*\.\.\s*(\d{1,2})-(\d{1,2})")


class _Bad(ValueError):
    """A schedule that cannot be used, with the reason in English and Chinese."""

    def __init__(self, en: str, zh: str) -> None:
        super().__init__(f"{en} / {zh}")
        self.en, self.zh = en, zh


def _shift(year: int, month: int, months: int) -> tuple[int, int]:
    """The (year, month) ``months`` calendar months after ``year``-``month``."""
    index = year * 12 + month - 1 + months
    return index // 12, index % 12 + 1


def _fmt(md: MonthDay, lang: str) -> str:
    """A month-day for people: ``25 Mar`` / ``3月25日``."""
    return f"{md[0]}月{md[1]}日" if lang == "zh" else f"{md[1]} {MONTHS[md[0] - 1]}"


@dataclass(frozen=True)
class Schedule:
    """An evaluation rhythm, parsed from the ``schedule`` setting by :func:`parse_schedule`.

    Attributes
    ----------
    kind : {"monthly", "quarterly", "yearly", "off"}
        How often an evaluation is due.
    day : int
        First day (1–28) of each monthly period, or of the first month of each quarter.
    window : tuple of two (month, day) pairs, optional
        For ``yearly`` only: first and last day of the window each year, both inclusive.
    """

    kind: Kind
    day: int = 1
    window: tuple[MonthDay, MonthDay] | None = None

    def __post_init__(self) -> None:
        if self.kind not in ("monthly", "quarterly", "yearly", "off"):
            raise _Bad("unknown form", "无法识别")
        if not 1 <= self.day <= 28:
            raise _Bad(f"day {self.day} is outside 1–28", f"日期 {self.day} 不在 1–28 之间")
        if (self.window is None) != (self.kind != "yearly"):
            raise _Bad("only yearly takes a window, and it needs one", "只有 yearly 需要且必须写窗口")
        for month, day in self.window or ():
            try:
                date(2001, month, day)  # a common year: Feb 29 is refused
            except ValueError:
                raise _Bad(f"{month:02d}-{day:02d} is not a date (Feb 29 is not allowed)",
                           f"{month:02d}-{day:02d} 不是有效日期（不可用 2月29日）") from None
        if self.window is not None and self.window[0] > self.window[1]:
            raise _Bad("the window ends before it starts; it may not wrap the year end",
                       "窗口结束早于开始（不可跨年）")

    def period(self, today: date) -> tuple[date, date] | None:
        """The evaluation period containing ``today``: (first day it is due, last day).

        None when ``today`` is in no period (outside a yearly window, or ``off``).
        """
        if self.kind == "off":
            return None
        if self.window is not None:
            (m1, d1), (m2, d2) = self.window
            first, last = date(today.year, m1, d1), date(today.year, m2, d2)
            return (first, last) if first <= today <= last else None
        step = 1 if self.kind == "monthly" else 3
        year, month = today.year, today.month - (today.month - 1) % step
        if today.day < self.day and month == today.month:
            year, month = _shift(year, month, -step)
        start = date(year, month, self.day)
        following = date(*_shift(year, month, step), self.day)
        return start, following - timedelta(days=1)

    def next_start(self, today: date) -> date | None:
        """First day of the next period after today's (or of the coming window); None if off."""
        if self.window is not None:
            month, day = self.window[0]
            first = date(today.year, month, day)
            return first if today < first else date(today.year + 1, month, day)
        current = self.period(today)
        return None if current is None else current[1] + timedelta(days=1)

    def describe(self, lang: str) -> str:
        """The rhythm in words for people, in ``lang`` (``zh`` for Chinese, else English)."""
        zh = lang.lower().startswith("zh")
        if self.kind == "off":
            return "关闭（不自动评估）" if zh else "off (never due)"
        if self.window is not None:
            first, last = (_fmt(md, "zh" if zh else "en") for md in self.window)
            return f"每年 {first}至{last}" if zh else f"every year {first} – {last}"
        if self.kind == "monthly":
            return f"每月（从 {self.day} 日起）" if zh else f"monthly, from day {self.day}"
        return (f"每季度（从季度首月 {self.day} 日起）" if zh
                else f"quarterly, from day {self.day} of the quarter's first month")


def parse_schedule(text: str) -> Schedule:
    """Parse the ``schedule`` setting; a ValueError names the value and the accepted forms."""
    value = text.strip().lower()
    try:
        if value == "off":
            return Schedule("off")
        if m := _PERIODIC.fullmatch(value):
            kind: Kind = "monthly" if m[1] == "monthly" else "quarterly"
            return Schedule(kind, int(m[2] or 1))
        if m := _YEARLY.fullmatch(value):
            a, b, c, d = (int(g) for g in m.groups())
            return Schedule("yearly", window=((a, b), (c, d)))
        raise _Bad("unknown form", "无法识别")
    except _Bad as bad:
        raise ValueError(f"schedule {text!r}: {bad.en}; write {FORMS_EN} / "
                         f"评估周期 {text!r}：{bad.zh}；写法：{FORMS_ZH}") from None


@dataclass(frozen=True)
class Due:
    """Whether ``classify --due`` should evaluate today, and why (see :func:`due`).

    Attributes
    ----------
    due : bool
        True when an evaluation should run today.
    period : tuple of two dates, optional
        Today's evaluation period (first and last day), None outside any period.
    last_run : date, optional
        The day of the run that already covers this period, if any.
    next_start : date, optional
        First day of the next period (or window); None when the schedule is off.
    reason_en, reason_zh : str
        Why, with dates, in English and in Simplified Chinese.
    """

    due: bool
    period: tuple[date, date] | None
    last_run: date | None
    next_start: date | None
    reason_en: str
    reason_zh: str


def due(schedule: Schedule, today: date, runs: Iterable[date]) -> Due:
    """Whether an evaluation is due ``today``, given the calendar days of earlier runs.

    Parameters
    ----------
    schedule : Schedule
        The company's rhythm.
    today : date
        The day of the check (the cron run's day).
    runs : iterable of date
        Days of earlier evaluations that covered every scheme to run; datetimes count by day.
    """
    if schedule.kind == "off":
        return Due(False, None, None, None, "schedule is off", "评估周期已关闭（off）")
    following, period = schedule.next_start(today), schedule.period(today)
    if period is None:
        assert schedule.window is not None and following is not None
        w0, w1 = schedule.window
        en_w, zh_w = f"{_fmt(w0, 'en')} – {_fmt(w1, 'en')}", f"{_fmt(w0, 'zh')}至{_fmt(w1, 'zh')}"
        return Due(False, None, None, following,
                   f"not due: outside the evaluation window {en_w}; next window starts {following}",
                   f"未到评估期：不在评估窗口 {zh_w} 内；下一窗口 {following} 开始")
    start, end = period
    days = (r.date() if isinstance(r, datetime) else r for r in runs)
    last = max((d for d in days if start <= d <= today), default=None)
    span_en, span_zh = f"{start} – {end}", f"{start} 至 {end}"
    if last is None:
        return Due(True, period, None, following, f"due: no evaluation yet in the period {span_en}",
                   f"已到评估期：{span_zh} 尚未评估")
    what_en, what_zh = ("window", "窗口") if schedule.kind == "yearly" else ("period", "评估期")
    return Due(False, period, last, following,
               f"not due: evaluated on {last} for the period {span_en}; "
               f"next {what_en} starts {following}",
               f"无需评估：{span_zh} 已于 {last} 评估；下一{what_zh} {following} 开始")
