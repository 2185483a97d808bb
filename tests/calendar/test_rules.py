"""The working-day calendar: the checked examples, every day against the source data,
years without data (never a crash, never a silent guess), and table validation."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest

from modules.calendar.rules import (
    HOLIDAY,
    MAKEUP_WORKDAY,
    DayEntry,
    HolidayTable,
    add_working_days,
    is_working_day,
    load_seed,
    working_days_between,
)
from modules.common.errors import ValidationFailed

SEED = load_seed()


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        (date(2026, 9, 28), 5, date(2026, 10, 10)),  # a make-up Saturday
        (date(2026, 2, 13), 1, date(2026, 2, 14)),  # a make-up Saturday
        (date(2026, 9, 30), 1, date(2026, 10, 8)),  # over the National Day break
        (date(2026, 4, 30), 3, date(2026, 5, 8)),  # over the Labour Day break
        (date(2026, 2, 12), 3, date(2026, 2, 24)),  # over the Spring Festival
        (date(2026, 12, 4), 1, date(2026, 12, 7)),  # Friday + 1 = Monday
    ],
)
def test_checked_examples(start: date, count: int, expected: date) -> None:
    deadline = add_working_days(start, count, SEED)
    assert deadline.day == expected
    assert not deadline.provisional and deadline.note() == ""


def test_every_day_agrees_with_the_source_data() -> None:
    day = date(2004, 1, 1)
    while day <= date(2026, 12, 31):
        assert is_working_day(day, SEED) == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)


def test_2026_has_248_working_days_and_the_six_make_up_days() -> None:
    count, missing = working_days_between(date(2025, 12, 31), date(2026, 12, 31), SEED)
    assert (count, missing) == (248, ())
    makeup = sorted(d for d, e in SEED.entries.items() if d.year == 2026 and e.kind == MAKEUP_WORKDAY)
    assert [d.strftime("%m-%d") for d in makeup] == ["01-04", "02-14", "02-28", "05-09", "09-20", "10-10"]


def test_a_year_without_data_counts_weekends_only_and_says_so() -> None:
    deadline = add_working_days(date(2026, 12, 25), 5, SEED)  # runs into 2027
    assert deadline.day == date(2027, 1, 1)  # Mon 28 … Thu 31 Dec, Fri 1 Jan (weekends only)
    assert deadline.provisional and deadline.missing_years == (2027,)
    assert deadline.note() == "2027年节假日安排尚未录入，时限按双休日暂定。"
    assert "2027 holiday schedule" in deadline.note("en")
    far = add_working_days(date(2027, 3, 1), 400, SEED)
    assert far.missing_years == (2027, 2028)


def test_entering_the_year_changes_the_provisional_answer() -> None:
    entries = [*SEED.entries.values(), DayEntry(date(2027, 1, 1), HOLIDAY, "元旦")]
    entered = HolidayTable.build([*SEED.years, 2027], entries, version=SEED.version + 1)
    deadline = add_working_days(date(2026, 12, 25), 5, entered)
    assert deadline.day == date(2027, 1, 4) and not deadline.provisional


def test_zero_days_means_this_day_or_the_next_working_day() -> None:
    assert add_working_days(date(2026, 10, 9), 0, SEED).day == date(2026, 10, 9)
    assert add_working_days(date(2026, 10, 1), 0, SEED).day == date(2026, 10, 8)


def test_days_left_and_days_overdue() -> None:
    assert working_days_between(date(2026, 9, 28), date(2026, 10, 10), SEED) == (5, ())
    assert working_days_between(date(2026, 10, 10), date(2026, 9, 28), SEED) == (-5, ())
    assert working_days_between(date(2026, 10, 9), date(2026, 10, 9), SEED) == (0, ())


@pytest.mark.parametrize("count", [-1, 10**6, True, 2.5, "3"])
def test_bad_counts_are_refused_in_words(count: object) -> None:
    with pytest.raises(ValidationFailed) as err:
        add_working_days(date(2026, 1, 5), count, SEED)  # type: ignore[arg-type]
    assert err.value.code == "calendar.bad_count"
    assert "工作日数" in err.value.message()


@pytest.mark.parametrize(
    ("entry", "years"),
    [
        (DayEntry(date(2027, 1, 1), "vacation"), [2027]),  # unknown kind
        (DayEntry(date(2028, 1, 1), HOLIDAY), [2027]),  # outside the years
        (DayEntry(date(2027, 1, 4), MAKEUP_WORKDAY), [2027]),  # a Monday
    ],
)
def test_bad_entries_are_refused(entry: DayEntry, years: list[int]) -> None:
    with pytest.raises(ValidationFailed) as err:
        HolidayTable.build(years, [entry])
    assert err.value.code == "calendar.bad_entry"


def test_a_day_twice_is_refused_and_json_round_trips() -> None:
    twice = [DayEntry(date(2027, 1, 1), HOLIDAY), DayEntry(date(2027, 1, 1), HOLIDAY)]
    with pytest.raises(ValidationFailed):
        HolidayTable.build([2027], twice)
    assert HolidayTable.from_json(SEED.to_json()) == SEED
    with pytest.raises(ValidationFailed):
        HolidayTable.from_json({"years": [2027], "days": [{"date": "2027-13-01", "kind": HOLIDAY}]})


def test_a_bad_entry_is_explained_in_each_language() -> None:
    from modules.calendar.rules import MAKEUP_WORKDAY, DayEntry, HolidayTable

    with pytest.raises(ValidationFailed) as caught:
        HolidayTable.build([2029], [DayEntry(date(2029, 3, 7), MAKEUP_WORKDAY, "春节")])
    assert "2029-03-07本是工作日" in caught.value.message("zh_CN")
    assert "is a weekday" in caught.value.message("en")
    assert "weekday" not in caught.value.message("zh_CN")
