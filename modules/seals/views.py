"""The 印章 screen: use requests (用印申请), seals, the register (用印登记) and
verification (验证), each a list with a detail (list → detail at phone width).

Every read and every action goes through :class:`~modules.seals.service.SealService`
in the background (``office_app.tasks.run_in_background``); the page refreshes itself
from ``ChangeBus.changed`` when seal entities moved. Registered as navigation key
``seals``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from modules.common.errors import DomainError
from modules.seals.ink import InkPad, InkView
from modules.seals.service import ENTITIES, SealService
from modules.seals.views_admin import AdminPanel
from modules.seals.views_models import (
    ROW_ROLE,
    RegisterTableModel,
    RequestListModel,
    SealListModel,
    SignatureTableModel,
    request_state_label,
    seal_state_label,
    short_time,
)
from office_app.bus import touches
from office_app.navigation import register_page
from office_app.tasks import Task, run_in_background
from office_app.widgets import AdaptiveSplit, EmptyState, card, primary_button, text_label

REQUEST_FILTERS: list[tuple[str, str]] = [
    ("to_decide", "待我审批"), ("to_stamp", "待用印"), ("mine", "我的申请"), ("all", "全部"),
]


def _message(exc: BaseException, lang: str = "zh_CN") -> str:
    if isinstance(exc, DomainError):
        return exc.message(lang)
    return "内部错误，请稍后重试；如仍出现请联系管理员。"


def _list_view(model: Any) -> QListView:
    view = QListView()
    view.setModel(model)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setUniformItemSizes(False)
    view.setSpacing(2)
    view.setWordWrap(True)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    return view


class _Fields(QWidget):
    """A two-column form of read-only values (label: value)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)

    def set_rows(self, rows: list[tuple[str, str]]) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        for label, value in rows:
            v = text_label(value, wrap=True, selectable=True)
            self.form.addRow(text_label(label, "muted"), v)

    def set_compact(self, compact: bool) -> None:
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows if compact
                                   else QFormLayout.RowWrapPolicy.WrapLongRows)


# --------------------------------------------------------------------------- dialogs


class RequestDialog(QDialog):
    """申请用印: the PDF, title, reason (用印事由), copies."""

    def __init__(self, seal: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"申请用印 — {seal.get('name', '')}")
        self.path: Path | None = None
        form = QFormLayout(self)
        self.file_button = QPushButton("选择 PDF 文件…")
        self.file_button.clicked.connect(self._choose)
        self.title = QLineEdit()
        self.title.setPlaceholderText("文件标题")
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText("用印事由，例如：对外报送请示")
        self.reason.setFixedHeight(80)
        self.copies = QSpinBox()
        self.copies.setRange(1, 500)
        form.addRow("文件", self.file_button)
        form.addRow("标题", self.title)
        form.addRow("用印事由", self.reason)
        form.addRow("份数", self.copies)
        row = QHBoxLayout()
        row.addStretch(1)
        cancel = QPushButton("取消")
        cancel.clicked.connect(self.reject)
        self.ok = primary_button("提交申请")
        self.ok.clicked.connect(self._accept)
        row.addWidget(cancel)
        row.addWidget(self.ok)
        form.addRow(row)

    def _choose(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "选择待用印文件", "", "PDF 文件 (*.pdf)")
        if name:
            self.path = Path(name)
            self.file_button.setText(self.path.name)
            if not self.title.text():
                self.title.setText(self.path.stem)

    def _accept(self) -> None:
        if self.path is None:
            self.file_button.setFocus()
            return
        self.accept()

    def values(self) -> dict[str, Any]:
        return {"pdf": self.path, "document_title": self.title.text().strip(),
                "reason": self.reason.toPlainText().strip(), "copies": self.copies.value()}


class ApproveDialog(QDialog):
    """批准用印: opinion (意见) and, when the approver has a signing key, a handwritten
    sign-off on the ink pad, signed on this device."""

    def __init__(self, request: dict[str, Any], can_sign: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("批准用印申请")
        layout = QVBoxLayout(self)
        layout.addWidget(text_label(
            f"{request.get('document_title') or request.get('reason', '')}（{request.get('seal_name', '')}）",
            "heading", wrap=True))
        self.opinion = QLineEdit("同意")
        layout.addWidget(text_label("审批意见", "muted"))
        layout.addWidget(self.opinion)
        self.sign = QCheckBox("手写签批（以个人签名证书签名）")
        self.sign.setChecked(can_sign)
        self.sign.setEnabled(can_sign)
        if not can_sign:
            self.sign.setToolTip("本机尚无个人签名证书：在“印章”页登记后可手写签批。")
        layout.addWidget(self.sign)
        self.pad = InkPad()
        self.pad.setVisible(can_sign)
        self.sign.toggled.connect(self.pad.setVisible)
        layout.addWidget(self.pad, 1)
        tools = QHBoxLayout()
        undo = QPushButton("撤销一笔")
        undo.clicked.connect(self.pad.undo)
        clear = QPushButton("清除")
        clear.clicked.connect(self.pad.clear)
        tools.addWidget(undo)
        tools.addWidget(clear)
        tools.addStretch(1)
        cancel = QPushButton("取消")
        cancel.clicked.connect(self.reject)
        ok = primary_button("批准")
        ok.clicked.connect(self.accept)
        tools.addWidget(cancel)
        tools.addWidget(ok)
        layout.addLayout(tools)
        self.resize(560, 460 if can_sign else 200)

    def strokes(self) -> dict[str, Any] | None:
        if self.sign.isChecked() and not self.pad.is_empty():
            return self.pad.strokes()
        return None


# --------------------------------------------------------------------------- panels


class _Panel(QWidget):
    """Base: a list/detail split with background loading through the page."""

    navigation_changed = Signal()

    def __init__(self, page: SealsPage) -> None:
        super().__init__()
        self.page = page
        self.service = page.service

    def run(self, fn: Any, done: Any = None) -> Task:
        return self.page.run(fn, done)


class RequestsPanel(_Panel):
    def __init__(self, page: SealsPage) -> None:
        super().__init__(page)
        self.model = RequestListModel(self)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        self.filter = QComboBox()
        for key, label in REQUEST_FILTERS:
            self.filter.addItem(label, key)
        self.filter.currentIndexChanged.connect(lambda _i: self.page.reload())
        ll.addWidget(self.filter)
        self.list = _list_view(self.model)
        self.list.clicked.connect(self._open)
        self.list.activated.connect(self._open)
        ll.addWidget(self.list, 1)
        self.empty = EmptyState("seals", "暂无用印申请")
        ll.addWidget(self.empty, 1)

        self.detail = QWidget()
        dl = QVBoxLayout(self.detail)
        dl.setContentsMargins(16, 8, 16, 8)
        self.heading = text_label("选择一个用印申请查看详情", "heading", wrap=True)
        dl.addWidget(self.heading)
        self.fields = _Fields()
        dl.addWidget(self.fields)
        self.ink_label = text_label("手写签批（以个人签名证书签名）", "muted")
        self.ink = InkView()
        dl.addWidget(self.ink_label)
        dl.addWidget(self.ink)
        self.status = text_label("", "notice", wrap=True)
        self.status.hide()
        dl.addWidget(self.status)
        actions = QHBoxLayout()
        self.approve_button = primary_button("批准…")
        self.refuse_button = QPushButton("拒绝…")
        self.cancel_button = QPushButton("撤销申请")
        self.stamp_button = primary_button("用印…")
        self.open_button = QPushButton("查看文件")
        for b in (self.approve_button, self.refuse_button, self.cancel_button,
                  self.stamp_button, self.open_button):
            actions.addWidget(b)
            b.hide()
        actions.addStretch(1)
        self.approve_button.clicked.connect(self._approve)
        self.refuse_button.clicked.connect(self._refuse)
        self.cancel_button.clicked.connect(self._cancel)
        self.stamp_button.clicked.connect(self._stamp)
        self.open_button.clicked.connect(self._open_file)
        dl.addLayout(actions)
        dl.addStretch(1)
        self.split = AdaptiveSplit([left, self.detail], [2, 3])
        self.split.set_sizes([420, 640])
        self.split.navigation_changed.connect(self.navigation_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.split)
        self.current: dict[str, Any] | None = None

    def which(self) -> str:
        return str(self.filter.currentData() or "all")

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        keep = self.current.get("id") if self.current else None
        self.model.set_rows(rows)
        self.list.setVisible(bool(rows))
        self.empty.setVisible(not rows)
        row = self.model.row_of(keep) if keep else -1
        if row >= 0:
            self.list.setCurrentIndex(self.model.index(row))
            self.show_request(self.model.rows()[row], forward=False)
        elif keep:
            self.current = None
            self.show_request(None, forward=False)

    def select(self, request_id: str) -> bool:
        row = self.model.row_of(request_id)
        if row < 0:
            return False
        self.list.setCurrentIndex(self.model.index(row))
        self.show_request(self.model.rows()[row])
        return True

    def _open(self, index: QModelIndex) -> None:
        self.show_request(index.data(ROW_ROLE))

    def show_request(self, r: dict[str, Any] | None, *, forward: bool = True) -> None:
        self.current = r
        buttons = (self.approve_button, self.refuse_button, self.cancel_button,
                   self.stamp_button, self.open_button)
        if r is None:
            self.heading.setText("选择一个用印申请查看详情")
            self.fields.set_rows([])
            self.ink.hide()
            self.ink_label.hide()
            for b in buttons:
                b.hide()
            return
        self.heading.setText(r.get("document_title") or r.get("reason", ""))
        rows = [
            ("印章", r.get("seal_name", "")), ("用印事由", r.get("reason", "")),
            ("份数", f"{r.get('copies', 0)} 份（已用 {r.get('used', 0)} 份）"),
            ("申请人", r.get("requester_name", "")), ("申请时间", short_time(r.get("created_at"))),
            ("状态", request_state_label(r.get("state", ""))),
        ]
        if r.get("decided_by_name"):
            rows.append(("审批人", f"{r['decided_by_name']}  {short_time(r.get('decided_at'))}"))
        if r.get("decision_note"):
            rows.append(("审批意见", r["decision_note"]))
        rows.append(("文件摘要", (r.get("current_sha256") or "")[:16] + "…"))
        self.fields.set_rows(rows)
        ink_data = (r.get("decision_ink") or {}).get("strokes")
        self.ink.set_strokes(ink_data if isinstance(ink_data, dict) else None)
        self.ink.setVisible(self.ink.has_strokes())
        self.ink_label.setVisible(self.ink.has_strokes())
        flags = self.page.flags.get(r.get("id", ""), {})
        self.approve_button.setVisible(bool(flags.get("decide")))
        self.refuse_button.setVisible(bool(flags.get("decide")))
        self.cancel_button.setVisible(bool(flags.get("cancel")))
        self.stamp_button.setVisible(bool(flags.get("stamp")))
        self.open_button.setVisible(True)
        if forward:
            self.split.show_pane(1)

    # -- actions -----------------------------------------------------------------------
    def _approve(self) -> None:
        r = self.current
        if r is None:
            return
        dialog = ApproveDialog(r, self.page.can_sign, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        note, strokes, rid = dialog.opinion.text().strip(), dialog.strokes(), r["id"]
        self.page.act(lambda: self.service.approve(rid, note, strokes), "已批准")

    def _refuse(self) -> None:
        r = self.current
        if r is None:
            return
        reason, ok = QInputDialog.getText(self, "拒绝用印申请", "拒绝理由：")
        if ok:
            rid = r["id"]
            self.page.act(lambda: self.service.refuse(rid, reason.strip()), "已拒绝")

    def _cancel(self) -> None:
        r = self.current
        if r is not None:
            rid = r["id"]
            self.page.act(lambda: self.service.cancel(rid), "已撤销")

    def _open_file(self) -> None:
        r = self.current
        if r is None:
            return
        sha = r.get("current_sha256") or r.get("pdf_sha256")
        service = self.service

        def work() -> bytes:
            return service.read_file(sha)

        def show(data: bytes) -> None:
            from modules.seals.views_stamp import PdfPagesView

            dlg = QDialog(self)
            dlg.setWindowTitle(r.get("document_title") or "文件")
            dlg.resize(820, 900)
            lay = QVBoxLayout(dlg)
            view = PdfPagesView()
            view.set_pdf(data)
            lay.addWidget(view)
            dlg.exec()

        self.run(work, show)

    def _stamp(self) -> None:
        r = self.current
        if r is None:
            return
        service = self.service

        def load() -> tuple[bytes, bytes, tuple[float, float]]:
            seal = service.seal(r["seal_id"]) or {}
            pdf = service.read_file(r.get("current_sha256") or r["pdf_sha256"])
            png = service.read_file(seal["image_sha256"]) if seal.get("image_sha256") else b""
            return pdf, png, (float(seal.get("image_width_mm", 42)),
                              float(seal.get("image_height_mm", 42)))

        def open_dialog(loaded: tuple[bytes, bytes, tuple[float, float]]) -> None:
            from modules.seals.views_stamp import StampDialog

            pdf, png, size = loaded
            rid = r["id"]
            dialog = StampDialog(
                r, pdf, png, size,
                stamp=lambda placement, riding, qr: service.stamp(
                    rid, placement=placement, riding_seal=riding, qr=qr),
                read=lambda outcome: outcome.path.read_bytes() if outcome.path
                else service.read_file(outcome.stamped_sha256),
                parent=self)
            dialog.exec()
            self.page.reload()

        self.run(load, open_dialog)

    def set_compact(self, compact: bool) -> None:
        self.split.set_compact(compact)
        self.fields.set_compact(compact)


class SealsPanel(_Panel):
    def __init__(self, page: SealsPage) -> None:
        super().__init__(page)
        self.model = SealListModel(page.service.me if page.service else "", self)
        self.list = _list_view(self.model)
        self.list.clicked.connect(lambda i: self.show_seal(i.data(ROW_ROLE)))
        self.list.activated.connect(lambda i: self.show_seal(i.data(ROW_ROLE)))
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.list, 1)
        self.empty = EmptyState("seals", "您没有可查看的印章")
        ll.addWidget(self.empty, 1)
        self.key_card = card()
        kl = QVBoxLayout(self.key_card)
        self.key_label = text_label("", "small", wrap=True)
        self.enrol_button = QPushButton("登记个人签名证书")
        self.enrol_button.clicked.connect(self._enrol)
        kl.addWidget(self.key_label)
        kl.addWidget(self.enrol_button)
        ll.addWidget(self.key_card)

        self.detail = QWidget()
        dl = QVBoxLayout(self.detail)
        dl.setContentsMargins(16, 8, 16, 8)
        top = QHBoxLayout()
        self.picture = QLabel()
        self.picture.setFixedSize(QSize(150, 150))
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        top.addWidget(self.picture)
        self.heading = text_label("选择一枚印章查看详情", "heading", wrap=True)
        top.addWidget(self.heading, 1)
        dl.addLayout(top)
        self.fields = _Fields()
        dl.addWidget(self.fields)
        actions = QHBoxLayout()
        self.request_button = primary_button("申请用印…")
        self.request_button.clicked.connect(self._request)
        self.suspend_button = QPushButton("暂停使用")
        self.suspend_button.clicked.connect(lambda: self._state("suspend", "已暂停"))
        self.resume_button = QPushButton("恢复启用")
        self.resume_button.clicked.connect(lambda: self._state("reactivate", "已恢复"))
        for b in (self.request_button, self.suspend_button, self.resume_button):
            actions.addWidget(b)
            b.hide()
        actions.addStretch(1)
        dl.addLayout(actions)
        dl.addStretch(1)
        self.split = AdaptiveSplit([left, self.detail], [2, 3])
        self.split.set_sizes([420, 640])
        self.split.navigation_changed.connect(self.navigation_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.split)
        self.current: dict[str, Any] | None = None
        self._pictures: dict[str, QPixmap] = {}

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        keep = self.current.get("id") if self.current else None
        self.model.set_rows(rows)
        self.list.setVisible(bool(rows))
        self.empty.setVisible(not rows)
        row = self.model.row_of(keep) if keep else -1
        if row >= 0:
            self.show_seal(self.model.rows()[row], forward=False)

    def set_key_state(self, has_key: bool, cert: dict[str, Any] | None) -> None:
        if cert and has_key:
            self.key_label.setText(f"个人签名证书已登记（序列号 {cert.get('serial', '')[:12]}），"
                                   "审批时可手写签批。")
            self.enrol_button.setText("重新登记")
        elif has_key:
            self.key_label.setText("已生成个人签名密钥，等待服务器签发证书（联网同步后可用）。")
            self.enrol_button.setText("重新登记")
        else:
            self.key_label.setText("尚未登记个人签名证书。登记后，审批用印时可手写签批，离线也能签名。")
            self.enrol_button.setText("登记个人签名证书")

    def show_seal(self, seal: dict[str, Any] | None, *, forward: bool = True) -> None:
        self.current = seal
        if seal is None:
            return
        self.heading.setText(seal.get("name", ""))
        names = seal.get("names") or {}

        def people(key: str) -> str:
            return "、".join(names.get(p, p) for p in seal.get(key) or ()) or "—"

        self.fields.set_rows([
            ("类型", seal.get("type_label", "")), ("所属单位", seal.get("body_name", "")),
            ("状态", seal_state_label(seal.get("state", ""))),
            ("保管人", people("custodians")), ("审批领导", people("approvers")),
            ("可申请人", people("requesters")),
            ("有效期", f"{short_time(seal.get('valid_from'))[:10]} 至 "
                     f"{short_time(seal.get('valid_to'))[:10]}"),
            ("证书序列号", (seal.get("cert_serial") or "")[:20]),
        ])
        me = self.service.me if self.service else ""
        holder = me in (seal.get("custodians") or ()) or me in (seal.get("approvers") or ())
        self.request_button.setVisible(me in (seal.get("requesters") or ())
                                       and seal.get("state") == "active")
        self.suspend_button.setVisible(holder and seal.get("state") == "active")
        self.resume_button.setVisible(holder and seal.get("state") == "suspended")
        self._load_picture(seal)
        if forward:
            self.split.show_pane(1)

    def _load_picture(self, seal: dict[str, Any]) -> None:
        sha = seal.get("image_sha256")
        if not sha or self.service is None:
            self.picture.clear()
            return
        if sha in self._pictures:
            self.picture.setPixmap(self._pictures[sha])
            return
        service = self.service

        def work() -> bytes:
            return service.read_file(sha)

        def show(data: bytes) -> None:
            pix = QPixmap()
            pix.loadFromData(data)
            pix = pix.scaled(self.picture.size(), Qt.AspectRatioMode.KeepAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
            self._pictures[sha] = pix
            if self.current and self.current.get("image_sha256") == sha:
                self.picture.setPixmap(pix)

        run_in_background(work, show, lambda _e: self.picture.clear(), owner=self)

    def _request(self) -> None:
        seal = self.current
        if seal is None:
            return
        dialog = RequestDialog(seal, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        values = dialog.values()
        sid = seal["id"]
        self.page.act(lambda: self.service.request_use(seal_id=sid, **values), "已提交用印申请")

    def _state(self, action: str, done: str) -> None:
        if self.current is not None:
            sid = self.current["id"]
            self.page.act(lambda: self.service.set_seal_state(sid, action), done)

    def _enrol(self) -> None:
        self.page.act(self.service.enrol_personal_key, "已生成个人签名密钥，证书将在同步后签发")

    def set_compact(self, compact: bool) -> None:
        self.split.set_compact(compact)
        self.fields.set_compact(compact)


class RegisterPanel(_Panel):
    def __init__(self, page: SealsPage) -> None:
        super().__init__(page)
        self.model = RegisterTableModel(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        filters = QHBoxLayout()
        self.seal = QComboBox()
        self.seal.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.seal.setMinimumContentsLength(8)
        self.seal.addItem("全部印章", "")
        self.since = QDateEdit()
        self.until = QDateEdit()
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.since.setDate(QDate.currentDate().addYears(-1))
        self.until.setDate(QDate.currentDate())
        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索标题、事由、申请人")
        self.search.setClearButtonEnabled(True)
        self.export_button = QPushButton("导出 CSV…")
        self.export_button.clicked.connect(self._export)
        self.filters_box = QWidget()
        fl = QHBoxLayout(self.filters_box)
        fl.setContentsMargins(0, 0, 0, 0)
        fl.addWidget(self.seal)
        self.dash = QLabel("—")
        fl.addWidget(self.since)
        fl.addWidget(self.dash)
        fl.addWidget(self.until)
        filters.addWidget(self.filters_box)
        filters.addWidget(self.search, 1)
        layout.addLayout(filters)
        self._filters_row = filters
        counts = QHBoxLayout()
        self.count = text_label("", "small")
        counts.addWidget(self.count, 1)
        counts.addWidget(self.export_button)
        layout.addLayout(counts)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        for w in (self.seal, self.since, self.until):
            signal = w.currentIndexChanged if isinstance(w, QComboBox) else w.dateChanged
            signal.connect(lambda *_a: self.page.reload())
        self.search.textChanged.connect(lambda _t: self.page.reload())

    def filters(self) -> dict[str, Any]:
        return {"seal_id": str(self.seal.currentData() or ""),
                "since": self.since.date().toPython(), "until": self.until.date().toPython(),
                "text": self.search.text()}

    def set_seals(self, seals: list[dict[str, Any]]) -> None:
        current = self.seal.currentData()
        self.seal.blockSignals(True)
        self.seal.clear()
        self.seal.addItem("全部印章", "")
        for s in seals:
            self.seal.addItem(s.get("name", ""), s.get("id"))
        i = self.seal.findData(current)
        self.seal.setCurrentIndex(max(0, i))
        self.seal.blockSignals(False)

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.model.set_rows(rows)
        self.count.setText(f"共 {len(rows)} 条用印记录")

    def _export(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "导出用印登记簿",
                                              f"用印登记-{dt.date.today():%Y%m%d}.csv",
                                              "CSV 文件 (*.csv)")
        if not name:
            return
        rows = self.model.rows()
        path = Path(name)
        self.page.act(lambda: self.service.export_register(rows, path), f"已导出到 {path.name}",
                      reload=False)

    def set_compact(self, compact: bool) -> None:
        # phone width: time and title only (the seal filter above names the seal)
        for col in (1, 3, 4, 5, 6, 7, 8):
            self.table.setColumnHidden(col, compact)
        self.dash.setVisible(not compact)
        self.since.setVisible(not compact)
        self.until.setVisible(not compact)
        # a hidden tab does not recompute its layout by itself: its stale minimum width
        # would keep the whole tab widget wide at phone width
        self.filters_box.updateGeometry()
        for layout in (self.filters_box.layout(), self._filters_row, self.layout()):
            layout.invalidate()
        self.updateGeometry()


class DropArea(QFrame):
    """A frame that accepts a dropped PDF file."""

    dropped = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.setAcceptDrops(True)
        self.setProperty("card", True)
        self.setMinimumHeight(120)
        lay = QVBoxLayout(self)
        self.label = text_label("将 PDF 文件拖放到这里，或点击下方按钮选择文件", "muted", wrap=True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.label)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        urls = event.mimeData().urls()
        if urls and urls[0].isLocalFile():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        urls = event.mimeData().urls()
        if urls and urls[0].isLocalFile():
            self.dropped.emit(urls[0].toLocalFile())
            event.acceptProposedAction()


class VerifyPanel(_Panel):
    def __init__(self, page: SealsPage) -> None:
        super().__init__(page)
        self.model = SignatureTableModel(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.drop = DropArea()
        self.drop.dropped.connect(lambda p: self.verify(Path(p)))
        layout.addWidget(self.drop)
        row = QHBoxLayout()
        choose = primary_button("选择 PDF 文件…")
        choose.clicked.connect(self._choose)
        row.addWidget(choose)
        row.addStretch(1)
        layout.addLayout(row)
        self.summary = text_label("", "notice", wrap=True)
        self.summary.hide()
        layout.addWidget(self.summary)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        self.report: dict[str, Any] | None = None

    def _choose(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "选择要验证的文件", "", "PDF 文件 (*.pdf)")
        if name:
            self.verify(Path(name))

    def verify(self, path: Path) -> None:
        service = self.service
        self.summary.setText(f"正在验证 {path.name}…")
        self.summary.show()

        def work() -> dict[str, Any]:
            return service.verify(path).to_dict()

        def show(report: dict[str, Any]) -> None:
            self.show_report(path.name, report)

        def failed(exc: BaseException) -> None:
            self.summary.setText(_message(exc))

        run_in_background(work, show, failed, owner=self)

    def show_report(self, name: str, report: dict[str, Any]) -> None:
        self.report = report
        sigs = report.get("signatures") or []
        self.model.set_rows(sigs)
        if not sigs:
            text = f"{name}：文件中没有电子签章。"
        elif report.get("ok"):
            text = f"{name}：{len(sigs)} 个签章全部有效，签章后文件未被改动。"
        else:
            bad = sum(1 for s in sigs if not s.get("ok"))
            extra = "；".join(report.get("messages") or [])
            text = f"{name}：{bad} 个签章无效或文件在签章后被改动。{extra}"
        self.summary.setText(text)
        self.summary.setProperty("role", "notice" if report.get("ok") else "error")
        self.summary.style().unpolish(self.summary)
        self.summary.style().polish(self.summary)
        self.summary.show()

    def set_compact(self, compact: bool) -> None:
        for col in (2, 3, 4):
            self.table.setColumnHidden(col, compact)


# --------------------------------------------------------------------------- page


class SealsPage(QWidget):
    """印章 — use requests, seals, register, verification."""

    navigation_changed = Signal()

    def __init__(self, context: Any, service: SealService | None = None) -> None:
        super().__init__()
        self.setObjectName("Page")
        self.context = context
        engine = getattr(context, "engine", None)
        if service is None and engine is not None:
            service = SealService(engine, cache=getattr(context, "cache", None),
                                  principal=getattr(context, "principal", None))
        self.service = service
        self.flags: dict[str, dict[str, bool]] = {}
        self.can_sign = False
        self._task: Task | None = None
        self._compact = False
        self._pending_ref: str | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        head = QHBoxLayout()
        self.title = text_label("印章", "title")
        self.title.setObjectName("PageTitle")
        head.addWidget(self.title)
        head.addStretch(1)
        self.toast = text_label("", "notice", wrap=True)
        self.toast.hide()
        head.addWidget(self.toast)
        layout.addLayout(head)
        self.error = text_label("", "error", wrap=True)
        self.error.hide()
        layout.addWidget(self.error)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.requests = RequestsPanel(self)
        self.seals = SealsPanel(self)
        self.register = RegisterPanel(self)
        self.verify = VerifyPanel(self)
        # 印章管理: added once the first load shows the user administers seals
        self.admin: AdminPanel | None = None
        self.tabs.addTab(self.requests, "用印申请")
        self.tabs.addTab(self.seals, "印章")
        self.tabs.addTab(self.register, "用印登记")
        self.tabs.addTab(self.verify, "验证")
        for panel in (self.requests, self.seals):
            panel.navigation_changed.connect(self.navigation_changed)
        self.tabs.currentChanged.connect(lambda _i: self.navigation_changed.emit())
        layout.addWidget(self.tabs, 1)
        bus = getattr(context, "bus", None)
        if bus is not None:
            bus.changed.connect(self._on_changes)
        self.reload()

    # -- shell hooks -----------------------------------------------------------------
    def set_compact(self, compact: bool) -> None:
        self._compact = compact
        for panel in self._panels():
            panel.set_compact(compact)
        self.tabs.tabBar().setExpanding(compact)

    def _panels(self) -> list[Any]:
        panels: list[Any] = [self.requests, self.seals, self.register, self.verify]
        return [*panels, self.admin] if self.admin is not None else panels

    def lang(self) -> str:
        return str(getattr(self.context, "lang", "zh_CN"))

    def _current_split(self) -> AdaptiveSplit | None:
        panel = self.tabs.currentWidget()
        return getattr(panel, "split", None)

    def can_go_back(self) -> bool:
        split = self._current_split()
        return bool(split and split.can_go_back())

    def go_back(self) -> None:
        split = self._current_split()
        if split is not None:
            split.go_back()

    def open_ref(self, ref_id: str) -> None:
        """Show one use request (from a workbench to-do)."""
        self.tabs.setCurrentWidget(self.requests)
        if not self.requests.select(ref_id):
            self._pending_ref = ref_id
            self.requests.filter.setCurrentIndex(len(REQUEST_FILTERS) - 1)

    # -- background work -------------------------------------------------------------
    def run(self, fn: Any, done: Any = None) -> Task:
        return run_in_background(fn, done, self._failed, owner=self)

    def run_quiet(self, fn: Any, done: Any, failed: Any) -> Task:
        """Background work whose failure the caller shows itself."""
        return run_in_background(fn, done, failed, owner=self)

    def _failed(self, exc: BaseException) -> None:
        self.error.setText(_message(exc, self.lang()))
        self.error.show()

    def show_error(self, exc: BaseException) -> None:
        """Show an expected error (or \"internal error\") in the page's error line."""
        self._failed(exc)

    def act(self, fn: Any, done_text: str, *, reload: bool = True, after: Any = None) -> None:
        """Run an action in the background; say ``done_text`` or the refusal;
        ``after(result)`` runs on the GUI thread when it succeeded."""
        self.error.hide()

        def done(result: Any) -> None:
            self.toast.setText(done_text)
            self.toast.show()
            if after is not None:
                after(result)
            if reload:
                self.reload()

        self.run(fn, done)

    def _on_changes(self, changes: Any) -> None:
        if touches(changes, *ENTITIES):
            self.reload()

    def reload(self) -> None:
        """Load everything the screen shows in one background read."""
        if self.service is None:
            return
        if self._task is not None:
            self._task.cancel()
        service = self.service
        which = self.requests.which()
        filters = self.register.filters()

        def work() -> dict[str, Any]:
            reqs = service.requests(which)
            flags = {}
            for r in reqs:
                flags[r["id"]] = {
                    "decide": r.get("state") == "pending" and service.may_decide(r),
                    "stamp": service.may_stamp(r),
                    "cancel": r.get("requester") == service.me
                    and r.get("state") in ("pending", "approved"),
                }
            has_key = service.has_personal_key()
            cert = service.personal_certificate()
            with contextlib.suppress(OSError):
                service.install_trust_root()
            admin = service.shows_admin()
            return {"requests": reqs, "flags": flags, "seals": service.seals(),
                    "register": service.register(**filters), "has_key": has_key,
                    "cert": cert, "admin": admin,
                    "bodies": service.directory_bodies() if admin else [],
                    "people": service.directory_people() if admin else []}

        self._task = run_in_background(work, self._loaded, self._failed, owner=self)

    def _loaded(self, data: dict[str, Any]) -> None:
        self.flags = data["flags"]
        self.can_sign = bool(data["has_key"] and data["cert"])
        self.requests.set_rows(data["requests"])
        self.seals.set_rows(data["seals"])
        self.seals.set_key_state(data["has_key"], data["cert"])
        self.register.set_seals(data["seals"])
        self.register.set_rows(data["register"])
        if data.get("admin"):
            if self.admin is None:
                self.admin = AdminPanel(self)
                self.admin.navigation_changed.connect(self.navigation_changed)
                self.admin.set_compact(self._compact)
                self.tabs.addTab(self.admin, self.tr("Administration"))
            self.admin.set_rows(data["seals"])
            self.admin.set_directory(data["bodies"], data["people"])
        ref = self._pending_ref
        if ref and self.requests.select(ref):
            self._pending_ref = None


def make_page(context: Any) -> QWidget:
    """Navigation factory for key ``seals`` (cheap; data loads in the background)."""
    return SealsPage(context)


register_page("seals", "印章", "seals", make_page)
