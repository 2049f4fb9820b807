"""The evaluation schedule: parsing, periods, next starts, descriptions and the due rule."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tierwise.errors import ConfigError
from tierwise.schedule import Due, Schedule, due, parse_schedule
from tierwise.settings import Settings

D = date.fromisoformat


@pytest.mark.parametrize(("text", "expected"), [
    ("monthly", Schedule("monthly")),
    ("  MONTHLY ", Schedule("monthly")),
    ("monthly:1", Schedule("monthly")),
    ("monthly:25", Schedule("monthly", 25)),
    ("Monthly : 05", Schedule("monthly", 5)),
    ("monthly:28", Schedule("monthly", 28)),
    ("quarterly", Schedule("quarterly")),
    ("QUARTERLY:15", Schedule("quarterly", 15)),
    ("yearly:03-25..03-30", Schedule("yearly", window=((3, 25), (3, 30)))),
    (" Yearly:3-5..3-5 ", Schedule("yearly", window=((3, 5), (3, 5)))),
    ("yearly:12-25..12-31", Schedule("yearly", window=((12, 25), (12, 31)))),
    ("yearly:01-01..12-31", Schedule("yearly", window=((1, 1), (12, 31)))),
    ("yearly:02-28..03-01", Schedule("yearly", window=((2, 28), (3, 1)))),
    ("off", Schedule("off")),
    (" OFF ", Schedule("off")),
])
def test_every_format_parses(text: str, expected: Schedule) -> None:
    assert parse_schedule(text) == expected


@pytest.mark.parametrize("text", [
    "weekly", "", "daily", "monthly:31", "monthly:29", "monthly:0", "monthly:", "monthly:x",
    "monthly:1:2", "quarterly:29", "quarterly:0", "yearly", "yearly:03-25", "yearly:03-30..03-25",
    "yearly:12-31..01-01", "yearly:13-01..13-02", "yearly:00-01..01-01", "yearly:02-29..03-01",
    "yearly:04-31..05-01", "off:1", "monthly quarterly",
])
def test_bad_forms_name_the_value_and_the_accepted_forms(text: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_schedule(text)
    message = str(info.value)
    assert message.startswith(f"schedule {text!r}: ")
    en, zh = message.split(" / 评估周期 ", 1)
    for form in ("monthly:DD", "quarterly:DD", "yearly:MM-DD..MM-DD", "off"):
        assert form in en and form in zh
    assert repr(text) in zh and "写法" in zh


@pytest.mark.parametrize(("text", "en", "zh"), [
    ("weekly", "unknown form", "无法识别"),
    ("monthly:31", "day 31 is outside 1–28", "日期 31 不在 1–28 之间"),
    ("yearly:13-01..13-02", "13-01 is not a date", "13-01 不是有效日期"),
    ("yearly:02-29..03-01", "Feb 29 is not allowed", "不可用 2月29日"),
    ("yearly:03-30..03-25", "may not wrap the year end", "不可跨年"),
])
def test_bad_forms_say_what_is_wrong(text: str, en: str, zh: str) -> None:
    with pytest.raises(ValueError, match=en) as info:
        parse_schedule(text)
    assert zh in str(info.value).split(" / ", 1)[1]


@pytest.mark.parametrize("kwargs", [
    {"kind": "weekly"}, {"kind": "monthly", "day": 29}, {"kind": "yearly"},
    {"kind": "monthly", "window": ((1, 1), (1, 2))}, {"kind": "yearly", "window": ((2, 29), (3, 1))},
    {"kind": "yearly", "window": ((3, 2), (3, 1))},
])
def test_schedule_refuses_bad_fields(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        Schedule(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "today", "first", "last"), [
    ("monthly", "2026-01-01", "2026-01-01", "2026-01-31"),
    ("monthly", "2026-01-31", "2026-01-01", "2026-01-31"),
    ("monthly", "2026-02-28", "2026-02-01", "2026-02-28"),
    ("monthly", "2028-02-29", "2028-02-01", "2028-02-29"),
    ("monthly", "2026-04-30", "2026-04-01", "2026-04-30"),
    ("monthly", "2026-12-31", "2026-12-01", "2026-12-31"),
    ("monthly", "2027-01-01", "2027-01-01", "2027-01-31"),
    ("monthly:25", "2026-03-24", "2026-02-25", "2026-03-24"),
    ("monthly:25", "2026-03-25", "2026-03-25", "2026-04-24"),
    ("monthly:25", "2026-01-10", "2025-12-25", "2026-01-24"),
    ("monthly:25", "2026-12-25", "2026-12-25", "2027-01-24"),
    ("monthly:28", "2028-02-29", "2028-02-28", "2028-03-27"),
    ("monthly:28", "2028-03-27", "2028-02-28", "2028-03-27"),
    ("quarterly", "2026-01-01", "2026-01-01", "2026-03-31"),
    ("quarterly", "2026-03-31", "2026-01-01", "2026-03-31"),
    ("quarterly", "2026-04-01", "2026-04-01", "2026-06-30"),
    ("quarterly", "2026-12-31", "2026-10-01", "2026-12-31"),
    ("quarterly", "2027-01-01", "2027-01-01", "2027-03-31"),
    ("quarterly:15", "2026-04-14", "2026-01-15", "2026-04-14"),
    ("quarterly:15", "2026-04-15", "2026-04-15", "2026-07-14"),
    ("quarterly:15", "2026-05-02", "2026-04-15", "2026-07-14"),
    ("quarterly:15", "2026-01-03", "2025-10-15", "2026-01-14"),
    ("yearly:03-25..03-30", "2026-03-25", "2026-03-25", "2026-03-30"),
    ("yearly:03-25..03-30", "2026-03-30", "2026-03-25", "2026-03-30"),
    ("yearly:12-25..12-31", "2026-12-31", "2026-12-25", "2026-12-31"),
    ("yearly:02-28..03-01", "2028-02-29", "2028-02-28", "2028-03-01"),
    ("yearly:07-04..07-04", "2026-07-04", "2026-07-04", "2026-07-04"),
])
def test_period_boundaries(text: str, today: str, first: str, last: str) -> None:
    assert parse_schedule(text).period(D(today)) == (D(first), D(last))


@pytest.mark.parametrize(("text", "today"), [
    ("yearly:03-25..03-30", "2026-03-24"), ("yearly:03-25..03-30", "2026-03-31"),
    ("yearly:03-25..03-30", "2026-01-01"), ("yearly:12-25..12-31", "2027-01-01"),
    ("yearly:02-20..02-28", "2028-02-29"), ("off", "2026-11-05"),
])
def test_no_period_outside_the_window_or_when_off(text: str, today: str) -> None:
    assert parse_schedule(text).period(D(today)) is None


@pytest.mark.parametrize(("text", "today", "expected"), [
    ("monthly", "2026-11-15", "2026-12-01"),
    ("monthly", "2026-12-31", "2027-01-01"),
    ("monthly", "2026-12-01", "2027-01-01"),
    ("monthly:25", "2026-03-24", "2026-03-25"),
    ("monthly:25", "2026-03-25", "2026-04-25"),
    ("quarterly", "2026-03-31", "2026-04-01"),
    ("quarterly", "2026-11-15", "2027-01-01"),
    ("quarterly:10", "2026-04-09", "2026-04-10"),
    ("yearly:03-25..03-30", "2026-03-24", "2026-03-25"),
    ("yearly:03-25..03-30", "2026-03-25", "2027-03-25"),
    ("yearly:03-25..03-30", "2026-04-01", "2027-03-25"),
    ("yearly:12-25..12-31", "2026-12-31", "2027-12-25"),
])
def test_next_start(text: str, today: str, expected: str) -> None:
    assert parse_schedule(text).next_start(D(today)) == D(expected)


def test_off_has_no_next_start() -> None:
    assert parse_schedule("off").next_start(D("2026-11-05")) is None


def test_due_without_runs() -> None:
    assert due(parse_schedule("monthly"), D("2026-11-05"), []) == Due(
        True, (D("2026-11-01"), D("2026-11-30")), None, D("2026-12-01"),
        "due: no evaluation yet in the period 2026-11-01 – 2026-11-30",
        "已到评估期：2026-11-01 至 2026-11-30 尚未评估")


def test_due_when_runs_are_before_the_period_or_after_today() -> None:
    result = due(parse_schedule("monthly"), D("2026-11-05"), [D("2026-10-31"), D("2026-11-06")])
    assert result.due and result.last_run is None


@pytest.mark.parametrize("run", ["2026-11-01", "2026-11-02", "2026-11-20"])
def test_not_due_after_a_run_in_the_period(run: str) -> None:
    result = due(parse_schedule("monthly"), D("2026-11-20"), [D("2026-10-01"), D(run)])
    assert not result.due and result.last_run == D(run)
    assert result.reason_en == (f"not due: evaluated on {run} for the period 2026-11-01 – 2026-11-30; "
                                "next period starts 2026-12-01")
    assert result.reason_zh == (f"无需评估：2026-11-01 至 2026-11-30 已于 {run} 评估；"
                                "下一评估期 2026-12-01 开始")


def test_last_run_is_the_latest_in_the_period_and_runs_may_be_any_iterable() -> None:
    runs = (d for d in [D("2026-11-03"), D("2026-11-10"), D("2026-11-07")])
    assert due(parse_schedule("monthly"), D("2026-11-20"), runs).last_run == D("2026-11-10")


def test_datetimes_count_by_their_day() -> None:
    runs = [datetime(2026, 11, 1, 6, 30)]
    assert due(parse_schedule("monthly"), D("2026-11-20"), runs).last_run == D("2026-11-01")


def test_monthly_25_on_the_24th_and_25th() -> None:
    schedule, runs = parse_schedule("monthly:25"), [D("2026-02-26")]
    assert not due(schedule, D("2026-03-24"), runs).due
    assert due(schedule, D("2026-03-25"), runs).due


def test_quarterly_on_the_quarter_change() -> None:
    schedule, runs = parse_schedule("quarterly"), [D("2026-01-01")]
    assert not due(schedule, D("2026-03-31"), runs).due
    assert due(schedule, D("2026-04-01"), runs).due


def test_yearly_outside_the_window() -> None:
    assert due(parse_schedule("yearly:03-25..03-30"), D("2026-04-02"), []) == Due(
        False, None, None, D("2027-03-25"),
        "not due: outside the evaluation window 25 Mar – 30 Mar; next window starts 2027-03-25",
        "未到评估期：不在评估窗口 3月25日至3月30日 内；下一窗口 2027-03-25 开始")


def test_yearly_inside_the_window() -> None:
    schedule = parse_schedule("yearly:03-25..03-30")
    assert due(schedule, D("2026-03-27"), [D("2025-03-26")]).due
    result = due(schedule, D("2026-03-27"), [D("2026-03-25")])
    assert not result.due and result.period == (D("2026-03-25"), D("2026-03-30"))
    assert result.reason_en.endswith("next window starts 2027-03-25")
    assert result.reason_zh.endswith("下一窗口 2027-03-25 开始")


def test_off_is_never_due() -> None:
    assert due(parse_schedule("off"), D("2026-11-05"), []) == Due(
        False, None, None, None, "schedule is off", "评估周期已关闭（off）")


@pytest.mark.parametrize(("text", "en", "zh"), [
    ("monthly", "monthly, from day 1", "每月（从 1 日起）"),
    ("monthly:25", "monthly, from day 25", "每月（从 25 日起）"),
    ("quarterly", "quarterly, from day 1 of the quarter's first month", "每季度（从季度首月 1 日起）"),
    ("quarterly:15", "quarterly, from day 15 of the quarter's first month", "每季度（从季度首月 15 日起）"),
    ("yearly:03-25..03-30", "every year 25 Mar – 30 Mar", "每年 3月25日至3月30日"),
    ("yearly:12-25..12-31", "every year 25 Dec – 31 Dec", "每年 12月25日至12月31日"),
    ("off", "off (never due)", "关闭（不自动评估）"),
])
def test_describe_in_both_languages(text: str, en: str, zh: str) -> None:
    schedule = parse_schedule(text)
    assert schedule.describe("en") == en
    assert schedule.describe("zh") == zh


def test_settings_check_the_schedule(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in Settings.model_fields:
        monkeypatch.delenv(f"TIERWISE_{name.upper()}", raising=False)
    assert Settings(schedule="yearly:03-25..03-30").schedule == "yearly:03-25..03-30"
    with pytest.raises(ConfigError, match="weekly"):
        Settings.from_env(schedule="weekly")


def _yearly(days: list[date]) -> Schedule:
    first, last = sorted(days)
    return Schedule("yearly", window=((first.month, first.day), (last.month, last.day)))


SCHEDULES = st.one_of(
    st.just(Schedule("off")),
    st.builds(Schedule, st.sampled_from(["monthly", "quarterly"]), st.integers(1, 28)),
    st.lists(st.dates(date(2001, 1, 1), date(2001, 12, 31)), min_size=2, max_size=2).map(_yearly),
)


@given(SCHEDULES, st.dates(date(1950, 1, 1), date(2150, 12, 31)), st.lists(st.integers(-500, 40)))
def test_a_run_today_settles_what_is_due(schedule: Schedule, today: date, offsets: list[int]) -> None:
    runs = [today + timedelta(days=n) for n in offsets]
    result = due(schedule, today, runs)
    period = schedule.period(today)
    assert result.period == period
    if period is not None:
        assert period[0] <= today <= period[1]
        assert result.due == (not any(period[0] <= r <= today for r in runs))
    else:
        assert not result.due
    following = schedule.next_start(today)
    assert (following is None) == (schedule.kind == "off")
    assert following is None or following > today
    if result.due:
        assert not due(schedule, today, [today]).due
        assert not due(schedule, today, [*runs, today]).due
