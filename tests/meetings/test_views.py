"""The 会议 page over a local cache: the day grid, booking through the dialog (the
booking shows at once as 待确认; a slot the device knows is taken is refused in words in
the dialog), my bookings, approvals; every item model through qtmodeltester."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from modules.meetings import intents as I
from modules.meetings import meeting as M
from modules.meetings import rules as R
from modules.meetings.views.models import BookingListModel, RoomListModel
from modules.meetings.views.page import MeetingsPage
from office_app import tasks
from office_app.bus import ChangeBus
from office_app.context import AppContext
from office_app.settings import AppSettings
from sync.cache import LocalCache
from sync.local import apply_server_changes
from tests.documents_client.support import LocalEngine

ME = {"person_id": "p-1", "name": "张伟", "posts": [
    {"post_id": "post-1", "body_id": "b-1", "title": "秘书", "roles": ["secretary"], "is_primary": True}]}
TOMORROW = (dt.datetime.now(R.CHINA) + dt.timedelta(days=1)).date()


def at(h: int, m: int = 0) -> dt.datetime:
    return dt.datetime.combine(TOMORROW, dt.time(h, m), R.CHINA)


def _room(i: int, **extra: Any) -> dict[str, Any]:
    room = R.Room(f"mr-test-{i}", "b-1", f"第{i}会议室", floor=f"{i}楼", capacity=10 * i,
                  equipment=frozenset({"projector"}), **extra)
    return {**room.to_dict(), "body_name": "测试局", "organ_id": "b-1", "organs_above": ["b-1"]}


def _booking(i: str, room: int, start: dt.datetime, end: dt.datetime, state: str,
             holder: str = "p-2", name: str = "李娜") -> dict[str, Any]:
    return {"id": i, "room_id": f"mr-test-{room}", "room_name": f"第{room}会议室", "body_id": "b-1",
            "start": I.iso(start), "end": I.iso(end), "subject": f"会议{i}", "people": 5,
            "state": state, "state_words": R.STATE_WORDS[state][0], "holder_id": holder,
            "holder_name": name, "decided_by": "", "decided_by_name": "", "decided_at": None,
            "note": "", "created_at": I.iso(start), "updated_at": I.iso(start)}


@pytest.fixture
def cache() -> Iterator[LocalCache]:
    c = LocalCache(None)
    rows: list[Any] = [((I.ROOM, r["id"]), r, n) for n, r in enumerate(
        [_room(1), _room(2, needs_approval=True), _room(3, closed_reason="装修")], 1)]
    rows += [((I.BOOKING, b["id"]), b, 10 + n) for n, b in enumerate([
        _booking("mb-aaaa-1", 1, at(9), at(11), R.CONFIRMED),
        _booking("mb-aaaa-2", 2, at(14), at(15), R.HELD),
        _booking("mb-aaaa-3", 1, at(15), at(16), R.CONFIRMED, holder="p-1", name="张伟"),
    ])]
    rows.append((("directory.body", "b-1"), {"id": "b-1", "name": "测试局", "kind": "body",
                                             "parent_id": None}, 99))
    with c.write() as s:
        apply_server_changes(s, rows, principal=ME)
    yield c
    c.close()


@pytest.fixture
def page(qtbot: QtBot, cache: LocalCache, tmp_path: Path) -> MeetingsPage:
    engine = LocalEngine(cache, ME)
    ctx = AppContext(AppSettings.at_path(tmp_path / "s.ini"), ME, cache=cache, engine=engine,  # type: ignore[arg-type]
                     bus=ChangeBus())
    ctx.attach()
    widget = MeetingsPage(ctx)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.loaded, timeout=10_000):
        pass
    with qtbot.waitSignal(widget.loaded, timeout=10_000):
        widget.set_day(TOMORROW)
    return widget


def _settle(qtbot: QtBot, page: MeetingsPage) -> None:
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        pass


def test_the_grid_shows_every_room_with_its_bookings_of_the_day(page: MeetingsPage,
                                                                 qtbot: QtBot) -> None:
    rows = {r.room.id: [b["id"] for b in r.bookings] for r in page.grid.rows()}
    assert rows == {"mr-test-1": ["mb-aaaa-1", "mb-aaaa-3"],
                    "mr-test-2": ["mb-aaaa-2"], "mr-test-3": []}
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.set_day(TOMORROW + dt.timedelta(days=1))
    assert all(not r.bookings for r in page.grid.rows())


def test_booking_through_the_dialog_shows_at_once_as_waiting(page: MeetingsPage, qtbot: QtBot,
                                                              cache: LocalCache) -> None:
    dialog = page.open_booking("mr-test-1", at(11))
    assert dialog.free_note.text() == ""
    assert [f.room.id for f in dialog.free_model.rows()] == ["mr-test-1", "mr-test-2"]
    dialog.subject.setText("周例会")
    dialog._accept()
    _settle(qtbot, page)
    mine = [b for b in page.mine_model.rows() if b["subject"] == "周例会"]
    assert len(mine) == 1 and mine[0]["state"] == R.REQUESTED
    assert mine[0]["start"] == I.iso(at(11)) and mine[0]["end"] == I.iso(at(12))
    grid = {r.room.id: [b["subject"] for b in r.bookings] for r in page.grid.rows()}
    assert "周例会" in grid["mr-test-1"]


def test_a_taken_slot_is_refused_in_the_dialog_with_who_holds_it(page: MeetingsPage,
                                                                  qtbot: QtBot) -> None:
    dialog = page.open_booking("mr-test-1", at(10))
    assert [f.room.id for f in dialog.free_model.rows()] == ["mr-test-2"]  # room 1 is taken
    dialog.subject.setText("撞车的会")
    dialog._accept()
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=10_000)
    assert "李娜" in dialog.error.text() and "09:00" in dialog.error.text()
    assert dialog.isVisible()
    assert tasks.wait_for_idle(5000)
    assert not [b for b in page.mine_model.rows() if b["subject"] == "撞车的会"]


def test_a_secretary_sees_the_held_booking_to_approve_and_approves_it(page: MeetingsPage,
                                                                      qtbot: QtBot) -> None:
    assert [b["id"] for b in page.approve_model.rows()] == ["mb-aaaa-2"]
    page.approve_list.setCurrentIndex(page.approve_model.index(0, 0))
    page._decide(True)
    _settle(qtbot, page)
    assert page.approve_model.rows() == []


def test_my_bookings_lists_mine(page: MeetingsPage) -> None:
    assert [b["id"] for b in page.mine_model.rows()] == ["mb-aaaa-3"]


def test_models_pass_the_model_tester(qtmodeltester: Any, page: MeetingsPage) -> None:
    qtmodeltester.check(page.mine_model)
    qtmodeltester.check(page.approve_model)
    model = RoomListModel()
    model.set_rows([R.FreeRoom(R.Room.from_dict(_room(1)), frozenset({"video"}))])
    qtmodeltester.check(model)
    assert "视频会议" in model.data(model.index(0, 0))
    empty = BookingListModel()
    qtmodeltester.check(empty)


def test_a_secretary_edits_a_room_and_the_intent_carries_the_form(page: MeetingsPage,
                                                                   qtbot: QtBot,
                                                                   cache: LocalCache) -> None:
    assert not page.add_room_button.isHidden()
    assert page.data.managed == [("b-1", "测试局")]
    dialog = page.open_room("mr-test-2")
    assert dialog is not None and dialog.name.text() == "第2会议室"
    assert dialog.needs_approval.isChecked()
    dialog.closed.setText("设备更新")
    dialog.equipment["video"].setChecked(True)
    dialog._accept()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    with cache.read() as s:
        from sync.cache import outbox

        row = s.execute(outbox.select().where(outbox.c.name == "meetings.save_room")).one()
    assert row.args["room_id"] == "mr-test-2" and row.args["closed_reason"] == "设备更新"
    assert row.args["equipment"] == ["projector", "video"] and row.args["needs_approval"] is True


def test_staff_manage_no_rooms(qtbot: QtBot, cache: LocalCache, tmp_path: Path) -> None:
    staff = {**ME, "posts": [{**ME["posts"][0], "roles": ["staff"]}]}
    ctx = AppContext(AppSettings.at_path(tmp_path / "s.ini"), staff, cache=cache,
                     engine=LocalEngine(cache, staff), bus=ChangeBus())  # type: ignore[arg-type]
    widget = MeetingsPage(ctx)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.loaded, timeout=10_000):
        pass
    assert widget.data.managed == [] and widget.add_room_button.isHidden()
    assert widget.open_room("mr-test-1") is None
    assert widget.approve_model.rows() == []  # a staff member approves nothing


def test_another_day_in_the_dialog_loads_that_days_bookings_first(page: MeetingsPage,
                                                                  qtbot: QtBot) -> None:
    dialog = page.open_booking("mr-test-1", at(10))
    assert [f.room.id for f in dialog.free_model.rows()] == ["mr-test-2"]
    dialog.day.setDate(dialog.day.date().addDays(1))  # nothing loaded for that day yet
    assert dialog.free_model.rows() == [] and dialog.free_note.text() != ""
    qtbot.waitUntil(lambda: len(dialog.free_model.rows()) == 2, timeout=10_000)
    assert dialog.free_note.text() == ""


def _published_meeting(start: dt.datetime) -> dict[str, Any]:
    from modules.common.access import ActorFacts, BodyFacts, PostFacts

    host = BodyFacts("b-1", "测试局", "b-1", ("b-1",))
    organiser = ActorFacts("p-9", (PostFacts("b-1", "b-1", frozenset({"secretary"})),))
    args = I.SAVE_MEETING.parse({
        "meeting_id": "mt-view-1", "subject": "年度工作部署会", "kind": "专题会",
        "host_body_id": "b-1", "start": start.isoformat(),
        "end": (start + dt.timedelta(hours=2)).isoformat(), "place": "三楼报告厅",
        "invitees": ["p-1", "p-2"], "notes": "请带笔记本电脑"})
    now = dt.datetime.now(dt.UTC)
    draft = I.save_meeting(None, args, organiser, "王秘书", host, {"p-1": "张伟", "p-2": "李娜"},
                           {}, None, now)
    return I.publish_meeting(draft, I.MeetingArgs(meeting_id="mt-view-1"), organiser, None, now)


def test_my_meetings_shows_the_meeting_and_a_reply_is_shown_at_once(
        page: MeetingsPage, qtbot: QtBot, cache: LocalCache, qtmodeltester: Any) -> None:
    record = _published_meeting(at(9))
    rows: list[Any] = [((I.MEETING, record["id"]), record, 200),
                       (("directory.person", "p-2"), {"id": "p-2", "name": "李娜", "posts": [
                           {"body_id": "b-1", "roles": ["staff"]}]}, 201)]
    with cache.write() as s:
        apply_server_changes(s, rows, principal=ME)
    mine = page.mine_meetings
    with qtbot.waitSignal(mine.loaded, timeout=10_000):
        mine.reload()
    assert [m["id"] for m in mine.model.rows()] == ["mt-view-1"]
    assert "年度工作部署会" in mine.model.data(mine.model.index(0, 0))
    assert "三楼报告厅" in mine.info.text() and "请带笔记本电脑" in mine.info.text()
    assert mine.attend.isEnabled() and mine.data.colleagues == [("p-2", "李娜")]
    with qtbot.waitSignal(mine.loaded, timeout=10_000):
        mine.reply("attend")
    assert mine.data.replies["mt-view-1"]["answer"] == "attend"
    assert "参加" in mine.reply_state.text()
    qtmodeltester.check(mine.model)


def test_the_organiser_chases_the_replies_still_missing(
        page: MeetingsPage, qtbot: QtBot, cache: LocalCache) -> None:
    from sync.cache import outbox

    record = _published_meeting(at(9))
    with cache.write() as s:
        apply_server_changes(s, [((I.MEETING, record["id"]), record, 300)], principal=ME)
    mine = page.mine_meetings
    with qtbot.waitSignal(mine.loaded, timeout=10_000):
        mine.reload()
    assert not mine.chase.isHidden(), "a secretary of the host body sees 催办回执"
    mine.chase.click()
    qtbot.waitUntil(lambda: "server confirms" in mine.status.text() or "服务器" in mine.status.text(),
                    timeout=10_000)
    with cache.read() as s:
        rows = s.execute(outbox.select().where(outbox.c.name == "meetings.chase_replies")).all()
    assert len(rows) == 1
    # once everyone has answered there is nobody left to chase
    with qtbot.waitSignal(mine.loaded, timeout=10_000):
        mine.reply("attend")
    replies = [{"id": M.reply_id("mt-view-1", "p-2"), "meeting_id": "mt-view-1",
                "person_id": "p-2", "answer": "decline", "reason": "出差"}]
    with cache.write() as s:
        apply_server_changes(s, [((M.REPLY, r["id"]), r, 301) for r in replies], principal=ME)
    with qtbot.waitSignal(mine.loaded, timeout=10_000):
        mine.reload()
    assert mine.chase.isHidden()


def test_my_meetings_fits_a_phone_when_the_organiser_sees_every_action(
        page: MeetingsPage, qtbot: QtBot, cache: LocalCache) -> None:
    record = _published_meeting(at(9))
    with cache.write() as s:
        apply_server_changes(s, [((I.MEETING, record["id"]), record, 400)], principal=ME)
    mine = page.mine_meetings
    page.set_compact(True)
    with qtbot.waitSignal(mine.loaded, timeout=10_000):
        mine.reload()
    assert mine.organiser.isVisibleTo(page)
    page.resize(390, 844)
    page.show()
    qtbot.waitExposed(page)
    assert mine.organiser.minimumSizeHint().width() <= 390
    assert page.minimumSizeHint().width() <= 390, "the meeting detail holds the page wider than a phone"
    shown = [b for b in mine.organiser.findChildren(QPushButton) if b.isVisibleTo(page)]
    assert shown and all(b.geometry().right() <= mine.organiser.width() for b in shown)


def test_the_page_offers_its_screens_to_the_screenshot_command(
        page: MeetingsPage, qtbot: QtBot, cache: LocalCache, tmp_path: Path) -> None:
    from office_app.screenshot import _page_states

    record = _published_meeting(at(9))
    with cache.write() as s:
        apply_server_changes(s, [((I.MEETING, record["id"]), record, 500)], principal=ME)
    with qtbot.waitSignal(page.mine_meetings.loaded, timeout=10_000):
        page.mine_meetings.reload()
    names = [n for n, _ in page.screenshot_states()]
    assert names[:2] == ["calendar", "rooms"]
    assert "minutes" not in names  # nothing held: nothing to show there
    calendar = dict(page.screenshot_states())["calendar"]
    assert calendar() is None and page.tabs.currentWidget() is page.calendar_tab

    from PySide6.QtWidgets import QVBoxLayout, QWidget

    class Window(QWidget):  # what _page_states needs of the main window
        compact = False

        def page_widget(self, _key: str) -> MeetingsPage:
            return page

        def navigate(self, _key: str) -> None:
            pass

    window = Window()
    qtbot.addWidget(window)
    QVBoxLayout(window).addWidget(page)
    window.resize(1280, 800)
    window.show()
    shots = _page_states(window, "meetings", tmp_path, "1280x800", "")  # type: ignore[arg-type]
    assert [p.name for p in shots][:2] == ["1280x800-meetings-calendar.png",
                                          "1280x800-meetings-rooms.png"]
    assert all(p.stat().st_size > 1000 for p in shots)
    page.setParent(None)  # the page fixture closes it; the window must not delete it first
