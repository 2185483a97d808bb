"""Document detail: rendered PDF, 办文单 (processing form), timeline, attachments and the
actions this person has on the current step. GUI thread only; the page loads data and
runs actions in the background and calls :meth:`DetailView.show_detail`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtPdf import QPdfDocument
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
from office_app.widgets import TOUCH_TARGET, EmptyState, set_touch, text_label

#: Commands that open a dialog of their own (the page loads what they need and submits):
#: (command, button text).
COMMANDS = (("register", "登记"), ("dispatch", "核发"), ("request_seal", "用印申请"),
            ("return_to_sender", "退回发文机关"), ("recall", "撤回分发"), ("archive", "归档"),
            ("diff", "修订对比"), ("export_form", "导出办文单 PDF"))

COMMON_OPINIONS = ("同意。", "拟同意，请领导审定。", "已阅。", "请抓紧办理。", "请按程序办理。")


# --------------------------------------------------------------------------- pickers


class PersonPicker(QWidget):
    """Search box + results for choosing one person (directory search, in background).

    ``search(text, callback)`` is supplied by the page; ``chosen`` carries an actor dict.
    """

    chosen = Signal(object)

    def __init__(self, search: Callable[[str, Callable[[list[dict[str, Any]]], None]], None],
                 placeholder: str = "输入姓名或拼音搜索", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._search = search
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.box = QLineEdit()
        self.box.setPlaceholderText(placeholder)
        self.box.setClearButtonEnabled(True)
        layout.addWidget(self.box)
        self.results = QListWidget()
        self.results.setMaximumHeight(150)
        layout.addWidget(self.results)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self._run)
        self.box.textChanged.connect(self._typed)
        self.results.currentRowChanged.connect(self._picked)
        self.selected: dict[str, Any] | None = None
        self._people: list[dict[str, str]] = []

    def _typed(self, _text: str) -> None:
        self._timer.start()

    def _run(self) -> None:
        text = self.box.text().strip()
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
        titles = {"approve": allowed.approve_verb, "return": "退回", "transfer": "转办",
                  "delegate": "委托", "add_signer": "加签", "remove_signer": "减签",
                  "withdraw": "撤回", "urge": "催办", "void": "作废"}
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
            self.quick.addItem("常用意见…")
            self.quick.addItems(list(COMMON_OPINIONS))
            self.quick.activated.connect(self._quick_opinion)
            form.addRow("常用", self.quick)
            wf = doc.get("workflow") or {}
            sd = workflow.current_step(wf)
            kind = sd.opinion_kind if sd else "意见"
            self.text.setPlaceholderText(f"{kind}（可不填）")
            form.addRow(kind, self.text)
            assigned = wf.get("assignments") or {}
            server_made = ("recheck", "register", "seal", "dispatch", "receive", "complete", "archive")
            choices = [(k, n) for k, n in allowed.next_steps
                       if k not in server_made and not assigned.get(k)]
            if wf.get("current") == "draft":  # submitting: who reviews and who signs
                choices = [(k, n) for k, n in choices if k in ("review", "sign")] or choices
            for key, name in choices[:2]:
                picker = PersonPicker(search_people, f"{name}人")
                self.pickers[key] = picker
                form.addRow(name, picker)
        elif op == "return":
            for key, name in allowed.return_targets:
                self.target.addItem(name, key)
            form.addRow("退回到", self.target)
            self.text.setPlaceholderText("退回理由（必填）")
            form.addRow("理由", self.text)
        elif op in ("transfer", "delegate", "add_signer"):
            picker = PersonPicker(search_people)
            self.pickers["person"] = picker
            form.addRow({"transfer": "转给", "delegate": "委托给", "add_signer": "加签人"}[op], picker)
            if op == "transfer":
                self.text.setPlaceholderText("转办说明（可不填）")
                form.addRow("说明", self.text)
        elif op == "remove_signer":
            for pid, name in allowed.remove_signer:
                self.target.addItem(name, pid)
            form.addRow("减去", self.target)
        elif op == "urge":
            self.text.setPlaceholderText("催办内容（可不填）")
            form.addRow("内容", self.text)
        elif op == "void":
            self.text.setPlaceholderText("作废理由（必填）")
            form.addRow("理由", self.text)
        elif op == "withdraw":
            layout.addWidget(text_label("撤回您的上一步办理？下一环节尚无人办理时才能撤回。", wrap=True))
        self.error = text_label("", "error", wrap=True)
        self.error.hide()
        layout.addWidget(self.error)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = box.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(titles.get(op, "确定"))
        ok.setProperty("kind", "primary")
        box.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
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
            self.error.setText("请填写理由。")
            self.error.show()
            return
        if (self.op in ("transfer", "delegate") and not args.get("to")) or (
                self.op == "add_signer" and not args.get("signer")):
            self.error.setText("请先选择人员。")
            self.error.show()
            return
        self.accept()


# --------------------------------------------------------------------------- 办文单


class ProcessingForm(QFrame):
    """办文单: the document's processing form with every opinion, as on paper."""

    ROWS_OUTGOING = (("draft", "拟稿说明"), ("review", "核稿意见"), ("countersign", "会签意见"), ("sign", "签发"),
                     ("recheck", "复核"), ("register", "登记"))
    ROWS_INCOMING = (("screen", "初审意见"), ("propose", "拟办意见"), ("instruct", "领导批示"),
                     ("handle", "办理情况"), ("circulate", "传阅"), ("complete", "办结"))

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
            w = self._grid.takeAt(0).widget()
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
        title = QLabel("发文稿纸" if outgoing else "收文处理笺")
        title.setObjectName("FormTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._grid.addWidget(title, 0, 0, 1, 4)
        wf = doc.get("workflow") or {}
        owner = (wf.get("owner") or {}).get("name", "")
        r = 1
        self._cell("标题", "label", r, 0)
        self._cell(doc.get("title", ""), "value", r, 1, 3)
        r += 1
        self._cell("发文字号" if outgoing else "来文字号", "label", r, 0)
        self._cell(doc.get("doc_number") or "（登记时编号）", "value", r, 1)
        self._cell("紧急程度", "label", r, 2)
        self._cell(doc.get("urgency") or "—", "value", r, 3)
        r += 1
        self._cell("拟稿单位" if outgoing else "来文机关", "label", r, 0)
        src = doc.get("source") or {}
        self._cell((doc.get("body_name") if outgoing else src.get("body_name")) or "—", "value", r, 1)
        self._cell("拟稿人" if outgoing else "收文号", "label", r, 2)
        self._cell((owner if outgoing else doc.get("receipt_number")) or "—", "value", r, 3)
        r += 1
        self._cell("主送", "label", r, 0)
        self._cell("、".join(b["name"] for b in doc.get("main_to") or []) or "—", "value", r, 1, 3)
        r += 1
        self._cell("抄送", "label", r, 0)
        self._cell("、".join(b["name"] for b in doc.get("cc_to") or []) or "—", "value", r, 1, 3)
        r += 1
        rows = self.ROWS_OUTGOING if outgoing else self.ROWS_INCOMING
        for key, label in rows:
            items = [o for o in opinions if o.get("step") == key]
            lines = []
            for o in items:
                who = o["person"]["name"]
                if o.get("written_by"):
                    who = f"{o['written_by']['name']}（代{who}）"
                lines.append(f"{o['text']}\n　　　　{who}　{_time(o.get('at'))}")
            self._cell(label, "label", r, 0)
            cell = self._cell("\n\n".join(lines) or " ", "value", r, 1, 3)
            cell.setMinimumHeight(64 if key in ("sign", "instruct") else 48)
            r += 1
        other = [o for o in opinions if o.get("step") not in {k for k, _ in rows}]
        if other:
            self._cell("其他意见", "label", r, 0)
            self._cell("\n".join(f"{o.get('step_name', '')}：{o['text']} —— {o['person']['name']}"
                                 for o in other), "value", r, 1, 3)
            r += 1
        archive = doc.get("archive")
        if archive:
            words = [f"保管期限 {archive.get('retention') or '—'}"]
            if archive.get("archive_no"):
                words.insert(0, f"档号 {archive['archive_no']}")
            by = (archive.get("by") or {}).get("name", "")
            self._cell("归档", "label", r, 0)
            self._cell("　".join(words) + f"\n　　　　{by}　{_time(archive.get('at'))}", "value", r, 1, 3)
        self._grid.setColumnStretch(1, 3)
        self._grid.setColumnStretch(3, 2)


# --------------------------------------------------------------------------- detail


class DetailView(QWidget):
    """One document. Signals carry what the page must do (in the background)."""

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
        self.return_button = QPushButton("退回")
        self.return_button.clicked.connect(lambda: self._ask("return"))
        self.edit_button = QPushButton("修改稿件")
        self.edit_button.clicked.connect(lambda: self.edit_requested.emit(self.doc.get("id", "")))
        self.more_button = QPushButton("更多")
        self.more_menu = QMenu(self.more_button)
        self.more_button.setMenu(self.more_menu)
        # Step commands shown as buttons when the person may use them (others: 更多).
        self.seal_button = QPushButton("用印申请")
        self.seal_button.setObjectName("RequestSealButton")
        self.seal_button.setProperty("kind", "primary")
        self.seal_button.clicked.connect(lambda: self.command("request_seal"))
        self.sender_button = QPushButton("退回发文机关")
        self.sender_button.setObjectName("ReturnToSenderButton")
        self.sender_button.clicked.connect(lambda: self.command("return_to_sender"))
        self.archive_button = QPushButton("归档")
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
        self.pdf_stack = QStackedWidget()
        self.pdf_stack.addWidget(self.pdf_view)
        self.pdf_wait = EmptyState("documents", "正在准备正文…")
        self.pdf_stack.addWidget(self.pdf_wait)
        self.tabs.addTab(self.pdf_stack, "正文")

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
        self.tabs.addTab(form_scroll, "办文单")

        # 流转记录
        flow = QWidget()
        fl = QVBoxLayout(flow)
        fl.setContentsMargins(0, 8, 0, 0)
        fl.addWidget(text_label("按人员", "heading"))
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
        self.bodies_title = text_label("按单位", "heading")
        fl.addWidget(self.bodies_title)
        self.bodies = QListWidget()
        fl.addWidget(self.bodies, 1)
        self.tabs.addTab(flow, "流转记录")

        # 附件
        self.attachments = QListWidget()
        self.attachments.itemActivated.connect(self._open_attachment)
        self.attachments.itemClicked.connect(self._open_attachment)
        self.tabs.addTab(self.attachments, "附件")

    # -- filling --------------------------------------------------------------------
    def show_detail(self, detail: dict[str, Any]) -> None:
        doc = detail["doc"]
        same = doc.get("id") == self.doc.get("id")
        self.doc = doc
        self.allowed = detail["allowed"]
        self.title.setText(doc.get("title") or "（无标题）")
        meta = [doc.get("doc_number") or "", doc.get("doc_type") or "",
                f"【{doc['urgency']}】" if doc.get("urgency") else "", detail.get("step") or "",
                f"第{doc.get('revision')}稿" if doc.get("revision", 1) > 1 else ""]
        if doc.get("step") == "seal" and (doc.get("seal") or {}).get("state") == "requested":
            meta.append("已提交电子用印申请（在“印章”中审批、盖章）")
        self.meta.setText(" · ".join(m for m in meta if m))
        self._set_actions(self.allowed)
        self.form.set_document(doc, detail.get("opinions") or [])
        self.timeline_model.set_rows(detail.get("timeline") or [])
        self.timeline_list.clear()
        for r in detail.get("timeline") or []:
            who = r["person"]["name"]
            if r.get("by") and r["by"].get("id") != r["person"].get("id"):
                who = f"{r['by']['name']}（代{who}）"
            acted = f"{r['action']} {_time(r['acted_at'])}" if r.get("acted_at") else r["action"]
            line2 = f"送达 {_time(r.get('delivered_at'))} · 打开 {_time(r.get('opened_at'))}" \
                    f" · 用时 {format_duration(r.get('seconds'))}"
            text = f"{r['step_name']} · {who} · {acted}\n{line2}"
            if r.get("text"):
                text += f"\n“{r['text']}”"
            self.timeline_list.addItem(text)
        self.bodies.clear()
        for b in detail.get("bodies") or []:
            state = {"delivered": "已送达", "signed": "已签收", "registered": "已登记",
                     "returned": "已退回", "recalled": "已撤回", "done": "已办结",
                     "archived": "已归档"}.get(b.get("state", ""), b.get("state", ""))
            self.bodies.addItem(f"{b.get('body_name', '')}　{state}　送达 {_time(b.get('delivered_at'))}"
                                f"　用时 {format_duration(b.get('seconds'))}")
        self.bodies.setVisible(bool(detail.get("bodies")))
        self.bodies_title.setVisible(bool(detail.get("bodies")))
        self.attachments.clear()
        for i, a in enumerate(doc.get("attachments") or [], 1):
            item = QListWidgetItem(f"{i}. {a.get('name', '')}")
            item.setData(Qt.ItemDataRole.UserRole, (a.get("sha256") or "", a.get("name") or ""))
            item.setSizeHint(QSize(0, TOUCH_TARGET))
            self.attachments.addItem(item)
        self.tabs.setTabText(3, f"附件 {len(doc.get('attachments') or [])}")
        if not same and self._pdf_for != doc.get("id"):
            self.reset_pdf()

    def reset_pdf(self, doc_id: str = "") -> None:
        """Show "正在准备正文…" until :meth:`show_pdf` for ``doc_id`` arrives (the page
        calls this when it opens another document; the PDF may load before the record)."""
        self._pdf_for = doc_id
        self.pdf_stack.setCurrentWidget(self.pdf_wait)
        self.pdf_wait.set_text("正在准备正文…")

    def show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def show_pdf(self, data: bytes | None, state: str) -> None:
        if data is None:
            self.pdf_wait.set_text("正文正在下载，联网后自动显示。" if state == "downloading"
                                   else "正文暂不可用。")
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

    def set_compact(self, compact: bool) -> None:
        self._compact = compact
        self.timeline.setVisible(not compact)
        self.timeline_list.setVisible(compact)
        set_touch(compact, self.approve_button, self.return_button, self.edit_button, self.more_button,
                  self.seal_button, self.sender_button, self.archive_button)
        self.layout().setContentsMargins(*((10, 8, 10, 8) if compact else (16, 12, 16, 12)))

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
        extra = [("transfer", "转办", a.transfer), ("delegate", "委托", a.delegate),
                 ("add_signer", "加签", a.add_signer), ("remove_signer", "减签", bool(a.remove_signer)),
                 ("withdraw", "撤回", a.withdraw), ("urge", "催办", a.urge), ("void", "作废", a.void)]
        for op, label, ok in extra:
            if ok:
                act = QAction(label, self.more_menu)
                act.triggered.connect(lambda _c=False, op=op: self._ask(op))
                self.more_menu.addAction(act)
        labels = dict(COMMANDS)
        commands = [("recall", bool(a.recall)), ("diff", int(self.doc.get("revision") or 1) > 1),
                    ("export_form", bool(self.doc))]
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
