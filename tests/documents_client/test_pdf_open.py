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


def test_todo_pdfs_are_queued_with_the_sync_and_a_blob_arriving_loads_the_text(
        context: AppContext, blob_cache: LocalCache, engine: support.LocalEngine,
        store: BlobStore, pdf: bytes, qtbot: Any) -> None:
    sha = hashlib.sha256(pdf).hexdigest()
    # Signing in alone queues the to-do list's PDF for download (nobody opened it yet).
    qtbot.waitUntil(lambda: sha in _queued_downloads(store), timeout=10_000)

    page = DocumentsPage(context)
    qtbot.addWidget(page)
    page.resize(1280, 820)
    page.show()
    first, second = _todo_ids(blob_cache, engine, store)[:2]
    page.show_document(first)
    qtbot.waitUntil(lambda: page.detail.pdf_stack.currentWidget() is page.detail.pdf_wait
                    and "下载" in page.detail.pdf_wait.label.text(), timeout=10_000)
    assert page.detail.pdf_doc.pageCount() == 0

    # The sync worker lands the blob and says so; the open document loads at once.
    store.add_bytes(pdf)
    landed = threading.Thread(target=lambda: store.on_ready(sha))
    with qtbot.waitSignal(page.pdf_shown, timeout=10_000) as shown:
        landed.start()
    landed.join()
    assert shown.args == [first]
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
