"""督办看数: statistics per lead unit and overall, over items built by the real effects
with real working-day deadlines across the 2026 National Day holiday (2026-09-28 + 5
working days = 2026-10-10, a make-up Saturday)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest

from modules.calendar.service import seed
from modules.common.access import ActorFacts, BodyFacts, PostFacts
from modules.supervision import intents as I
from modules.supervision import rules as R
from modules.supervision import stats as S

SUPERVISOR = BodyFacts("b-szj", "省政数局", "b-szj", ("b-szj",))
STAFF = ActorFacts("p-sec", (PostFacts("b-szj", "b-szj", frozenset({"secretary"})),))
CLERKS = {
    "b-city": ActorFacts("p-city", (PostFacts("b-city", "b-city", frozenset({"registry_clerk"})),)),
    "b-county": ActorFacts("p-cty", (PostFacts("b-county", "b-county", frozenset({"registry_clerk"})),)),
}
LEADER = ActorFacts("p-lead", (PostFacts("b-szj", "b-szj", frozenset({"leader"})),))
NAMES = {"b-city": "市政数局", "b-county": "县政数局"}
TABLE = seed()
TODAY = dt.date(2026, 10, 12)  # a Monday after the National Day break


def at(day: str, hour: int = 10) -> dt.datetime:
    """``hour`` o'clock China time on ``day``."""
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), R.CHINA)


def item(n: int, unit: str, assigned: str, days: int, *, source: str = "other",
         grade: str = "normal") -> dict[str, Any]:
    args = I.REGISTER.parse({"item_id": f"sv-stat-{n}", "body_id": "b-szj", "title": f"事项{n}",
                             "leader_id": "p-lead", "lead_unit_id": unit, "deadline_days": days,
                             "source": source, "grade": grade})
    return I.register(None, args, STAFF, "王秘书", SUPERVISOR, (unit, NAMES[unit]), [], "局长",
                      f"督字〔2026〕{n}号", at(assigned), TABLE)


def done(record: dict[str, Any], asked: str, accepted: str) -> dict[str, Any]:
    clerk = CLERKS[record["lead_unit_id"]]
    record = I.acknowledge(record, I.ACKNOWLEDGE.parse({"item_id": record["id"]}), clerk, "陈",
                           at(record["assigned_on"], 15))
    record = I.request_completion(record, I.REQUEST_COMPLETION.parse(
        {"item_id": record["id"], "report": "已完成"}), clerk, "陈", at(asked))
    return I.verify(record, I.VERIFY.parse({"item_id": record["id"], "accept": True}), STAFF,
                    "王秘书", at(accepted))


@pytest.fixture(scope="module")
def items() -> list[dict[str, Any]]:
    a = done(item(1, "b-city", "2026-09-28", 5, source="instruction"), "2026-10-10", "2026-10-12")
    b = done(item(2, "b-city", "2026-09-28", 5, source="instruction", grade="urgent"),
             "2026-10-11", "2026-10-12")
    c = item(3, "b-city", "2026-09-30", 1, source="meeting")                 # due 10-08: overdue
    d = item(4, "b-county", "2026-10-09", 3, source="meeting")               # due 10-13: this week
    e = item(5, "b-county", "2026-10-09", 10, grade="important")             # due 10-22: green
    clerk = CLERKS["b-county"]
    e = I.acknowledge(e, I.ACKNOWLEDGE.parse({"item_id": e["id"]}), clerk, "李", at("2026-10-09", 11))
    e = I.request_extension(e, I.REQUEST_EXTENSION.parse(
        {"item_id": e["id"], "new_due": "2026-10-30", "reason": "需协调"}), clerk, "李",
        at("2026-10-10"), TABLE)
    e = I.decide_extension(e, I.DECIDE_EXTENSION.parse({"item_id": e["id"], "approve": True}),
                           LEADER, "局长", at("2026-10-11"), TABLE)
    old = item(6, "b-county", "2026-09-01", 5)
    old = I.cancel(old, I.CANCEL.parse({"item_id": old["id"], "reason": "不再需要"}), STAFF,
                   "王秘书", at("2026-09-20"))                               # closed before October
    draft_args = I.REGISTER.parse({"item_id": "sv-stat-7", "body_id": "b-szj", "title": "草稿",
                                   "lead_unit_id": "b-city", "deadline_days": 3, "draft": True})
    draft = I.register(None, draft_args, STAFF, "王秘书", SUPERVISOR, ("b-city", "市政数局"), [],
                       "", "", at("2026-10-09"), TABLE)
    return [a, b, c, d, e, old, draft]


def test_the_deadlines_are_working_days_across_the_holiday(items: list[dict[str, Any]]) -> None:
    due = {i["id"][-1]: i["due"] for i in items}
    assert due["1"] == "2026-10-10"      # 09-28 + 5: the make-up Saturday
    assert due["3"] == "2026-10-08"      # 09-30 + 1: the first working day after the break
    assert due["4"] == "2026-10-13"      # 10-09 + 3: Sat 10-10 (make-up), Mon 12, Tue 13
    assert due["5"] == "2026-10-30"      # extended by the leader


def test_the_month_overall(items: list[dict[str, Any]]) -> None:
    stats = S.compute(items, TODAY, TABLE, S.MONTH)
    assert stats.span == S.Period(S.MONTH, dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    total = stats.total
    assert total.items == 5                                   # no draft, no September closing
    assert total.by_state == {R.DONE: 2, R.ASSIGNED: 2, R.IN_PROGRESS: 1}
    assert total.by_light == {R.RED: 1, R.YELLOW: 0, R.GREEN: 2, R.GREY: 2}
    assert (total.due, total.on_time, total.done) == (3, 1, 2)  # 1, 2 and the overdue 3
    assert total.on_time_rate == pytest.approx(1 / 3)
    assert total.rate_words() == "33.3%"
    assert total.overdue == 1 and total.due_this_week == 1
    assert (total.extensions, total.extensions_approved) == (1, 1)
    assert total.by_source == {"instruction": 2, "meeting": 2, "other": 1}
    assert total.by_grade == {"normal": 3, "urgent": 1, "important": 1}
    assert total.alerts == ["sv-stat-3"]


def test_per_unit(items: list[dict[str, Any]]) -> None:
    stats = S.compute(items, TODAY, TABLE, S.MONTH)
    by = {u.key: u for u in stats.units}
    assert [u.name for u in stats.units] == ["县政数局", "市政数局"]
    city, county = by["b-city"], by["b-county"]
    assert (city.items, city.due, city.on_time, city.overdue) == (3, 3, 1, 1)
    assert (county.items, county.due, county.on_time, county.due_this_week) == (2, 0, 0, 1)
    assert county.on_time_rate is None and county.rate_words() == "—"
    assert county.extensions == 1


def test_a_day_late_by_the_completion_request_is_late(items: list[dict[str, Any]]) -> None:
    # item 2 asked for completion on Sunday 10-11, the day after its deadline
    stats = S.compute([items[1]], TODAY, TABLE, S.MONTH)
    assert (stats.total.due, stats.total.on_time, stats.total.done) == (1, 0, 1)
    assert S.completed_on(items[1]) == dt.date(2026, 10, 11)


def test_filters_and_longer_periods(items: list[dict[str, Any]]) -> None:
    assert S.compute(items, TODAY, TABLE, S.MONTH, unit_id="b-county").total.items == 2
    assert S.compute(items, TODAY, TABLE, S.MONTH, source="meeting").total.items == 2
    year = S.compute(items, TODAY, TABLE, S.YEAR)
    assert year.total.items == 6 and year.total.by_state[R.CANCELLED] == 1
    # the September cancellation is neither due nor done
    assert (year.total.due, year.total.done) == (3, 2)
    quarter = S.compute(items, TODAY, TABLE, S.QUARTER)
    assert quarter.span.first == dt.date(2026, 10, 1) and quarter.span.last == dt.date(2026, 12, 31)
    assert quarter.total.items == 5


def test_periods_and_weeks() -> None:
    assert S.period(S.QUARTER, dt.date(2026, 2, 28)) == S.Period(
        S.QUARTER, dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert S.period(S.MONTH, dt.date(2026, 12, 5)).last == dt.date(2026, 12, 31)
    assert S.period(S.MONTH, dt.date(2028, 2, 5)).last == dt.date(2028, 2, 29)
    assert S.week_of(dt.date(2026, 10, 18)) == (dt.date(2026, 10, 12), dt.date(2026, 10, 18))
    with pytest.raises(ValueError):
        S.period("decade", TODAY)


def test_the_csv_has_the_period_the_units_and_the_total(items: list[dict[str, Any]]) -> None:
    text = S.to_csv(S.compute(items, TODAY, TABLE, S.MONTH))
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["本月 2026-10-01 – 2026-10-31"]
    assert rows[1][:3] == ["牵头单位", "事项数", "红灯"]
    assert rows[2][0] == "县政数局" and rows[3][0] == "市政数局"
    total = dict(zip(rows[1], rows[4], strict=True))
    assert total["牵头单位"] == "合计" and total["事项数"] == "5" and total["按期办结率"] == "33.3%"
    english = list(csv.reader(io.StringIO(S.to_csv(S.compute(items, TODAY, TABLE), "en")[1:])))
    assert english[1][0] == "Lead unit" and english[-1][0] == "Total"
