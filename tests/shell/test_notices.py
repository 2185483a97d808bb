"""Reminders on the client: the workbench's reminders list and real 会议 count, the
desktop notifier that pops new notices up once, and the notice model's checks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import QSystemTrayIcon

from modules.meetings.workbench_count import meetings_to_mind
from modules.reminders.rules import NOTICE
from office_app.notices import DesktopNotifier, NoticeModel, recent_notices
from office_app.workbench import WorkbenchPage
from tests.shell.fakes import FakeChanges

NOW = dt.datetime.now(dt.UTC)


def _notice(i: str, minutes_ago: float, **extra: Any) -> dict[str, Any]:
    return {"id": i, "reminder_id": f"r-{i}", "kind": "meeting_before", "module": "meetings",
            "ref_id": "mt-1", "title_zh": f"会议提醒：专题会{i}", "title_en": f"Meeting reminder {i}",
            "body_zh": "30分钟后开始", "body_en": "Starts in 30 minutes",
            "sent_at": (NOW - dt.timedelta(minutes=minutes_ago)).isoformat(), **extra}


def _meeting(i: str, start: dt.datetime, **extra: Any) -> dict[str, Any]:
    return {"id": i, "state": "published", "start": start.isoformat(),
            "end": (start + dt.timedelta(hours=1)).isoformat(), "subject": "专题会",
            "invitees": [{"id": "p-1", "name": "张伟"}], "organiser_id": "p-9", **extra}


def test_meetings_to_mind_counts_today_and_unanswered_once() -> None:
    soon = NOW + dt.timedelta(minutes=30)
    later = NOW + dt.timedelta(days=3)
    meetings = [_meeting("mt-today", soon), _meeting("mt-later", later),
                _meeting("mt-answered", later), _meeting("mt-cancelled", soon, state="cancelled"),
                _meeting("mt-other", soon, invitees=[{"id": "p-2", "name": "李"}])]
    replies = [{"meeting_id": "mt-answered", "person_id": "p-1", "answer": "attend"},
               {"meeting_id": "mt-today", "person_id": "p-1", "answer": "attend"}]
    found = meetings_to_mind(meetings, [], replies, "p-1", NOW, ["mt-nominate"])
    # today's (answered or not), the unanswered later one, and a to-do's meeting
    today = "mt-today" if soon.astimezone(dt.timezone(dt.timedelta(hours=8))).date() == \
        NOW.astimezone(dt.timezone(dt.timedelta(hours=8))).date() else None
    assert found == {x for x in ("mt-later", "mt-nominate", today) if x}


def test_notice_model_passes_modeltester(app: Any, qtmodeltester: Any) -> None:
    model = NoticeModel()
    qtmodeltester.check(model)
    model.set_rows(recent_notices([_notice("n-1", 5), _notice("n-2", 1), _notice("old", 60 * 24 * 9)],
                                  "zh_CN"))
    qtmodeltester.check(model)
    assert model.rowCount() == 2  # older than a week: not listed
    assert "会议提醒：专题会n-2" in model.data(model.index(0, 0))  # newest first
    assert model.data(model.index(0, 0), NoticeModel.ModuleRole) == "meetings"


def test_workbench_lists_reminders_and_counts_meetings_for_real(context: Any, cache: Any,
                                                               qtbot: Any) -> None:
    cache.data[NOTICE] = {"n-1": _notice("n-1", 3)}
    cache.data["meetings.meeting"] = {"mt-later": _meeting("mt-later", NOW + dt.timedelta(days=3))}
    page = WorkbenchPage(context)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.notices.rowCount() == 1)
    assert page.notice_view.isVisible()
    # the to-do t-4 (another meeting) and the unanswered invitation: two meetings
    assert page.cards["meetings"].number.text() == "2"
    with qtbot.waitSignal(page.open_requested) as blocker:
        page.notice_view.clicked.emit(page.notices.index(0, 0))
    assert blocker.args == ["meetings", "mt-1"]


class FakeTray(QSystemTrayIcon):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[tuple[str, str]] = []

    def isVisible(self) -> bool:
        return True

    def showMessage(self, title: str, msg: str, *_args: Any) -> None:
        self.messages.append((title, msg))


def test_new_notices_pop_up_once_and_old_ones_never(context: Any, cache: Any, engine: Any,
                                                    qtbot: Any) -> None:
    context.attach()
    cache.data[NOTICE] = {"n-old": _notice("n-old", 2)}
    tray = FakeTray()
    notifier = DesktopNotifier(context, tray=tray)
    qtbot.waitUntil(lambda: notifier._seen is not None)
    assert tray.messages == []  # there before it started: not news
    cache.data[NOTICE]["n-new"] = _notice("n-new", 0)
    cache.data[NOTICE]["n-stale"] = _notice("n-stale", 180)  # synced late, hours old
    with qtbot.waitSignal(notifier.shown, timeout=5000) as shown:
        engine.emit_changes(FakeChanges(frozenset({NOTICE})))
    assert shown.args == ["n-new"]
    assert tray.messages == [("会议提醒：专题会n-new", "30分钟后开始")]
    engine.emit_changes(FakeChanges(frozenset({NOTICE})))  # the same again: nothing new
    qtbot.wait(200)
    assert len(tray.messages) == 1
    with qtbot.waitSignal(notifier.open_requested) as opened:
        tray.messageClicked.emit()
    assert opened.args == ["meetings", "mt-1"]
