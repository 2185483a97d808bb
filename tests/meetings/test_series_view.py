"""Recurring meetings in the meeting form, over a local cache: the repeat section and its
background preview (dates, holidays, the conflict with a cached booking, who holds the
room), the series refused in words until the organiser says to leave the conflicting
date out, ``meetings.create_series`` queued; changing and cancelling an occurrence asks
"this one / this and the following / all"; the preview model through qtmodeltester;
renders at 1280 and 390 px."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from modules.calendar.rules import is_working_day
from modules.calendar.service import seed
from modules.meetings import intents as I
from modules.meetings import meeting as M
from modules.meetings import rules as R
from modules.meetings.views.form import MeetingForm
from modules.meetings.views.mine import MyMeetings
from modules.meetings.views.recurrence import RepeatSection, ScopeDialog, preview_line
from sync.cache import LocalCache
from sync.local import apply_server_changes
from tests.meetings.test_form import _mine, _open, _person, _queued, _set
from tests.meetings.test_views import ME, _booking, _published_meeting, _room


def _first_day() -> dt.date:
    """The first working day at least two days ahead, whose next three weeks' same
    weekday are working days too (so the test holds on any date)."""
    day = dt.datetime.now(R.CHINA).date() + dt.timedelta(days=2)
    table = seed()
    while not all(is_working_day(day + dt.timedelta(weeks=w), table) for w in range(4)):
        day += dt.timedelta(days=1)
    return day


FIRST = _first_day()


def at(day: dt.date, h: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(h), R.CHINA)


@pytest.fixture
def cache() -> Iterator[LocalCache]:
    c = LocalCache(None)
    second = FIRST + dt.timedelta(weeks=1)
    rows: list[Any] = [((I.ROOM, r["id"]), r, n) for n, r in enumerate([
        {**_room(1), "days_ahead": 366}, _room(2)], 1)]
    rows.append(((I.BOOKING, "mb-held-2"), _booking("mb-held-2", 1, at(second, 14), at(second, 17),
                                                   R.CONFIRMED), 10))
    rows += [(("directory.body", "b-1"), {"id": "b-1", "name": "测试局", "kind": "body",
                                          "parent_id": None}, 20)]
    rows += [(("directory.person", p["id"]), p, 30 + n) for n, p in enumerate([
        _person("p-1", "张伟"), _person("p-2", "李娜")])]
    with c.write() as s:
        apply_server_changes(s, rows, principal=ME)
    yield c
    c.close()


@pytest.fixture
def mine(qtbot: QtBot, cache: LocalCache, tmp_path: Path) -> MyMeetings:
    return _mine(qtbot, cache, tmp_path)


def _weekly(qtbot: QtBot, form: MeetingForm, times: int = 4) -> RepeatSection:
    section = form.repeat
    assert section is not None
    form.subject.setText("局务会")
    _set(form.start, at(FIRST, 15))
    _set(form.end, at(FIRST, 16))
    section.frequency.setCurrentIndex(section.frequency.findData("weekly"))
    section.end_mode.setCurrentIndex(section.end_mode.findData("count"))
    section.count.setValue(times)
    section.room.setCurrentIndex(section.room.findData("mr-test-1"))
    section.refresh_preview()
    qtbot.waitUntil(lambda: section.model.rowCount() == times
                    and section.last_preview.conflicts == 1, timeout=10_000)
    return section


def test_the_preview_lists_every_date_and_the_conflict(qtbot: QtBot, mine: MyMeetings,
                                                       qtmodeltester: Any) -> None:
    form = _open(qtbot, mine)
    section = form.repeat
    assert section is not None and not section.repeating()
    assert not section.details.isVisibleTo(form)
    _weekly(qtbot, form)
    assert section.details.isVisibleTo(form)
    assert section.weekdays[FIRST.weekday()].isChecked()
    assert form.booking.isHidden()  # a series books its room per occurrence
    rows = section.model.rows()
    assert [r.day for r in rows] == [FIRST + dt.timedelta(weeks=w) for w in range(4)]
    assert [r.kind for r in rows] == ["ok", "conflict", "ok", "ok"]
    assert "李娜" in rows[1].note and "14:00–17:00" in rows[1].note
    assert "李娜" in preview_line(rows[1])
    assert "4" in section.summary.text()
    qtmodeltester.check(section.model)


def test_a_conflict_refuses_until_the_date_is_left_out(qtbot: QtBot, mine: MyMeetings,
                                                        cache: LocalCache) -> None:
    form = _open(qtbot, mine)
    section = _weekly(qtbot, form)
    form._accept()
    second = FIRST + dt.timedelta(weeks=1)
    assert f"{second.month}月{second.day}日" in form.error.text() or second.isoformat() in form.error.text()
    assert _queued(cache, I.CREATE_SERIES.name) == []
    section.skip_conflicts.setChecked(True)
    section.holidays.setCurrentIndex(section.holidays.findData("move"))
    form._accept()
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=10_000)
    [args] = _queued(cache, I.CREATE_SERIES.name)
    assert args["series_id"].startswith("ms-") and args["room_id"] == "mr-test-1"
    assert args["skip_conflicts"] is True and "booking_id" not in args
    assert "publish" not in args  # drafts unless the organiser says to publish them all
    assert args["rule"] == {"frequency": "weekly", "interval": 1, "holidays": "move",
                            "weekdays": [FIRST.weekday()], "count": 4}
    assert R.parse_time(args["start"]) == at(FIRST, 15)
    assert _queued(cache, I.SAVE_MEETING.name) == []


def test_a_monthly_rule_and_a_bad_end_in_words(qtbot: QtBot, mine: MyMeetings) -> None:
    form = _open(qtbot, mine)
    section = form.repeat
    assert section is not None
    _set(form.start, at(FIRST, 9))
    _set(form.end, at(FIRST, 10))
    section.frequency.setCurrentIndex(section.frequency.findData("monthly"))
    section.monthly_mode.setCurrentIndex(section.monthly_mode.findData("nth"))
    section.nth.setCurrentIndex(section.nth.findData(2))
    section.weekday.setCurrentIndex(1)
    assert not section.weekday_row.isVisibleTo(form) and section.nth.isVisibleTo(form)
    rule = section.rule()
    assert (rule["frequency"], rule["nth"], rule["weekday"]) == ("monthly", 2, 1)
    section.until.setDate(section.until.date().addYears(-1))
    section.refresh_preview()
    qtbot.waitUntil(lambda: bool(section.last_preview.error), timeout=10_000)
    assert "结束日期" in section.summary.text() or "end date" in section.summary.text()


def _occurrence(start: dt.datetime) -> dict[str, Any]:
    record = _published_meeting(start)
    record.update(id="mt-abcdabcd-001", series_id="ms-abcdabcd", occurrence=1,
                  original_date=start.date().isoformat(), provisional=False,
                  series_words="每周的周三，共6次（遇节假日跳过）")
    return record


def test_changing_an_occurrence_asks_how_far_it_reaches(qtbot: QtBot, mine: MyMeetings,
                                                         cache: LocalCache) -> None:
    record = _occurrence(at(FIRST, 9))
    with cache.write() as s:
        apply_server_changes(s, [((I.MEETING, record["id"]), record, 200)], principal=ME)
    with qtbot.waitSignal(mine.loaded, timeout=10_000):
        mine.reload()
    assert "每周的周三" in mine.info.text() and "meeting 2" in mine.info.text()  # which series, which one
    form = _open(qtbot, mine, mine.current())
    assert form.repeat is None
    form.place.setText("五楼会议室")
    form.change_note.setText("自本次起改在五楼")
    form._accept()
    dialog = form.scope_dialog
    assert isinstance(dialog, ScopeDialog) and dialog.isVisible()
    assert set(dialog.buttons) == {"this", "following", "all"}
    dialog.buttons["following"].click()
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=10_000)
    [args] = _queued(cache, I.UPDATE_SERIES.name)
    assert (args["meeting_id"], args["scope"], args["place"]) == (
        "mt-abcdabcd-001", "following", "五楼会议室")
    assert _queued(cache, I.SAVE_MEETING.name) == []


def test_a_date_change_for_the_following_is_refused_in_the_dialog(
        qtbot: QtBot, mine: MyMeetings, cache: LocalCache) -> None:
    record = _occurrence(at(FIRST, 9))
    with cache.write() as s:
        apply_server_changes(s, [((I.MEETING, record["id"]), record, 200)], principal=ME)
    with qtbot.waitSignal(mine.loaded, timeout=10_000):
        mine.reload()
    form = _open(qtbot, mine, mine.current())
    _set(form.start, at(FIRST + dt.timedelta(days=1), 9))
    _set(form.end, at(FIRST + dt.timedelta(days=1), 11))
    form.change_note.setText("改期")
    form._accept()
    assert form.scope_dialog is not None
    form.scope_dialog.buttons["all"].click()
    assert "日期" in form.error.text() or "date" in form.error.text()
    assert _queued(cache, I.UPDATE_SERIES.name) == []


def test_cancelling_an_occurrence_asks_which_then_why(qtbot: QtBot, mine: MyMeetings,
                                                      cache: LocalCache,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QInputDialog

    record = _occurrence(at(FIRST, 9))
    with cache.write() as s:
        apply_server_changes(s, [((I.MEETING, record["id"]), record, 200)], principal=ME)
    with qtbot.waitSignal(mine.loaded, timeout=10_000):
        mine.reload()
    monkeypatch.setattr(QInputDialog, "getText", lambda *_a, **_k: ("例会调整", True))
    mine.organiser.cancel.click()
    dialog = mine.organiser.findChild(ScopeDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.buttons["this"].click()
    qtbot.waitUntil(lambda: _queued(cache, I.CANCEL_SERIES.name) != [], timeout=10_000)
    assert _queued(cache, I.CANCEL_SERIES.name) == [
        {"meeting_id": "mt-abcdabcd-001", "scope": "this", "reason": "例会调整"}]
    assert _queued(cache, I.CANCEL_MEETING.name) == []
    assert record["state"] == M.PUBLISHED


def test_publishing_a_draft_occurrence_asks_which(qtbot: QtBot, mine: MyMeetings,
                                                  cache: LocalCache) -> None:
    record = {**_occurrence(at(FIRST, 9)), "state": M.DRAFT, "state_words": "草稿"}
    with cache.write() as s:
        apply_server_changes(s, [((I.MEETING, record["id"]), record, 200)], principal=ME)
    with qtbot.waitSignal(mine.loaded, timeout=10_000):
        mine.reload()
    mine.organiser.publish.click()
    dialog = mine.organiser.findChild(ScopeDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.buttons["all"].click()
    qtbot.waitUntil(lambda: _queued(cache, I.PUBLISH_SERIES.name) != [], timeout=10_000)
    assert _queued(cache, I.PUBLISH_SERIES.name) == [{"meeting_id": "mt-abcdabcd-001",
                                                      "scope": "all"}]
    assert _queued(cache, I.PUBLISH_MEETING.name) == []


@pytest.mark.parametrize("width", [1280, 390])
def test_render_the_repeat_section(qtbot: QtBot, cache: LocalCache, tmp_path: Path,
                                   width: int) -> None:
    from PySide6.QtWidgets import QApplication

    from office_app.app import apply_ui_font, load_fonts

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.font()
    apply_ui_font(app, load_fonts())  # the app's own CJK face, as in the running client
    try:
        _render(qtbot, cache, tmp_path, width)
    finally:
        app.setFont(before)


def _render(qtbot: QtBot, cache: LocalCache, tmp_path: Path, width: int) -> None:
    mine = _mine(qtbot, cache, tmp_path)
    mine.resize(width, 844)
    mine.set_compact(width < 600)
    form = _open(qtbot, mine)
    form.resize(width, 1300 if width > 600 else 1500)
    section = _weekly(qtbot, form)
    section.holidays.setCurrentIndex(section.holidays.findData("move"))
    form.scroll_area.ensureWidgetVisible(section.list)
    out = Path(os.environ.get("OFFICE_SERIES_SHOTS", tmp_path))
    image = form.grab()
    assert image.width() >= min(width, 390) - 10
    assert image.save(str(out / f"series-form-{width}.png"))
