"""收文录入 (intake) screen: drop in, choose (or photograph) a file, watch it being read
page by page, check the proposed 登记 fields against the page, correct them and 登记.

:class:`IntakeDialog` has four states — ``choose`` (drop zone, choose file, the server's
batch readings), ``reading`` (progress per page, Cancel), ``review`` (the page with the
selected field's places highlighted beside the form, each field with how sure the reading
is) and ``error`` (the reader's or the server's refusal in words, e.g. how to enable OCR
or the classified refusal — nothing is kept). GUI thread only: reading, registering and
the server's jobs run on the task runner through the callables the page passes in
(:class:`IntakeActions`); the dialog never touches the disk, the network or the cache.
Nothing is registered before the clerk presses 登记.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QDragEnterEvent,
    QDropEvent,
    QFont,
    QPainter,
    QPen,
    QPixmap,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from modules.documents.intake.model import FIELD_NAMES, Box, IntakeResult, Page
from modules.documents.intake_service import LOW_CONFIDENCE, SUFFIXES
from office_app import tasks
from office_app.kit import error_text
from office_app.widgets import FlowLayout, primary_button, set_touch, text_label

translate = QCoreApplication.translate

#: Highlight of the selected field's places, and the faint outline of every read line.
HIGHLIGHT = QColor(255, 170, 0, 90)
HIGHLIGHT_EDGE = QColor(230, 120, 0)
LINE_EDGE = QColor(40, 110, 220, 120)

OK_COLOUR, LOW_COLOUR, NONE_COLOUR, EDITED_COLOUR = "#2e7d32", "#b26a00", "#8a8f98", "#1f6feb"


def field_labels() -> dict[str, str]:
    return {
        "issuer": translate("Documents", "Issuing body"),
        "doc_number": translate("Documents", "Document number"),
        "title": translate("Documents", "Title"),
        "date": translate("Documents", "Date written"),
        "classification": translate("Documents", "Classification"),
        "urgency": translate("Documents", "Urgency"),
        "addressees": translate("Documents", "Main recipients"),
        "attachments": translate("Documents", "Attachments (one per line)"),
        "page_count": translate("Documents", "Pages"),
    }


def confidence_words(value: str, confidence: float) -> tuple[str, str]:
    """(text, colour) of a field's mark: ● 96 % / ▲ 62 % check / ○ not found."""
    if not value.strip() or confidence <= 0:
        return "○ " + translate("Documents", "not found"), NONE_COLOUR
    pct = f"{round(confidence * 100)}%"
    if confidence < LOW_CONFIDENCE:
        return "▲ " + pct + " " + translate("Documents", "check"), LOW_COLOUR
    return "● " + pct, OK_COLOUR


@dataclass
class IntakeActions:
    """What the dialog may start (each runs in the background; the page builds them).

    ``read(path, progress, cancelled)`` → IntakeResult; ``register(result, values,
    body_id, deadline_days, source)`` → document id, where ``source`` is ``{"path": …}``
    or a finished server job; ``jobs()`` → the registry's server jobs; ``open_job(id)``
    → (job, IntakeResult | None); ``queue(paths, body_id)`` → jobs queued."""

    read: Callable[[Path, Callable[[int, int], None], Callable[[], bool]], IntakeResult]
    register: Callable[[IntakeResult, dict[str, str], str, int | None, dict[str, Any]], str]
    jobs: Callable[[], list[dict[str, Any]]] | None = None
    open_job: Callable[[str], tuple[dict[str, Any], IntakeResult | None]] | None = None
    queue: Callable[[list[Path], str], list[dict[str, Any]]] | None = None


class _Progress(QObject):
    """Carries the reader's page progress from the worker thread to the GUI thread."""

    moved = Signal(int, int)


# --------------------------------------------------------------------------- the page view


class PageView(QGraphicsView):
    """One page as read: its image (or, for text-layer files without one, its lines
    drawn where they stand), every read line faintly outlined and the selected field's
    boxes highlighted. Fits the page to the view; Ctrl + wheel zooms."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("IntakePage")
        self.scene_ = QGraphicsScene(self)
        self.setScene(self.scene_)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.SmoothPixmapTransform)
        self.setBackgroundBrush(QBrush(QColor("#e9ebef")))
        self.setMinimumHeight(160)
        self.page: Page | None = None
        self._marks: list[QGraphicsRectItem] = []
        self._zoom = 1.0
        #: Zoom onto the highlighted line (phone width) instead of showing the whole page.
        self.follow = False

    def set_page(self, page: Page | None) -> None:
        self.scene_.clear()
        self._marks = []
        self.page = page
        self._zoom = 1.0
        if page is None:
            return
        w, h = max(page.width, 1), max(page.height, 1)
        pix = QPixmap()
        if page.image and pix.loadFromData(page.image):
            item = self.scene_.addPixmap(pix)
            item.setScale(w / max(pix.width(), 1))
        else:
            self.scene_.addRect(QRectF(0, 0, w, h), QPen(QColor("#c5c9d0")), QBrush(Qt.GlobalColor.white))
            for line in page.lines:
                text = QGraphicsSimpleTextItem(line.text)
                font = QFont()
                font.setPixelSize(max(8, int((line.box.y1 - line.box.y0) * 0.8)))
                text.setFont(font)
                text.setPos(line.box.x0, line.box.y0)
                self.scene_.addItem(text)
        edge = QPen(LINE_EDGE, 1)
        edge.setCosmetic(True)  # one device pixel whatever the zoom
        for line in page.lines:
            b = line.box
            self.scene_.addRect(QRectF(b.x0, b.y0, b.x1 - b.x0, b.y1 - b.y0), edge)
        self.scene_.setSceneRect(QRectF(0, 0, w, h))
        self.fit()

    def highlight(self, boxes: tuple[Box, ...]) -> None:
        """Mark ``boxes`` of this page (others are ignored) and bring the first into view."""
        for item in self._marks:
            self.scene_.removeItem(item)
        self._marks = []
        if self.page is None:
            return
        pen = QPen(HIGHLIGHT_EDGE, 2)
        pen.setCosmetic(True)
        for b in boxes:
            if b.page != self.page.index:
                continue
            pad = 4
            item = self.scene_.addRect(QRectF(b.x0 - pad, b.y0 - pad, b.x1 - b.x0 + 2 * pad,
                                              b.y1 - b.y0 + 2 * pad), pen, QBrush(HIGHLIGHT))
            item.setZValue(10)
            self._marks.append(item)
        if self._marks and self.follow:  # a small screen: the field's line fills the width
            first = self._marks[0].rect()
            band = max(first.height() * 6, self.page.height / 8)
            self.resetTransform()
            self.fitInView(QRectF(0, first.center().y() - band / 2, self.page.width, band),
                           Qt.AspectRatioMode.KeepAspectRatio)
            self._zoom = 2.0
        elif self._marks and self._zoom > 1.0:
            self.centerOn(self._marks[0])

    def marked(self) -> int:
        """How many boxes are highlighted (tests)."""
        return len(self._marks)

    def fit(self) -> None:
        self.resetTransform()
        self._zoom = 1.0
        if self.page is not None:
            self.fitInView(self.scene_.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def zoom(self, factor: float) -> None:
        self._zoom = max(1.0, min(self._zoom * factor, 8.0))
        self.fit()
        if self._zoom > 1.0:
            self.scale(self._zoom, self._zoom)
            if self._marks:
                self.centerOn(self._marks[0])

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._zoom == 1.0:
            self.fit()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom(1.25 if event.angleDelta().y() > 0 else 0.8)
            event.accept()
            return
        super().wheelEvent(event)


# --------------------------------------------------------------------------- the drop zone


class DropZone(QFrame):
    """Where a file is dropped (or, by its button, chosen — on phones the system's
    chooser offers the camera)."""

    dropped = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("IntakeDrop")
        self.setAcceptDrops(True)
        self.setMinimumHeight(150)
        self.setStyleSheet("#IntakeDrop { border: 2px dashed #9aa3af; border-radius: 10px; }"
                           "#IntakeDrop[hover=\"true\"] { border-color: #1f6feb; background: rgba(31,111,235,0.06); }")
        lay = QVBoxLayout(self)
        lay.addStretch(1)
        self.label = text_label(translate("Documents", "Drop a scan, photo, PDF, Word (.docx) or OFD file here"),
                                "heading", wrap=True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.label)
        self.choose = primary_button(translate("Documents", "Choose file…"))
        self.choose.setObjectName("IntakeChoose")
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.choose)
        row.addStretch(1)
        lay.addLayout(row)
        self.hint = text_label(translate("Documents", "The file is read on this computer; nothing is registered "
                                                      "until you check the fields and press Register."),
                               "small", wrap=True)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.hint)
        lay.addStretch(1)

    def set_compact(self, compact: bool) -> None:
        self.label.setText(translate("Documents", "Photograph the paper document or choose a file")
                           if compact else
                           translate("Documents", "Drop a scan, photo, PDF, Word (.docx) or OFD file here"))
        self.choose.setText(translate("Documents", "Take photo or choose file…") if compact
                            else translate("Documents", "Choose file…"))
        set_touch(compact, self.choose)

    @staticmethod
    def dropped_path(event: QDragEnterEvent | QDropEvent) -> str:
        """The first local file of a drag that intake reads ("" for none)."""
        return DropZone._path(event)

    @staticmethod
    def _path(event: QDragEnterEvent | QDropEvent) -> str:
        urls = event.mimeData().urls()
        for url in urls:
            if url.isLocalFile() and Path(url.toLocalFile()).suffix.lower() in SUFFIXES:
                return url.toLocalFile()
        return ""

    def _hover(self, on: bool) -> None:
        self.setProperty("hover", on)
        self.style().unpolish(self)
        self.style().polish(self)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._path(event):
            event.acceptProposedAction()
            self._hover(True)
        else:
            event.ignore()

    def dragLeaveEvent(self, event: Any) -> None:
        self._hover(False)
        super().dragLeaveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        self._hover(False)
        path = self._path(event)
        if path:
            event.acceptProposedAction()
            self.dropped.emit(path)


# --------------------------------------------------------------------------- the dialog


class IntakeDialog(QDialog):
    """收文录入: choose → reading → review → 登记 (see the module docstring).

    ``organs`` = (id, name) of the organs whose registry the user is; ``registered``
    carries the new document's id after a successful 登记."""

    registered = Signal(str)
    state_changed = Signal(str)

    def __init__(self, actions: IntakeActions, organs: list[tuple[str, str]], *, compact: bool = False,
                 lang: str = "zh_CN", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("IntakeDialog")
        self.setWindowTitle(translate("Documents", "Paper intake"))
        self.ops = actions
        self.organs = organs
        self.compact = compact
        self.lang = lang
        self.state = "choose"
        self.reading: IntakeResult | None = None
        self.source: dict[str, Any] = {}
        self._cancel = threading.Event()
        self._task: tasks.Task | None = None
        self._page = 0
        self._field = ""
        self._filling = False  # show_result is filling the form (not the clerk's edits)
        self.progress_relay = _Progress(self)
        self.progress_relay.moved.connect(self._moved)
        self.finished.connect(lambda _code: self._cancel.set())  # closed while reading: stop it

        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 14, 16, 14)
        self.heading = text_label(translate("Documents", "Paper intake"), "title")
        self.close_button = QPushButton(translate("Documents", "Close"))
        self.close_button.setObjectName("IntakeClose")
        self.close_button.clicked.connect(self.close_dialog)
        head = QHBoxLayout()
        head.addWidget(self.heading, 1)
        head.addWidget(self.close_button)
        outer.addLayout(head)
        self.stack = QStackedWidget()
        outer.addWidget(self.stack, 1)
        self.stack.addWidget(self._build_choose())
        self.stack.addWidget(self._build_reading())
        self.stack.addWidget(self._build_review())
        self.stack.addWidget(self._build_error())
        self.error = text_label("", "error", wrap=True)
        self.error.setObjectName("DialogError")
        self.error.hide()
        outer.addWidget(self.error)
        self.set_compact(compact)
        self._show("choose")

    # -- building ---------------------------------------------------------------------
    def _build_choose(self) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.setContentsMargins(0, 0, 0, 0)
        self.organ = QComboBox()
        self.organ.setObjectName("IntakeOrgan")
        for oid, name in self.organs:
            self.organ.addItem(name, oid)
        organ_row = QHBoxLayout()
        organ_row.addWidget(text_label(translate("Documents", "Register for"), "muted"))
        organ_row.addWidget(self.organ, 1)
        self.organ_row = QWidget()
        self.organ_row.setLayout(organ_row)
        self.organ_row.setVisible(len(self.organs) > 1)
        lay.addWidget(self.organ_row)
        self.drop = DropZone()
        self.drop.dropped.connect(self.open_path)
        self.drop.choose.clicked.connect(self._choose)
        lay.addWidget(self.drop, 2)
        self.jobs_box = QWidget()
        jl = QVBoxLayout(self.jobs_box)
        jl.setContentsMargins(0, 8, 0, 0)
        jrow = FlowLayout()
        jrow.addWidget(text_label(translate("Documents", "Read on the server (batch)"), "heading"))
        self.queue_button = QPushButton(translate("Documents", "Queue files…"))
        self.queue_button.setObjectName("IntakeQueue")
        self.queue_button.clicked.connect(self._choose_batch)
        self.refresh_jobs_button = QPushButton(translate("Documents", "Refresh"))
        self.refresh_jobs_button.clicked.connect(self.refresh_jobs)
        jrow.addWidget(self.queue_button)
        jrow.addWidget(self.refresh_jobs_button)
        jl.addLayout(jrow)
        self.jobs_list = QListWidget()
        self.jobs_list.setObjectName("IntakeJobs")
        self.jobs_list.itemActivated.connect(self._job_chosen)
        self.jobs_list.itemClicked.connect(self._job_chosen)
        self.jobs_list.setMinimumHeight(90)
        jl.addWidget(self.jobs_list, 1)
        self.jobs_note = text_label("", "small", wrap=True)
        jl.addWidget(self.jobs_note)
        self.jobs_box.setVisible(self.ops.jobs is not None)
        lay.addWidget(self.jobs_box, 1)
        return page

    def _build_reading(self) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.addStretch(1)
        self.reading_name = text_label("", "heading", wrap=True)
        self.reading_name.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.reading_name)
        self.bar = QProgressBar()
        self.bar.setObjectName("IntakeProgress")
        self.bar.setRange(0, 0)
        lay.addWidget(self.bar)
        self.reading_words = text_label(translate("Documents", "Opening the file…"), "muted", wrap=True)
        self.reading_words.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.reading_words)
        row = QHBoxLayout()
        row.addStretch(1)
        self.cancel_button = QPushButton(translate("Documents", "Cancel"))
        self.cancel_button.setObjectName("IntakeCancel")
        self.cancel_button.clicked.connect(self.cancel_reading)
        row.addWidget(self.cancel_button)
        row.addStretch(1)
        lay.addLayout(row)
        lay.addStretch(2)
        return page

    def _build_review(self) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.setContentsMargins(0, 0, 0, 0)
        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.setChildrenCollapsible(False)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        self.view = PageView()
        ll.addWidget(self.view, 1)
        nav = QHBoxLayout()
        self.prev_button = QPushButton("‹")
        self.prev_button.setAccessibleName(translate("Documents", "Previous page"))
        self.prev_button.clicked.connect(lambda: self.show_page(self._page - 1))
        self.next_button = QPushButton("›")
        self.next_button.setAccessibleName(translate("Documents", "Next page"))
        self.next_button.clicked.connect(lambda: self.show_page(self._page + 1))
        self.page_label = text_label("", "small")
        self.zoom_in = QPushButton("＋")
        self.zoom_in.setAccessibleName(translate("Documents", "Zoom in"))
        self.zoom_in.clicked.connect(lambda: self.view.zoom(1.5))
        self.zoom_fit = QPushButton(translate("Documents", "Fit"))
        self.zoom_fit.clicked.connect(self.view.fit)
        for w in (self.prev_button, self.page_label, self.next_button):
            nav.addWidget(w)
        nav.addStretch(1)
        nav.addWidget(self.zoom_in)
        nav.addWidget(self.zoom_fit)
        ll.addLayout(nav)
        self.split.addWidget(left)

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        self.review_note = text_label("", "notice", wrap=True)
        rl.addWidget(self.review_note)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        self.form = QFormLayout(body)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.editors: dict[str, QWidget] = {}
        self.marks: dict[str, QLabel] = {}
        labels = field_labels()
        for name in FIELD_NAMES:
            editor: QWidget
            if name == "attachments":
                editor = QPlainTextEdit()
                editor.setFixedHeight(72)
            elif name == "urgency":
                combo = QComboBox()
                combo.setEditable(False)
                for value, text in (("", translate("Documents", "Normal")), ("加急", "加急"), ("特急", "特急")):
                    combo.addItem(text, value)
                editor = combo
            else:
                editor = QLineEdit()
                if name in ("classification", "page_count"):
                    editor.setReadOnly(True)
            editor.setObjectName(f"IntakeField_{name}")
            editor.installEventFilter(self)
            self._watch_edits(name, editor)
            mark = text_label("", "small")
            mark.setObjectName(f"IntakeMark_{name}")
            self.editors[name] = editor
            self.marks[name] = mark
            head = QHBoxLayout()
            head.setContentsMargins(0, 0, 0, 0)
            head.addWidget(text_label(labels[name]))
            head.addStretch(1)
            head.addWidget(mark)
            holder = QWidget()
            holder.setLayout(head)
            self.form.addRow(holder)
            self.form.addRow(editor)
        self.deadline = QLineEdit()
        self.deadline.setObjectName("IntakeDeadline")
        self.deadline.setPlaceholderText(translate("Documents", "e.g. 5 (optional)"))
        self.form.addRow(text_label(translate("Documents", "Time limit (working days)")))
        self.form.addRow(self.deadline)
        scroll.setWidget(body)
        rl.addWidget(scroll, 1)
        buttons = FlowLayout()
        self.back_button = QPushButton(translate("Documents", "Choose another file"))
        self.back_button.clicked.connect(self.start_over)
        self.register_button = primary_button(translate("Documents", "Register"))
        self.register_button.setObjectName("IntakeRegister")
        self.register_button.clicked.connect(self.register)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.register_button)
        rl.addLayout(buttons)
        self.split.addWidget(right)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 2)
        lay.addWidget(self.split, 1)
        return page

    def _watch_edits(self, name: str, editor: QWidget) -> None:
        """A field the clerk changed is marked as theirs (the reading's score no longer applies)."""
        def edited(*_args: Any) -> None:
            if not self._filling:
                self.mark_edited(name)

        if isinstance(editor, QLineEdit):
            editor.textEdited.connect(edited)
        elif isinstance(editor, QPlainTextEdit):
            editor.textChanged.connect(edited)
        elif isinstance(editor, QComboBox):
            editor.activated.connect(edited)

    def mark_edited(self, name: str) -> None:
        mark = self.marks[name]
        mark.setText("✎ " + translate("Documents", "corrected"))
        mark.setStyleSheet(f"color: {EDITED_COLOUR};")
        mark.setToolTip(translate("Documents", "You changed what was read"))

    def _build_error(self) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.addStretch(1)
        self.problem = text_label("", "error", wrap=True)
        self.problem.setObjectName("IntakeProblem")
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.problem)
        row = QHBoxLayout()
        row.addStretch(1)
        self.retry_button = primary_button(translate("Documents", "Choose another file"))
        self.retry_button.clicked.connect(self.start_over)
        row.addWidget(self.retry_button)
        row.addStretch(1)
        lay.addLayout(row)
        lay.addStretch(2)
        return page

    # -- layout ---------------------------------------------------------------------------
    def set_compact(self, compact: bool) -> None:
        """Phone width: the page above the form, touch sizes."""
        self.compact = compact
        self.drop.set_compact(compact)
        self.split.setOrientation(Qt.Orientation.Vertical if compact else Qt.Orientation.Horizontal)
        self.view.setMinimumHeight(200 if compact else 160)
        self.view.follow = compact
        self.queue_button.setVisible(not compact)  # batches come from a desktop with a scanner
        set_touch(compact, self.register_button, self.back_button, self.cancel_button, self.retry_button,
                  self.close_button,
                  self.queue_button, self.refresh_jobs_button, self.organ, self.deadline,
                  *[e for e in self.editors.values() if not isinstance(e, QPlainTextEdit)])
        if compact:
            self.split.setSizes([320, 420])
            self.resize(390, 780)
        else:
            self.split.setSizes([640, 420])
            self.resize(1120, 760)

    def _show(self, state: str) -> None:
        self.state = state
        index = {"choose": 0, "reading": 1, "review": 2, "error": 3}[state]
        self.stack.setCurrentIndex(index)
        if state != "review":
            self.error.hide()
        self.state_changed.emit(state)

    def body_id(self) -> str:
        return str(self.organ.currentData() or (self.organs[0][0] if self.organs else ""))

    # -- choose ------------------------------------------------------------------------
    def _choose(self) -> None:
        patterns = " ".join(f"*{s}" for s in SUFFIXES)
        path, _ = QFileDialog.getOpenFileName(self, translate("Documents", "Choose the document to take in"), "",
                                              translate("Documents", "Documents and images") + f" ({patterns})")
        if path:
            self.open_path(path)

    def _choose_batch(self) -> None:
        patterns = " ".join(f"*{s}" for s in SUFFIXES)
        paths, _ = QFileDialog.getOpenFileNames(self, translate("Documents", "Files to read on the server"), "",
                                                translate("Documents", "Documents and images") + f" ({patterns})")
        if paths:
            self.queue_paths([Path(p) for p in paths])

    def open_path(self, path: str | Path) -> None:
        """Read ``path`` in the background (progress per page; Cancel stops it)."""
        path = Path(path)
        self.source = {"path": str(path), "name": path.name}
        self._cancel = threading.Event()
        self.reading_name.setText(path.name)
        self.reading_words.setText(translate("Documents", "Opening the file…"))
        self.bar.setRange(0, 0)
        self._show("reading")
        relay, cancel = self.progress_relay, self._cancel

        def work() -> IntakeResult:
            return self.ops.read(path, relay.moved.emit, cancel.is_set)

        self._task = tasks.run_in_background(work, self._read_done, self._failed, owner=self)

    def _moved(self, done: int, total: int) -> None:
        if self.state != "reading" or total <= 0:
            return
        self.bar.setRange(0, total)
        self.bar.setValue(done)
        self.reading_words.setText(
            translate("Documents", "Reading page {page} of {total}…").format(page=min(done + 1, total), total=total)
            if done < total else translate("Documents", "Finding the fields…"))

    def cancel_reading(self) -> None:
        """Stop the reading at the next page (the reader says how far it got)."""
        self._cancel.set()
        self.cancel_button.setEnabled(False)
        self.reading_words.setText(translate("Documents", "Cancelling…"))

    def _read_done(self, result: IntakeResult) -> None:
        self.cancel_button.setEnabled(True)
        self.show_result(result, self.source)

    def _failed(self, exc: BaseException) -> None:
        self.cancel_button.setEnabled(True)
        self.register_button.setEnabled(True)
        if self.state == "review":  # a refused 登记: stay on the form, say why
            self.error.setText(error_text(exc, self.lang))
            self.error.show()
            return
        self.problem.setText(error_text(exc, self.lang))
        self._show("error")

    def close_dialog(self) -> None:
        """Close; a reading under way is stopped (nothing was registered)."""
        self._cancel.set()
        self.reject()

    def start_over(self) -> None:
        self.reading = None
        self.source = {}
        self.view.set_page(None)
        self._show("choose")

    # -- server jobs -------------------------------------------------------------------------
    def refresh_jobs(self) -> None:
        if self.ops.jobs is None:
            return
        fetch = self.ops.jobs
        self.jobs_note.setText(translate("Documents", "Loading…"))
        tasks.run_in_background(fetch, self.show_jobs, self._jobs_failed, owner=self)

    def _jobs_failed(self, exc: BaseException) -> None:
        self.jobs_note.setText(error_text(exc, self.lang))

    def show_jobs(self, jobs: list[dict[str, Any]]) -> None:
        words = {"queued": translate("Documents", "queued"), "running": translate("Documents", "reading"),
                 "done": translate("Documents", "read"), "failed": translate("Documents", "failed"),
                 "refused": translate("Documents", "refused")}
        self.jobs_list.clear()
        for job in jobs:
            status = str(job.get("status") or "")
            text = f"{job.get('name')} · {words.get(status, status)}"
            if status == "running" and job.get("pages_total"):
                text += f" {job.get('pages_done')}/{job.get('pages_total')}"
            if job.get("document_id"):
                text += " · " + translate("Documents", "registered")
            elif job.get("error"):
                text += " · " + str((job["error"] or {}).get("message") or "")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, dict(job))
            self.jobs_list.addItem(item)
        self.jobs_note.setText("" if jobs else translate("Documents", "No files queued on the server."))

    def queue_paths(self, paths: list[Path]) -> None:
        if self.ops.queue is None:
            return
        queue, body = self.ops.queue, self.body_id()
        self.jobs_note.setText(translate("Documents", "Uploading…"))
        tasks.run_in_background(lambda: queue(paths, body), lambda _jobs: self.refresh_jobs(),
                                self._jobs_failed, owner=self)

    def _job_chosen(self, item: QListWidgetItem) -> None:
        job = item.data(Qt.ItemDataRole.UserRole) or {}
        if job.get("status") != "done" or job.get("document_id") or self.ops.open_job is None:
            return
        self.open_job(str(job["id"]))

    def open_job(self, job_id: str) -> None:
        """Show a finished server reading for 登记 (the job's file stays the source)."""
        if self.ops.open_job is None:
            return
        fetch = self.ops.open_job
        self.reading_name.setText(translate("Documents", "Server reading"))
        self.reading_words.setText(translate("Documents", "Loading…"))
        self.bar.setRange(0, 0)
        self._show("reading")

        def got(found: tuple[dict[str, Any], IntakeResult | None]) -> None:
            job, result = found
            if result is None:
                self.problem.setText(str((job.get("error") or {}).get("message") or
                                         translate("Documents", "This file has not been read yet.")))
                self._show("error")
                return
            self.show_result(result, {"job": job, "name": str(job.get("name") or "")})

        tasks.run_in_background(lambda: fetch(job_id), got, self._failed, owner=self)

    # -- review ------------------------------------------------------------------------------
    def show_result(self, result: IntakeResult, source: Mapping[str, Any]) -> None:
        """The review state: the proposed fields with their marks, the first page."""
        self.reading = result
        self.source = dict(source)
        self._filling = True
        for name in FIELD_NAMES:
            f = result.fields.get(name)
            value = f.value if f is not None else ""
            if name == "page_count" and not value:
                value = str(result.page_count)
            self.set_value(name, value)
            text, colour = confidence_words(value, f.confidence if f is not None else 0.0)
            if name == "page_count":
                text, colour = "", OK_COLOUR
            elif name == "classification" and not value:
                text, colour = "● " + translate("Documents", "no marking"), OK_COLOUR
            mark = self.marks[name]
            mark.setText(text)
            mark.setStyleSheet(f"color: {colour};")
            mark.setToolTip(translate("Documents", "How sure the reading is"))
        self._filling = False
        cast_line(self.editors["classification"]).setPlaceholderText(translate("Documents", "None (not classified)"))
        low = [field_labels()[n] for n in FIELD_NAMES
               if n not in ("classification", "page_count") and result.fields.get(n) is not None
               and result.fields[n].value and result.fields[n].confidence < LOW_CONFIDENCE]
        missing = [field_labels()[n] for n in ("issuer", "doc_number", "title", "date")
                   if not (result.fields.get(n) and result.fields[n].value)]
        notes = [translate("Documents", "Check each field against the page; click a field to see where it was read.")]
        if low:
            notes.append(translate("Documents", "Unsure: {fields}.").format(fields="、".join(low)))
        if missing:
            notes.append(translate("Documents", "Not found: {fields}.").format(fields="、".join(missing)))
        self.review_note.setText(" ".join(notes))
        self.register_button.setEnabled(True)
        self.error.hide()
        self._show("review")
        self.show_page(0)
        self.select_field("title")

    def set_value(self, name: str, value: str) -> None:
        editor = self.editors[name]
        if isinstance(editor, QPlainTextEdit):
            editor.setPlainText(value)
        elif isinstance(editor, QComboBox):
            i = editor.findData(value)
            if i < 0:
                editor.addItem(value, value)
                i = editor.count() - 1
            editor.setCurrentIndex(i)
        elif isinstance(editor, QLineEdit):
            editor.setText(value)
            editor.setCursorPosition(0)

    def value(self, name: str) -> str:
        editor = self.editors[name]
        if isinstance(editor, QPlainTextEdit):
            return editor.toPlainText().strip()
        if isinstance(editor, QComboBox):
            return str(editor.currentData() or "")
        return cast_line(editor).text().strip()

    def values(self) -> dict[str, str]:
        return {name: self.value(name) for name in FIELD_NAMES}

    def show_page(self, index: int) -> None:
        if self.reading is None or not self.reading.pages:
            self.view.set_page(None)
            self.page_label.setText("")
            return
        index = max(0, min(index, len(self.reading.pages) - 1))
        self._page = index
        self.view.set_page(self.reading.pages[index])
        n = len(self.reading.pages)
        self.page_label.setText(translate("Documents", "Page {page} of {total}").format(page=index + 1, total=n))
        self.prev_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < n - 1)
        self._highlight()

    def select_field(self, name: str) -> None:
        """Highlight where ``name`` was read (turning to its page)."""
        self._field = name
        f = self.reading.fields.get(name) if self.reading is not None else None
        if f is not None and f.boxes and f.boxes[0].page != self._page:
            self.show_page(f.boxes[0].page)
            return
        self._highlight()

    def _highlight(self) -> None:
        f = self.reading.fields.get(self._field) if (self.reading is not None and self._field) else None
        self.view.highlight(f.boxes if f is not None else ())

    def eventFilter(self, watched: QObject, event: Any) -> bool:
        if event.type() == event.Type.FocusIn:
            for name, editor in self.editors.items():
                if editor is watched:
                    self.select_field(name)
                    break
        return super().eventFilter(watched, event)

    def deadline_days(self) -> int | None:
        text = self.deadline.text().strip()
        if not text:
            return None
        if not text.isdigit() or not 1 <= int(text) <= 365:
            raise ValueError(text)
        return int(text)

    # -- 登记 ---------------------------------------------------------------------------------
    def register(self) -> None:
        """The clerk's 登记 of the fields as they stand now (background)."""
        if self.reading is None:
            return
        try:
            days = self.deadline_days()
        except ValueError:
            self.error.setText(translate("Documents", "The time limit is a number of working days from 1 to 365."))
            self.error.show()
            return
        if not self.value("title"):
            self.error.setText(translate("Documents", "Enter the title before registering."))
            self.error.show()
            self.editors["title"].setFocus()
            return
        self.error.hide()
        self.register_button.setEnabled(False)
        result, values, body, source = self.reading, self.values(), self.body_id(), dict(self.source)
        save = self.ops.register
        tasks.run_in_background(lambda: save(result, values, body, days, source), self._registered,
                                self._failed, owner=self)

    def _registered(self, doc_id: str) -> None:
        self.register_button.setEnabled(True)
        self.registered.emit(doc_id)
        self.accept()

    # -- screenshots and tests ---------------------------------------------------------
    def wait(self, timeout_ms: int = 60_000) -> None:
        """Let background work finish and its answers arrive (tests, screenshots)."""
        tasks.wait_for_idle(timeout_ms)
        QCoreApplication.processEvents()


def cast_line(widget: QWidget) -> QLineEdit:
    assert isinstance(widget, QLineEdit)
    return widget
