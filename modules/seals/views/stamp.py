"""The stamping view (用印): the PDF with the seal placed on it, draggable for
non-official PDFs, and the stamped result.

:class:`PlacementCanvas` shows one page and draws the seal at its real size on top; the
user drags it (mouse, pen or finger). :meth:`placement` gives the seal's rectangle in
PDF points (origin bottom-left, page 0-based) — the ``box`` the server's ``seals.stamp``
expects. Documents rendered by the GB/T 9704 renderer carry a seal anchor; there the
seal sits where the standard puts it and cannot be moved.

:class:`StampDialog` wraps it with page switching and options (骑缝章, 二维码) and runs
the stamping through the service in the background; the result is shown in a
:class:`PdfPagesView`. GUI thread; PDF and picture bytes are loaded by the caller in the
background and handed in.

Qt PDF (``QPdfDocument``) gives the page count and page sizes. The pixels come from
pdfium with its form environment (:func:`render_page`): a seal is a signature field's
appearance, which Qt PDF's renderer — and so ``QPdfView`` — leaves out, even with the
annotations flag.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QPen, QPixmap
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from office_app.kit import PageWork, error_text
from office_app.widgets import primary_button, text_label

MM_TO_PT = 72.0 / 25.4


def render_page(data: bytes, page: int, width_px: int) -> QImage:
    """Page ``page`` (0-based) of a PDF as an image ``width_px`` wide, with its form
    fields drawn — a seal is a signature field's appearance, which Qt PDF does not draw
    (its renderer has no form environment), so pdfium is called directly here.
    CPU only (no disk, no network); about 50 ms a page."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        doc.init_forms()
        pdf_page = doc[page]
        scale = width_px / max(1.0, pdf_page.get_width())
        bitmap = pdf_page.render(scale=scale, may_draw_forms=True,
                                 fill_color=(255, 255, 255, 255))
        buf = io.BytesIO()
        bitmap.to_pil().save(buf, format="PNG")
    finally:
        doc.close()
    return QImage.fromData(buf.getvalue())  # the format is read from the PNG header


class PdfPagesView(QScrollArea):
    """All pages of a PDF one below the other, fitted to the width, seals included
    (see :func:`render_page`; ``QPdfView`` leaves signature appearances out). Pages are
    rendered when the document is set and when the width changes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self._inner = QWidget()
        self._layout = QVBoxLayout(self._inner)
        self._layout.setSpacing(12)
        self._layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.setWidget(self._inner)
        self._doc: QPdfDocument | None = None
        self._data: bytes | None = None
        self._buffer: QBuffer | None = None
        self._labels: list[QLabel] = []
        self._width = 0

    def set_pdf(self, data: bytes) -> None:
        """Show ``data`` (a PDF); page sizes come from Qt PDF, pixels from pdfium."""
        self._data = data
        doc, self._buffer = load_pdf_document(data, self)
        self.setDocument(doc)

    def setDocument(self, doc: QPdfDocument) -> None:
        self._doc = doc
        for label in self._labels:
            label.deleteLater()
        self._labels = []
        for _ in range(doc.pageCount()):
            label = QLabel()
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self._layout.addWidget(label)
            self._labels.append(label)
        self._width = 0
        self._render()

    def document(self) -> QPdfDocument | None:
        return self._doc

    def page_labels(self) -> list[QLabel]:
        return list(self._labels)

    def _render(self) -> None:
        if self._doc is None:
            return
        width = max(200, min(self.viewport().width() - 24, 1000))
        if width == self._width:
            return
        self._width = width
        for i, label in enumerate(self._labels):
            if self._data is not None:
                image = render_page(self._data, i, width)
            else:
                size = self._doc.pagePointSize(i)
                image = self._doc.render(i, QSize(width, int(width * size.height()
                                                            / max(1.0, size.width()))))
            label.setPixmap(QPixmap.fromImage(image))

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._render()


def load_pdf_document(data: bytes, parent: Any = None) -> tuple[QPdfDocument, QBuffer]:
    """A QPdfDocument reading ``data`` from memory (keep the buffer alive with it)."""
    doc = QPdfDocument(parent)
    buffer = QBuffer(parent)
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    doc.load(buffer)
    return doc, buffer


class PlacementCanvas(QWidget):
    """One PDF page with a draggable seal. ``moved`` fires after a drag."""

    moved = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(200, 260)
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.doc: QPdfDocument | None = None
        self._data = b""
        self._buffer: QBuffer | None = None
        self.page = 0
        self.locked = False
        self._seal = QPixmap()
        self._seal_pt = (119.0, 119.0)
        #: seal centre in PDF points (origin bottom-left) per page
        self._centre: dict[int, QPointF] = {}
        self._image: QImage | None = None
        self._image_key: tuple[int, int, int] | None = None
        self._drag: QPointF | None = None

    # -- set up ----------------------------------------------------------------------
    def set_pdf(self, data: bytes) -> None:
        self._data = data
        self.doc, self._buffer = load_pdf_document(data, self)
        self.page = max(0, self.doc.pageCount() - 1)  # seals go on the last page
        self._image = None
        self.update()

    def set_seal(self, png: bytes, width_mm: float, height_mm: float) -> None:
        self._seal = QPixmap()
        self._seal.loadFromData(png)
        self._seal_pt = (width_mm * MM_TO_PT, height_mm * MM_TO_PT)
        self.update()

    def page_count(self) -> int:
        return self.doc.pageCount() if self.doc is not None else 0

    def page_size(self, page: int | None = None) -> tuple[float, float]:
        if self.doc is None:
            return (595.0, 842.0)
        size = self.doc.pagePointSize(self.page if page is None else page)
        return (size.width() or 595.0, size.height() or 842.0)

    def set_page(self, page: int) -> None:
        self.page = max(0, min(page, self.page_count() - 1))
        self._image = None
        self.update()

    def set_anchor(self, anchor: list[float] | None) -> None:
        """Lock the seal on the renderer's seal square ``[page 1-based, x, y, w, h]``."""
        if not anchor:
            self.locked = False
            return
        page, x, y, w, h = anchor
        self.page = int(page) - 1
        self._centre[self.page] = QPointF(x + w / 2, y + h / 2)
        self.locked = True
        self._image = None
        self.update()

    # -- geometry --------------------------------------------------------------------
    def centre(self) -> QPointF:
        if self.page not in self._centre:
            pw, ph = self.page_size()
            # default: lower right, where a signature block usually is
            self._centre[self.page] = QPointF(pw * 0.68, ph * 0.3)
        return self._centre[self.page]

    def _layout(self) -> tuple[float, float, float]:
        """(scale px per pt, x offset, y offset) of the page in the widget."""
        pw, ph = self.page_size()
        margin = 8.0
        scale = min((self.width() - 2 * margin) / pw, (self.height() - 2 * margin) / ph)
        scale = max(scale, 0.05)
        ox = (self.width() - pw * scale) / 2
        oy = (self.height() - ph * scale) / 2
        return scale, ox, oy

    def seal_rect_px(self) -> QRectF:
        scale, ox, oy = self._layout()
        _, ph = self.page_size()
        c = self.centre()
        w, h = self._seal_pt[0] * scale, self._seal_pt[1] * scale
        cx, cy = ox + c.x() * scale, oy + (ph - c.y()) * scale
        return QRectF(cx - w / 2, cy - h / 2, w, h)

    def placement(self) -> dict[str, Any]:
        """The seal's box in PDF points for ``seals.stamp``."""
        if self.locked:
            return {"mode": "auto"}
        c = self.centre()
        w, h = self._seal_pt
        return {"mode": "box", "page": self.page, "x": round(c.x() - w / 2, 2),
                "y": round(c.y() - h / 2, 2), "w": round(w, 2), "h": round(h, 2)}

    def move_seal_to(self, pos: QPointF) -> None:
        """Centre the seal at widget position ``pos``, kept inside the page."""
        scale, ox, oy = self._layout()
        pw, ph = self.page_size()
        x = (pos.x() - ox) / scale
        y = ph - (pos.y() - oy) / scale
        hw, hh = self._seal_pt[0] / 2, self._seal_pt[1] / 2
        x = max(hw, min(pw - hw, x))
        y = max(hh, min(ph - hh, y))
        self._centre[self.page] = QPointF(x, y)
        self.update()

    # -- input -----------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.locked or event.button() != Qt.MouseButton.LeftButton:
            return
        rect = self.seal_rect_px()
        if rect.contains(event.position()):
            self._drag = event.position() - rect.center()
        else:
            self._drag = QPointF(0, 0)
            self.move_seal_to(event.position())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag is not None:
            self.move_seal_to(event.position() - self._drag)

    def mouseReleaseEvent(self, _event: QMouseEvent) -> None:
        if self._drag is not None:
            self._drag = None
            self.moved.emit()

    # -- drawing ---------------------------------------------------------------------
    def _page_image(self, scale: float) -> QImage | None:
        if self.doc is None or self.page_count() == 0:
            return None
        pw, ph = self.page_size()
        size = QSize(max(1, int(pw * scale)), max(1, int(ph * scale)))
        key = (self.page, size.width(), size.height())
        if self._image is None or self._image_key != key:
            # pdfium draws earlier seals (signature fields) too, so a second seal is
            # not placed over the first by mistake
            self._image = render_page(self._data, self.page, size.width())
            self._image_key = key
        return self._image

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.fillRect(self.rect(), QColor("#e9ebef"))
        scale, ox, oy = self._layout()
        pw, ph = self.page_size()
        page_rect = QRectF(ox, oy, pw * scale, ph * scale)
        painter.fillRect(page_rect.translated(2, 2), QColor(0, 0, 0, 40))
        image = self._page_image(scale)
        painter.fillRect(page_rect, QColor("white"))  # rendered pages are transparent
        if image is not None and not image.isNull():
            painter.drawImage(page_rect.topLeft(), image)
        rect = self.seal_rect_px()
        if not self._seal.isNull():
            painter.setOpacity(0.9)
            painter.drawPixmap(rect.toRect(), self._seal)
            painter.setOpacity(1.0)
        pen = QPen(QColor("#1f5fbf"), 1, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect)
        painter.end()


class StampDialog(QDialog):
    """Place and apply a seal for one approved request.

    ``stamp(placement, riding_seal, qr) -> StampOutcome`` runs in the background (the
    service syncs first, stamps on the server, syncs again); ``read(path) -> bytes``
    loads the stamped file, also in the background.
    """

    stamped = Signal(object)

    def __init__(self, request: dict[str, Any], pdf: bytes, seal_png: bytes,
                 seal_size_mm: tuple[float, float],
                 stamp: Callable[[dict[str, Any], bool, bool], Any],
                 read: Callable[[Any], bytes], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Apply the electronic seal"))
        self.resize(900, 820)
        self._stamp, self._read = stamp, read
        self.outcome: Any = None
        self.work = PageWork(self, self._say)
        layout = QVBoxLayout(self)
        title = request.get("document_title") or request.get("reason", "")
        layout.addWidget(text_label(f"{title} — {request.get('seal_name', '')}", "heading",
                                    wrap=True))
        self.pages = QStackedWidget()
        layout.addWidget(self.pages, 1)

        place = QWidget()
        pl = QVBoxLayout(place)
        pl.setContentsMargins(0, 0, 0, 0)
        self.canvas = PlacementCanvas()
        self.canvas.set_pdf(pdf)
        self.canvas.set_seal(seal_png, *seal_size_mm)
        self.canvas.set_anchor(request.get("seal_anchor"))
        hint = (self.tr("Placed by GB/T 9704: the seal sits centred over the issuing body's "
                        "name and the date.")
                if self.canvas.locked
                else self.tr("Drag the seal to where it goes (pages can be turned)."))
        self.hint = text_label(hint, "muted", wrap=True)
        pl.addWidget(self.hint)
        pl.addWidget(self.canvas, 1)
        nav = QHBoxLayout()
        self.prev_button = QPushButton(self.tr("Previous page"))
        self.next_button = QPushButton(self.tr("Next page"))
        self.page_label = QLabel()
        self.prev_button.clicked.connect(lambda: self._turn(-1))
        self.next_button.clicked.connect(lambda: self._turn(1))
        nav.addWidget(self.prev_button)
        nav.addWidget(self.page_label)
        nav.addWidget(self.next_button)
        nav.addStretch(1)
        pl.addLayout(nav)
        options = QHBoxLayout()
        self.riding = QCheckBox(self.tr("Add a riding seal across the pages"))
        self.riding.setEnabled(self.canvas.page_count() > 1)
        self.qr = QCheckBox(self.tr("Add a verification QR code"))
        self.qr.setChecked(True)
        options.addWidget(self.riding)
        options.addWidget(self.qr)
        options.addStretch(1)
        pl.addLayout(options)
        self.pages.addWidget(place)

        result = QWidget()
        rl = QVBoxLayout(result)
        rl.setContentsMargins(0, 0, 0, 0)
        self.result_label = text_label("", "notice", wrap=True)
        rl.addWidget(self.result_label)
        self.view = PdfPagesView()
        rl.addWidget(self.view, 1)
        self.pages.addWidget(result)

        self.error = text_label("", "error", wrap=True)
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.reject)
        self.stamp_button = primary_button(self.tr("Apply seal"))
        self.stamp_button.clicked.connect(self._go)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.stamp_button)
        layout.addLayout(buttons)
        self._turn(0)

    def _turn(self, delta: int) -> None:
        if not self.canvas.locked:
            self.canvas.set_page(self.canvas.page + delta)
        n = self.canvas.page_count()
        self.page_label.setText(self.tr("Page {page} of {n}").format(page=self.canvas.page + 1, n=n))
        self.prev_button.setEnabled(not self.canvas.locked and self.canvas.page > 0)
        self.next_button.setEnabled(not self.canvas.locked and self.canvas.page < n - 1)

    def _go(self) -> None:
        self.stamp_button.setEnabled(False)
        self.error.hide()
        self.stamp_button.setText(self.tr("Stamping…"))
        placement = self.canvas.placement()
        riding, qr = self.riding.isChecked(), self.qr.isChecked()

        def work() -> tuple[Any, bytes]:
            outcome = self._stamp(placement, riding, qr)
            return outcome, self._read(outcome)

        self.work.run(work, self._done, self._failed)

    def _done(self, result: tuple[Any, bytes]) -> None:
        outcome, data = result
        self.outcome = outcome
        self.view.set_pdf(data)
        copy_no = outcome.request.get("used", "")
        self.result_label.setText(
            self.tr("Sealed with “{seal}” (copy {copy}) and entered in the register. "
                    "File digest {digest}…").format(
                seal=outcome.request.get("seal_name", ""), copy=copy_no,
                digest=outcome.stamped_sha256[:16]))
        self.pages.setCurrentIndex(1)
        self.stamp_button.hide()
        self.cancel_button.setText(self.tr("Close"))
        self.stamped.emit(outcome)

    def _failed(self, exc: BaseException) -> None:
        self.stamp_button.setEnabled(True)
        self.stamp_button.setText(self.tr("Apply seal"))
        self._say(error_text(exc))

    def _say(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
