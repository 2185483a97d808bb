"""Repeat rules of recurring meetings (例会) over the real 2026 holiday calendar: weekly
and monthly rules, their ends and caps, holidays skipped or moved to the next working
day, 调休 make-up days counting as working days, and years without data (weekends only,
provisional)."""

from __future__ import annotations

import datetime as dt

import pytest

from modules.calendar.service import seed
from modules.common.errors import ValidationFailed
from modules.meetings import recurrence as RC
from modules.meetings import series as S
from modules.meetings.rules import CHINA

D = dt.date
TABLE = seed()


def at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), CHINA)


def expand(rule: RC.Rule, first: dt.date, hour: int = 9) -> RC.Expansion:
    return RC.expand(rule, at(first, hour), at(first, hour) + dt.timedelta(hours=2), TABLE)


def days(e: RC.Expansion) -> list[dt.date]:
    return [o.day for o in e.occurrences]


def test_the_2026_calendar_is_there() -> None:
    assert TABLE.covers(2026) and not TABLE.covers(2027)


def test_weekly_every_two_weeks_on_monday_and_thursday() -> None:
    rule = RC.Rule(RC.WEEKLY, interval=2, weekdays=(0, 3), until=D(2026, 6, 30))
    e = expand(rule, D(2026, 6, 3))  # a Wednesday: its week's Thursday is the first
    assert days(e) == [D(2026, 6, 4), D(2026, 6, 15), D(2026, 6, 18), D(2026, 6, 29)]
    assert [o.index for o in e.occurrences] == [0, 1, 2, 3]
    assert all(o.start.astimezone(CHINA).hour == 9 and o.end - o.start == dt.timedelta(hours=2)
               for o in e.occurrences)


def test_weekly_without_weekdays_uses_the_first_meetings_day_and_a_count() -> None:
    e = expand(RC.Rule(RC.WEEKLY, count=3), D(2026, 11, 4), hour=15)
    assert days(e) == [D(2026, 11, 4), D(2026, 11, 11), D(2026, 11, 18)]
    assert e.occurrences[0].start == dt.datetime(2026, 11, 4, 7, 0, tzinfo=dt.UTC)


def test_monthly_on_a_day_uses_the_last_day_of_short_months() -> None:
    e = expand(RC.Rule(RC.MONTHLY, month_day=31, count=4, holidays=RC.MOVE), D(2026, 1, 31))
    # 1-31 Sat → Mon 2-2; 2-28 is a Saturday but a 春节 make-up working day: kept
    assert [o.original for o in e.occurrences] == [D(2026, 1, 31), D(2026, 2, 28),
                                                   D(2026, 3, 31), D(2026, 4, 30)]
    assert days(e) == [D(2026, 2, 2), D(2026, 2, 28), D(2026, 3, 31), D(2026, 4, 30)]
    assert e.occurrences[0].moved and not e.occurrences[2].moved


def test_monthly_on_the_second_tuesday_and_the_last_friday() -> None:
    second_tuesday = expand(RC.Rule(RC.MONTHLY, nth=2, weekday=1, count=3), D(2026, 3, 1))
    assert days(second_tuesday) == [D(2026, 3, 10), D(2026, 4, 14), D(2026, 5, 12)]
    every_other = expand(RC.Rule(RC.MONTHLY, interval=2, nth=-1, weekday=4,
                                 until=D(2026, 8, 31)), D(2026, 3, 1))
    assert days(every_other) == [D(2026, 3, 27), D(2026, 5, 29), D(2026, 7, 31)]


def test_guoqing_skipped() -> None:
    """A Thursday series over 国庆 2026 (10-01..07): 10-01 goes, with its reason."""
    e = expand(RC.Rule(RC.WEEKLY, weekdays=(3,), until=D(2026, 10, 15)), D(2026, 9, 17))
    assert days(e) == [D(2026, 9, 17), D(2026, 9, 24), D(2026, 10, 8), D(2026, 10, 15)]
    [gone] = e.skipped
    assert gone.original == D(2026, 10, 1) and gone.why == "国庆节"
    assert gone.why_en == "National Day" and gone.merged_into is None


def test_guoqing_moved_to_the_next_working_day() -> None:
    """A Monday series: 10-05 (国庆) moves to Thursday 10-08, the first working day."""
    e = expand(RC.Rule(RC.WEEKLY, weekdays=(0,), count=4, holidays=RC.MOVE), D(2026, 9, 21))
    assert days(e) == [D(2026, 9, 21), D(2026, 9, 28), D(2026, 10, 8), D(2026, 10, 12)]
    moved = e.occurrences[2]
    assert moved.original == D(2026, 10, 5) and moved.moved and e.skipped == ()


def test_a_moved_date_that_lands_on_the_next_occurrence_is_dropped_and_said() -> None:
    """Thursday 10-01 would move to Thursday 10-08, which the series meets anyway."""
    e = expand(RC.Rule(RC.WEEKLY, weekdays=(3,), count=3, holidays=RC.MOVE), D(2026, 9, 24))
    assert days(e) == [D(2026, 9, 24), D(2026, 10, 8)]
    [merged] = e.skipped
    assert merged.original == D(2026, 10, 1) and merged.merged_into == D(2026, 10, 8)


def test_zhongqiu_friday_moves_over_the_weekend() -> None:
    """Friday 09-25 is 中秋; 09-26/27 are holidays too: the meeting is on Monday 09-28."""
    e = expand(RC.Rule(RC.WEEKLY, weekdays=(4,), count=2, holidays=RC.MOVE), D(2026, 9, 18))
    assert days(e) == [D(2026, 9, 18), D(2026, 9, 28)]


def test_makeup_working_days_count_as_working_days() -> None:
    """调休上班: Sunday 09-20 and Saturday 10-10 are working days, other weekend days and
    the 中秋 / 国庆 weekend days are not."""
    e = expand(RC.Rule(RC.WEEKLY, weekdays=(5, 6), until=D(2026, 10, 11)), D(2026, 9, 19))
    assert days(e) == [D(2026, 9, 20), D(2026, 10, 10)]
    reasons = {s.original: s.why for s in e.skipped}
    assert reasons[D(2026, 9, 19)] == "周末" and reasons[D(2026, 9, 26)] == "中秋节"
    assert reasons[D(2026, 10, 3)] == "国庆节" and D(2026, 10, 10) not in reasons


def test_a_rule_never_adds_a_makeup_day_by_itself() -> None:
    """A Friday series around 10-10 (a make-up Saturday) stays on Fridays."""
    e = expand(RC.Rule(RC.WEEKLY, weekdays=(4,), count=3), D(2026, 10, 2))
    assert days(e) == [D(2026, 10, 9), D(2026, 10, 16)]  # 10-02 is 国庆: skipped
    assert e.skipped[0].original == D(2026, 10, 2)


def test_a_year_without_data_counts_weekends_only_and_is_provisional() -> None:
    e = expand(RC.Rule(RC.WEEKLY, weekdays=(4,), count=3, holidays=RC.MOVE), D(2026, 12, 25))
    # 2027-01-01 is a Friday (元旦 in fact) but 2027 is not entered yet: kept, provisional
    assert days(e) == [D(2026, 12, 25), D(2027, 1, 1), D(2027, 1, 8)]
    assert [o.provisional for o in e.occurrences] == [False, True, True]
    assert e.missing_years == (2027,)


def test_count_counts_the_skipped_dates_too() -> None:
    """As iCalendar's COUNT with EXDATE: 4 dates, one of them 国庆, three meetings."""
    e = expand(RC.Rule(RC.WEEKLY, weekdays=(3,), count=4), D(2026, 9, 17))
    assert days(e) == [D(2026, 9, 17), D(2026, 9, 24), D(2026, 10, 8)]


@pytest.mark.parametrize(("rule", "code"), [
    (RC.Rule(RC.WEEKLY), "meetings.bad_rule"),  # no end
    (RC.Rule(RC.WEEKLY, count=3, until=D(2026, 9, 1)), "meetings.bad_rule"),  # both ends
    (RC.Rule(RC.WEEKLY, until=D(2026, 1, 1)), "meetings.bad_rule"),  # end before start
    (RC.Rule(RC.MONTHLY, count=3), "meetings.bad_rule"),  # no day of month
    (RC.Rule(RC.MONTHLY, count=3, month_day=3, nth=1), "meetings.bad_rule"),
    (RC.Rule(RC.WEEKLY, weekdays=(7,), count=2), "meetings.bad_rule"),
    (RC.Rule(RC.WEEKLY, weekdays=(0, 1, 2, 3, 4), until=D(2027, 6, 1)), "meetings.series_too_long"),
    (RC.Rule(RC.WEEKLY, count=105), "meetings.series_too_long"),
    (RC.Rule(RC.WEEKLY, weekdays=(5,), count=2), "meetings.series_empty"),  # Saturdays, no make-up
])
def test_bad_rules_are_refused_in_words(rule: RC.Rule, code: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        expand(rule, D(2026, 3, 2))
    assert caught.value.code == code
    assert caught.value.message("zh_CN") and caught.value.message("en")


def test_dates_past_year_9999_are_refused_in_words() -> None:
    late = D(9999, 12, 20)
    for rule in (RC.Rule(RC.WEEKLY, count=5), RC.Rule(RC.MONTHLY, month_day=20, count=3),
                 RC.Rule(RC.WEEKLY, weekdays=(6,), count=2, holidays=RC.MOVE)):
        with pytest.raises(ValidationFailed) as caught:
            RC.expand(rule, at(late), at(late, 10), TABLE)
        assert caught.value.code in ("meetings.bad_rule", "meetings.series_empty")


def test_the_cap_allows_104_meetings() -> None:
    e = expand(RC.Rule(RC.WEEKLY, weekdays=(1, 3), count=104, holidays=RC.MOVE), D(2026, 1, 6))
    assert len(e.occurrences) + len(e.skipped) == 104


def test_rule_words() -> None:
    rule = RC.Rule(RC.WEEKLY, interval=2, weekdays=(0, 2), until=D(2026, 12, 31),
                   holidays=RC.MOVE)
    assert RC.describe(rule) == "每2周的周一、周三，至2026年12月31日（遇节假日顺延）"
    assert RC.describe(rule, "en") == ("every 2 weeks on Mon, Wed, until 2026-12-31 "
                                       "(holidays: next working day)")
    assert RC.describe(RC.Rule(RC.MONTHLY, nth=2, weekday=1, count=6)) == \
        "每月第2个星期二，共6次（遇节假日跳过）"
    assert RC.Rule.from_args(rule.to_dict()) == rule


def test_a_conflict_in_words_names_the_day_the_holder_and_until_when() -> None:
    p = S.Problem(3, D(2026, 10, 8), at(D(2026, 10, 8)), at(D(2026, 10, 8), 11), "第一会议室",
                  holder="张三", held_from=at(D(2026, 10, 8), 10), held_until=at(D(2026, 10, 8), 12))
    assert p.words() == "10月8日（第一会议室10:00–12:00已被张三预订）"
    assert p.words("en") == "2026-10-08 (第一会议室 booked by 张三 10:00–12:00)"
    refusal = S.refusal([p], 12)
    assert refusal.code == "meetings.series_conflicts"
    assert "12次" in refusal.message("zh_CN") and "1 of the 12" in refusal.message("en")
