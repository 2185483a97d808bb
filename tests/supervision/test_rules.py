"""Supervision rules: deadlines on the official calendar, lights and their sentences, the
state machine as a table that refuses wrong steps in words."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from modules.calendar.rules import DayEntry, add_working_days, load_seed
from modules.common.errors import Conflict
from modules.supervision import rules as R

TABLE = load_seed()
D = dt.date


def item(**over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"state": R.IN_PROGRESS, "assigned_on": "2026-09-28",
                            "deadline_days": 5, "due": "2026-10-10", "cycle": "none"}
    return {**base, **over}


@pytest.mark.parametrize(("start", "n", "due"), [
    (D(2026, 9, 28), 5, D(2026, 10, 10)),   # a make-up Saturday
    (D(2026, 2, 13), 1, D(2026, 2, 14)),
    (D(2026, 9, 30), 1, D(2026, 10, 8)),
    (D(2026, 4, 30), 3, D(2026, 5, 8)),
])
def test_the_checked_calendar_examples_drive_the_deadline(start: D, n: int, due: D) -> None:
    found = R.deadline({"assigned_on": start.isoformat(), "deadline_days": n}, TABLE)
    assert found.day == due and not found.provisional


def test_a_fixed_date_is_the_deadline_itself() -> None:
    assert R.deadline({"due": "2026-12-03", "deadline_days": None}, TABLE).day == D(2026, 12, 3)


def test_green_with_time_left_yellow_at_a_fifth_red_when_overdue() -> None:
    green = R.light(item(), D(2026, 9, 29), TABLE)
    assert green.colour == R.GREEN and green.zh == "距办结时限还剩4个工作日（10月10日）"
    yellow = R.light(item(), D(2026, 10, 9), TABLE)  # 1 of 5 working days left
    assert yellow.colour == R.YELLOW and yellow.zh == "距办结时限还剩1个工作日（10月10日）"
    assert yellow.words() == "黄灯：距办结时限还剩1个工作日（10月10日）"
    assert yellow.en == "1 working day left until the deadline (Oct 10)"
    red = R.light(item(), D(2026, 10, 12), TABLE)
    assert red.colour == R.RED and red.overdue
    assert red.zh == "已逾期1个工作日（办结时限10月10日）"
    assert red.words("en") == "red: overdue by 1 working day (deadline Oct 10)"


def test_the_holiday_is_not_counted_in_the_days_left() -> None:
    # 9月30日 to 10月10日: the National Day break leaves one working day (10月10日) plus 10月9日
    assert R.light(item(), D(2026, 9, 30), TABLE).days_left == 3  # 10-08, 10-09, 10-10


def test_the_sentence_of_the_brief_deadline_near_and_a_feedback_late() -> None:
    it = item(assigned_on="2026-11-19", deadline_days=10, due="2026-12-03", cycle="weekly",
              last_report_on="2026-11-23")
    found = R.light(it, D(2026, 12, 1), TABLE)
    assert found.colour == R.YELLOW
    assert found.zh == "距办结时限还剩2个工作日（12月3日），上次反馈已超期1个工作日"
    assert found.en == ("2 working days left until the deadline (Dec 3); "
                        "the next feedback is 1 working day late")


def test_a_late_feedback_alone_makes_it_yellow() -> None:
    it = item(assigned_on="2026-11-02", deadline_days=40, due="2026-12-28", cycle="working_days",
              cycle_days=5, last_report_on="2026-11-16")
    found = R.light(it, D(2026, 11, 25), TABLE)  # feedback due 11-23
    assert found.colour == R.YELLOW and "上次反馈已超期2个工作日" in found.zh


def test_lights_are_data_a_deployment_may_replace() -> None:
    strict = (R.LightRule(R.RED, "overdue"), R.LightRule(R.RED, "days_left_at_most", 3))
    assert R.light(item(), D(2026, 10, 8), TABLE, strict).colour == R.RED
    assert R.light(item(), D(2026, 9, 29), TABLE, strict).colour == R.GREEN


def test_a_year_without_data_is_provisional_and_says_so_then_is_recomputed() -> None:
    it = item(assigned_on="2026-12-28", deadline_days=10, due="2027-01-11")
    first = R.deadline(it, TABLE)
    assert first.provisional and first.day == D(2027, 1, 11)
    found = R.light(it, D(2026, 12, 29), TABLE)
    assert found.provisional and "2027年节假日安排尚未录入" in found.zh
    assert "2027 holiday schedule has not been entered" in found.en
    entered = TABLE.with_year(2027, [DayEntry(D(2027, 1, 1), "holiday", "元旦"),
                                     DayEntry(D(2027, 1, 4), "holiday", "元旦")], 2)
    later = R.deadline(it, entered)
    assert not later.provisional and later.day == D(2027, 1, 13)
    assert not R.light(it, D(2026, 12, 29), entered).provisional


def test_a_closed_item_is_grey() -> None:
    assert R.light(item(state=R.DONE), D(2026, 12, 1), TABLE).colour == R.GREY


def test_feedback_cycles() -> None:
    weekly = item(cycle="weekly", assigned_on="2026-09-24")
    assert R.feedback_due(weekly, TABLE) == D(2026, 10, 8)  # 10-01 is a holiday
    monthly = item(cycle="monthly", last_report_on="2026-01-31")
    assert R.feedback_due(monthly, TABLE) == D(2026, 2, 28)  # a make-up Saturday
    every = item(cycle="working_days", cycle_days=1, last_report_on="2026-09-30")
    assert R.feedback_due(every, TABLE) == add_working_days(D(2026, 9, 30), 1, TABLE).day
    assert R.feedback_due(item(), TABLE) is None


def test_a_wrong_step_is_refused_in_words() -> None:
    with pytest.raises(Conflict) as err:
        R.next_state(R.ASSIGNED, "request_completion")
    assert err.value.code == "supervision.wrong_state"
    assert err.value.message() == "该督办事项已交办，不能申请办结。"
    assert err.value.message("en") == "This item is assigned; you cannot request completion now."
    with pytest.raises(Conflict) as closed:
        R.next_state(R.DONE, "report", closed_by="王主任", closed_at="2026-12-01 10:00")
    assert closed.value.message() == "该督办事项已由王主任于2026-12-01 10:00办结，不能反馈。"


def test_verify_accepts_or_returns() -> None:
    assert R.next_state(R.COMPLETION_REQUESTED, "verify") == R.DONE
    assert R.next_state(R.COMPLETION_REQUESTED, "verify", accept=False) == R.RETURNED
    assert R.next_state(R.RETURNED, "report") == R.IN_PROGRESS


@given(st.lists(st.sampled_from(sorted(R.ACTION_WORDS)), max_size=30), st.booleans())
def test_no_sequence_of_actions_reaches_an_illegal_state(actions: list[str], accept: bool) -> None:
    state = ""
    for action in actions:
        try:
            new = R.next_state(state, action, accept=accept)
        except Conflict:
            continue
        assert new in R.STATE_WORDS
        # nothing leaves a final state (销号 and the report keep it)
        assert state not in R.FINAL or (action in R.AFTER_CLOSE and new == state)
        if new == R.DONE:
            assert state == R.COMPLETION_REQUESTED
        state = new
