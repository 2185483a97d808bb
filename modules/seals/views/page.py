"""The 印章 screen: use requests (用印申请), seals, the register (用印登记) and
verification (验证), each a list with a detail (list → detail at phone width).

Every read and every action goes through :class:`~modules.seals.service.SealService`
in the background (the page's :class:`~office_app.kit.PageWork`); the page reloads the
parts of itself that read what a ``ChangeBus.changed`` says changed (:data:`PART_READS`),
and a filter or the register's search reloads only its own tab. The package registers it as navigation
key ``seals``.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QSize, Qt, Signal
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
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from modules.common.china_time import china_today
from modules.seals.service import ENTRY, PERSON_CERT, REQUEST, SEAL, TRUST_ROOT, SealService
from modules.seals.views.admin import AdminPanel
from modules.seals.views.ink import InkPad, InkView
from modules.seals.views.models import (
    RegisterTableModel,
    RequestListModel,
    SealListModel,
    SignatureTableModel,
    last_day,
    request_state_label,
    seal_state_label,
    seal_type_label,
    short_time,
)
from modules.seals.views.panel import Panel, seal_list
from office_app.bus import touches
from office_app.kit import DebouncedSearch, PageWork, error_text
from office_app.widgets import (
    AdaptiveSplit,
    EmptyState,
    card,
    primary_button,
    text_label,
    today_qdate,
)

REQUEST_FILTERS: list[str] = ["to_decide", "to_stamp", "mine", "all"]

#: The parts of the screen the page loads, and the cache entities each one reads: a
#: change loads only the parts that read what it changed. ``requests`` reads the seals
#: too (who may decide or stamp), ``seals`` feeds the seals tab, the register's seal
#: filter and the administration tab (with the directory), ``key`` the personal
#: certificate, ``trust`` installs the trust roots for ``main.py verify``.
PART_READS: dict[str, tuple[str, ...]] = {
    "requests": (REQUEST, SEAL),
    "seals": (SEAL,),
    "register": (ENTRY,),
    "key": (PERSON_CERT,),
    "trust": (TRUST_ROOT,),
}


def request_filter_label(key: str) -> str:
    """The shown name of a request filter, in the interface language."""
    labels = {
        "to_decide": QCoreApplication.translate("SealsPage", "To decide"),
        "to_stamp": QCoreApplication.translate("SealsPage", "To stamp"),
        "mine": QCoreApplication.translate("SealsPage", "My requests"),
        "all": QCoreApplication.translate("SealsPage", "All"),
    }
    return labels.get(key, key)


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
        self.setWindowTitle(self.tr("Request to use a seal — {name}").format(
            name=seal.get("name", "")))
        self.path: Path | None = None
        form = QFormLayout(self)
        self.file_button = QPushButton(self.tr("Choose a PDF file…"))
        self.file_button.clicked.connect(self._choose)
        self.title = QLineEdit()
        self.title.setPlaceholderText(self.tr("Document title"))
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText(self.tr("Reason for the seal, e.g. a request sent to a higher body"))
        self.reason.setFixedHeight(80)
        self.copies = QSpinBox()
        self.copies.setRange(1, 500)
        form.addRow(self.tr("File"), self.file_button)
        form.addRow(self.tr("Title"), self.title)
        form.addRow(self.tr("Reason"), self.reason)
        form.addRow(self.tr("Copies"), self.copies)
        row = QHBoxLayout()
        row.addStretch(1)
        cancel = QPushButton(self.tr("Cancel"))
        cancel.clicked.connect(self.reject)
        self.ok = primary_button(self.tr("Submit request"))
        self.ok.clicked.connect(self._accept)
        row.addWidget(cancel)
        row.addWidget(self.ok)
        form.addRow(row)

    def _choose(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("Choose the file to seal"), "",
                                              self.tr("PDF files (*.pdf)"))
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
        self.setWindowTitle(self.tr("Approve the request"))
        layout = QVBoxLayout(self)
        layout.addWidget(text_label(
            self.tr("{title} ({seal})").format(
                title=request.get("document_title") or request.get("reason", ""),
                seal=request.get("seal_name", "")),
            "heading", wrap=True))
        self.opinion = QLineEdit(self.tr("Agreed"))
        layout.addWidget(text_label(self.tr("Opinion"), "muted"))
        layout.addWidget(self.opinion)
        self.sign = QCheckBox(self.tr("Sign by hand (signed with your personal certificate)"))
        self.sign.setChecked(can_sign)
        self.sign.setEnabled(can_sign)
        if not can_sign:
            self.sign.setToolTip(self.tr(
                "This device has no personal signing certificate yet: enrol one on the "
                "Seals tab to sign by hand."))
        layout.addWidget(self.sign)
        self.pad = InkPad()
        self.pad.setVisible(can_sign)
        self.sign.toggled.connect(self.pad.setVisible)
        layout.addWidget(self.pad, 1)
        tools = QHBoxLayout()
        undo = QPushButton(self.tr("Undo stroke"))
        undo.clicked.connect(self.pad.undo)
        clear = QPushButton(self.tr("Clear"))
        clear.clicked.connect(self.pad.clear)
        tools.addWidget(undo)
        tools.addWidget(clear)
        tools.addStretch(1)
        cancel = QPushButton(self.tr("Cancel"))
        cancel.clicked.connect(self.reject)
        ok = primary_button(self.tr("Approve"))
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


class RequestsPanel(Panel):
    model: RequestListModel

    def __init__(self, page: SealsPage) -> None:
        super().__init__(page)
        self.model = RequestListModel(self)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        self.filter = QComboBox()
        for key in REQUEST_FILTERS:
            self.filter.addItem(request_filter_label(key), key)
        self.filter.currentIndexChanged.connect(lambda _i: self.page.reload("requests"))
        ll.addWidget(self.filter)
        self.list = seal_list(self.model, self.show_request)
        ll.addWidget(self.list, 1)
        self.empty = EmptyState("seals", self.tr("No use requests"))
        ll.addWidget(self.empty, 1)

        self.detail = QWidget()
        dl = QVBoxLayout(self.detail)
        dl.setContentsMargins(16, 8, 16, 8)
        self.heading = text_label(self.tr("Choose a request to see it"), "heading", wrap=True)
        dl.addWidget(self.heading)
        self.fields = _Fields()
        dl.addWidget(self.fields)
        self.ink_label = text_label(self.tr("Signed by hand (with a personal certificate)"), "muted")
        self.ink = InkView()
        dl.addWidget(self.ink_label)
        dl.addWidget(self.ink)
        self.status = text_label("", "notice", wrap=True)
        self.status.hide()
        dl.addWidget(self.status)
        actions = QHBoxLayout()
        self.approve_button = primary_button(self.tr("Approve…"))
        self.refuse_button = QPushButton(self.tr("Refuse…"))
        self.cancel_button = QPushButton(self.tr("Withdraw"))
        self.stamp_button = primary_button(self.tr("Stamp…"))
        self.open_button = QPushButton(self.tr("View file"))
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
        self.set_split(left, self.detail)

    def which(self) -> str:
        return str(self.filter.currentData() or "all")

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        shown = self.current is not None
        row = self.refill(rows)
        if row >= 0:
            self.list.setCurrentIndex(self.model.index(row))
            self.show_request(self.model.rows()[row], forward=False)
        elif shown:
            self.current = None
            self.show_request(None, forward=False)

    def select(self, request_id: str) -> bool:
        row = self.model.row_of(request_id)
        if row < 0:
            return False
        self.list.setCurrentIndex(self.model.index(row))
        self.show_request(self.model.rows()[row])
        return True

    def show_request(self, r: dict[str, Any] | None, *, forward: bool = True) -> None:
        self.current = r
        buttons = (self.approve_button, self.refuse_button, self.cancel_button,
                   self.stamp_button, self.open_button)
        if r is None:
            self.heading.setText(self.tr("Choose a request to see it"))
            self.fields.set_rows([])
            self.ink.hide()
            self.ink_label.hide()
            for b in buttons:
                b.hide()
            return
        self.heading.setText(r.get("document_title") or r.get("reason", ""))
        rows = [
            (self.tr("Seal"), r.get("seal_name", "")), (self.tr("Reason"), r.get("reason", "")),
            (self.tr("Copies"), self.tr("{copies} ({used} used)").format(
                copies=r.get("copies", 0), used=r.get("used", 0))),
            (self.tr("Requester"), r.get("requester_name", "")),
            (self.tr("Requested"), short_time(r.get("created_at"))),
            (self.tr("State"), request_state_label(r.get("state", ""))),
        ]
        if r.get("decided_by_name"):
            rows.append((self.tr("Decided by"),
                         f"{r['decided_by_name']}  {short_time(r.get('decided_at'))}"))
        if r.get("decision_note"):
            rows.append((self.tr("Opinion"), r["decision_note"]))
        rows.append((self.tr("File digest"), (r.get("current_sha256") or "")[:16] + "…"))
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
        self.page.act(lambda: self.svc.approve(rid, note, strokes), self.tr("Approved"))

    def _refuse(self) -> None:
        r = self.current
        if r is None:
            return
        reason, ok = QInputDialog.getText(self, self.tr("Refuse the request"),
                                          self.tr("Reason for refusing:"))
        if ok:
            rid = r["id"]
            self.page.act(lambda: self.svc.refuse(rid, reason.strip()), self.tr("Refused"))

    def _cancel(self) -> None:
        r = self.current
        if r is not None:
            rid = r["id"]
            self.page.act(lambda: self.svc.cancel(rid), self.tr("Withdrawn"))

    def _open_file(self) -> None:
        r = self.current
        if r is None:
            return
        sha = str(r.get("current_sha256") or r.get("pdf_sha256") or "")
        service = self.svc

        def work() -> bytes:
            return service.read_file(sha)

        def show(data: bytes) -> None:
            from modules.seals.views.stamp import PdfPagesView

            dlg = QDialog(self)
            dlg.setWindowTitle(r.get("document_title") or self.tr("File"))
            dlg.resize(820, 900)
            lay = QVBoxLayout(dlg)
            view = PdfPagesView()
            view.set_pdf(data)
            lay.addWidget(view)
            dlg.exec()

        self.page.work.run(work, show)

    def _stamp(self) -> None:
        r = self.current
        if r is None:
            return
        service = self.svc

        def load() -> tuple[bytes, bytes, tuple[float, float]]:
            seal = service.seal(r["seal_id"]) or {}
            pdf = service.read_file(r.get("current_sha256") or r["pdf_sha256"])
            png = service.read_file(seal["image_sha256"]) if seal.get("image_sha256") else b""
            return pdf, png, (float(seal.get("image_width_mm", 42)),
                              float(seal.get("image_height_mm", 42)))

        def open_dialog(loaded: tuple[bytes, bytes, tuple[float, float]]) -> None:
            from modules.seals.views.stamp import StampDialog

            pdf, png, size = loaded
            rid = r["id"]
            dialog = StampDialog(
                r, pdf, png, size,
                stamp=lambda placement, riding, qr: service.stamp(
                    rid, placement=placement, riding_seal=riding, qr=qr),
                read=lambda outcome: outcome.pdf if outcome.pdf is not None
                else service.read_file(outcome.stamped_sha256),
                parent=self)
            dialog.exec()
            self.page.reload()

        self.page.work.run(load, open_dialog)

    def set_compact(self, compact: bool) -> None:
        self.split.set_compact(compact)
        self.fields.set_compact(compact)


class SealsPanel(Panel):
    def __init__(self, page: SealsPage) -> None:
        super().__init__(page)
        self.model = SealListModel(page.service.me if page.service else "", self)
        self.list = seal_list(self.model, self.show_seal)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.list, 1)
        self.empty = EmptyState("seals", self.tr("You have no seals to see"))
        ll.addWidget(self.empty, 1)
        self.key_card = card()
        kl = QVBoxLayout(self.key_card)
        self.key_label = text_label("", "small", wrap=True)
        self.enrol_button = QPushButton(self.tr("Enrol a personal signing certificate"))
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
        self.heading = text_label(self.tr("Choose a seal to see it"), "heading", wrap=True)
        top.addWidget(self.heading, 1)
        dl.addLayout(top)
        self.fields = _Fields()
        dl.addWidget(self.fields)
        actions = QHBoxLayout()
        self.request_button = primary_button(self.tr("Request use…"))
        self.request_button.clicked.connect(self._request)
        self.suspend_button = QPushButton(self.tr("Suspend"))
        self.suspend_button.clicked.connect(lambda: self._state("suspend", self.tr("Suspended")))
        self.resume_button = QPushButton(self.tr("Reactivate"))
        self.resume_button.clicked.connect(
            lambda: self._state("reactivate", self.tr("Reactivated")))
        for b in (self.request_button, self.suspend_button, self.resume_button):
            actions.addWidget(b)
            b.hide()
        actions.addStretch(1)
        dl.addLayout(actions)
        dl.addStretch(1)
        self.set_split(left, self.detail)
        self._pictures: dict[str, QPixmap] = {}

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        row = self.refill(rows)
        if row >= 0:
            self.show_seal(self.model.rows()[row], forward=False)

    def set_key_state(self, has_key: bool, cert: dict[str, Any] | None) -> None:
        if cert and has_key:
            self.key_label.setText(self.tr(
                "Personal signing certificate enrolled (serial {serial}); you can sign "
                "approvals by hand.").format(serial=cert.get("serial", "")[:12]))
            self.enrol_button.setText(self.tr("Enrol again"))
        elif has_key:
            self.key_label.setText(self.tr(
                "Personal signing key made; waiting for the server to issue the certificate "
                "(usable after the next sync)."))
            self.enrol_button.setText(self.tr("Enrol again"))
        else:
            self.key_label.setText(self.tr(
                "No personal signing certificate yet. Once enrolled you can sign approvals by "
                "hand, offline too."))
            self.enrol_button.setText(self.tr("Enrol a personal signing certificate"))

    def show_seal(self, seal: dict[str, Any] | None, *, forward: bool = True) -> None:
        self.current = seal
        if seal is None:
            return
        self.heading.setText(seal.get("name", ""))
        names = seal.get("names") or {}

        def people(key: str) -> str:
            sep = self.tr(", ")
            return sep.join(names.get(p, p) for p in seal.get(key) or ()) or "—"

        self.fields.set_rows([
            (self.tr("Type"), seal_type_label(seal.get("type", ""), seal.get("type_label", ""))),
            (self.tr("Owning body"), seal.get("body_name", "")),
            (self.tr("State"), seal_state_label(seal.get("state", ""))),
            (self.tr("Custodians"), people("custodians")),
            (self.tr("Approvers"), people("approvers")),
            (self.tr("Allowed requesters"), people("requesters")),
            (self.tr("Valid"), self.tr("{start} to {end}").format(
                start=short_time(seal.get("valid_from"))[:10],
                end=last_day(seal.get("valid_to")))),
            (self.tr("Certificate serial"), (seal.get("cert_serial") or "")[:20]),
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
        service = self.svc

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

        self.page.work.run(work, show, lambda _e: self.picture.clear())

    def _request(self) -> None:
        seal = self.current
        if seal is None:
            return
        dialog = RequestDialog(seal, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        values = dialog.values()
        sid = seal["id"]
        self.page.act(lambda: self.svc.request_use(seal_id=sid, **values),
                      self.tr("Request submitted"))

    def _state(self, action: str, done: str) -> None:
        if self.current is not None:
            sid = self.current["id"]
            self.page.act(lambda: self.svc.set_seal_state(sid, action), done)

    def _enrol(self) -> None:
        self.page.act(self.svc.enrol_personal_key,
                      self.tr("Personal signing key made; the certificate is issued on the next sync"))

    def set_compact(self, compact: bool) -> None:
        self.split.set_compact(compact)
        self.fields.set_compact(compact)


class RegisterPanel(Panel):
    def __init__(self, page: SealsPage) -> None:
        super().__init__(page)
        self.model = RegisterTableModel(self, page.lang())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        filters = QHBoxLayout()
        self.seal = QComboBox()
        self.seal.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.seal.setMinimumContentsLength(8)
        self.seal.addItem(self.tr("All seals"), "")
        self.since = QDateEdit()
        self.until = QDateEdit()
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.since.setDate(today_qdate().addYears(-1))
        self.until.setDate(today_qdate())
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search title, reason, requester"))
        self.search.setClearButtonEnabled(True)
        self.export_button = QPushButton(self.tr("Export CSV…"))
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
            signal.connect(lambda *_a: self.page.reload("register"))
        # typing re-reads the register only, once typing pauses
        self.typed = DebouncedSearch(self.search)
        self.typed.query.connect(lambda _t: self.page.reload("register"))

    def filters(self) -> dict[str, Any]:
        return {"seal_id": str(self.seal.currentData() or ""),
                "since": self.since.date().toPython(), "until": self.until.date().toPython(),
                "text": self.search.text()}

    def set_seals(self, seals: list[dict[str, Any]]) -> None:
        current = self.seal.currentData()
        self.seal.blockSignals(True)
        self.seal.clear()
        self.seal.addItem(self.tr("All seals"), "")
        for s in seals:
            self.seal.addItem(s.get("name", ""), s.get("id"))
        i = self.seal.findData(current)
        self.seal.setCurrentIndex(max(0, i))
        self.seal.blockSignals(False)

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.model.set_rows(rows)
        self.count.setText(self.tr("{n} register entries").format(n=len(rows)))

    def _export(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export the seal register"),
            self.tr("seal-register-{day}.csv").format(day=f"{china_today():%Y%m%d}"),
            self.tr("CSV files (*.csv)"))
        if not name:
            return
        rows = self.model.rows()
        path = Path(name)
        self.page.act(lambda: self.svc.export_register(rows, path),
                      self.tr("Exported to {name}").format(name=path.name),
                      reload=False)

    def set_compact(self, compact: bool) -> None:
        # phone width: time, title and result (the seal filter above names the seal)
        for col in (1, 3, 4, 5, 6, 7, 9):
            self.table.setColumnHidden(col, compact)
        self.dash.setVisible(not compact)
        self.since.setVisible(not compact)
        self.until.setVisible(not compact)
        # a hidden tab does not recompute its layout by itself: its stale minimum width
        # would keep the whole tab widget wide at phone width
        self.filters_box.updateGeometry()
        for layout in (self.filters_box.layout(), self._filters_row, self.layout()):
            if layout is not None:
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
        self.label = text_label(self.tr("Drop a PDF file here, or choose one with the button below"),
                                "muted", wrap=True)
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


class VerifyPanel(Panel):
    def __init__(self, page: SealsPage) -> None:
        super().__init__(page)
        self.model = SignatureTableModel(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.drop = DropArea()
        self.drop.dropped.connect(lambda p: self.verify(Path(p)))
        layout.addWidget(self.drop)
        row = QHBoxLayout()
        choose = primary_button(self.tr("Choose a PDF file…"))
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
        name, _ = QFileDialog.getOpenFileName(self, self.tr("Choose the file to verify"), "",
                                              self.tr("PDF files (*.pdf)"))
        if name:
            self.verify(Path(name))

    def verify(self, path: Path) -> None:
        service = self.service
        self.summary.setText(self.tr("Verifying {name}…").format(name=path.name))
        self.summary.show()

        def work() -> dict[str, Any]:
            if service is None:
                raise RuntimeError("the seals page has no service")
            report: dict[str, Any] = service.verify(path).to_dict()
            return report

        def show(report: dict[str, Any]) -> None:
            self.show_report(path.name, report)

        def failed(exc: BaseException) -> None:
            self.summary.setText(error_text(exc, self.page.lang()))

        self.page.work.run(work, show, failed)

    def show_report(self, name: str, report: dict[str, Any]) -> None:
        self.report = report
        sigs = report.get("signatures") or []
        self.model.set_rows(sigs)
        if not sigs:
            text = self.tr("{name}: the file has no electronic seal.").format(name=name)
        elif report.get("ok"):
            text = self.tr("{name}: all {n} seals are valid; the file was not changed after "
                           "sealing.").format(name=name, n=len(sigs))
        else:
            bad = sum(1 for s in sigs if not s.get("ok"))
            extra = self.tr("; ").join(report.get("messages") or [])
            text = self.tr("{name}: {bad} seal(s) invalid or the file changed after sealing. "
                           "{extra}").format(name=name, bad=bad, extra=extra)
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
        #: the parts the load in flight reads (read again with the next one if it is
        #: superseded before it lands)
        self._loading: set[str] = set()
        self._compact = False
        self._pending_ref: str | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        head = QHBoxLayout()
        self.title = text_label(self.tr("Seals"), "title")
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
        self.work = PageWork(self, self._report)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.requests = RequestsPanel(self)
        self.seals = SealsPanel(self)
        self.register = RegisterPanel(self)
        self.verify = VerifyPanel(self)
        # 印章管理: added once the first load shows the user administers seals
        self.admin: AdminPanel | None = None
        self.tabs.addTab(self.requests, self.tr("Use requests"))
        self.tabs.addTab(self.seals, self.tr("Seals"))
        self.tabs.addTab(self.register, self.tr("Register"))
        self.tabs.addTab(self.verify, self.tr("Verify"))
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
    def _report(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def show_error(self, exc: BaseException) -> None:
        """Show an expected error (or \"internal error\") in the page's error line."""
        self._report(error_text(exc, self.lang()))

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

        self.work.run(fn, done, self.show_error)

    def _on_changes(self, changes: Any) -> None:
        parts = [part for part, entities in PART_READS.items() if touches(changes, *entities)]
        if parts:
            self.reload(*parts)

    def reload(self, *parts: str) -> None:
        """Load the ``parts`` of the screen (:data:`PART_READS`; all when none are named)
        in one background read. A load still in flight is superseded: its parts are
        read again with these."""
        if self.service is None:
            return
        wanted = set(parts or PART_READS) | self._loading
        self._loading = wanted
        service = self.service
        which = self.requests.which()
        filters = self.register.filters()

        def work() -> dict[str, Any]:
            out: dict[str, Any] = {}
            if "requests" in wanted:
                reqs = service.requests(which)
                out["requests"] = reqs
                out["flags"] = {r["id"]: {
                    "decide": r.get("state") == "pending" and service.may_decide(r),
                    "stamp": service.may_stamp(r),
                    "cancel": r.get("requester") == service.me
                    and r.get("state") in ("pending", "approved"),
                } for r in reqs}
            if "seals" in wanted:
                admin = service.shows_admin()
                out |= {"seals": service.seals(), "admin": admin,
                        "bodies": service.directory_bodies() if admin else [],
                        "people": service.directory_people() if admin else []}
            if "register" in wanted:
                out["register"] = service.register(**filters)
            if "key" in wanted:
                out["key"] = (service.has_personal_key(), service.personal_certificate())
            if "trust" in wanted:
                with contextlib.suppress(OSError):
                    service.install_trust_root()
            return out

        self.work.run(work, self._loaded, self._load_failed, latest="load")

    def _load_failed(self, exc: BaseException) -> None:
        self._loading = set()
        self.show_error(exc)

    def _loaded(self, data: dict[str, Any]) -> None:
        self._loading = set()
        if "flags" in data:
            self.flags = data["flags"]
        if "key" in data:
            has_key, cert = data["key"]
            self.can_sign = bool(has_key and cert)
            self.seals.set_key_state(has_key, cert)
        if "requests" in data:
            self.requests.set_rows(data["requests"])
        if "seals" in data:
            self.seals.set_rows(data["seals"])
            self.register.set_seals(data["seals"])
        if "register" in data:
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
