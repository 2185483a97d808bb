"""Opening a document on the to-do list: its PDF is fetched with the sync beforehand, the
first page shows from the cache at once, and a PDF still downloading loads when the blob
arrives (an event, not a retry timer)."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QPageSize, QPainter, QPdfWriter
from PySide6.QtWidgets import QApplication

from modules.documents import prefetch
from modules.documents.service import DocumentService
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


def _small_pdf() -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    painter = QPainter(writer)
    painter.drawText(200, 400, "关于做好防汛工作的通知")
    painter.end()
    buffer.close()
    return bytes(data.data())


@pytest.fixture
def app(qapp: QApplication, tmp_path: Path) -> Iterator[QApplication]:
    settings = AppSettings.at_path(tmp_path / "settings.ini")
    settings.theme = "light"
    setup_application(qapp, settings)
    prefetch.clear_caches()
    yield qapp
    tasks.wait_for_idle()
    settle(2)
    prefetch.clear_caches()
    ChangeBus.reset_instance()


@pytest.fixture
def pdf() -> bytes:
    return _small_pdf()


@pytest.fixture
def blob_cache(cache: LocalCache, pdf: bytes) -> LocalCache:
    """The demo documents, each with the official PDF ``pdf`` (not downloaded yet)."""
    sha = hashlib.sha256(pdf).hexdigest()
    records = support.demo_records()
    for record in records:
        record["pdf_sha256"] = sha
    support.seed(cache, records)
    support.seed_directory(cache)
    return cache


@pytest.fixture
def store(blob_cache: LocalCache, tmp_path: Path, engine: support.LocalEngine) -> BlobStore:
    blobs = BlobStore(blob_cache, tmp_path / "blobs")
    engine.blobs = blobs  # type: ignore[attr-defined]
    return blobs


@pytest.fixture
def context(app: QApplication, tmp_path: Path, blob_cache: LocalCache, store: BlobStore,
            engine: support.LocalEngine) -> Iterator[AppContext]:
    ctx = AppContext(AppSettings.at_path(tmp_path / "s2.ini"), support.ME, cache=blob_cache,
                     engine=engine, bus=ChangeBus())
    import modules.documents.views  # noqa: F401  (registers the prefetch attach hook)

    ctx.attach()
    yield ctx
    tasks.wait_for_idle()
    settle(2)
    ctx.detach()


def _todo_ids(cache: LocalCache, engine: Any, store: BlobStore) -> list[str]:
    svc = DocumentService(cache, engine, support.ME, blobs=store)
    return [r["id"] for r in svc.page("todo")]


def _queued_downloads(store: BlobStore) -> set[str]:
    return {q["sha256"] for q in store.queue() if q["direction"] == "down"}


WAITING = ("The text is downloading; it shows once online.", "正文正在下载，联网后自动显示。")


def test_a_pdf_not_here_yet_loads_when_its_blob_arrives_not_on_a_timer(
        context: AppContext, blob_cache: LocalCache, engine: support.LocalEngine,
        store: BlobStore, pdf: bytes, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    sha = hashlib.sha256(pdf).hexdigest()
    opens: list[str] = []
    real_open = prefetch.open_pdf

    def counting(svc: Any, doc: Any, width: int = prefetch.FIRST_PAGE_WIDTH, *,
                 fetch: bool = True) -> Any:
        if fetch:  # the view opening it (the prefetcher prepares with fetch=False)
            opens.append(str(doc.get("id")))
        return real_open(svc, doc, width, fetch=fetch)

    monkeypatch.setattr(prefetch, "open_pdf", counting)
    tasks.wait_for_idle()
    # Signing in queued nothing for the screens: the sync engine prefetches the to-do
    # list's PDFs itself (tests/documents_client/test_todo_prefetch.py).
    assert _queued_downloads(store) == set()

    page = DocumentsPage(context)
    qtbot.addWidget(page)
    page.resize(1280, 820)
    page.show()
    first, second = _todo_ids(blob_cache, engine, store)[:2]
    page.show_document(first)
    qtbot.waitUntil(lambda: page.detail.pdf_stack.currentWidget() is page.detail.pdf_wait
                    and page.detail.pdf_wait.label.text() in WAITING, timeout=10_000)
    assert sha in _queued_downloads(store)  # opened by a person: an explicit download
    assert page.detail.pdf_doc.pageCount() == 0
    qtbot.wait(2_000)  # longer than any retry tick the view ever had
    assert opens == [first]  # nothing tried again meanwhile

    # The sync worker lands the blob and says so; the open document loads at once.
    store.add_bytes(pdf)
    landed = threading.Thread(target=lambda: store.on_ready(sha))
    with qtbot.waitSignal(page.pdf_shown, timeout=10_000) as shown:
        landed.start()
    landed.join()
    assert shown.args == [first]
    assert opens == [first, first]
    assert page.detail.pdf_doc.pageCount() == 1

    # The same event prepared the other to-do documents' first pages: opening the next
    # one shows its first page before any background work or event loop turn.
    qtbot.waitUntil(lambda: prefetch.cached_by_id(second) is not None, timeout=10_000)
    page.show_document(second)
    assert page.detail.pdf_stack.currentWidget() is page.detail.pdf_view
    assert page.detail.pdf_preview.isVisible()
    assert not page.detail.pdf_preview.image.isNull()
    with qtbot.waitSignal(page.pdf_shown, timeout=10_000):
        pass
    assert page.detail.pdf_doc.pageCount() == 1


def test_a_cached_pdf_opens_without_the_network(
        context: AppContext, blob_cache: LocalCache, engine: support.LocalEngine,
        store: BlobStore, pdf: bytes, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The blob fetched with the sync, its first page not prepared in memory: opening it
    reads the local file and draws it, asking the network for nothing."""
    sha = hashlib.sha256(pdf).hexdigest()
    store.add_bytes(pdf)
    tasks.wait_for_idle()
    prefetch.clear_caches()
    syncs: list[int] = []
    monkeypatch.setattr(engine, "sync_now", lambda: syncs.append(1), raising=False)
    page = DocumentsPage(context)
    qtbot.addWidget(page)
    page.resize(1280, 820)
    page.show()
    doc_id = _todo_ids(blob_cache, engine, store)[0]
    with qtbot.waitSignal(page.pdf_shown, timeout=10_000) as shown:
        page.show_document(doc_id)
    assert shown.args == [doc_id]
    assert page.detail.pdf_doc.pageCount() == 1
    assert sha not in _queued_downloads(store) and syncs == []
    assert store.path(sha, touch=False) is not None


def test_the_preview_gives_way_to_the_rendered_pages(context: AppContext, blob_cache: LocalCache,
                                                      engine: support.LocalEngine, store: BlobStore,
                                                      pdf: bytes, qtbot: Any) -> None:
    store.add_bytes(pdf)
    store.on_ready(hashlib.sha256(pdf).hexdigest())  # as the sync worker does on landing
    doc_id = _todo_ids(blob_cache, engine, store)[0]
    qtbot.waitUntil(lambda: prefetch.cached_by_id(doc_id) is not None, timeout=10_000)
    page = DocumentsPage(context)
    qtbot.addWidget(page)
    page.resize(1280, 820)
    page.show()
    with qtbot.waitSignal(page.pdf_shown, timeout=10_000):
        page.show_document(doc_id)
    qtbot.waitUntil(lambda: not page.detail.pdf_preview.isVisible(), timeout=10_000)
    assert page.detail.pdf_stack.currentWidget() is page.detail.pdf_view
