"""Document detail: rendered PDF, 办文单 (processing form), timeline, attachments and the
actions this person has on the current step. GUI thread only; the page loads data and
runs actions in the background and calls :meth:`DetailView.show_detail`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QCoreApplication,
    QEvent,
    QIODevice,
    QObject,
    QPointF,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QImage, QPainter, QPaintEvent
from PySide6.QtPdf import QPdfDocument, QPdfPageRenderer
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from modules.documents import workflow
from modules.documents.service import Allowed, format_duration
from modules.documents.views.models import TimelineModel, _time
from office_app.kit import DebouncedSearch
from office_app.widgets import TOUCH_TARGET, EmptyState, set_touch, text_label

#: Qt's translation call; every string of the documents screens has the context
#: "Documents" (catalog: resources/translations/office_zh_CN.ts).
translate = QCoreApplication.translate

#: Commands that open a dialog of their own (the page loads what they need and submits):
#: command names, in menu order (button texts: :func:`command_labels`).
COMMANDS = ("register", "dispatch", "request_seal", "return_to_sender", "recall", "archive",
            "diff", "export_form", "to_supervision")


def command_labels() -> dict[str, str]:
    """Button text of each command in the current interface language."""
    return {"register": translate("Documents", "Register"), "dispatch": translate("Documents", "Dispatch"),
            "request_seal": translate("Documents", "Request a seal"),
            "return_to_sender": translate("Documents", "Return to the sending body"),
            "recall": translate("Documents", "Recall distribution"), "archive": translate("Documents", "Archive"),
            "diff": translate("Documents", "Compare revisions"), "export_form": translate("Documents", "Export processing form PDF"),
            "to_supervision": translate("Documents", "To supervision (督办)")}

COMMON_OPINIONS = ("同意。", "拟同意，请领导审定。", "已阅。", "请抓紧办理。", "请按程序办理。")


# --------------------------------------------------------------------------- pickers


class PersonPicker(QWidget):
    """Search box + results for choosing one person (directory search, in background).

    ``search(text, callback)`` is supplied by the page; ``chosen`` carries an actor dict.
    """

    chosen = Signal(object)

    def __init__(self, search: Callable[[str, Callable[[list[dict[str, Any]]], None]], None],
                 placeholder: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._search = search
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.box = QLineEdit()
        self.box.setPlaceholderText(placeholder or translate("Documents", "Search by name or pinyin"))
        self.box.setClearButtonEnabled(True)
        layout.addWidget(self.box)
        self.results = QListWidget()
        self.results.setMaximumHeight(150)
        layout.addWidget(self.results)
        self.searcher = DebouncedSearch(self.box, 150, on_return=False)
        self.searcher.query.connect(self._run)
        self.results.currentRowChanged.connect(self._picked)
        self.selected: dict[str, Any] | None = None
        self._people: list[dict[str, str]] = []

    def _run(self, text: str) -> None:
        if not text:
            self.results.clear()
            return
        self._search(text, self._show)

    def _show(self, people: list[dict[str, Any]]) -> None:
        # Rows are kept here, not as item data: only plain text crosses into Qt.
        self._people = [{"id": str(p.get("id", "")), "name": str(p.get("name", "")),
                         "post": str(p.get("title", "") or "")} for p in people[:30]]
        self.results.clear()
        for p, raw in zip(self._people, people, strict=False):
            extra = " · ".join(str(x) for x in (raw.get("title"), raw.get("body_name")) if x)
            self.results.addItem(f"{p['name']}  {extra}" if extra else p["name"])

    def _picked(self, row: int) -> None:
        if 0 <= row < len(self._people):
            self.selected = dict(self._people[row])
            self.chosen.emit(self.selected)


class ActionDialog(QDialog):
    """Collects what one action needs (opinion, reason, person, step) before submitting."""

    def __init__(self, op: str, allowed: Allowed, doc: dict[str, Any],
                 search_people: Callable[..., None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.op = op
        self.allowed = allowed
        self.setModal(True)
        titles = {"approve": allowed.approve_verb, "return": translate("Documents", "Return"),
                  "transfer": translate("Documents", "Transfer"), "delegate": translate("Documents", "Delegate"),
                  "add_signer": translate("Documents", "Add signer"), "remove_signer": translate("Documents", "Remove signer"),
                  "withdraw": translate("Documents", "Withdraw"), "urge": translate("Documents", "Urge"), "void": translate("Documents", "Void")}
        self.setWindowTitle(titles.get(op, op))
        layout = QVBoxLayout(self)
        layout.addWidget(text_label(doc.get("title", ""), "heading", wrap=True))
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        layout.addLayout(form)
        self.text = QPlainTextEdit()
        self.text.setMaximumHeight(110)
        self.pickers: dict[str, PersonPicker] = {}
        self.target = QComboBox()
        if op == "approve":
            self.quick = QComboBox()
            self.quick.addItem(translate("Documents", "Common opinions…"))
            self.quick.addItems(list(COMMON_OPINIONS))
            self.quick.activated.connect(self._quick_opinion)
            form.addRow(translate("Documents", "Common"), self.quick)
            wf = doc.get("workflow") or {}
            sd = workflow.current_step(wf)
            kind = sd.opinion_kind if sd else translate("Documents", "Opinion")
            self.text.setPlaceholderText(translate("Documents", "{kind} (optional)").format(kind=kind))
            form.addRow(kind, self.text)
            assigned = wf.get("assignments") or {}
            server_made = ("recheck", "register", "seal", "dispatch", "receive", "complete", "archive")
            choices = [(k, n) for k, n in allowed.next_steps
                       if k not in server_made and not assigned.get(k)]
            if wf.get("current") == "draft":  # submitting: who reviews and who signs
                choices = [(k, n) for k, n in choices if k in ("review", "sign")] or choices
            for key, name in choices[:2]:
                picker = PersonPicker(search_people, translate("Documents", "Person for {step}").format(step=name))
                self.pickers[key] = picker
                form.addRow(name, picker)
        elif op == "return":
            for key, name in allowed.return_targets:
                self.target.addItem(name, key)
            form.addRow(translate("Documents", "Return to"), self.target)
            self.text.setPlaceholderText(translate("Documents", "Reason for returning (required)"))
            form.addRow(translate("Documents", "Reason"), self.text)
        elif op in ("transfer", "delegate", "add_signer"):
            picker = PersonPicker(search_people)
            self.pickers["person"] = picker
            form.addRow({"transfer": translate("Documents", "Transfer to"), "delegate": translate("Documents", "Delegate to"),
                         "add_signer": translate("Documents", "Signer to add")}[op], picker)
            if op == "transfer":
                self.text.setPlaceholderText(translate("Documents", "Note on the transfer (optional)"))
                form.addRow(translate("Documents", "Note"), self.text)
        elif op == "remove_signer":
            for pid, name in allowed.remove_signer:
                self.target.addItem(name, pid)
            form.addRow(translate("Documents", "Signer to remove"), self.target)
        elif op == "urge":
            self.text.setPlaceholderText(translate("Documents", "Message (optional)"))
            form.addRow(translate("Documents", "Message"), self.text)
        elif op == "void":
            self.text.setPlaceholderText(translate("Documents", "Reason for voiding (required)"))
            form.addRow(translate("Documents", "Reason"), self.text)
        elif op == "withdraw":
            layout.addWidget(text_label(translate("Documents", "Withdraw your last step? Only possible while nobody "
                                          "has handled the next step yet."), wrap=True))
        self.error = text_label("", "error", wrap=True)
        self.error.hide()
        layout.addWidget(self.error)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = box.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(titles.get(op, translate("Documents", "OK")))
        ok.setProperty("kind", "primary")
        box.button(QDialogButtonBox.StandardButton.Cancel).setText(translate("Documents", "Cancel"))
        box.accepted.connect(self._accept)
        box.rejected.connect(self.reject)
        layout.addWidget(box)
        self.resize(460, self.sizeHint().height())

    def _quick_opinion(self, index: int) -> None:
        if index > 0:
            self.text.setPlainText(self.quick.itemText(index))

    def args(self) -> dict[str, Any]:
        """The ``documents.act`` args for this operation."""
        text = self.text.toPlainText().strip()
        op = self.op
        if op == "approve":
            out: dict[str, Any] = {"opinion": text}
            nxt = {k: [p.selected] for k, p in self.pickers.items() if p.selected}
            if nxt:
                out["next_assignees"] = nxt
            return out
        if op == "return":
            return {"to_step": self.target.currentData(), "reason": text}
        if op == "transfer":
            return {"to": self.pickers["person"].selected, "reason": text}
        if op == "delegate":
            return {"to": self.pickers["person"].selected}
        if op == "add_signer":
            return {"signer": self.pickers["person"].selected}
        if op == "remove_signer":
            return {"signer_id": self.target.currentData()}
        if op == "urge":
            return {"message": text}
        if op == "void":
            return {"reason": text}
        return {}

    def _accept(self) -> None:
        args = self.args()
        if self.op in ("return", "void") and not args.get("reason"):
            self.error.setText(translate("Documents", "Please give a reason."))
            self.error.show()
            return
        if (self.op in ("transfer", "delegate") and not args.get("to")) or (
                self.op == "add_signer" and not args.get("signer")):
            self.error.setText(translate("Documents", "Please choose a person first."))
            self.error.show()
            return
        self.accept()


# --------------------------------------------------------------------------- 办文单


class ProcessingForm(QFrame):
    """办文单: the document's processing form with every opinion, as on paper."""

    #: Opinion rows of the form: step keys (labels: :meth:`row_labels`).
    ROWS_OUTGOING = ("draft", "review", "countersign", "sign", "recheck", "register")
    ROWS_INCOMING = ("screen", "propose", "instruct", "handle", "circulate", "complete")

    @staticmethod
    def row_labels() -> dict[str, str]:
        """Label of each opinion row in the current interface language."""
        return {"draft": translate("Documents", "Drafting note"), "review": translate("Documents", "Review opinion"),
                "countersign": translate("Documents", "Countersign opinion"), "sign": translate("Documents", "Sign-off"),
                "recheck": translate("Documents", "Recheck"), "register": translate("Documents", "Registration"),
                "screen": translate("Documents", "Screening opinion"), "propose": translate("Documents", "Proposed handling"),
                "instruct": translate("Documents", "Leader's instruction"), "handle": translate("Documents", "Handling"),
                "circulate": translate("Documents", "Circulation"), "complete": translate("Documents", "Completion")}

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ProcessingForm")
        self.setStyleSheet(
            "QFrame#ProcessingForm { background: #ffffff; border: 2px solid #c0392b; }"
            "QLabel[cell='label'] { color: #c0392b; font-weight: 600; border: 1px solid #c0392b;"
            " padding: 8px; background: #fffafa; }"
            "QLabel[cell='value'] { color: #1f2329; border: 1px solid #c0392b; padding: 8px;"
            " background: #ffffff; }"
            "QLabel#FormTitle { color: #c0392b; font-size: 22px; font-weight: 700; padding: 10px; }")
        self._grid = QGridLayout(self)
        self._grid.setSpacing(0)
        self._grid.setContentsMargins(12, 8, 12, 12)

    def _clear(self) -> None:
        while self._grid.count():
            item = self._grid.takeAt(0)
            w = item.widget() if item is not None else None
            if w is not None:
                w.deleteLater()

    def _cell(self, text: str, kind: str, row: int, col: int, span: int = 1) -> QLabel:
        label = QLabel(text)
        label.setProperty("cell", kind)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if kind == "label":
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Preferred)
        else:
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._grid.addWidget(label, row, col, 1, span)
        return label

    def set_document(self, doc: dict[str, Any], opinions: list[dict[str, Any]]) -> None:
        self._clear()
        outgoing = doc.get("kind", "outgoing") == "outgoing"
        title = QLabel(translate("Documents", "Outgoing document form") if outgoing else translate("Documents", "Incoming document form"))
        title.setObjectName("FormTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._grid.addWidget(title, 0, 0, 1, 4)
        wf = doc.get("workflow") or {}
        owner = (wf.get("owner") or {}).get("name", "")
        r = 1
        self._cell(translate("Documents", "Title"), "label", r, 0)
        self._cell(doc.get("title", ""), "value", r, 1, 3)
        r += 1
        self._cell(translate("Documents", "Document number") if outgoing else translate("Documents", "Sender's number"), "label", r, 0)
        self._cell(doc.get("doc_number") or translate("Documents", "(numbered at registration)"), "value", r, 1)
        self._cell(translate("Documents", "Urgency"), "label", r, 2)
        self._cell(doc.get("urgency") or "—", "value", r, 3)
        r += 1
        self._cell(translate("Documents", "Drafting unit") if outgoing else translate("Documents", "Sending body"), "label", r, 0)
        src = doc.get("source") or {}
        self._cell((doc.get("body_name") if outgoing else src.get("body_name")) or "—", "value", r, 1)
        self._cell(translate("Documents", "Drafter") if outgoing else translate("Documents", "Receipt number"), "label", r, 2)
        self._cell((owner if outgoing else doc.get("receipt_number")) or "—", "value", r, 3)
        r += 1
        self._cell(translate("Documents", "Main recipients"), "label", r, 0)
        self._cell("、".join(b["name"] for b in doc.get("main_to") or [])  # 收文录入: the 主送 as read
                   or str((doc.get("spec") or {}).get("recipients") or "") or "—", "value", r, 1, 3)
        r += 1
        self._cell(translate("Documents", "Copied to"), "label", r, 0)
        self._cell("、".join(b["name"] for b in doc.get("cc_to") or []) or "—", "value", r, 1, 3)
        r += 1
        rows = self.ROWS_OUTGOING if outgoing else self.ROWS_INCOMING
        labels = self.row_labels()
        for key in rows:
            items = [o for o in opinions if o.get("step") == key]
            lines = []
            for o in items:
                who = o["person"]["name"]
                if o.get("written_by"):
                    who = translate("Documents", "{writer} (for {person})").format(
                        writer=o["written_by"]["name"], person=who)
                lines.append(f"{o['text']}\n　　　　{who}　{_time(o.get('at'))}")
            self._cell(labels[key], "label", r, 0)
            cell = self._cell("\n\n".join(lines) or " ", "value", r, 1, 3)
            cell.setMinimumHeight(64 if key in ("sign", "instruct") else 48)
            r += 1
        other = [o for o in opinions if o.get("step") not in rows]
        if other:
            self._cell(translate("Documents", "Other opinions"), "label", r, 0)
            self._cell("\n".join(f"{o.get('step_name', '')}：{o['text']} —— {o['person']['name']}"
                                 for o in other), "value", r, 1, 3)
            r += 1
        archive = doc.get("archive")
        if archive:
            words = [translate("Documents", "Retention {period}").format(period=archive.get("retention") or "—")]
            if archive.get("archive_no"):
                words.insert(0, translate("Documents", "Archive no. {number}").format(number=archive["archive_no"]))
            by = (archive.get("by") or {}).get("name", "")
            self._cell(translate("Documents", "Archive"), "label", r, 0)
            self._cell("　".join(words) + f"\n　　　　{by}　{_time(archive.get('at'))}", "value", r, 1, 3)
        self._grid.setColumnStretch(1, 3)
        self._grid.setColumnStretch(3, 2)


# --------------------------------------------------------------------------- detail


class FirstPagePreview(QWidget):
    """The cached first page drawn over the PDF view's viewport, fitted to its width,
    until the view has rendered its own pages (then it hides)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.image = QImage()
        self.margin = 6
        parent.installEventFilter(self)  # follow the viewport's size
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        parent = self.parentWidget()
        if parent is not None and watched is parent and event.type() == QEvent.Type.Resize:
            self.setGeometry(parent.rect())
        return False

    def show_image(self, image: QImage) -> None:
        self.image = image
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.raise_()
        self.show()
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.image.isNull():
            return
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().dark())
        width = max(1, self.width() - 2 * self.margin)
        height = round(width * self.image.height() / max(1, self.image.width()))
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(QRect(self.margin, self.margin, width, height), self.image)
        painter.end()


class DetailView(QWidget):
    """One document. Signals carry what the page must do (in the background).

    ``pdf_ready`` is emitted once the text tab shows the document's first page: the
    cached first-page image at once, or the PDF view's own rendering.
    """

    pdf_ready = Signal(str)  # doc id

    action_requested = Signal(str, str, object)  # doc id, op, args
    command_requested = Signal(str, str)  # doc id, command of COMMANDS
    edit_requested = Signal(str)
    attachment_requested = Signal(str, str)  # sha256, name
    back_requested = Signal()

    def __init__(self, search_people: Callable[..., None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Page")
        self.search_people = search_people
        self.doc: dict[str, Any] = {}
        self.allowed = Allowed()
        self._pdf_buffer: QBuffer | None = None
        self._pdf_for = ""  # the document whose PDF is (being) shown
        self._compact = False
        #: Whether to offer 转督办 for a document (the page sets it: supervision.from_document).
        self.may_supervise: Callable[[dict[str, Any]], bool] = lambda _doc: False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        self.title = text_label("", "title", wrap=True, selectable=True)
        layout.addWidget(self.title)
        self.meta = text_label("", "muted", wrap=True)
        layout.addWidget(self.meta)
        self.notice = text_label("", "error", wrap=True)
        self.notice.hide()
        layout.addWidget(self.notice)

        self.actions_row = QHBoxLayout()
        self.actions_row.setSpacing(8)
        self.approve_button = QPushButton()
        self.approve_button.setProperty("kind", "primary")
        self.approve_button.clicked.connect(lambda: self._ask("approve"))
        self.return_button = QPushButton(translate("Documents", "Return"))
        self.return_button.clicked.connect(lambda: self._ask("return"))
        self.edit_button = QPushButton(translate("Documents", "Edit draft"))
        self.edit_button.clicked.connect(lambda: self.edit_requested.emit(self.doc.get("id", "")))
        self.more_button = QPushButton(translate("Documents", "More"))
        self.more_menu = QMenu(self.more_button)
        self.more_button.setMenu(self.more_menu)
        # Step commands shown as buttons when the person may use them (others: 更多).
        self.seal_button = QPushButton(translate("Documents", "Request a seal"))
        self.seal_button.setObjectName("RequestSealButton")
        self.seal_button.setProperty("kind", "primary")
        self.seal_button.clicked.connect(lambda: self.command("request_seal"))
        self.sender_button = QPushButton(translate("Documents", "Return to the sending body"))
        self.sender_button.setObjectName("ReturnToSenderButton")
        self.sender_button.clicked.connect(lambda: self.command("return_to_sender"))
        self.archive_button = QPushButton(translate("Documents", "Archive"))
        self.archive_button.setObjectName("ArchiveButton")
        self.archive_button.setProperty("kind", "primary")
        self.archive_button.clicked.connect(lambda: self.command("archive"))
        for b in (self.approve_button, self.seal_button, self.archive_button, self.return_button,
                  self.sender_button, self.edit_button):
            self.actions_row.addWidget(b)
        self.actions_row.addWidget(self.more_button)
        self.actions_row.addStretch(1)
        layout.addLayout(self.actions_row)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        layout.addWidget(self.tabs, 1)

        # 正文 (PDF)
        self.pdf_doc = QPdfDocument(self)
        self.pdf_view = QPdfView()
        self.pdf_view.setDocument(self.pdf_doc)
        self.pdf_view.setPageMode(QPdfView.PageMode.MultiPage)
        self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.pdf_preview = FirstPagePreview(self.pdf_view.viewport())
        renderer = self.pdf_view.findChild(QPdfPageRenderer)
        self._renderer_signals = renderer is not None
        if renderer is not None:
            renderer.pageRendered.connect(self._page_rendered)
        self.pdf_view.verticalScrollBar().valueChanged.connect(lambda _v: self.pdf_preview.hide())
        self.pdf_stack = QStackedWidget()
        self.pdf_stack.addWidget(self.pdf_view)
        self.pdf_wait = EmptyState("documents", translate("Documents", "Preparing the text…"))
        self.pdf_stack.addWidget(self.pdf_wait)
        self.tabs.addTab(self.pdf_stack, translate("Documents", "Text"))

        # 办文单
        self.form = ProcessingForm()
        form_scroll = QScrollArea()
        form_scroll.setWidgetResizable(True)
        form_scroll.setFrameShape(QFrame.Shape.NoFrame)
        holder = QWidget()
        holder.setObjectName("Page")
        hl = QVBoxLayout(holder)
        hl.setContentsMargins(4, 8, 4, 8)
        hl.addWidget(self.form)
        hl.addStretch(1)
        form_scroll.setWidget(holder)
        self.tabs.addTab(form_scroll, translate("Documents", "Processing form"))

        # 流转记录
        flow = QWidget()
        fl = QVBoxLayout(flow)
        fl.setContentsMargins(0, 8, 0, 0)
        fl.addWidget(text_label(translate("Documents", "By person"), "heading"))
        self.timeline_model = TimelineModel(self)
        self.timeline = QTableView()
        self.timeline.setModel(self.timeline_model)
        self.timeline.verticalHeader().hide()
        self.timeline.setWordWrap(False)
        self.timeline.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.timeline.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.timeline.horizontalHeader().setStretchLastSection(True)
        self.timeline.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        fl.addWidget(self.timeline, 2)
        # Phone width: the same rows as two-line items instead of a wide table.
        self.timeline_list = QListWidget()
        self.timeline_list.setWordWrap(True)
        self.timeline_list.hide()
        fl.addWidget(self.timeline_list, 2)
        self.bodies_title = text_label(translate("Documents", "By body"), "heading")
        fl.addWidget(self.bodies_title)
        self.bodies = QListWidget()
        fl.addWidget(self.bodies, 1)
        self.tabs.addTab(flow, translate("Documents", "Flow record"))

        # 附件
        self.attachments = QListWidget()
        self.attachments.itemActivated.connect(self._open_attachment)
        self.attachments.itemClicked.connect(self._open_attachment)
        self.tabs.addTab(self.attachments, translate("Documents", "Attachments"))
        self._set_actions(self.allowed)  # no actions (nor blank buttons) before the record

    # -- filling --------------------------------------------------------------------
    def show_detail(self, detail: dict[str, Any]) -> None:
        doc = detail["doc"]
        same = doc.get("id") == self.doc.get("id")
        self.doc = doc
        self.allowed = detail["allowed"]
        self.title.setText(doc.get("title") or translate("Documents", "(untitled)"))
        meta = [doc.get("doc_number") or "", doc.get("doc_type") or "",
                f"【{doc['urgency']}】" if doc.get("urgency") else "", detail.get("step") or "",
                translate("Documents", "Revision {n}").format(n=doc.get("revision")) if doc.get("revision", 1) > 1 else ""]
        if doc.get("step") == "seal" and (doc.get("seal") or {}).get("state") == "requested":
            meta.append(translate("Documents", "Electronic seal requested (approved and stamped in Seals)"))
        self.meta.setText(" · ".join(m for m in meta if m))
        self._set_actions(self.allowed)
        self.form.set_document(doc, detail.get("opinions") or [])
        self.timeline_model.set_rows(detail.get("timeline") or [])
        self.timeline_list.clear()
        for r in detail.get("timeline") or []:
            who = r["person"]["name"]
            if r.get("by") and r["by"].get("id") != r["person"].get("id"):
                who = translate("Documents", "{writer} (for {person})").format(writer=r["by"]["name"], person=who)
            acted = f"{r['action']} {_time(r['acted_at'])}" if r.get("acted_at") else r["action"]
            line2 = translate("Documents", "Delivered {delivered} · opened {opened} · took {took}").format(
                delivered=_time(r.get("delivered_at")), opened=_time(r.get("opened_at")),
                took=format_duration(r.get("seconds")))
            text = f"{r['step_name']} · {who} · {acted}\n{line2}"
            if r.get("text"):
                text += f"\n“{r['text']}”"
            self.timeline_list.addItem(text)
        self.bodies.clear()
        for b in detail.get("bodies") or []:
            state = {"delivered": translate("Documents", "Delivered"), "signed": translate("Documents", "Signed for"),
                     "registered": translate("Documents", "Registered"), "returned": translate("Documents", "Returned"),
                     "recalled": translate("Documents", "Recalled"), "done": translate("Documents", "Completed"),
                     "archived": translate("Documents", "Archived")}.get(b.get("state", ""), b.get("state", ""))
            self.bodies.addItem(translate("Documents", "{body}　{state}　delivered {delivered}　took {took}").format(
                body=b.get("body_name", ""), state=state, delivered=_time(b.get("delivered_at")),
                took=format_duration(b.get("seconds"))))
        self.bodies.setVisible(bool(detail.get("bodies")))
        self.bodies_title.setVisible(bool(detail.get("bodies")))
        self.attachments.clear()
        for i, a in enumerate(doc.get("attachments") or [], 1):
            item = QListWidgetItem(f"{i}. {a.get('name', '')}")
            item.setData(Qt.ItemDataRole.UserRole, (a.get("sha256") or "", a.get("name") or ""))
            item.setSizeHint(QSize(0, TOUCH_TARGET))
            self.attachments.addItem(item)
        self.tabs.setTabText(3, translate("Documents", "Attachments {n}").format(n=len(doc.get("attachments") or [])))
        if not same and self._pdf_for != doc.get("id"):
            self.reset_pdf()

    def reset_pdf(self, doc_id: str = "") -> None:
        """Show "正在准备正文…" until :meth:`show_pdf` for ``doc_id`` arrives (the page
        calls this when it opens another document; the PDF may load before the record)."""
        self._pdf_for = doc_id
        self.pdf_preview.hide()
        self.pdf_stack.setCurrentWidget(self.pdf_wait)
        self.pdf_wait.set_text(translate("Documents", "Preparing the text…"))

    def show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def show_first_page(self, image: QImage) -> None:
        """Show the cached first page now (the PDF follows with :meth:`show_pdf`)."""
        if image.isNull():
            return
        self.pdf_stack.setCurrentWidget(self.pdf_view)
        self.pdf_preview.show_image(image)
        self.pdf_ready.emit(self._pdf_for or self.doc.get("id", ""))

    def _page_rendered(self, *_args: Any) -> None:
        self.pdf_preview.hide()

    def show_pdf(self, data: bytes | None, state: str, first_page: QImage | None = None) -> None:
        """Show the PDF ``data`` (``first_page``, when given, is drawn until the view has
        rendered its own); ``data`` None shows why the text is not there (``state``)."""
        if data is None:
            self.pdf_wait.set_text(
                translate("Documents", "The text is downloading; it shows once online.") if state == "downloading"
                else translate("Documents", "The text is not available yet."))
            self.pdf_stack.setCurrentWidget(self.pdf_wait)
            return
        self.pdf_doc.close()
        buffer = QBuffer(self)
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        old, self._pdf_buffer = self._pdf_buffer, buffer
        self.pdf_doc.load(buffer)
        if old is not None:
            old.close()
            old.deleteLater()
        self.pdf_view.pageNavigator().jump(0, QPointF(0, 0))
        self.pdf_stack.setCurrentWidget(self.pdf_view)
        if first_page is not None and not first_page.isNull() and self._renderer_signals:
            if not self.pdf_preview.isVisible() or self.pdf_preview.image is not first_page:
                self.pdf_preview.show_image(first_page)
        else:
            self.pdf_preview.hide()
        self.pdf_ready.emit(self._pdf_for or self.doc.get("id", ""))

    def set_compact(self, compact: bool) -> None:
        self._compact = compact
        self.timeline.setVisible(not compact)
        self.timeline_list.setVisible(compact)
        set_touch(compact, self.approve_button, self.return_button, self.edit_button, self.more_button,
                  self.seal_button, self.sender_button, self.archive_button)
        outer = self.layout()
        if outer is not None:
            outer.setContentsMargins(*((10, 8, 10, 8) if compact else (16, 12, 16, 12)))

    # -- actions --------------------------------------------------------------------
    def _set_actions(self, a: Allowed) -> None:
        incoming_archive = a.archive and a.step == "archive"
        self.approve_button.setVisible(a.approve and not incoming_archive)
        self.approve_button.setText(a.approve_verb)
        self.seal_button.setVisible(a.request_seal)
        self.archive_button.setVisible(a.archive)
        self.return_button.setVisible(bool(a.return_targets))
        self.sender_button.setVisible(a.return_to_sender)
        self.edit_button.setVisible(a.edit)
        self.more_menu.clear()
        extra = [("transfer", translate("Documents", "Transfer"), a.transfer), ("delegate", translate("Documents", "Delegate"), a.delegate),
                 ("add_signer", translate("Documents", "Add signer"), a.add_signer),
                 ("remove_signer", translate("Documents", "Remove signer"), bool(a.remove_signer)),
                 ("withdraw", translate("Documents", "Withdraw"), a.withdraw), ("urge", translate("Documents", "Urge"), a.urge),
                 ("void", translate("Documents", "Void"), a.void)]
        for op, label, ok in extra:
            if ok:
                act = QAction(label, self.more_menu)
                act.triggered.connect(lambda _c=False, op=op: self._ask(op))
                self.more_menu.addAction(act)
        labels = command_labels()
        commands = [("recall", bool(a.recall)), ("diff", int(self.doc.get("revision") or 1) > 1),
                    ("export_form", bool(self.doc)),
                    ("to_supervision", bool(self.doc) and self.may_supervise(self.doc))]
        if not self.more_menu.isEmpty():
            self.more_menu.addSeparator()
        for cmd, ok in commands:
            if ok:
                act = QAction(labels[cmd], self.more_menu)
                act.setObjectName(f"Command_{cmd}")
                act.triggered.connect(lambda _c=False, cmd=cmd: self.command(cmd))
                self.more_menu.addAction(act)
        self.more_button.setVisible(not self.more_menu.isEmpty())

    def command(self, cmd: str) -> None:
        """Ask the page to run ``cmd`` (one of COMMANDS) on the shown document."""
        if self.doc:
            self.command_requested.emit(str(self.doc.get("id", "")), cmd)

    def ask(self, op: str) -> None:
        """Open the dialog for ``op`` (or submit at once when it needs no input)."""
        self._ask(op)

    def _ask(self, op: str) -> None:
        if not self.doc:
            return
        if op == "approve" and self.allowed.step in ("register", "dispatch"):
            self.command(self.allowed.step)  # 登记 / 核发 have their own dialogs
            return
        if op == "approve" and self.allowed.step_intent:
            self.action_requested.emit(self.doc["id"], op, {})
            return
        dialog = ActionDialog(op, self.allowed, self.doc, self.search_people, self)
        dialog.setObjectName(f"ActionDialog_{op}")
        if self._compact:  # phone width: touch-sized fields and buttons, narrower dialog
            set_touch(True, *dialog.findChildren(QLineEdit), *dialog.findChildren(QComboBox),
                      *dialog.findChildren(QPushButton))
            dialog.resize(360, dialog.sizeHint().height())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._dialog = dialog
        dialog.accepted.connect(lambda: self.action_requested.emit(self.doc["id"], op, dialog.args()))
        dialog.open()

    def _open_attachment(self, item: QListWidgetItem) -> None:
        sha, name = item.data(Qt.ItemDataRole.UserRole)
        if sha:
            self.attachment_requested.emit(sha, name)
