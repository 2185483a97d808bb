"""The Minutes dialog of a meeting over a local cache (decisions with their 督办 item,
start / add / send queued as intents), the decision model through qtmodeltester, the
supervision page's Source line, and the documents' 转督办 dialog; screenshots at 1280
and 390 px."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from modules.meetings import meeting as M
from modules.meetings import minutes as MIN
from modules.meetings.views.minutes import (
    DecisionListModel,
    MinutesDialog,
    decision_rows,
    read_minutes,
)
from modules.supervision.from_document import InstructionDialog, may_turn_into_item
from office_app.bus import ChangeBus
from office_app.context import AppContext
from office_app.settings import AppSettings
from sync.cache import LocalCache
from sync.local import apply_server_changes
from tests.documents_client.support import LocalEngine

ME = {"person_id": "p-1", "name": "张伟", "posts": [
    {"post_id": "post-1", "body_id": "b-1", "organ_id": "b-1", "title": "秘书",
     "roles": ["secretary"], "is_primary": True}]}
CLERK = {"person_id": "p-2", "name": "李娜", "posts": [
    {"post_id": "post-2", "body_id": "b-1", "organ_id": "b-1", "title": "收发员",
     "roles": ["registry_clerk"], "is_primary": True}]}
NOW = dt.datetime.now(dt.UTC)
ITEM_ID = MIN.item_id_for("dc-sent")


def _meeting(**extra: Any) -> dict[str, Any]:
    return {
        "id": "mt-view-1", "subject": "全市政务数据工作专题会", "kind": "专题会", "state": M.PUBLISHED,
        "state_words": "已发布", "host_body_id": "b-1", "host_body_name": "测试局", "host_organ_id": "b-1",
        "host_organs_above": ["b-1"], "organiser_id": "p-1", "organiser_name": "张伟",
        "start": (NOW - dt.timedelta(hours=1)).isoformat(), "end": (NOW + dt.timedelta(hours=1)).isoformat(),
        "place": "第一会议室", "invitees": [], "observers": [], "bodies": [], "staff": [],
        "minutes_document_id": "d-minutes-1",
        "decisions": [
            {"id": "dc-sent", "what": "制定公共数据目录", "lead_unit_id": "b-1", "lead_unit_name": "测试局",
             "co_units": [{"id": "b-2", "name": "财政局"}], "due": None, "deadline_days": 10,
             "supervision": {"item_id": ITEM_ID, "number": "督字〔2026〕3号", "state": "assigned",
                             "state_words": "已交办"}},
            {"id": "dc-open", "what": "建设数据共享平台", "lead_unit_id": "b-2", "lead_unit_name": "财政局",
             "co_units": [], "due": "2027-03-31", "deadline_days": None, "supervision": None}],
        **extra}


def _doc(**extra: Any) -> dict[str, Any]:
    return {"id": "d-minutes-1", "kind": "outgoing", "body_id": "b-1", "title": "全市政务数据工作专题会纪要",
            "doc_type": "纪要", "state_words": "待核稿", "doc_number": "", "workflow": {"status": "active"},
            "meeting_id": "mt-view-1", "opinions": [], **extra}


def _cache(meeting: dict[str, Any], doc: dict[str, Any], principal: dict[str, Any]) -> LocalCache:
    c = LocalCache(None)
    rows: list[Any] = [
        (("meetings.meeting", meeting["id"]), meeting, 1),
        (("documents.document", doc["id"]), doc, 2),
        (("supervision.item", ITEM_ID), {"id": ITEM_ID, "number": "督字〔2026〕3号", "state": "acknowledged",
                                         "state_words": "已签收", "title": "制定公共数据目录",
                                         "source": "meeting", "source_words": "会议议定",
                                         "source_link": {"kind": "meeting", "id": "mt-view-1",
                                                         "title": "全市政务数据工作专题会"},
                                         "organ_id": "b-1", "body_id": "b-1", "lead_unit_id": "b-1",
                                         "lead_unit_name": "测试局", "due": "2027-01-15",
                                         "deadline_days": 10, "history": []}, 3),
        (("directory.body", "b-1"), {"id": "b-1", "name": "测试局", "kind": "body", "parent_id": None}, 4),
        (("directory.body", "b-2"), {"id": "b-2", "name": "财政局", "kind": "body", "parent_id": None}, 5),
    ]
    with c.write() as s:
        apply_server_changes(s, rows, principal=principal)
    return c


@pytest.fixture
def make(qtbot: QtBot, tmp_path: Path) -> Iterator[Any]:
    opened: list[LocalCache] = []

    def build(meeting: dict[str, Any] | None = None, doc: dict[str, Any] | None = None,
              principal: dict[str, Any] = ME, compact: bool = False
              ) -> tuple[MinutesDialog, AppContext, LocalEngine]:
        cache = _cache(meeting or _meeting(), doc or _doc(), principal)
        opened.append(cache)
        engine = LocalEngine(cache, principal)
        ctx = AppContext(AppSettings.at_path(tmp_path / f"s{len(opened)}.ini"), principal, cache=cache,
                         engine=engine, bus=ChangeBus())  # type: ignore[arg-type]
        ctx.attach()
        dialog = MinutesDialog(ctx, "mt-view-1", compact=compact)
        qtbot.addWidget(dialog)
        with qtbot.waitSignal(dialog.loaded, timeout=10_000):
            pass
        return dialog, ctx, engine

    yield build
    for c in opened:
        c.close()


def test_the_decisions_show_their_item_live_and_the_model_is_sound(make: Any, qtmodeltester: Any) -> None:
    dialog, _ctx, _ = make()
    qtmodeltester.check(dialog.model)
    rows = dialog.model.rows()
    assert [r.id for r in rows] == ["dc-sent", "dc-open"]
    assert rows[0].item_words() == "督字〔2026〕3号 已签收"  # the cached item's state, not the one sent
    assert "10个工作日内" in rows[0].text() and "测试局 + 财政局" in rows[0].text()
    assert "2027年3月31日前" in rows[1].text() and "→" not in rows[1].text()
    assert "全市政务数据工作专题会纪要" in dialog.minutes_line.text()
    assert dialog.start.isHidden()  # started already
    dialog.list.setCurrentIndex(dialog.model.index(0, 0))
    dialog._sync_buttons()
    assert not dialog.edit.isEnabled() and not dialog.remove.isEnabled()  # sent: fixed
    dialog.list.setCurrentIndex(dialog.model.index(1, 0))
    dialog._sync_buttons()
    assert dialog.edit.isEnabled() and not dialog.send.isHidden() and not dialog.send.isEnabled()


def test_a_clerk_cannot_send_and_issued_minutes_can_be(make: Any) -> None:
    clerk, _, _ = make(principal=CLERK)
    assert clerk.send.isHidden() and not clerk.state.may_send
    issued, _, _ = make(doc=_doc(doc_number="〔2026〕7号"))
    issued.list.setCurrentIndex(issued.model.index(1, 0))
    issued._sync_buttons()
    assert issued.send.isEnabled()


def test_starting_adding_and_sending_are_queued_as_intents(make: Any, qtbot: QtBot) -> None:
    dialog, _, engine = make(meeting=_meeting(minutes_document_id=""), doc=_doc(doc_number="〔2026〕7号"))
    assert not dialog.start.isHidden()
    assert dialog.minutes_line.text() == dialog.tr("The minutes have not been started.")
    dialog.start_minutes()
    qtbot.waitUntil(lambda: len(engine.pending()) == 1, timeout=10_000)
    editor = dialog.open_editor(None)
    editor.what.setPlainText("  落实数据安全责任  ")
    editor.lead.setCurrentIndex(editor.lead.findData("b-2"))
    editor.co.item(0).setCheckState(editor.co.item(0).checkState().Checked)  # 测试局 as co-unit
    editor.by_date.setChecked(True)
    args = editor.args("mt-view-1")
    assert args["what"] == "落实数据安全责任" and args["lead_unit_id"] == "b-2"
    assert args["co_unit_ids"] == ["b-1"] and "due" in args and "deadline_days" not in args
    editor._accept()
    qtbot.waitUntil(lambda: len(engine.pending()) == 2, timeout=10_000)
    dialog.list.setCurrentIndex(dialog.model.index(1, 0))
    dialog.send_current()
    qtbot.waitUntil(lambda: len(engine.pending()) == 3, timeout=10_000)
    assert [p["name"] for p in engine.pending()] == [
        "meetings.start_minutes", "meetings.add_decision", "meetings.send_decision"]


def test_an_empty_decision_is_refused_in_the_dialog(make: Any) -> None:
    dialog, _, engine = make()
    editor = dialog.open_editor(None)
    editor._accept()
    assert editor.error.text() and editor.result() == 0 and engine.pending() == []


def test_read_minutes_without_the_meeting_is_empty(make: Any) -> None:
    _, ctx, _ = make()
    with ThreadPoolExecutor(1) as pool:  # a cache read: never on the GUI thread
        state = pool.submit(read_minutes, ctx, "mt-none-here").result()
    assert state.meeting is None and decision_rows(state) == []
    assert isinstance(DecisionListModel().rows(), list)


def test_instruction_dialog_is_offered_to_staff_and_prefilled(qtbot: QtBot) -> None:
    doc = {"id": "d-1", "body_id": "b-1", "title": "关于某事的请示", "doc_number": "",
           "receipt_number": "收〔2026〕9号",
           "opinions": [{"id": "op-2", "kind": "批示", "text": "同意，请财政局办理。",
                         "person": {"id": "p-9", "name": "张市长"}}]}
    assert may_turn_into_item(ME, doc) and not may_turn_into_item(CLERK, doc)
    assert not may_turn_into_item(ME, {**doc, "opinions": []})
    dialog = InstructionDialog(doc, [("b-1", "测试局"), ("b-2", "财政局")])
    qtbot.addWidget(dialog)
    dialog.lead.setCurrentIndex(1)
    args = dialog.args()
    assert args["document_id"] == "d-1" and args["opinion_id"] == "op-2"
    assert args["title"] == "关于某事的请示" and args["content"].startswith("张市长批示：同意")
    assert args["lead_unit_id"] == "b-2" and args["deadline_days"] == 10


def test_the_supervision_page_opens_the_source_it_has(qtbot: QtBot, tmp_path: Path) -> None:
    from modules.supervision.views import SupervisionPage

    cache = _cache(_meeting(), _doc(), ME)
    try:
        engine = LocalEngine(cache, ME)
        ctx = AppContext(AppSettings.at_path(tmp_path / "sv.ini"), ME, cache=cache, engine=engine,  # type: ignore[arg-type]
                         bus=ChangeBus())
        ctx.attach()
        page = SupervisionPage(ctx)
        qtbot.addWidget(page)
        page.scope.setCurrentIndex(1)
        page.open_ref(ITEM_ID)
        qtbot.waitUntil(lambda: page.source.isVisibleTo(page), timeout=10_000)
        assert "全市政务数据工作专题会" in page.source.text()
        with qtbot.waitSignal(page.open_requested, timeout=5_000) as opened:
            page.source.click()
        assert opened.args == ["meetings", "mt-view-1"]
    finally:
        cache.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_screenshots(make: Any, width: int, qapp: Any) -> None:
    from office_app.app import apply_ui_font, load_fonts
    from office_app.theme import apply_theme

    apply_ui_font(qapp, load_fonts())
    apply_theme(qapp, "light")
    dialog, _, _ = make(doc=_doc(doc_number="〔2026〕7号"), compact=width < 600)
    dialog.resize(width if width < 600 else 760, 640)
    dialog.show()
    out = Path("/tmp") / f"minutes-{width}.png"
    assert dialog.grab().save(str(out))
