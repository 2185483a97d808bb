"""The seat plan screen: filled by rank when opened, a dragged name swaps seats, someone
not seated is put in a seat, Save queues ``meetings.save_seating`` with a valid plan,
and the table cards PDF carries every seated name (front and upside-down back)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pdfplumber
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from modules.common.access import ActorFacts, BodyFacts, PostFacts
from modules.meetings import intents as I
from modules.meetings import rules as R
from modules.meetings import seating as S
from modules.meetings.table_cards import render_table_cards
from modules.meetings.views.form import OrganiserActions
from modules.meetings.views.seating import SeatPlanDialog
from office_app.bus import ChangeBus
from office_app.context import AppContext
from office_app.kit import PageWork
from office_app.settings import AppSettings
from sync.cache import LocalCache, outbox, store_displayed
from tests.documents_client.support import LocalEngine

ME = {"person_id": "p-1", "name": "张伟", "posts": [
    {"post_id": "post-1", "body_id": "b-1", "title": "秘书", "roles": ["secretary"], "is_primary": True}]}


def at(h: int) -> dt.datetime:
    tomorrow = (dt.datetime.now(R.CHINA) + dt.timedelta(days=1)).date()
    return dt.datetime.combine(tomorrow, dt.time(h), R.CHINA)


def _context(cache: LocalCache, who: dict[str, Any], tmp_path: Path) -> AppContext:
    ctx = AppContext(AppSettings.at_path(tmp_path / "s.ini"), who, cache=cache,
                     engine=LocalEngine(cache, who), bus=ChangeBus())  # type: ignore[arg-type]
    ctx.attach()
    return ctx

PEOPLE = [  # id, name, roles, sort order
    ("p-1", "张伟", ["secretary"], 30),
    ("p-2", "李娜", ["staff"], 40),
    ("p-3", "王局长", ["leader"], 1),
    ("p-4", "赵副局长", ["leader"], 2),
    ("p-5", "钱处长", ["division_head"], 10),
    ("p-6", "孙副局长", ["leader"], 3),
    ("p-7", "周科长", ["division_head"], 11),
    ("p-8", "吴科员", ["staff"], 50),
    ("p-9", "郑科员", ["staff"], 51),
]


def _meeting() -> dict[str, Any]:
    host = BodyFacts("b-1", "测试局", "b-1", ("b-1",))
    organiser = ActorFacts("p-1", (PostFacts("b-1", "b-1", frozenset({"secretary"})),))
    start = at(9)
    args = I.SAVE_MEETING.parse({
        "meeting_id": "mt-seat-1", "subject": "全局年度工作会议", "kind": "专题会",
        "host_body_id": "b-1", "start": start.isoformat(),
        "end": (start + dt.timedelta(hours=2)).isoformat(), "place": "三楼报告厅",
        "invitees": [p[0] for p in PEOPLE if p[0] != "p-1"]})
    now = dt.datetime.now(dt.UTC)
    draft = I.save_meeting(None, args, organiser, "张伟", host, {p[0]: p[1] for p in PEOPLE},
                           {}, None, now)
    return I.publish_meeting(draft, I.MeetingArgs(meeting_id="mt-seat-1"), organiser, None, now)


def _cache(meeting: dict[str, Any]) -> LocalCache:
    cache = LocalCache(None)
    with cache.write() as s:
        store_displayed(s, (I.MEETING, meeting["id"]), meeting)
        store_displayed(s, ("directory.body", "b-1"), {"id": "b-1", "name": "测试局", "kind": "body"})
        for pid, name, roles, order in PEOPLE:
            store_displayed(s, ("directory.person", pid), {"id": pid, "name": name, "posts": [
                {"body_id": "b-1", "org_id": "b-1", "roles": roles, "sort_order": order}]})
    return cache


def _dialog(qtbot: QtBot, tmp_path: Path, *, compact: bool = False,
            width: int = 1280) -> tuple[SeatPlanDialog, LocalCache]:
    meeting = _meeting()
    cache = _cache(meeting)
    dialog = SeatPlanDialog(_context(cache, ME, tmp_path), meeting, compact=compact)
    qtbot.addWidget(dialog)
    dialog.resize(width, 760 if width > 600 else 844)
    with qtbot.waitSignal(dialog.refreshed, timeout=10_000):
        pass
    return dialog, cache


def _who(dialog: SeatPlanDialog, seat: str) -> str:
    return dialog.seats.get(seat, {}).get("person_id", "")


def test_opened_it_is_filled_by_rank_and_a_drag_swaps_two_seats(
        qtbot: QtBot, tmp_path: Path, qtmodeltester: Any) -> None:
    dialog, _ = _dialog(qtbot, tmp_path)
    # 8 to seat (the organiser is not invited): a 主席台 of 7 and one hall row
    assert len(dialog.data.attendees if dialog.data else []) == 8
    assert _who(dialog, "rostrum-1-1") == "p-3"   # 王局长 at the centre
    assert _who(dialog, "rostrum-1-2") == "p-4"   # No. 2 on his left
    assert _who(dialog, "rostrum-1-3") == "p-6"   # No. 3 on his right
    assert _who(dialog, "rostrum-1-4") == "p-5"   # then the division heads
    centre = dialog.view.items_by_id["rostrum-1-1"]
    assert centre.label.text() == "王局长"
    dialog.view.drag("rostrum-1-1", "rostrum-1-2")
    assert _who(dialog, "rostrum-1-1") == "p-4" and _who(dialog, "rostrum-1-2") == "p-3"
    assert dialog.view.items_by_id["rostrum-1-1"].label.text() == "赵副局长"
    assert dialog.dirty
    qtmodeltester.check(dialog.unseated)


def test_a_real_mouse_drag_swaps_too(qtbot: QtBot, tmp_path: Path) -> None:
    dialog, _ = _dialog(qtbot, tmp_path)
    dialog.show()
    qtbot.waitExposed(dialog)
    view = dialog.view

    def at_seat(seat: str) -> QPoint:
        item = view.items_by_id[seat]
        return view.mapFromScene(item.sceneBoundingRect().center())

    start, end = at_seat("rostrum-1-1"), at_seat("rostrum-1-3")
    QTest.mousePress(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    QTest.mouseMove(view.viewport(), (start + end) / 2)
    QTest.mouseMove(view.viewport(), end)
    QTest.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)
    assert _who(dialog, "rostrum-1-3") == "p-3" and _who(dialog, "rostrum-1-1") == "p-6"


def test_someone_not_seated_is_put_in_a_seat_and_save_queues_a_valid_plan(
        qtbot: QtBot, tmp_path: Path) -> None:
    dialog, cache = _dialog(qtbot, tmp_path)
    dialog.rostrum_rows.setText("3")
    dialog.hall_rows.setText("4")
    dialog._layout_changed()
    assert len(dialog.seats) == 7 and dialog.unseated.rowCount() == 1
    last = dialog.unseated.row_at(0)
    assert last is not None and last["id"] == "p-9"  # 郑科员: staff, the last post order
    dialog.unseated_list.setCurrentIndex(dialog.unseated.index(0, 0))
    dialog.seat_clicked("hall-1-1")
    assert _who(dialog, "hall-1-1") == "p-9" and dialog.unseated.rowCount() == 1
    dialog.seat_clicked("hall-1-2")  # nothing picked: selects the seat
    dialog.unseat_selected()
    assert "hall-1-2" not in dialog.seats and dialog.unseated.rowCount() == 2
    dialog.save()
    qtbot.waitUntil(lambda: "server" in dialog.message.text() or "服务器" in dialog.message.text(),
                    timeout=10_000)
    with cache.read() as s:
        rows = list(s.execute(outbox.select().where(outbox.c.name == "meetings.save_seating")))
    assert len(rows) == 1
    parsed = I.SAVE_SEATING.parse(rows[0].args)
    assert parsed.layout.rostrum == [3] and parsed.layout.hall == [4] and parsed.version == 0
    assert {s.seat_id: s.person_id for s in parsed.seats}["rostrum-1-1"] == "p-3"
    assert parsed.order[0] == "p-3" and len(parsed.order) == 6
    assert dialog.version == 1 and not dialog.dirty  # a second save builds on this one


def test_a_facing_table_and_a_u_shape_are_drawn_and_filled(qtbot: QtBot, tmp_path: Path) -> None:
    dialog, _ = _dialog(qtbot, tmp_path)
    dialog.kind.setCurrentIndex(dialog.kind.findData(S.FACING))
    dialog.per_side.setValue(9)
    assert {s.zone for s in dialog.layout_.seats} == {"guest", "host"}
    assert _who(dialog, "host-1-1") == "p-3"  # everyone is of the host body: the host side
    dialog.kind.setCurrentIndex(dialog.kind.findData(S.U_SHAPE))
    dialog.head.setValue(3)
    dialog.arms.setValue(3)
    assert _who(dialog, "head-1-1") == "p-3" and _who(dialog, "arm_r-1-1") == "p-5"
    assert len(dialog.view.items_by_id) == 9


def test_table_cards_are_written_in_the_background_with_every_name(
        qtbot: QtBot, tmp_path: Path) -> None:
    dialog, _ = _dialog(qtbot, tmp_path)
    target = tmp_path / "cards.pdf"
    with qtbot.waitSignal(dialog.cards_written, timeout=20_000):
        dialog.save_cards(str(target))
    with pdfplumber.open(io.BytesIO(target.read_bytes())) as pdf:
        pages = [p.extract_text() or "" for p in pdf.pages]
        width, height = pdf.pages[0].width, pdf.pages[0].height
    assert width > height  # A4 landscape
    assert len(pages) == 8
    flat = ["".join(t.split()) for t in pages]
    assert "王局长" in flat[0] and "局王长" not in flat[0]
    assert "长局王" in flat[0]  # the upper half, upside down, extracts reversed
    assert any("李娜" in t for t in flat)


def test_card_pdf_spreads_two_character_names_and_falls_back_for_rare_characters() -> None:
    pdf = render_table_cards(["李娜", "张𬌗明", "", "John Smith"])
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        texts = [p.extract_text() or "" for p in doc.pages]
        fonts = {c["fontname"].split("+")[-1] for c in doc.pages[1].chars}
    assert len(texts) == 3  # the empty name is skipped
    assert "李\u3000娜" in texts[0] or "李 娜" in texts[0]
    assert "𬌗" in texts[1] and len(fonts) >= 2  # the rare character from another face
    assert "John Smith" in texts[2]


def test_the_organiser_opens_the_seat_plan_from_the_meeting(qtbot: QtBot, tmp_path: Path) -> None:
    meeting = _meeting()
    context = _context(_cache(meeting), ME, tmp_path)
    page = QWidget()
    qtbot.addWidget(page)
    actions = OrganiserActions(context, PageWork(page, lambda _t: None), lambda _t: None, page)
    actions.show_for(meeting, True)
    assert not actions.seating.isHidden()
    dialog = actions.open_seating()
    assert dialog is not None
    with qtbot.waitSignal(dialog.refreshed, timeout=10_000):
        pass
    assert dialog.save_button.isEnabled() and _who(dialog, "rostrum-1-1") == "p-3"
    dialog.close()
    actions.show_for({**meeting, "state": "cancelled"}, True)
    assert actions.seating.isHidden()


def test_screenshots_at_desktop_and_phone_width(qtbot: QtBot, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from office_app.app import apply_ui_font, load_fonts

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.font()
    apply_ui_font(app, load_fonts())  # the app's own CJK face, as in the running client
    try:
        _shoot(qtbot, tmp_path)
    finally:
        app.setFont(before)


def _shoot(qtbot: QtBot, tmp_path: Path) -> None:
    for width, compact in ((1280, False), (390, True)):
        dialog, _ = _dialog(qtbot, tmp_path, compact=compact, width=width)
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.view.fit()
        image = dialog.grab()
        assert image.width() == width
        image.save(str(Path("/tmp") / f"seat_plan_{width}.png"))
        dialog.close()
