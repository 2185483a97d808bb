"""The organiser's meeting form over a local cache: the "New meeting" button for those
who may organise, the form filling ``meetings.save_meeting`` (the queued outbox args),
rules refused in words in the dialog, a change note required once published, and the
organiser's actions (publish, cancel) queued from the 我的会议 detail."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from modules.meetings import intents as I
from modules.meetings import rules as R
from modules.meetings.views.form import ChoiceField, MeetingForm
from modules.meetings.views.mine import MyMeetings
from office_app import tasks
from office_app.bus import ChangeBus
from office_app.context import AppContext
from office_app.settings import AppSettings
from sync.cache import LocalCache, outbox
from sync.local import apply_server_changes
from tests.documents_client.support import LocalEngine
from tests.meetings.test_views import ME, _booking, _published_meeting, _room, at


def _person(pid: str, name: str, body: str = "b-1") -> dict[str, Any]:
    return {"id": pid, "name": name, "active": True, "posts": [
        {"body_id": body, "body_name": "测试局", "title": "科员", "roles": ["staff"],
         "is_primary": True, "sort_order": 1}]}


@pytest.fixture
def cache() -> Iterator[LocalCache]:
    c = LocalCache(None)
    rows: list[Any] = [((I.ROOM, r["id"]), r, n) for n, r in enumerate([_room(1), _room(2)], 1)]
    rows.append(((I.BOOKING, "mb-aaaa-3"), _booking("mb-aaaa-3", 1, at(15), at(16), R.CONFIRMED,
                                                   holder="p-1", name="张伟"), 10))
    rows += [(("directory.body", b["id"]), b, 20 + n) for n, b in enumerate([
        {"id": "b-1", "name": "测试局", "kind": "body", "parent_id": None},
        {"id": "b-2", "name": "财政局", "kind": "body", "parent_id": None}])]
    rows += [(("directory.person", p["id"]), p, 30 + n) for n, p in enumerate([
        _person("p-1", "张伟"), _person("p-2", "李娜"), _person("p-3", "王芳"),
        _person("p-4", "刘洋"), _person("p-5", "陈静")])]
    with c.write() as s:
        apply_server_changes(s, rows, principal=ME)
    yield c
    c.close()


def _mine(qtbot: QtBot, cache: LocalCache, tmp_path: Path,
          principal: dict[str, Any] = ME) -> MyMeetings:
    ctx = AppContext(AppSettings.at_path(tmp_path / "s.ini"), principal, cache=cache,
                     engine=LocalEngine(cache, principal), bus=ChangeBus())  # type: ignore[arg-type]
    widget = MyMeetings(ctx)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.loaded, timeout=10_000):
        widget.reload()
    return widget


@pytest.fixture
def mine(qtbot: QtBot, cache: LocalCache, tmp_path: Path) -> MyMeetings:
    return _mine(qtbot, cache, tmp_path)


def _open(qtbot: QtBot, mine: MyMeetings, meeting: dict[str, Any] | None = None) -> MeetingForm:
    form = mine.organiser.open_form(meeting)
    qtbot.waitUntil(lambda: form.host.count() > 0 and form.data.hosts != [], timeout=10_000)
    return form


def _choose(qtbot: QtBot, field: ChoiceField, text: str) -> None:
    field.picker.box.setText(text)
    field.picker.searcher.flush()
    qtbot.waitUntil(lambda: field.picker.results.count() > 0, timeout=10_000)
    field.picker.results.setCurrentRow(0)


def _set(edit: Any, when: dt.datetime) -> None:
    from modules.meetings.views.form import _qdt

    edit.setDateTime(_qdt(when))


def _queued(cache: LocalCache, name: str) -> list[dict[str, Any]]:
    with cache.read() as s:
        return [dict(r.args) for r in s.execute(outbox.select().where(outbox.c.name == name))]


def test_the_form_fills_the_save_meeting_args(qtbot: QtBot, mine: MyMeetings,
                                              cache: LocalCache) -> None:
    assert not mine.new_meeting.isHidden()
    form = _open(qtbot, mine)
    assert form.data.hosts == [("b-1", "测试局")]
    form.subject.setText("季度工作会")
    form.kind.setCurrentIndex(form.kind.findText("专题会"))
    _set(form.start, at(15))
    _set(form.end, at(16))
    form.booking.setCurrentIndex(form.booking.findData("mb-aaaa-3"))  # my booking then
    assert form.booking.currentData() == "mb-aaaa-3"
    _choose(qtbot, form.chair, "张伟")
    _choose(qtbot, form.invitees, "李娜")
    _choose(qtbot, form.invitees, "wangfang")  # by pinyin
    _choose(qtbot, form.observers, "刘洋")
    _choose(qtbot, form.staff, "陈静")
    _choose(qtbot, form.bodies, "财政")
    _choose(qtbot, form.contact, "陈静")
    form.phone.setText("0571-1234")
    form.has_reply_by.setChecked(True)
    _set(form.reply_by, at(12))
    form.notes.setPlainText("请带材料")
    form._accept()
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=10_000)
    [args] = _queued(cache, I.SAVE_MEETING.name)
    assert args["meeting_id"] == form.meeting_id and args["meeting_id"].startswith("mt-")
    assert (args["subject"], args["kind"], args["host_body_id"]) == ("季度工作会", "专题会", "b-1")
    assert args["chair_id"] == "p-1" and args["booking_id"] == "mb-aaaa-3"
    assert args["invitees"] == ["p-2", "p-3"] and args["observers"] == ["p-4"]
    assert args["staff"] == ["p-5"] and args["bodies"] == ["b-2"]
    assert args["contact_id"] == "p-5" and args["contact_phone"] == "0571-1234"
    assert R.parse_time(args["start"]) == at(15) and R.parse_time(args["end"]) == at(16)
    assert R.parse_time(args["reply_by"]) == at(12) and args["notes"] == "请带材料"
    assert "server confirms" in mine.status.text() or "服务器" in mine.status.text()


def test_a_bad_time_is_refused_in_words(qtbot: QtBot, mine: MyMeetings, cache: LocalCache) -> None:
    form = _open(qtbot, mine)
    form.subject.setText("倒着开的会")
    _set(form.start, at(11))
    _set(form.end, at(10))
    form._accept()
    assert form.isVisible() and form.error.isVisible()
    assert "结束时间须晚于开始时间" in form.error.text() or "end must be after" in form.error.text()
    _set(form.end, at(12))
    form.booking.setCurrentIndex(form.booking.findData("mb-aaaa-3"))  # 15:00–16:00 only
    assert form.booking.currentIndex() <= 0  # not offered: it does not overlap
    form.has_reply_by.setChecked(True)
    _set(form.reply_by, at(11, 30))
    form._accept()
    assert "回执截止" in form.error.text() or "reply deadline" in form.error.text()
    assert tasks.wait_for_idle(5000)
    assert _queued(cache, I.SAVE_MEETING.name) == []


def test_a_booking_not_covering_the_meeting_is_refused(qtbot: QtBot, mine: MyMeetings) -> None:
    form = _open(qtbot, mine)
    form.subject.setText("超时的会")
    _set(form.start, at(15))
    _set(form.end, at(17))  # the booking ends at 16:00
    form.booking.setCurrentIndex(form.booking.findData("mb-aaaa-3"))
    form._accept()
    assert "16:00" in form.error.text()


def test_a_published_meeting_needs_a_change_note(qtbot: QtBot, mine: MyMeetings,
                                                 cache: LocalCache) -> None:
    record = _published_meeting(at(9))
    with cache.write() as s:
        apply_server_changes(s, [((I.MEETING, record["id"]), record, 200)], principal=ME)
    with qtbot.waitSignal(mine.loaded, timeout=10_000):
        mine.reload()
    assert mine.organiser.isVisibleTo(mine) and mine.organiser.edit.isVisibleTo(mine)
    assert not mine.organiser.publish.isVisibleTo(mine)  # already published
    form = _open(qtbot, mine, mine.current())
    assert form.subject.text() == "年度工作部署会" and form.place.text() == "三楼报告厅"
    assert form.invitees.ids() == ["p-1", "p-2"]
    form.place.setText("五楼会议室")
    form._accept()
    assert "变更说明" in form.error.text() or "say what changes" in form.error.text()
    form.change_note.setText("地点改到五楼")
    form._accept()
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=10_000)
    [args] = _queued(cache, I.SAVE_MEETING.name)
    assert args["meeting_id"] == "mt-view-1" and args["change_note"] == "地点改到五楼"
    assert args["place"] == "五楼会议室" and args["invitees"] == ["p-1", "p-2"]


def test_a_draft_is_listed_for_its_organiser_and_published_from_the_detail(
        qtbot: QtBot, mine: MyMeetings, cache: LocalCache) -> None:
    record = {**_published_meeting(at(9)), "state": "draft", "state_words": "草稿"}
    with cache.write() as s:
        apply_server_changes(s, [((I.MEETING, record["id"]), record, 200)], principal=ME)
    with qtbot.waitSignal(mine.loaded, timeout=10_000):
        mine.reload()
    assert [m["id"] for m in mine.model.rows()] == ["mt-view-1"]
    assert "草稿" in mine.model.data(mine.model.index(0, 0))
    assert mine.organiser.publish.isVisibleTo(mine)
    mine.organiser.publish.click()
    qtbot.waitUntil(lambda: _queued(cache, I.PUBLISH_MEETING.name) != [], timeout=10_000)
    assert _queued(cache, I.PUBLISH_MEETING.name) == [{"meeting_id": "mt-view-1"}]


def test_staff_without_organiser_rights_see_no_new_meeting_button(
        qtbot: QtBot, cache: LocalCache, tmp_path: Path) -> None:
    staff = {"person_id": "p-1", "name": "张伟", "posts": [
        {"post_id": "post-1", "body_id": "b-1", "title": "科员", "roles": ["staff"], "is_primary": True}]}
    widget = _mine(qtbot, cache, tmp_path, staff)
    assert widget.data.hosts == [] and widget.new_meeting.isHidden()
    assert widget.organiser.isHidden()


def test_book_a_room_now_offers_the_new_booking(qtbot: QtBot, mine: MyMeetings,
                                                cache: LocalCache) -> None:
    form = _open(qtbot, mine)
    form.subject.setText("临时协调会")
    _set(form.start, at(10))
    _set(form.end, at(11))
    form.book_now.click()
    dialog = form.book_dialog
    assert dialog is not None and dialog.subject.text() == "临时协调会"
    assert dialog.interval() == (at(10), at(11))
    dialog.room.setCurrentIndex(dialog.room.findData("mr-test-2"))
    dialog._accept()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    [booked] = _queued(cache, I.BOOK_ROOM.name)
    assert form.booking.currentData() == booked["booking_id"]
    form._accept()
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=10_000)
    [args] = _queued(cache, I.SAVE_MEETING.name)
    assert args["booking_id"] == booked["booking_id"]


def test_cancelling_asks_for_a_reason_and_queues_it(qtbot: QtBot, mine: MyMeetings,
                                                    cache: LocalCache,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QInputDialog

    record = _published_meeting(at(9))
    with cache.write() as s:
        apply_server_changes(s, [((I.MEETING, record["id"]), record, 200)], principal=ME)
    with qtbot.waitSignal(mine.loaded, timeout=10_000):
        mine.reload()
    answers = iter([("", True), ("领导临时出差", True)])
    monkeypatch.setattr(QInputDialog, "getText", lambda *_a, **_k: next(answers))
    mine.organiser.cancel.click()  # no reason: refused in words, nothing queued
    assert "原因" in mine.status.text() or "reason" in mine.status.text()
    mine.organiser.cancel.click()
    qtbot.waitUntil(lambda: _queued(cache, I.CANCEL_MEETING.name) != [], timeout=10_000)
    assert _queued(cache, I.CANCEL_MEETING.name) == [{"meeting_id": "mt-view-1",
                                                       "reason": "领导临时出差"}]


def test_the_form_offers_the_meeting_types_the_deployment_published(
        qtbot: QtBot, mine: MyMeetings, cache: LocalCache) -> None:
    from modules.meetings import meeting as M

    with cache.write() as s:
        apply_server_changes(s, [((M.KINDS, "all"), {"id": "all", "kinds": ["务虚会", "专题会"]},
                                  900)], principal=ME)
    form = _open(qtbot, mine)
    qtbot.waitUntil(lambda: form.data.kinds == ("务虚会", "专题会"), timeout=10_000)
    assert [form.kind.itemText(i) for i in range(form.kind.count())] == ["务虚会", "专题会"]
    assert form.kind.findText("办公会") < 0
