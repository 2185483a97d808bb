"""The 签到 screen: the rotating code for whoever runs the check-in, an attendee's own
code, a scanned personal code queued as a check-in, and the live attendance list."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot

from modules.meetings import checkin as C
from modules.meetings import intents as I
from modules.meetings.views.checkin import CheckInDialog
from office_app.bus import ChangeBus
from office_app.context import AppContext
from office_app.settings import AppSettings
from sync.cache import LocalCache, outbox, store_displayed
from tests.documents_client.support import LocalEngine
from tests.meetings.test_views import ME, _published_meeting, at

SECRET = "ab" * 32


def _context(cache: LocalCache, who: dict[str, Any], tmp_path: Path) -> AppContext:
    ctx = AppContext(AppSettings.at_path(tmp_path / "s.ini"), who, cache=cache,
                     engine=LocalEngine(cache, who), bus=ChangeBus())  # type: ignore[arg-type]
    ctx.attach()
    return ctx


def _cache(meeting: dict[str, Any], *, key: bool) -> LocalCache:
    cache = LocalCache(None)
    with cache.write() as s:
        store_displayed(s, (I.MEETING, meeting["id"]), meeting)
        store_displayed(s, ("directory.body", "b-1"), {"id": "b-1", "name": "测试局", "kind": "body"})
        for pid, name in (("p-1", "张伟"), ("p-2", "李娜")):
            store_displayed(s, ("directory.person", pid), {"id": pid, "name": name})
        if key:
            store_displayed(s, (I.CHECKIN_KEY, meeting["id"]),
                            {"id": meeting["id"], "meeting_id": meeting["id"], "secret": SECRET})
        store_displayed(s, (I.CHECKIN_PASS, f"{meeting['id']}:p-2"), {
            "id": f"{meeting['id']}:p-2", "meeting_id": meeting["id"], "person_id": "p-2",
            "code": C.issue_pass(SECRET, meeting["id"], "p-2")})
    return cache


def test_the_organisers_device_shows_a_rotating_code_and_takes_scans(
        qtbot: QtBot, tmp_path: Path, qtmodeltester: Any) -> None:
    import datetime as dt

    meeting = _published_meeting(dt.datetime.now(at(9).tzinfo) + dt.timedelta(minutes=10))
    cache = _cache(meeting, key=True)
    dialog = CheckInDialog(_context(cache, ME, tmp_path), meeting)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.refreshed, timeout=10_000):
        pass
    assert dialog.state.runs and dialog.state.token and dialog.state.token.startswith("OACHK1:")
    assert not dialog.qr.pixmap().isNull() and any(ch.isdigit() for ch in dialog.countdown.text())
    assert dialog.model.rowCount() == 2  # both invitees, absent so far
    dialog.scanner.setText(C.issue_pass(SECRET, meeting["id"], "p-2"))
    with qtbot.waitSignal(dialog.refreshed, timeout=10_000):
        dialog._scanned()
    with cache.read() as s:
        rows = list(s.execute(outbox.select().where(outbox.c.name == "meetings.check_in_by_hand")))
    assert len(rows) == 1 and rows[0].args["meeting_id"] == meeting["id"]
    present = [r for r in dialog.model.rows() if r.status in (C.PRESENT, C.LATE)]
    assert [r.person_key for r in present] == ["p-2"]
    qtmodeltester.check(dialog.model)


def test_an_attendee_sees_their_own_code_and_a_forged_code_is_refused_in_words(
        qtbot: QtBot, tmp_path: Path) -> None:
    meeting = _published_meeting(at(9))
    cache = _cache(meeting, key=False)
    attendee = {**ME, "person_id": "p-2", "name": "李娜",
                "posts": [{**ME["posts"][0], "roles": ["staff"]}]}
    dialog = CheckInDialog(_context(cache, attendee, tmp_path), meeting)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.refreshed, timeout=10_000):
        pass
    assert not dialog.state.runs and dialog.state.my_pass and dialog.list.isHidden()
    assert not dialog.qr.pixmap().isNull()
    dialog.scanner.setText(f"OACHK1:m={meeting['id']};w=1;s=forged")
    dialog._scanned()
    qtbot.waitUntil(lambda: dialog.message.text() != "", timeout=10_000)
    assert "签到" in dialog.message.text() or "二维码" in dialog.message.text()
