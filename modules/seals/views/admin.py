"""Seal administration (印章管理), a tab of the 印章 screen.

Admins create seals (type, owning body from the directory, custodians, approvers,
allowed requesters, validity, a generated picture previewed live or an uploaded PNG);
admins, custodians and approvers suspend / reactivate / revoke a seal. The tab is shown
to admins and seal custodians only (``SealService.shows_admin``); the server decides
again on every call.

Creating is the ``seals.create_seal`` intent, sent by ``SealService.create_seal`` (online
only: the seal's key is made on the server; an uploaded picture goes first as a blob);
state changes are the ``seals.set_seal_state`` intent, like the 印章 tab's buttons.
All work runs in the background through the page.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from modules.common.china_time import china_midnight
from modules.common.errors import DomainError, ValidationFailed
from modules.seals.views.models import (
    SealListModel,
    last_day,
    seal_state_label,
    short_time,
)
from modules.seals.views.panel import Panel, seal_list
from office_app.kit import error_text
from office_app.widgets import EmptyState, primary_button, set_touch, text_label, today_qdate

if TYPE_CHECKING:
    from modules.seals.views.page import SealsPage

TYPES = ("official", "department", "contract", "personal")
DIAMETERS = (42.0, 40.0, 38.0)


class PeoplePicker(QWidget):
    """A filterable, checkable list of people from the directory."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(self.tr("Filter by name"))
        self.filter.textChanged.connect(self._apply_filter)
        self.list = QListWidget()
        self.list.setMinimumHeight(110)
        self.list.setMaximumHeight(150)
        self.list.itemChanged.connect(lambda _i: self.changed.emit())
        layout.addWidget(self.filter)
        layout.addWidget(self.list)

    def set_people(self, people: list[dict[str, Any]]) -> None:
        keep = set(self.selected())
        self.list.blockSignals(True)
        self.list.clear()
        for p in people:
            item = QListWidgetItem(str(p.get("name") or p.get("id")))
            item.setData(Qt.ItemDataRole.UserRole, p.get("id"))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if p.get("id") in keep
                               else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.list.blockSignals(False)
        self._apply_filter(self.filter.text())

    def set_selected(self, ids: list[str]) -> None:
        wanted = set(ids)
        for i in range(self.list.count()):
            item = self.list.item(i)
            item.setCheckState(Qt.CheckState.Checked
                               if item.data(Qt.ItemDataRole.UserRole) in wanted
                               else Qt.CheckState.Unchecked)

    def selected(self) -> list[str]:
        return [str(self.list.item(i).data(Qt.ItemDataRole.UserRole))
                for i in range(self.list.count())
                if self.list.item(i).checkState() == Qt.CheckState.Checked]

    def _apply_filter(self, text: str) -> None:
        needle = text.strip().lower()
        for i in range(self.list.count()):
            item = self.list.item(i)
            item.setHidden(bool(needle) and needle not in item.text().lower())


class SealForm(QWidget):
    """The new-seal form (新建印章). ``values()`` raises ``ValidationFailed`` for gaps."""

    preview_wanted = Signal()
    #: the user chose a PNG file to upload (its path); the panel reads it in the background
    picture_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = text_label(self.tr("New seal"), "heading")
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("e.g. Office of the City Government seal"))
        self.type = QComboBox()
        labels = {"official": self.tr("Official seal"), "department": self.tr("Department seal"),
                  "contract": self.tr("Contract seal"), "personal": self.tr("Personal seal")}
        for key in TYPES:
            self.type.addItem(labels[key], key)
        self.body = QComboBox()
        self.custodians = PeoplePicker()
        self.approvers = PeoplePicker()
        self.requesters = PeoplePicker()
        today = today_qdate()
        self.valid_from = QDateEdit(today)
        self.valid_to = QDateEdit(today.addYears(3))
        for d in (self.valid_from, self.valid_to):
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy-MM-dd")
        self.text_below = QLineEdit()
        self.text_below.setPlaceholderText(self.tr("Optional, e.g. 合同专用章"))
        self.diameter = QComboBox()
        for mm in DIAMETERS:
            self.diameter.addItem(self.tr("%1 mm").replace("%1", f"{mm:g}"), mm)
        self.generated = QRadioButton(self.tr("Draw the picture"))
        self.uploaded = QRadioButton(self.tr("Upload a picture (PNG)"))
        self.generated.setChecked(True)
        self.choose = QPushButton(self.tr("Choose PNG…"))
        self.choose.clicked.connect(self._choose)
        self.width_mm = QDoubleSpinBox()
        self.height_mm = QDoubleSpinBox()
        for spin in (self.width_mm, self.height_mm):
            spin.setRange(10.0, 80.0)
            spin.setValue(42.0)
            spin.setSuffix(" mm")
        self.preview = QLabel()
        self.preview.setFixedSize(QSize(160, 160))
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setObjectName("SealPreview")
        self.preview_note = text_label("", "small", wrap=True)
        self.create_button = primary_button(self.tr("Create seal"))
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.picture_png: bytes | None = None
        self.picture_name = ""

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Type"), self.type)
        form.addRow(self.tr("Owning body"), self.body)
        form.addRow(self.tr("Custodians"), self.custodians)
        form.addRow(self.tr("Approvers"), self.approvers)
        form.addRow(self.tr("Allowed requesters"), self.requesters)
        form.addRow(self.tr("Valid from"), self.valid_from)
        form.addRow(self.tr("Valid until"), self.valid_to)
        form.addRow(self.tr("Text under the star"), self.text_below)
        form.addRow(self.tr("Diameter"), self.diameter)
        self.form = form
        picture = QVBoxLayout()
        picture.addWidget(self.generated)
        up = QHBoxLayout()
        up.addWidget(self.uploaded)
        up.addWidget(self.choose)
        up.addStretch(1)
        picture.addLayout(up)
        size = QHBoxLayout()
        size.addWidget(QLabel(self.tr("Width")))
        size.addWidget(self.width_mm)
        size.addWidget(QLabel(self.tr("Height")))
        size.addWidget(self.height_mm)
        size.addStretch(1)
        picture.addLayout(size)
        form.addRow(self.tr("Picture"), picture)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.create_button)
        layout = QVBoxLayout(self)
        # the picture first, so it is in sight while the fields change it
        top = QHBoxLayout()
        words = QVBoxLayout()
        words.addWidget(self.heading)
        words.addWidget(self.preview_note)
        words.addStretch(1)
        top.addLayout(words, 1)
        top.addWidget(self.preview)
        layout.addLayout(top)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addStretch(1)

        # a short delay so typing the name redraws the preview once, not per key
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(300)
        self._timer.timeout.connect(self.preview_wanted)
        for signal in (self.type.currentIndexChanged, self.body.currentIndexChanged,
                       self.diameter.currentIndexChanged, self.text_below.textChanged,
                       self.name.textChanged, self.generated.toggled):
            signal.connect(lambda *_a: self._timer.start())
        self.generated.toggled.connect(self._sync_picture_controls)
        self._sync_picture_controls()

    def set_directory(self, bodies: list[dict[str, Any]], people: list[dict[str, Any]]) -> None:
        keep = self.body.currentData()
        self.body.blockSignals(True)
        self.body.clear()
        for b in bodies:
            self.body.addItem(str(b.get("name", "")), b.get("id"))
        index = self.body.findData(keep) if keep else 0
        self.body.setCurrentIndex(max(index, 0))
        self.body.blockSignals(False)
        for picker in (self.custodians, self.approvers, self.requesters):
            picker.set_people(people)

    def body_name(self) -> str:
        return self.body.currentText()

    def _sync_picture_controls(self) -> None:
        drawn = self.generated.isChecked()
        self.choose.setEnabled(not drawn)
        self.width_mm.setEnabled(not drawn)
        self.height_mm.setEnabled(not drawn)
        self.text_below.setEnabled(drawn)
        self.diameter.setEnabled(drawn)

    def _choose(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Choose the seal picture"), "",
                                              self.tr("PNG pictures (*.png)"))
        if path:
            self.picture_chosen.emit(path)

    def load_picture(self, data: bytes, name: str = "") -> None:
        """Use an uploaded picture (shown in the preview as is)."""
        self.picture_png, self.picture_name = data, name
        self.uploaded.setChecked(True)
        self.show_preview(data, name)

    def show_preview(self, png: bytes | None, note: str = "") -> None:
        pix = QPixmap()
        if png and pix.loadFromData(png):
            self.preview.setPixmap(pix.scaled(
                self.preview.size(), Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation))
        else:
            self.preview.clear()
        self.preview_note.setText(note)

    def preview_args(self) -> dict[str, Any]:
        return {"type": self.type.currentData(), "name": self.name.text(),
                "body_name": self.body_name(), "text_below": self.text_below.text(),
                "diameter_mm": float(self.diameter.currentData())}

    def values(self) -> dict[str, Any]:
        name = self.name.text().strip()
        if len(name) < 2:
            raise ValidationFailed("request.invalid", detail=self.tr("Name"))
        if not self.body.currentData():
            raise ValidationFailed("request.invalid", detail=self.tr("Owning body"))
        if not self.custodians.selected():
            raise ValidationFailed("seal.custodian_required")
        if self.uploaded.isChecked() and not self.picture_png:
            raise ValidationFailed("seal.image_not_png")
        start, end = self.valid_from.date(), self.valid_to.date()
        out: dict[str, Any] = {
            "name": name, "type": self.type.currentData(), "body_id": self.body.currentData(),
            "custodians": self.custodians.selected(), "approvers": self.approvers.selected(),
            "requesters": self.requesters.selected(),
            # days in China time; the end is exclusive: valid through the last day shown
            "valid_from": china_midnight(dt.date(start.year(), start.month(), start.day())),
            "valid_to": china_midnight(dt.date(end.year(), end.month(), end.day())
                                       + dt.timedelta(days=1)),
            "text_below": self.text_below.text() if self.generated.isChecked() else "",
            "diameter_mm": float(self.diameter.currentData()),
        }
        if self.uploaded.isChecked():
            out["picture_png"] = self.picture_png
            out["picture_size_mm"] = (self.width_mm.value(), self.height_mm.value())
        return out

    def reset(self) -> None:
        self.name.clear()
        self.text_below.clear()
        self.generated.setChecked(True)
        self.picture_png = None
        for picker in (self.custodians, self.approvers, self.requesters):
            picker.set_selected([])

    def set_compact(self, compact: bool) -> None:
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows if compact
                                   else QFormLayout.RowWrapPolicy.DontWrapRows)
        set_touch(compact, self.name, self.type, self.body, self.valid_from, self.valid_to,
                  self.text_below, self.diameter, self.choose, self.create_button,
                  self.cancel_button)


class AdminPanel(Panel):
    """印章管理: the seals the user may administer, their state actions, and (admins)
    the new-seal form."""

    def __init__(self, page: SealsPage) -> None:
        super().__init__(page)
        self.is_admin = bool(self.service and self.service.is_seal_admin())
        self.model = SealListModel(self.service.me if self.service else "", self)
        self.list = seal_list(self.model, self.show_seal)
        self.new_button = primary_button(self.tr("New seal…"))
        self.new_button.clicked.connect(self.show_form)
        self.new_button.setVisible(self.is_admin)
        self.empty = EmptyState("seals", self.tr("No seals to manage"))
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        head.addWidget(text_label(self.tr("Seals you manage"), "heading"), 1)
        head.addWidget(self.new_button)
        ll.addLayout(head)
        ll.addWidget(self.list, 1)
        ll.addWidget(self.empty, 1)

        # detail: one seal's state and actions
        self.state_pane = QWidget()
        sl = QVBoxLayout(self.state_pane)
        sl.setContentsMargins(16, 8, 16, 8)
        self.heading = text_label(self.tr("Choose a seal"), "heading", wrap=True)
        self.facts = text_label("", None, wrap=True)
        self.suspend_button = QPushButton(self.tr("Suspend"))
        self.resume_button = QPushButton(self.tr("Reactivate"))
        self.revoke_button = QPushButton(self.tr("Revoke…"))
        self.revoke_button.setProperty("kind", "danger")
        self.suspend_button.clicked.connect(lambda: self._state("suspend"))
        self.resume_button.clicked.connect(lambda: self._state("reactivate"))
        self.revoke_button.clicked.connect(self._revoke)
        actions = QHBoxLayout()
        for b in (self.suspend_button, self.resume_button, self.revoke_button):
            actions.addWidget(b)
            b.hide()
        actions.addStretch(1)
        sl.addWidget(self.heading)
        sl.addWidget(self.facts)
        sl.addLayout(actions)
        sl.addStretch(1)

        self.form = SealForm()
        self.form.preview_wanted.connect(self.refresh_preview)
        self.form.picture_chosen.connect(self._read_picture)
        self.form.create_button.clicked.connect(self._create)
        self.form.cancel_button.clicked.connect(self._cancel_form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.form_scroll = scroll

        self.detail = QStackedWidget()
        self.detail.addWidget(self.state_pane)
        self.detail.addWidget(scroll)
        self.set_split(left, self.detail)
        self._loaded_directory = False

    # -- data ------------------------------------------------------------------------
    def set_rows(self, seals: list[dict[str, Any]]) -> None:
        service = self.service
        rows = [s for s in seals if service is not None and service.may_administer(s)]
        row = self.refill(rows)
        if row >= 0:
            self.show_seal(rows[row], forward=False)

    def set_directory(self, bodies: list[dict[str, Any]], people: list[dict[str, Any]]) -> None:
        self.form.set_directory(bodies, people)
        if not self._loaded_directory:
            self._loaded_directory = True
            self.refresh_preview()

    # -- detail ----------------------------------------------------------------------
    def show_seal(self, seal: dict[str, Any] | None, *, forward: bool = True) -> None:
        self.current = seal
        if seal is None:
            return
        self.detail.setCurrentWidget(self.state_pane)
        self.heading.setText(str(seal.get("name", "")))
        state = str(seal.get("state", ""))
        self.facts.setText(self.tr("%1 · %2 · valid %3 to %4")
                           .replace("%1", str(seal.get("body_name", "")))
                           .replace("%2", seal_state_label(state))
                           .replace("%3", short_time(seal.get("valid_from"))[:10])
                           .replace("%4", last_day(seal.get("valid_to"))))
        self.suspend_button.setVisible(state == "active")
        self.resume_button.setVisible(state == "suspended")
        self.revoke_button.setVisible(state in ("active", "suspended"))
        if forward:
            self.split.show_pane(1)

    def show_form(self) -> None:
        self.current = None
        self.list.clearSelection()
        self.detail.setCurrentWidget(self.form_scroll)
        self.split.show_pane(1)
        self.refresh_preview()

    def _cancel_form(self) -> None:
        self.form.reset()
        self.detail.setCurrentWidget(self.state_pane)
        self.split.show_pane(0)

    def refresh_preview(self) -> None:
        """Redraw the generated picture in the background (the server draws the same)."""
        if self.service is None:
            return
        if self.form.uploaded.isChecked():
            self.form.show_preview(self.form.picture_png, self.form.picture_name)
            return
        args = self.form.preview_args()
        if not args["body_name"]:
            self.form.show_preview(None, self.tr("Choose the owning body to see the picture."))
            return
        service = self.service

        def work() -> bytes:
            return service.preview_picture(**args)

        def failed(exc: BaseException) -> None:
            self.form.show_preview(None, error_text(exc, self.page.lang()))

        self.page.work.run(work, lambda png: self.form.show_preview(
            png, self.tr("Drawn from the body's name; the server draws the same picture.")),
            failed, latest="preview")

    def _read_picture(self, path: str) -> None:
        """Read the chosen PNG in the background, then use it as the picture."""
        name = Path(path).name

        def read() -> bytes:
            return Path(path).read_bytes()

        self.page.work.run(read, lambda data: self.form.load_picture(data, name),
                           self.page.show_error)

    # -- actions ---------------------------------------------------------------------
    def _create(self) -> None:
        try:
            values = self.form.values()
        except DomainError as exc:
            self.page.show_error(exc)
            return
        service = self.svc

        def done_create() -> Any:
            return service.create_seal(**values)

        def created(_seal: Any) -> None:
            self.form.reset()
            self.detail.setCurrentWidget(self.state_pane)
            self.split.show_pane(0)

        self.page.act(done_create, self.tr("Seal created"), after=created)

    def _state(self, action: str) -> None:
        if self.current is None:
            return
        sid = self.current["id"]
        done = {"suspend": self.tr("Seal suspended"), "reactivate": self.tr("Seal reactivated"),
                "revoke": self.tr("Seal revoked")}[action]
        self.page.act(lambda: self.svc.set_seal_state(sid, action), done)

    def _revoke(self) -> None:
        if self.current is None:
            return
        answer = QMessageBox.question(
            self, self.tr("Revoke the seal"),
            self.tr("Revoking is final: %1 can never be used again. Revoke it?")
            .replace("%1", str(self.current.get("name", ""))))
        if answer == QMessageBox.StandardButton.Yes:
            self._state("revoke")

    def set_compact(self, compact: bool) -> None:
        self.split.set_compact(compact)
        self.form.set_compact(compact)
        set_touch(compact, self.new_button, self.suspend_button, self.resume_button,
                  self.revoke_button)
