"""Every time the client shows is China time, whatever zone the device is set to.

The machine's zone is set to UTC (and to New York) for each test: a label computed
from the device's zone would read 01:30 for a 09:30 meeting.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator

import pytest

from modules.common.china_time import CHINA, china_midnight, china_stamp, in_china

MEETING = dt.datetime(2026, 12, 5, 1, 30, tzinfo=dt.UTC)  # 09:30 in Beijing


@pytest.fixture(params=["UTC", "America/New_York"])
def device_zone(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
                ) -> Iterator[str]:
    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    yield request.param
    monkeypatch.undo()
    time.tzset()


def test_times_are_written_in_china_time(device_zone: str) -> None:
    assert MEETING.astimezone().hour != 9  # the device's own zone would say otherwise
    assert china_stamp(MEETING) == "12-05 09:30"
    assert china_stamp(MEETING.replace(tzinfo=None), "%Y-%m-%d %H:%M") == "2026-12-05 09:30"
    assert in_china(MEETING).utcoffset() == dt.timedelta(hours=8)
    assert china_midnight(dt.date(2026, 12, 5)) == dt.datetime(2026, 12, 4, 16, 0, tzinfo=dt.UTC)


def test_the_shells_labels_use_china_time(device_zone: str) -> None:
    from modules.seals.views.models import last_day, short_time
    from office_app.workbench import due_text

    text, overdue = due_text(MEETING, now=MEETING - dt.timedelta(hours=1))
    assert "12-05 09:30" in text and not overdue
    assert short_time("2026-12-05T01:30:00Z") == "2026-12-05 09:30"
    # valid through 5 December in Beijing: the exclusive end is 6 December 00:00 there
    assert last_day(china_midnight(dt.date(2026, 12, 6)).isoformat()) == "2026-12-05"


def test_one_definition_of_china_time() -> None:
    from modules.audit import filters
    from modules.documents import effects
    from modules.meetings import rules as meetings
    from modules.reminders import rules as reminders
    from modules.supervision import rules as supervision

    assert {id(m.CHINA) for m in (filters, effects, meetings, reminders, supervision)} == {
        id(CHINA)}


def test_the_greeting_and_today_follow_china(device_zone: str) -> None:
    from PySide6.QtCore import QCoreApplication

    from office_app.widgets import today_qdate
    from office_app.workbench import greeting

    def words(text: str) -> str:  # as the installed translator, if any, gives it
        return QCoreApplication.translate("Workbench", text)

    # 13:30 UTC is 21:30 in Beijing: evening, though afternoon on a UTC device
    assert greeting(dt.datetime(2026, 12, 3, 13, 30, tzinfo=dt.UTC)) == words("Good evening")
    assert greeting(dt.datetime(2026, 12, 3, 1, 30, tzinfo=dt.UTC)) == words("Good morning")
    today = dt.datetime.now(CHINA).date()
    assert today_qdate().toPython() == today
