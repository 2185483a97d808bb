"""Open-to-first-page without waiting: what the client prepares ahead of time.

The official PDF blobs of the documents on the person's 待办 list are fetched by the sync
engine itself, after each pull and within the blob cache's bound
(:func:`modules.documents.service.todo_pdf_blobs` is its prefetch source). On top of that,
after sign-in, after every sync that touched documents and whenever a blob lands,
:class:`Prefetcher` (one per signed-in context, started by the attach hook in
``modules.documents.views``) runs :func:`prepare_todo` in the background for the 待办 list:

* a draft's PDF (rendered locally from its spec, which costs the renderer's font start-up
  the first time) is rendered once and kept in memory, keyed by its render inputs;
* the first page of every PDF that is local is rendered to an image at the detail view's
  width and kept in memory (reading a prefetched blob for this is not a use: it stays
  first in line for eviction until someone opens it).

The detail view then shows the cached first page at once (:func:`cached_by_id`, memory
only, safe on the GUI thread) and loads the whole PDF behind it. A blob that arrives
later announces itself on ``ChangeBus.blob_ready``; nothing polls.

Threading: the caches are guarded by one lock; rendering runs on worker threads only.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QSize, QTimer
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtPdf import QPdfDocument

log = logging.getLogger(__name__)

#: Width (device pixels) the first pages are rendered at; the view scales to fit.
FIRST_PAGE_WIDTH = 820
#: How many to-do documents are prepared after each sync.
TODO_LIMIT = 30
_MAX_PDFS = 30  # rendered drafts kept (~150 KiB each)
_MAX_PAGES = 16  # first-page images kept (~3.7 MB each at 820 px)

_lock = threading.Lock()
_pdfs: OrderedDict[str, bytes] = OrderedDict()
_pages: OrderedDict[tuple[str, int], QImage] = OrderedDict()
_keys: dict[str, str] = {}  # document id -> key of its current PDF


def pdf_key(doc: Mapping[str, Any]) -> str:
    """What identifies the document's PDF: the blob's SHA-256, or a hash of the inputs
    a draft is rendered from (changes whenever the rendered PDF would)."""
    sha = doc.get("pdf_sha256")
    if sha:
        return str(sha)
    inputs = [doc.get(k) for k in ("spec", "doc_type", "title", "body_name", "doc_number")]
    text = json.dumps(inputs, ensure_ascii=False, sort_keys=True, default=str)
    return "spec:" + hashlib.sha256(text.encode()).hexdigest()


def _remember(cache: OrderedDict[Any, Any], key: Any, value: Any, limit: int) -> None:
    cache[key] = value
    cache.move_to_end(key)
    while len(cache) > limit:
        cache.popitem(last=False)


def clear_caches() -> None:
    """Forget every cached PDF and page (sign-out, tests, benchmarks)."""
    with _lock:
        _pdfs.clear()
        _pages.clear()
        _keys.clear()


def render_first_page(data: bytes, width: int = FIRST_PAGE_WIDTH) -> QImage:
    """Page 1 of the PDF ``data`` as an image ``width`` pixels wide on white (worker
    thread). A null image when the PDF cannot be read."""
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    doc = QPdfDocument()
    try:
        doc.load(buffer)
        if doc.status() != QPdfDocument.Status.Ready or doc.pageCount() < 1:
            return QImage()
        points = doc.pagePointSize(0)
        if points.width() <= 0:
            return QImage()
        size = QSize(width, round(width * points.height() / points.width()))
        page = doc.render(0, size)
        out = QImage(size, QImage.Format.Format_RGB32)
        out.fill(QColor("white"))
        painter = QPainter(out)
        painter.drawImage(0, 0, page)
        painter.end()
        return out
    finally:
        doc.close()
        buffer.close()


def pdf_bytes(svc: Any, doc: Mapping[str, Any], *, fetch: bool = True
              ) -> tuple[bytes | None, str]:
    """``DocumentService.pdf_for`` with locally rendered drafts kept in memory
    (``fetch=False``: ahead of time, see ``DocumentService.blob_bytes``)."""
    key = pdf_key(doc)
    if not doc.get("pdf_sha256"):
        with _lock:
            data = _pdfs.get(key)
            if data is not None:
                _pdfs.move_to_end(key)
                return data, "rendered"
    data, state = svc.pdf_for(doc, fetch=fetch)
    if data is not None and state == "rendered":
        with _lock:
            _remember(_pdfs, key, data, _MAX_PDFS)
    return data, state


def first_page(key: str, data: bytes, width: int = FIRST_PAGE_WIDTH) -> QImage:
    """The cached first-page image of the PDF ``key`` (rendered and cached if needed)."""
    with _lock:
        image = _pages.get((key, width))
        if image is not None:
            _pages.move_to_end((key, width))
            return image
    image = render_first_page(data, width)
    if not image.isNull():
        with _lock:
            _remember(_pages, (key, width), image, _MAX_PAGES)
    return image


def open_pdf(svc: Any, doc: Mapping[str, Any], width: int = FIRST_PAGE_WIDTH, *,
             fetch: bool = True) -> tuple[bytes | None, str, QImage | None]:
    """What the detail view shows for ``doc`` (worker thread): the PDF bytes, their
    state (``blob`` / ``rendered`` / ``downloading`` …) and the first page.
    ``fetch=False``: preparing ahead of time (a missing blob is left to the engine)."""
    data, state = pdf_bytes(svc, doc, fetch=fetch)
    if data is None:
        return None, state, None
    key = pdf_key(doc)
    with _lock:
        _keys[str(doc.get("id") or "")] = key
    return data, state, first_page(key, data, width)


def cached_by_id(doc_id: str, width: int = FIRST_PAGE_WIDTH) -> QImage | None:
    """The first page of ``doc_id`` from memory only, or None (GUI thread safe)."""
    with _lock:
        key = _keys.get(doc_id)
        return _pages.get((key, width)) if key else None


def cached_open(svc: Any, doc_id: str, width: int = FIRST_PAGE_WIDTH
                ) -> tuple[bytes, QImage] | None:
    """Bytes and first page of ``doc_id`` when both are local (benchmarks)."""
    doc = svc.get(doc_id)
    if doc is None:
        return None
    data, _state, image = open_pdf(svc, doc, width)
    return (data, image) if data is not None and image is not None else None


def prepare_todo(svc: Any, width: int = FIRST_PAGE_WIDTH, limit: int = TODO_LIMIT) -> int:
    """Prepare the PDFs of the to-do list (worker thread); returns how many are ready.

    Drafts are rendered and the first pages of local PDFs cached. A blob not local yet
    is skipped: the sync engine prefetches it, and ``blob_ready`` runs this again.
    """
    ready = 0
    for row in svc.page("todo", limit=limit):
        doc = svc.get(row["id"])
        if doc is None:
            continue
        try:
            data, _state, image = open_pdf(svc, doc, width, fetch=False)
        except Exception:  # a classified spec, a corrupt blob: the view says why on open
            log.debug("could not prepare the PDF of %s", row["id"], exc_info=True)
            continue
        if data is not None and image is not None and not image.isNull():
            ready += 1
    return ready


class Prefetcher(QObject):
    """Runs :func:`prepare_todo` after sign-in, after syncs touching documents and when
    a blob arrives (coalesced). Child of the context: it ends with the session."""

    def __init__(self, context: Any) -> None:
        super().__init__(context)
        self.context = context
        self._running = False
        self._again = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(300)  # coalesce a burst of change batches into one pass
        self._timer.timeout.connect(self.run)
        context.bus.changed.connect(self._changed)
        context.bus.blob_ready.connect(lambda _sha: self._timer.start())

    def _changed(self, changes: Any) -> None:
        from modules.documents.service import ENTITY
        from office_app.bus import touches

        if touches(changes, ENTITY):
            self._timer.start()

    def run(self) -> None:
        """One pass in the background (a second request while running runs after)."""
        if self._running:
            self._again = True
            return
        if not hasattr(self.context.cache, "read") or not getattr(self.context, "attached", True):
            return  # signed out meanwhile
        from modules.documents.views.page import service_for
        from office_app.tasks import run_in_background

        svc = service_for(self.context)
        self._running = True
        run_in_background(lambda: prepare_todo(svc), self._finished,
                          lambda exc: self._finished(0), owner=self)

    def _finished(self, _ready: int) -> None:
        self._running = False
        if self._again:
            self._again = False
            self._timer.start()


def start_for(context: Any) -> Prefetcher:
    """Attach hook: prefetch for this signed-in context, starting now."""
    clear_caches()  # nothing of the previous account's documents stays in memory
    prefetcher = Prefetcher(context)
    context.prefetcher = prefetcher
    prefetcher.run()
    return prefetcher
