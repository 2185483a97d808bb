"""日程: the meetings calendar tab — day / week / month over the user's meetings around the
2026 National Day break (holidays 休 and the make-up Saturday 班 marked from the
working-day calendar), overlapping meetings side by side, a click opening the meeting in
我的会议, the phone-width agenda; models through qtmodeltester; screenshots."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPointF
from pytestqt.qtbot import QtBot

from modules.common.access import ActorFacts, BodyFacts, PostFacts
from modules.meetings import intents as I
from modules.meetings import rules as R
from modules.meetings.views import calendar_view as C
from modules.meetings.views.page import MeetingsPage
from office_app.app import setup_application
from office_app.bus import ChangeBus
from office_app.context import AppContext
from office_app.settings import AppSettings
from sync.cache import LocalCache
from sync.local import apply_server_changes
from tests.documents_client.support import LocalEngine

ME = {"person_id": "p-1", "name": "张伟", "posts": [
    {"post_id": "post-1", "body_id": "b-1", "title": "科员", "roles": ["staff"], "is_primary": True}]}
HOST = BodyFacts("b-1", "测试局", "b-1", ("b-1",))
ORGANISER = ActorFacts("p-9", (PostFacts("b-1", "b-1", frozenset({"secretary"})),))
ANCHOR = dt.date(2026, 10, 8)  # the week of 10-05 … 10-11


def at(day: str, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, minute), R.CHINA)


def meeting(n: int, subject: str, start: dt.datetime, minutes: int,
            cancel: bool = False) -> dict[str, Any]:
    args = I.SAVE_MEETING.parse({
        "meeting_id": f"mt-cal-{n}", "subject": subject, "kind": "专题会", "host_body_id": "b-1",
        "start": start.isoformat(), "end": (start + dt.timedelta(minutes=minutes)).isoformat(),
        "place": f"{n}楼会议室", "invitees": ["p-1"]})
    now = at("2026-09-01", 9)
    draft = I.save_meeting(None, args, ORGANISER, "王秘书", HOST, {"p-1": "张伟"}, {}, None, now)
    published = I.publish_meeting(draft, I.MeetingArgs(meeting_id=f"mt-cal-{n}"), ORGANISER,
                                  None, now)
    if cancel:
        published = {**published, "state": "cancelled"}
    return published


@pytest.fixture
def cache() -> Iterator[LocalCache]:
    c = LocalCache(None)
    records = [
        meeting(1, "节后工作部署会", at("2026-10-09", 9), 120),
        meeting(2, "安全生产专题会", at("2026-10-09", 10), 120),   # overlaps 1
        meeting(3, "调休日例会", at("2026-10-10", 14), 90),         # the make-up Saturday
        meeting(4, "月度经济运行分析会", at("2026-10-20", 9), 60),
        meeting(5, "九月例会", at("2026-09-15", 9), 60),
        meeting(6, "已取消的协调会", at("2026-10-08", 15), 60, cancel=True),
    ]
    rows: list[Any] = [((I.MEETING, r["id"]), r, n) for n, r in enumerate(records, 1)]
    rows.append((("directory.body", "b-1"), {"id": "b-1", "name": "测试局", "kind": "body",
                                             "parent_id": None}, 99))
    with c.write() as s:
        apply_server_changes(s, rows, principal=ME)
    yield c
    c.close()


@pytest.fixture
def page(qtbot: QtBot, cache: LocalCache, tmp_path: Path) -> MeetingsPage:
    ctx = AppContext(AppSettings.at_path(tmp_path / "s.ini"), ME, cache=cache,
                     engine=LocalEngine(cache, ME), bus=ChangeBus())  # type: ignore[arg-type]
    ctx.attach()
    widget = MeetingsPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    with qtbot.waitSignal(widget.calendar_tab.loaded, timeout=10_000):
        widget.calendar_tab.set_anchor(ANCHOR)
    return widget


def test_days_steps_and_titles() -> None:
    assert C.visible_days(C.DAY, ANCHOR) == [ANCHOR]
    week = C.visible_days(C.WEEK, ANCHOR)
    assert (week[0], week[-1]) == (dt.date(2026, 10, 5), dt.date(2026, 10, 11))
    month = C.visible_days(C.MONTH, ANCHOR)
    assert (month[0], month[-1], len(month)) == (dt.date(2026, 9, 28), dt.date(2026, 11, 1), 35)
    assert C.step(C.MONTH, dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert C.step(C.MONTH, dt.date(2026, 12, 5), 1) == dt.date(2027, 1, 5)
    assert C.step(C.WEEK, ANCHOR, -1) == dt.date(2026, 10, 1)
    assert C.title(C.WEEK, ANCHOR) == "2026年10月5日–11日"
    assert C.title(C.DAY, ANCHOR) == "2026年10月8日 星期四"
    assert C.title(C.MONTH, ANCHOR) == "2026年10月"


def test_overlapping_meetings_share_the_slot_side_by_side() -> None:
    one, two, three = (meeting(1, "a", at("2026-10-09", 9), 120),
                       meeting(2, "b", at("2026-10-09", 10), 120),
                       meeting(3, "c", at("2026-10-09", 13), 30))
    day = dt.date(2026, 10, 9)
    placed = C.lanes(C.blocks_by_day([one, two, three], [day])[day])
    assert [(b.id, lane, n) for b, lane, n in placed] == [
        ("mt-cal-1", 0, 2), ("mt-cal-2", 1, 2), ("mt-cal-3", 0, 1)]


def test_the_week_draws_the_meetings_and_marks_the_holiday(page: MeetingsPage, qtbot: QtBot) -> None:
    cal = page.calendar_tab
    assert cal.view == C.WEEK and cal.heading.text() == "2026年10月5日–11日"
    marks = cal.data.marks
    assert marks[dt.date(2026, 10, 5)].kind == "holiday" and marks[dt.date(2026, 10, 5)].badge() == "休"
    assert marks[dt.date(2026, 10, 10)].kind == "makeup_workday"
    assert marks[dt.date(2026, 10, 10)].badge() == "班"
    assert dt.date(2026, 10, 9) not in marks
    cal.canvas.grab()  # paint once
    rects = cal.canvas.meeting_rects()
    assert set(rects) == {"mt-cal-1", "mt-cal-2", "mt-cal-3", "mt-cal-6"}
    assert rects["mt-cal-1"].right() <= rects["mt-cal-2"].left() + 1  # side by side
    assert rects["mt-cal-1"].top() < rects["mt-cal-2"].top()         # 09:00 above 10:00
    assert rects["mt-cal-3"].left() > rects["mt-cal-2"].left()       # Saturday's column
    # a click on a meeting opens it in 我的会议
    cal.canvas.click_at(rects["mt-cal-3"].center())
    assert page.tabs.currentWidget() is page.mine_meetings
    qtbot.waitUntil(lambda: (page.mine_meetings.current() or {}).get("id") == "mt-cal-3",
                    timeout=10_000)


def test_the_month_lists_each_dates_meetings_and_a_date_opens_its_day(
        page: MeetingsPage, qtbot: QtBot) -> None:
    cal = page.calendar_tab
    with qtbot.waitSignal(cal.loaded, timeout=10_000):
        cal.set_view(C.MONTH)
    assert {m["id"] for m in cal.data.meetings} == {"mt-cal-1", "mt-cal-2", "mt-cal-3",
                                                   "mt-cal-4", "mt-cal-6"}
    cal.canvas.grab()
    assert "mt-cal-4" in cal.canvas.meeting_rects()
    # an empty part of the 10-20 cell (below its line) opens that day
    line = cal.canvas.meeting_rects()["mt-cal-4"]
    with qtbot.waitSignal(cal.loaded, timeout=10_000):
        cal.canvas.click_at(QPointF(line.center().x(), line.bottom() + 30))
    assert cal.view == C.DAY and cal.anchor == dt.date(2026, 10, 20)
    assert [m["id"] for m in cal.data.meetings] == ["mt-cal-4"]
    with qtbot.waitSignal(cal.loaded, timeout=10_000):
        cal.go(-1)
    assert cal.anchor == dt.date(2026, 10, 19)


def test_phone_width_is_a_day_agenda(page: MeetingsPage, qtbot: QtBot, qtmodeltester: Any) -> None:
    cal = page.calendar_tab
    with qtbot.waitSignal(cal.loaded, timeout=10_000):
        page.set_compact(True)
    assert cal.view == C.DAY and cal.stack.currentWidget() is cal.agenda
    with qtbot.waitSignal(cal.loaded, timeout=10_000):
        cal.set_anchor(dt.date(2026, 10, 9))
    rows = cal.agenda_model.rows()
    assert [r.block.id if r.block else r.id for r in rows] == ["day:2026-10-09", "mt-cal-1", "mt-cal-2"]
    assert "节后工作部署会" in cal.agenda_model.data(cal.agenda_model.index(1, 0))
    qtmodeltester.check(cal.agenda_model)
    with qtbot.waitSignal(cal.loaded, timeout=10_000):
        cal.set_view(C.WEEK)  # the week as an agenda: dates with meetings or a mark
    texts = [cal.agenda_model.data(cal.agenda_model.index(i, 0))
             for i in range(cal.agenda_model.rowCount())]
    assert texts[0].startswith("10月5日 星期一 · 国庆节")
    assert any(t.startswith("10月10日 星期六 · 调休上班") or "10月10日 星期六 · " in t for t in texts)
    assert any("已取消" in t or "cancelled" in t for t in texts)
    qtmodeltester.check(cal.agenda_model)
    with qtbot.waitSignal(cal.meeting_chosen, timeout=5_000) as chosen:
        cal._agenda_picked(next(i for i, r in enumerate(cal.agenda_model.rows()) if r.block))
    assert chosen.args and str(chosen.args[0]).startswith("mt-cal-")


def test_screenshots_at_both_widths(page: MeetingsPage, qtbot: QtBot, qapp: Any,
                                   tmp_path: Path) -> None:
    settings = AppSettings.at_path(tmp_path / "look.ini")
    settings.theme = "light"
    setup_application(qapp, settings)
    out = Path(os.environ.get("OFFICE_SHOTS", str(tmp_path)))
    cal = page.calendar_tab
    page.tabs.setCurrentWidget(cal)
    page.show()
    for name, view in (("week", C.WEEK), ("month", C.MONTH)):
        with qtbot.waitSignal(cal.loaded, timeout=10_000):
            cal.set_view(view)
        page.resize(1280, 860)
        qtbot.wait(30)
        path = out / f"meetings-calendar-{name}-1280.png"
        assert page.grab().save(str(path)) and path.stat().st_size > 0
    # phone width: the tab on its own (the page's width is the widest of its tabs)
    phone = C.MeetingsCalendar(page.context)
    qtbot.addWidget(phone)
    with qtbot.waitSignal(phone.loaded, timeout=10_000):
        phone.set_compact(True)
        phone.set_anchor(dt.date(2026, 10, 9))
    phone.resize(390, 700)
    phone.show()
    qtbot.wait(30)
    assert phone.width() == 390 and phone.minimumSizeHint().width() <= 390
    path = out / "meetings-calendar-day-390.png"
    assert phone.grab().save(str(path)) and path.stat().st_size > 0
