"""办理时限 of incoming documents in working days, pure: "N个工作日内" from the day of 登记
over the National Day holiday, where a document stands against it (left, today, overdue),
provisional in a year without holiday data, a finished one never overdue."""

from __future__ import annotations

import datetime as dt

from modules.calendar.service import seed
from modules.documents import time_limit

TABLE = seed()


def test_n_working_days_after_registration_skip_the_holiday_and_count_the_make_up_day() -> None:
    assert time_limit.due_after(dt.date(2026, 9, 28), 5, TABLE).day == dt.date(2026, 10, 10)
    assert time_limit.due_after(dt.date(2026, 9, 30), 1, TABLE).day == dt.date(2026, 10, 8)


def test_a_row_says_how_many_working_days_are_left_or_overdue() -> None:
    left = time_limit.limit_of("2026-10-10", dt.date(2026, 9, 28), TABLE)
    assert left is not None and left.days_left == 5 and not left.overdue
    assert left.words() == "办理时限10月10日，剩5个工作日"
    assert left.words("en") == "due Oct 10, 5 working days left"
    today = time_limit.limit_of("2026-10-10", dt.date(2026, 10, 10), TABLE)
    assert today is not None and today.words() == "今天到期（办理时限10月10日）"
    late = time_limit.limit_of("2026-09-30", dt.date(2026, 10, 9), TABLE)  # 10-8, 10-9
    assert late is not None and late.overdue_days == 2
    assert late.words() == "已逾期2个工作日（办理时限9月30日）"
    on_holiday = time_limit.limit_of("2026-09-30", dt.date(2026, 10, 3), TABLE)
    assert on_holiday is not None and on_holiday.overdue_days == 1  # past it, even on a holiday


def test_finished_missing_and_provisional() -> None:
    done = time_limit.limit_of("2026-09-30", dt.date(2026, 10, 9), TABLE, done=True)
    assert done is not None and not done.overdue and done.words() == "办理时限9月30日"
    assert done.short() == "时限9月30日" and done.short("en") == "due Sep 30"
    late = time_limit.limit_of("2026-09-30", dt.date(2026, 10, 9), TABLE)
    assert late is not None and late.short() == "逾期2个工作日"
    assert time_limit.limit_of(None, dt.date(2026, 10, 9), TABLE) is None
    assert time_limit.limit_of("not a date", dt.date(2026, 10, 9), TABLE) is None
    future = time_limit.limit_of("2099-03-02", dt.date(2099, 2, 20), TABLE)
    assert future is not None and future.provisional and future.words().endswith("（暂定）")
    assert future.short() == "剩6个工作日（暂定）"
    assert future.words("en").endswith("(provisional)")
    far = time_limit.limit_of("2026-10-10", dt.date(1990, 1, 1), TABLE)
    assert far is not None and not far.overdue  # decades away: no failure in a list
