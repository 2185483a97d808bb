"""Calendars in 我的会议: the subscription section (make a link, shown and copied, the
token only hashed in the outbox, shown again from the keyring, revoked), "Add to
calendar" writing the meeting's .ics in the background, and the organiser's "Import
calendar reply…" queueing the REPLY; both widths rendered."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import icalendar
import pytest
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from modules.common.access import ActorFacts, BodyFacts, PostFacts
from modules.meetings import calendar_client as CC
from modules.meetings import feed_tokens as F
from modules.meetings import ical
from modules.meetings import intents as I
from modules.meetings import rules as R
from modules.meetings.views.mine import MyMeetings
from office_app.bus import ChangeBus
from office_app.context import AppContext
from office_app.settings import AppSettings
from sync.cache import LocalCache
from sync.engine import Changes
from sync.local import apply_server_changes
from tests.documents_client.support import LocalEngine
from tests.meetings.ical_helpers import reply_ics
from tests.sync.fakes import MemoryKeyring, install_memory_keyring

ME = {"person_id": "p-1", "name": "张伟", "posts": [
    {"post_id": "post-1", "body_id": "b-1", "title": "秘书", "roles": ["secretary"],
     "is_primary": True}]}
SERVER = "http://oa.example.cn:8443"


class FakeApi:
    base_url = SERVER

    def __init__(self) -> None:
        self.asked: list[str] = []
        self.meetings: dict[str, dict[str, Any]] = {}

    def get_bytes(self, path: str) -> bytes:
        self.asked.append(path)
        meeting_id = path.rsplit("/", 1)[1].removesuffix(".ics")
        return ical.meeting_ics(self.meetings[meeting_id], now=dt.datetime.now(dt.UTC))


class Engine(LocalEngine):
    def __init__(self, cache: LocalCache) -> None:
        super().__init__(cache, ME)
        self.api = FakeApi()


def _meeting() -> dict[str, Any]:
    now = dt.datetime.now(dt.UTC)
    start = dt.datetime.combine((now + dt.timedelta(days=2)).date(), dt.time(9), R.CHINA)
    host = BodyFacts(id="b-1", name="测试局", organ_id="b-1", organs_above=("b-1",))
    organiser = ActorFacts("p-1", (PostFacts("b-1", "b-1", frozenset({"secretary"})),))
    args = I.SAVE_MEETING.parse({
        "meeting_id": "mt-ical-view1", "subject": "年度工作部署会", "kind": "办公会",
        "host_body_id": "b-1", "start": start.isoformat(),
        "end": (start + dt.timedelta(hours=2)).isoformat(), "place": "三楼报告厅",
        "invitees": ["p-2"]})
    draft = I.save_meeting(None, args, organiser, "张伟", host, {"p-2": "李娜"}, {}, None, now)
    return I.publish_meeting(draft, I.MeetingArgs(meeting_id="mt-ical-view1"), organiser, None,
                             now)


@pytest.fixture
def keys() -> Iterator[MemoryKeyring]:
    import keyring

    previous = keyring.get_keyring()
    backend = install_memory_keyring()
    CC._session_tokens.clear()
    yield backend
    keyring.set_keyring(previous)
    CC._session_tokens.clear()


@pytest.fixture
def mine(qtbot: QtBot, tmp_path: Path, keys: MemoryKeyring) -> MyMeetings:
    cache = LocalCache(None)
    meeting = _meeting()
    rows: list[Any] = [(("directory.body", "b-1"), {"id": "b-1", "name": "测试局", "kind": "body",
                                                    "parent_id": None}, 1),
                       ((I.MEETING, meeting["id"]), meeting, 2)]
    with cache.write() as s:
        apply_server_changes(s, rows, principal=ME)
    engine = Engine(cache)
    engine.api.meetings[meeting["id"]] = meeting
    ctx = AppContext(AppSettings.at_path(tmp_path / "s.ini"), ME, cache=cache,
                     engine=engine,  # type: ignore[arg-type]
                     bus=ChangeBus())
    widget = MyMeetings(ctx)
    widget.resize(1280, 900)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.loaded, timeout=10_000):
        widget.reload()
    qtbot.waitUntil(lambda: _says(widget.subscription.url.text(), "no subscription link", "还没有订阅链接"))
    return widget


def _says(text: str, *words: str) -> bool:
    """Whether ``text`` holds one of ``words`` (the English source or its Chinese)."""
    return any(w in text for w in words)


def _outbox(widget: MyMeetings) -> list[dict[str, Any]]:
    engine = widget.context.engine
    assert isinstance(engine, Engine)
    return engine.pending()


def test_a_link_is_made_shown_copied_kept_and_revoked(mine: MyMeetings, qtbot: QtBot) -> None:
    section = mine.subscription
    assert not section.copy.isVisible() and not section.revoke.isVisible()
    section.make_link()
    qtbot.waitUntil(lambda: "/calendar/" in section.url.text())
    url = section.url.text()
    assert url.startswith(SERVER + "/api/v1/meetings/calendar/" + F.TOKEN_PREFIX)
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    sent = [r for r in _outbox(mine) if r["name"] == I.CREATE_FEED_TOKEN.name]
    assert len(sent) == 1 and sent[0]["args"]["token_sha256"] == F.token_hash(token)
    assert token not in str(_outbox(mine))  # only the hash leaves the device
    section.copy_link()
    assert QGuiApplication.clipboard().text() == url
    # the server's record arrives; the link shows again from the keyring
    feed_id = sent[0]["args"]["feed_id"]
    CC._session_tokens.clear()
    cache = mine.context.cache
    assert cache is not None
    with cache.write() as s:
        apply_server_changes(s, [((F.FEED_TOKEN, feed_id), {
            "id": feed_id, "person_id": "p-1", "created_at": "2026-12-01T08:00:00Z",
            "revoked_at": None, "active": True}, 10)], principal=ME)
    section.url.setText("")
    section.reload()
    qtbot.waitUntil(lambda: section.url.text() == url)
    section.revoke_link()
    qtbot.waitUntil(lambda: any(r["name"] == I.REVOKE_FEED_TOKEN.name for r in _outbox(mine)))
    revoke = next(r for r in _outbox(mine) if r["name"] == I.REVOKE_FEED_TOKEN.name)
    assert revoke["args"] == {"feed_id": feed_id}


def test_a_link_made_elsewhere_is_named_but_not_shown(mine: MyMeetings, qtbot: QtBot) -> None:
    cache = mine.context.cache
    assert cache is not None
    with cache.write() as s:
        apply_server_changes(s, [((F.FEED_TOKEN, "mf-0123456789abcdef"), {
            "id": "mf-0123456789abcdef", "person_id": "p-1", "created_at": "2026-12-01T08:00:00Z",
            "revoked_at": None, "active": True}, 10)], principal=ME)
    assert not mine.subscription.isVisibleTo(mine)  # shown on demand
    mine.subscription_toggle.click()
    assert mine.subscription.isVisibleTo(mine)
    mine.subscription.reload()
    qtbot.waitUntil(lambda: _says(mine.subscription.url.text(), "another device", "另一台设备"))
    assert mine.subscription.revoke.isVisibleTo(mine) and not mine.subscription.copy.isVisibleTo(mine)


def test_add_to_calendar_writes_the_meeting_file(mine: MyMeetings, qtbot: QtBot,
                                                 tmp_path: Path) -> None:
    from modules.meetings.views.calendar import save_meeting_ics

    assert mine.export_ics.isVisibleTo(mine)
    target = tmp_path / "out.ics"
    asked: list[str] = []

    def ask(name: str) -> str:
        asked.append(name)
        return str(target)

    meeting = mine.current()
    assert meeting is not None
    save_meeting_ics(mine, mine.context, mine.work, meeting, mine.status.setText, ask=ask)
    qtbot.waitUntil(lambda: "saved" in mine.status.text().lower() or "已" in mine.status.text())
    assert asked and asked[0].endswith("年度工作部署会.ics")
    event = icalendar.Calendar.from_ical(target.read_bytes()).walk("VEVENT")[0]
    assert str(event["UID"]) == ical.uid("mt-ical-view1")


def test_the_organiser_imports_a_calendar_reply(mine: MyMeetings, qtbot: QtBot,
                                                tmp_path: Path) -> None:
    from modules.meetings.views.calendar import import_calendar_reply

    assert mine.import_reply.isVisibleTo(mine)
    path = tmp_path / "reply.ics"
    path.write_bytes(reply_ics("mt-ical-view1", "p-2", "ACCEPTED").replace("\n", "\r\n")
                     .encode())
    import_calendar_reply(mine, mine.context, mine.work, mine.status.setText,
                          ask=lambda: str(path))
    qtbot.waitUntil(lambda: any(r["name"] == I.IMPORT_CALENDAR_REPLY.name for r in _outbox(mine)))
    sent = next(r for r in _outbox(mine) if r["name"] == I.IMPORT_CALENDAR_REPLY.name)
    assert "\r" not in sent["args"]["ics"] and "METHOD:REPLY" in sent["args"]["ics"]
    bad = tmp_path / "event.ics"
    bad.write_text(reply_ics("mt-ical-view1", "p-2", "ACCEPTED", method="PUBLISH"))
    import_calendar_reply(mine, mine.context, mine.work, mine.status.setText,
                          ask=lambda: str(bad))
    qtbot.waitUntil(lambda: "REPLY" in mine.status.text())


def test_both_widths_render(mine: MyMeetings, qtbot: QtBot, tmp_path: Path) -> None:
    mine.subscription.make_link()
    qtbot.waitUntil(lambda: "/calendar/" in mine.subscription.url.text())
    assert mine.grab().save(str(tmp_path / "wide.png"))
    mine.set_compact(True)
    mine.resize(390, 1200)
    assert mine.import_reply.text() in ("Import reply…", "导入回复…")  # the short form
    assert mine.grab().save(str(tmp_path / "narrow.png"))
    assert mine.export_ics.geometry().right() <= 390 and mine.import_reply.geometry().right() <= 390


def test_the_section_follows_the_servers_record(mine: MyMeetings, qtbot: QtBot) -> None:
    """A link revoked on another device disappears here when its record arrives."""
    cache = mine.context.cache
    assert cache is not None
    record = {"id": "mf-0123456789abcdef", "person_id": "p-1",
              "created_at": "2026-12-01T08:00:00Z", "revoked_at": None, "active": True}
    with cache.write() as s:
        changed = apply_server_changes(s, [((F.FEED_TOKEN, record["id"]), record, 10)],
                                       principal=ME)
    mine.context.bus.changed.emit(Changes.of(changed))
    qtbot.waitUntil(lambda: _says(mine.subscription.url.text(), "another device", "另一台设备"))
    with cache.write() as s:
        changed = apply_server_changes(s, [((F.FEED_TOKEN, record["id"]), {
            **record, "active": False, "revoked_at": "2026-12-01T09:00:00Z"}, 11)], principal=ME)
    mine.context.bus.changed.emit(Changes.of(changed))
    qtbot.waitUntil(lambda: _says(mine.subscription.url.text(), "no subscription link", "还没有订阅链接"))
