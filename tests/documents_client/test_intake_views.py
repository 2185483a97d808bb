"""The 收文录入 dialog on the documents page, with the real reader: a file is read off
the GUI thread with page progress, the proposed fields show how sure the reading is and
where each was read, the clerk corrects one and registers — only then is the incoming
document in the cache (and findable by a body word), its original in the blob store.
Cancel, a classified marking and a missing OCR extra end in words with nothing kept.
Both widths are drawn; with ``OFFICE_INTAKE_SCREENSHOTS=DIR`` the states are saved as PNGs.

Every Qt warning fails these tests (see conftest.py)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from modules.documents.service import DocumentService
from modules.documents.views.intake import IntakeDialog
from modules.documents.views.page import DocumentsPage
from office_app import tasks
from office_app.app import setup_application
from office_app.bus import ChangeBus
from office_app.context import AppContext
from office_app.screenshot import settle
from office_app.settings import AppSettings
from sync.blobs import BlobStore
from sync.cache import LocalCache
from tests.documents_client import support
from tests.documents_intake import support as paper

CLERK = {
    "person_id": "p-5", "name": "陈静", "login": "chenjing", "roles": ["registry_clerk"],
    "body_ids": ["b-jh-gov"],
    "posts": [{"post_id": "post-5", "body_id": "b-jh-gov", "title": "收发员", "body_name": "江海市人民政府办公室",
               "roles": ["registry_clerk"], "is_primary": True}],
}
SHOTS = os.environ.get("OFFICE_INTAKE_SCREENSHOTS", "")
NOTICE = paper.notice(body=["为切实做好今年防汛防台风工作，请各单位落实水库巡查和转移避险措施。"])


@pytest.fixture
def app(qapp: QApplication, tmp_path: Path) -> Iterator[QApplication]:
    settings = AppSettings.at_path(tmp_path / "settings.ini")
    settings.theme = "light"
    setup_application(qapp, settings)
    yield qapp
    tasks.wait_for_idle()
    settle(2)
    ChangeBus.reset_instance()


@pytest.fixture
def clerk_engine(cache: LocalCache, tmp_path: Path) -> support.LocalEngine:
    support.seed_directory(cache)
    engine = support.LocalEngine(cache, CLERK)
    engine.blobs = BlobStore(cache, tmp_path / "blobs")  # type: ignore[attr-defined]
    return engine


@pytest.fixture
def page(app: QApplication, tmp_path: Path, cache: LocalCache, clerk_engine: support.LocalEngine,
         qtbot: Any) -> Iterator[DocumentsPage]:
    ctx = AppContext(AppSettings.at_path(tmp_path / "s2.ini"), CLERK, cache=cache, engine=clerk_engine,
                     bus=ChangeBus())
    ctx.attach()
    p = DocumentsPage(ctx)
    qtbot.addWidget(p)
    p.resize(1280, 820)
    p.show()
    yield p
    tasks.wait_for_idle()
    settle(2)
    ctx.detach()


def _shot(widget: Any, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(SHOTS) / f"{name}.png"))


def _open(page: DocumentsPage, qtbot: Any, path: Path, state: str = "review") -> IntakeDialog:
    dialog = page.open_intake(str(path))
    assert isinstance(dialog, IntakeDialog)
    qtbot.waitUntil(lambda: dialog.state == state, timeout=60_000)
    return dialog


def test_a_read_document_is_reviewed_corrected_and_registered(page: DocumentsPage, qtbot: Any,
                                                              tmp_path: Path, cache: LocalCache,
                                                              clerk_engine: support.LocalEngine) -> None:
    assert page.intake_button.isVisibleTo(page)
    path = tmp_path / "来文.docx"
    path.write_bytes(paper.build_docx(NOTICE))
    steps: list[tuple[int, int]] = []
    dialog = page.open_intake()
    dialog.progress_relay.moved.connect(lambda d, t: steps.append((d, t)))
    dialog.open_path(path)
    qtbot.waitUntil(lambda: dialog.state == "review", timeout=60_000)
    assert steps and steps[0] == (0, 1) and steps[-1] == (1, 1)  # page by page, off the GUI thread
    want = paper.expected(NOTICE, 1)
    assert dialog.values()["doc_number"] == want["doc_number"] == "穗政数〔2026〕15号"
    assert dialog.values()["urgency"] == "加急" and dialog.values()["date"] == "2026-03-05"
    assert "%" in dialog.marks["doc_number"].text()
    dialog.editors["doc_number"].setFocus()
    qtbot.waitUntil(lambda: dialog.view.marked() == 1)  # where it was read, highlighted
    _shot(dialog, "1280-intake-review")
    assert not cache.list("documents.document")  # nothing registered before 登记
    title = dialog.editors["title"]
    assert isinstance(title, QLineEdit)
    assert "%" in dialog.marks["title"].text()
    title.setFocus()
    title.end(False)
    qtbot.keyClick(title, Qt.Key.Key_Backspace)  # the clerk corrects one field …
    assert "%" not in dialog.marks["title"].text()  # … marked as theirs, no longer the reading's
    title.setText("关于开展政务数据共享质量专项检查工作的通知")
    dialog.deadline.setText("5")
    with qtbot.waitSignal(dialog.registered, timeout=30_000) as got:
        qtbot.mouseClick(dialog.register_button, Qt.MouseButton.LeftButton)
    doc_id = got.args[0]
    svc = DocumentService(cache, clerk_engine, CLERK)
    doc = svc.get(doc_id)
    assert doc is not None and doc["kind"] == "incoming" and doc["step"] == "register"
    assert doc["title"] == "关于开展政务数据共享质量专项检查工作的通知" and doc["urgency"] == "加急"
    source = doc["attachments"][0]
    assert source["role"] == "source" and clerk_engine.blobs.path(source["sha256"]) is not None  # type: ignore[attr-defined]
    assert [r["id"] for r in svc.search("转移避险")] == [doc_id]  # a body word finds it
    assert [r["id"] for r in svc.search("市政府办公厅")] == [doc_id]  # and any word read (its 抄送)
    body = "".join(p["text"] for p in doc["spec"]["body"])  # the 正文 alone, for its rendering
    assert "转移避险" in body and "穗政数" not in body and "抄送" not in body
    names = [r["name"] for r in clerk_engine.pending()]
    assert names[:2] == ["documents.intake", "documents.register"]  # then the read receipt of showing it
    qtbot.waitUntil(lambda: page._doc_id == doc_id, timeout=10_000)  # the page shows it
    qtbot.waitUntil(lambda: [r["id"] for r in page.model.rows()] == [doc_id], timeout=10_000)  # in 待办
    tasks.wait_for_idle()
    settle(5)
    _shot(page, "1280-intake-registered")


def test_reading_is_cancelled_between_pages(page: DocumentsPage, qtbot: Any, tmp_path: Path,
                                             cache: LocalCache) -> None:
    pdf, pages = paper.render(paper.notice(body=[paper.FILLER * 30]))
    assert pages >= 2
    path = tmp_path / "长文.pdf"
    path.write_bytes(pdf)
    dialog = page.open_intake()
    dialog.open_path(path)
    assert dialog.state == "reading" and dialog.cancel_button.isEnabled()
    _shot(dialog, "1280-intake-reading")
    dialog.cancel_reading()
    qtbot.waitUntil(lambda: dialog.state == "error", timeout=60_000)
    assert "已取消读取" in dialog.problem.text() or "cancelled" in dialog.problem.text()
    assert not cache.list("documents.document")


def test_a_classified_file_is_refused_and_nothing_is_kept(page: DocumentsPage, qtbot: Any, tmp_path: Path,
                                                          cache: LocalCache,
                                                          clerk_engine: support.LocalEngine) -> None:
    path = tmp_path / "密件.docx"
    from tests.documents_server.test_intake_jobs import notice_docx

    path.write_bytes(notice_docx("机密★1年", "江海市人民政府办公室文件", "关于某事项的通知", "正文。"))
    dialog = _open(page, qtbot, path, "error")
    assert "涉密" in dialog.problem.text() or "classified" in dialog.problem.text().lower()
    assert not cache.list("documents.document")
    assert clerk_engine.blobs.queue() == []  # type: ignore[attr-defined]


def test_without_ocr_the_message_says_how_to_enable_it(page: DocumentsPage, qtbot: Any, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "rapidocr", None)
    pdf, _pages = paper.render(NOTICE)
    path = tmp_path / "照片.jpg"
    path.write_bytes(paper.jpeg(paper.rasterise(pdf, 60)[0]))
    dialog = _open(page, qtbot, path, "error")
    assert 'pip install -e ".[ocr]"' in dialog.problem.text()


def test_phone_width_stacks_the_page_over_the_form(page: DocumentsPage, qtbot: Any, tmp_path: Path) -> None:
    page.set_compact(True)
    page.resize(390, 844)
    path = tmp_path / "来文.docx"
    path.write_bytes(paper.build_docx(NOTICE))
    dialog = page.open_intake()
    dialog.resize(390, 844)
    assert dialog.drop.choose.text() != "" and dialog.minimumSizeHint().width() <= 390
    _shot(dialog, "390-intake-choose")
    dialog.open_path(path)
    qtbot.waitUntil(lambda: dialog.state == "review", timeout=60_000)
    assert dialog.split.orientation() == Qt.Orientation.Vertical and dialog.view.follow
    dialog.select_field("addressees")
    assert dialog.view.marked() == 1
    assert dialog.register_button.width() <= 390 and dialog.minimumSizeHint().width() <= 390
    _shot(dialog, "390-intake-review")


def test_a_dropped_file_is_read_and_other_files_are_not_taken(page: DocumentsPage, qtbot: Any,
                                                             tmp_path: Path) -> None:
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent

    def mime(path: Path) -> QMimeData:
        data = QMimeData()
        data.setUrls([QUrl.fromLocalFile(str(path))])
        return data

    other = tmp_path / "notes.txt"
    other.write_text("不是公文")
    dialog = page.open_intake()
    wrong = mime(other)  # (the events do not own their data: keep it alive)
    enter = QDragEnterEvent(QPointF(10, 10).toPoint(), Qt.DropAction.CopyAction, wrong,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    dialog.drop.dragEnterEvent(enter)
    assert not enter.isAccepted()
    path = tmp_path / "来文.docx"
    path.write_bytes(paper.build_docx(NOTICE))
    right = mime(path)
    drop = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, right, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    dialog.drop.dropEvent(drop)
    qtbot.waitUntil(lambda: dialog.state == "review", timeout=60_000)
    assert dialog.values()["title"] == paper.expected(NOTICE, 1)["title"]
    dialog.close_dialog()
    assert not dialog.isVisible()
    # Dropped on the documents page itself, the intake opens with it.
    assert page.acceptDrops()
    page.dropEvent(QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, right, Qt.MouseButton.LeftButton,
                              Qt.KeyboardModifier.NoModifier))
    opened = page.dialog
    assert isinstance(opened, IntakeDialog) and opened is not dialog
    qtbot.waitUntil(lambda: opened.state == "review", timeout=60_000)
    opened.close_dialog()
