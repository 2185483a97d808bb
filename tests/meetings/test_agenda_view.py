"""The agenda dialog over a local cache: reached from 我的会议's "Agenda"; organisers
move items (the queued order), add an item (slot rules refused in words first), accept
or decline topics; a unit's clerk proposes a topic offline (it shows at once); a material
is fetched with a progress bar and opened once it lands; the 会议通知 PDF is saved."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QUrl
from pytestqt.qtbot import QtBot

from modules.meetings import agenda as A
from modules.meetings import intents as I
from modules.meetings.views.agenda import AgendaDialog, save_notice_pdf
from modules.meetings.views.mine import MyMeetings
from office_app.bus import ChangeBus
from office_app.context import AppContext
from office_app.kit import PageWork
from office_app.settings import AppSettings
from sync.cache import LocalCache, outbox
from sync.local import apply_server_changes
from tests.documents_client.support import LocalEngine
from tests.meetings.test_views import ME, _published_meeting, at

DATA = b"%PDF-1.4 agenda material"
SHA = hashlib.sha256(DATA).hexdigest()
CLERK = {"person_id": "p-7", "name": "赵收发", "posts": [
    {"post_id": "post-7", "body_id": "b-2", "title": "收发员", "roles": ["registry_clerk"],
     "is_primary": True}]}


class FakeBlobs:
    """A blob store whose one material arrives when the test says so."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.here: dict[str, Path] = {}
        self.requested: list[str] = []
        self.on_progress: Any = None
        self.on_ready: Any = None

    def add_file(self, path: Path) -> str:
        data = Path(path).read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        self.here[sha] = Path(path)
        return sha

    def path(self, sha256: str) -> Path | None:
        return self.here.get(sha256)

    def has(self, sha256: str) -> bool:
        return sha256 in self.here

    def open_copy(self, sha256: str, name: str) -> Path | None:
        """Like ``sync.blobs.BlobStore.open_copy``: a copy named for the viewer."""
        source = self.here.get(sha256)
        if source is None:
            return None
        target = self.folder / "open-copies" / sha256[:12] / Path(name).name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source.read_bytes())
        return target

    def request_download(self, sha256: str) -> bool:
        self.requested.append(sha256)
        return True

    def land(self, sha: str, data: bytes) -> None:
        target = self.folder / sha
        target.write_bytes(data)
        self.here[sha] = target


def _meeting() -> dict[str, Any]:
    record = _published_meeting(at(9))
    record["bodies"] = [{"id": "b-2", "name": "财政局"}]
    record["agenda"] = A.renumber([
        {"id": "ai-0001", "title": "听取工作汇报", "presenter_id": "p-2", "presenter_name": "李娜",
         "start": I.iso(at(9)), "end": I.iso(at(9, 40)), "attendees": [{"id": "p-2", "name": "李娜"}],
         "materials": [{"sha256": SHA, "name": "汇报材料.pdf", "size": len(DATA)}]},
        {"id": "ai-0002", "title": "研究部署下步工作", "presenter_id": "", "presenter_name": "",
         "start": None, "end": None, "attendees": [], "materials": []}])
    return record


def _topic() -> dict[str, Any]:
    return {"id": "tp-0001", "meeting_id": "mt-view-1", "body_id": "b-2", "body_name": "财政局",
            "title": "关于资金保障的议题", "presenter_id": "", "presenter_name": "", "minutes": 15,
            "note": "", "materials": [], "state": A.PROPOSED, "state_words": "待审核", "reason": "",
            "item_id": "", "by_id": "p-7", "by_name": "赵收发", "decided_by_id": "",
            "decided_by_name": "", "decided_at": None, "created_at": I.iso(at(8)),
            "updated_at": I.iso(at(8))}


@pytest.fixture
def cache() -> Iterator[LocalCache]:
    c = LocalCache(None)
    rows: list[Any] = [
        (("directory.body", "b-1"), {"id": "b-1", "name": "测试局", "kind": "body", "parent_id": None}, 1),
        (("directory.body", "b-2"), {"id": "b-2", "name": "财政局", "kind": "body", "parent_id": None}, 2),
        (("directory.person", "p-2"), {"id": "p-2", "name": "李娜", "posts": [
            {"body_id": "b-1", "title": "科长", "roles": ["staff"]}]}, 3),
        ((I.MEETING, "mt-view-1"), _meeting(), 4), ((A.TOPIC, "tp-0001"), _topic(), 5)]
    with c.write() as s:
        apply_server_changes(s, rows, principal=ME)
    yield c
    c.close()


def _context(cache: LocalCache, tmp_path: Path, principal: dict[str, Any] = ME
             ) -> tuple[AppContext, FakeBlobs]:
    engine = LocalEngine(cache, principal)
    blobs = FakeBlobs(tmp_path)
    engine.blobs = blobs  # type: ignore[attr-defined]
    ctx = AppContext(AppSettings.at_path(tmp_path / "s.ini"), principal, cache=cache,
                     engine=engine, bus=ChangeBus())  # type: ignore[arg-type]
    return ctx, blobs


def _dialog(qtbot: QtBot, ctx: AppContext, compact: bool = False) -> AgendaDialog:
    dialog = AgendaDialog(ctx, "mt-view-1", compact=compact)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() > 0, timeout=10_000)
    return dialog


def _queued(cache: LocalCache, name: str) -> list[dict[str, Any]]:
    with cache.read() as s:
        rows = s.execute(outbox.select().where(outbox.c.name == name)).mappings().all()
        return [dict(r["args"]) for r in rows]


def test_the_agenda_opens_from_my_meetings_and_its_models_are_sound(
        qtbot: QtBot, cache: LocalCache, tmp_path: Path, qtmodeltester: Any) -> None:
    ctx, _ = _context(cache, tmp_path)
    mine = MyMeetings(ctx)
    qtbot.addWidget(mine)
    with qtbot.waitSignal(mine.loaded, timeout=10_000):
        mine.reload()
    assert mine.agenda.isVisibleTo(mine) and mine.notice_pdf.isVisibleTo(mine)
    dialog = mine.open_agenda()
    assert dialog is not None
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2, timeout=10_000)
    qtmodeltester.check(dialog.model)
    qtmodeltester.check(dialog.topic_model)
    first = dialog.model.data(dialog.model.index(0, 0))
    assert "听取工作汇报" in first and "李娜" in first
    assert dialog.topic_model.rowCount() == 1 and dialog.organiser_row.isVisibleTo(dialog)
    assert dialog.accept_.isVisibleTo(dialog) and not dialog.propose.isVisibleTo(dialog)
    dialog.close()


def test_organisers_reorder_add_and_decide(qtbot: QtBot, cache: LocalCache, tmp_path: Path) -> None:
    ctx, _ = _context(cache, tmp_path)
    dialog = _dialog(qtbot, ctx)
    dialog.list.setCurrentIndex(dialog.model.index(1, 0))
    dialog.move_item(-1)  # 研究部署 has no slot: it may go first
    qtbot.waitUntil(lambda: bool(_queued(cache, I.ORDER_AGENDA.name)), timeout=10_000)
    assert _queued(cache, I.ORDER_AGENDA.name)[0]["item_ids"] == ["ai-0002", "ai-0001"]
    editor = dialog.open_editor(None)
    editor.title.setText("新增议题")
    editor.timed.setChecked(True)
    editor.start.setTime(editor.start.time().fromString("09:20", "HH:mm"))
    editor.end.setTime(editor.end.time().fromString("10:00", "HH:mm"))
    editor.save()  # overlaps 听取工作汇报 (09:00–09:40): refused in words, nothing queued
    assert "听取工作汇报" in editor.error.text() and editor.isVisible()
    editor.start.setTime(editor.start.time().fromString("10:00", "HH:mm"))
    editor.end.setTime(editor.end.time().fromString("10:30", "HH:mm"))
    editor.presenter.setCurrentIndex(editor.presenter.findData("p-2"))
    editor.save()
    qtbot.waitUntil(lambda: bool(_queued(cache, I.SAVE_AGENDA_ITEM.name)), timeout=10_000)
    saved = _queued(cache, I.SAVE_AGENDA_ITEM.name)[0]
    assert saved["title"] == "新增议题" and saved["presenter_id"] == "p-2"
    assert saved["start"].startswith(at(10).date().isoformat() + "T10:00")
    dialog.topics.setCurrentIndex(dialog.topic_model.index(0, 0))
    dialog.decide(False, reason="")
    assert dialog.status.text()  # a reason is needed
    dialog.decide(True)
    qtbot.waitUntil(lambda: bool(_queued(cache, I.DECIDE_TOPIC.name)), timeout=10_000)
    assert _queued(cache, I.DECIDE_TOPIC.name)[0] == {"topic_id": "tp-0001", "accept": True,
                                                       "reason": ""}


def test_a_clerk_proposes_a_topic_offline(qtbot: QtBot, cache: LocalCache, tmp_path: Path) -> None:
    ctx, blobs = _context(cache, tmp_path, CLERK)
    dialog = _dialog(qtbot, ctx)
    assert dialog.propose.isVisibleTo(dialog) and not dialog.organiser_row.isVisibleTo(dialog)
    proposal = dialog.open_propose()
    assert proposal.body.currentData() == "b-2"
    proposal.title.setText("关于绩效评价的议题")
    file = tmp_path / "说明.pdf"
    file.write_bytes(b"%PDF-1.4 proposal")
    proposal.materials.append(dialog.service.attach(file))
    proposal.save()
    qtbot.waitUntil(lambda: any(t["title"] == "关于绩效评价的议题" for t in cache.list(A.TOPIC)),
                    timeout=10_000)
    mine = [t for t in cache.list(A.TOPIC) if t["by_id"] == "p-7" and t["id"] != "tp-0001"]
    assert mine[0]["state"] == A.PROPOSED and mine[0]["materials"][0]["name"] == "说明.pdf"
    assert blobs.path(mine[0]["materials"][0]["sha256"]) == file


def test_a_material_downloads_with_progress_and_opens(qtbot: QtBot, cache: LocalCache,
                                                      tmp_path: Path) -> None:
    ctx, blobs = _context(cache, tmp_path)
    ctx.attach()  # bridges the blob store's on_ready to the bus
    dialog = _dialog(qtbot, ctx)
    opened: list[QUrl] = []
    dialog.opener = opened.append
    assert dialog.materials.count() == 1 and "汇报材料.pdf" in dialog.materials.item(0).text()
    dialog.open_material()
    qtbot.waitUntil(lambda: blobs.requested == [SHA] and dialog.progress.isVisibleTo(dialog),
                    timeout=10_000)
    worker = threading.Thread(target=lambda: blobs.on_progress(SHA, len(DATA) // 2))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: dialog.progress.value() == 50, timeout=10_000)
    blobs.land(SHA, DATA)
    blobs.on_ready(SHA)
    qtbot.waitUntil(lambda: len(opened) == 1, timeout=10_000)
    assert Path(opened[0].toLocalFile()).read_bytes() == DATA
    assert opened[0].toLocalFile().endswith("汇报材料.pdf")
    dialog.reject()
    assert blobs.on_progress is None  # detached with the dialog


def test_the_notice_pdf_is_saved(qtbot: QtBot, cache: LocalCache, tmp_path: Path) -> None:
    ctx, _ = _context(cache, tmp_path)
    dialog = _dialog(qtbot, ctx)
    said: list[str] = []
    target = tmp_path / "notice.pdf"
    names: list[str] = []

    def ask(name: str) -> str:
        names.append(name)
        return str(target)

    save_notice_pdf(dialog, ctx, PageWork(dialog, said.append), "mt-view-1", said.append, ask=ask)
    qtbot.waitUntil(lambda: bool(said), timeout=20_000)
    assert names == ["会议通知-年度工作部署会.pdf"]
    assert target.read_bytes().startswith(b"%PDF-") and str(target) in said[0]


@pytest.mark.parametrize("width", [1280, 390])
def test_screenshots(qtbot: QtBot, cache: LocalCache, tmp_path: Path, width: int) -> None:
    from PySide6.QtWidgets import QApplication

    from office_app.app import apply_ui_font, load_fonts

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.font()
    apply_ui_font(app, load_fonts())  # the app's own CJK face, as in the running client
    try:
        ctx, _ = _context(cache, tmp_path)
        dialog = _dialog(qtbot, ctx, compact=width < 500)
        dialog.resize(width, 760)
        dialog.show()
        qtbot.waitExposed(dialog)
        assert dialog.width() <= max(width, 400)  # phone width fits
        assert dialog.grab().save(str(tmp_path / f"agenda_{width}.png"))
        dialog.grab().save(f"/tmp/agenda_{width}.png")
        editor = dialog.open_editor(dialog.current_item())
        editor.resize(min(width, editor.sizeHint().width()), 700)
        qtbot.waitExposed(editor)
        assert editor.width() <= max(width, 400)
        editor.grab().save(f"/tmp/agenda_editor_{width}.png")
        editor.reject()
    finally:
        app.setFont(before)
