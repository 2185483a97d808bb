"""The working-day counts are read from cached running counts per year: they must give
exactly what walking day by day gives — across year ends, in years the table lacks
(weekends only, noted as missing) and with a year entered later (a new table)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from modules.calendar.rules import (
    DayEntry,
    HolidayTable,
    add_working_days,
    is_working_day,
    working_days_between,
)
from modules.calendar.service import seed

SEED = seed()
DAYS = st.dates(min_value=date(2011, 1, 1), max_value=date(2029, 12, 31))


def walk_between(start: date, end: date, table: HolidayTable) -> tuple[int, tuple[int, ...]]:
    sign = 1
    if end < start:
        start, end, sign = end, start, -1
    missing, count, day = set(), 0, start
    while day < end:
        day += timedelta(days=1)
        if not table.covers(day.year):
            missing.add(day.year)
        count += is_working_day(day, table)
    return sign * count, tuple(sorted(missing))


def walk_add(start: date, count: int, table: HolidayTable) -> tuple[date, tuple[int, ...]]:
    missing, day, left = set(), start, count
    while left:
        day += timedelta(days=1)
        if not table.covers(day.year):
            missing.add(day.year)
        left -= is_working_day(day, table)
    return day, tuple(sorted(missing))


@settings(max_examples=400, deadline=None)
@given(DAYS, DAYS)
def test_between_is_the_walk(start: date, end: date) -> None:
    assert working_days_between(start, end, SEED) == walk_between(start, end, SEED)


@settings(max_examples=400, deadline=None)
@given(DAYS, st.integers(min_value=1, max_value=800))
def test_add_is_the_walk(start: date, count: int) -> None:
    found = add_working_days(start, count, SEED)
    assert (found.day, found.missing_years) == walk_add(start, count, SEED)


def test_the_checked_examples_and_a_year_entered_later() -> None:
    assert add_working_days(date(2026, 9, 28), 5, SEED).day == date(2026, 10, 10)
    assert add_working_days(date(2026, 9, 30), 1, SEED).day == date(2026, 10, 8)
    assert add_working_days(date(2026, 12, 30), 3, SEED).missing_years == (2027,)
    later = SEED.with_year(2027, [DayEntry(date(2027, 1, 1), "holiday", "元旦"),
                                  DayEntry(date(2027, 1, 4), "holiday", "元旦")], 99)
    # 12-31 (Thu) + 1: Fri 1 Jan is a holiday once 2027 is entered, Mon 4 Jan too
    assert add_working_days(date(2026, 12, 31), 1, SEED).day == date(2027, 1, 1)
    assert add_working_days(date(2026, 12, 31), 1, later).day == date(2027, 1, 5)
    assert working_days_between(date(2026, 12, 31), date(2027, 1, 8), later) == (4, ())
    assert working_days_between(date(2026, 12, 31), date(2027, 1, 8), SEED) == (6, (2027,))
    assert later == SEED.with_year(2027, [DayEntry(date(2027, 1, 1), "holiday", "元旦"),
                                          DayEntry(date(2027, 1, 4), "holiday", "元旦")], 99)
