"""The 督办 page's lifecycle parts: the unit a 催办 names and its 催办单 PDF, files
attached to a 反馈 (attached offline, opened offline once fetched), and the outgoing
报告 / 情况通报 started from a closed item.

GUI thread for the widgets; :func:`write_urge_slip`, :func:`attach_files` and
:func:`open_attachment` are blocking (background work only, ``office_app.kit.PageWork``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from modules.calendar.service import CalendarService
from modules.supervision import lifecycle, units, urge_pdf
from modules.supervision import rules as R
from modules.supervision.service import SupervisionService
from office_app.widgets import error_label

if TYPE_CHECKING:
    from office_app.context import AppContext



def service_for(context: AppContext) -> SupervisionService:
    blobs = getattr(context.session, "blobs", None) or getattr(context.engine, "blobs", None)
    return SupervisionService(context.cache, context.engine, context.principal,  # type: ignore[arg-type]
                              blobs)


def closed_words(item: Mapping[str, Any], lang: str) -> str:
    """A closed item's state, with its 销号 or the reason it was stopped (中止):
    "已办结 · 已销号（王秘书，2026-12-01 10:00）", "已中止：上级政策调整"."""
    en = lang == "en"
    words = R.state_words(str(item.get("state") or ""), lang)
    struck = item.get("struck_off") or {}
    if struck:
        who = f"{struck.get('by_name') or ''}, {_local(struck.get('at'))}" if en else \
            f"{struck.get('by_name') or ''}，{_local(struck.get('at'))}"
        words += (f" · struck off ({who})" if en else f" · 已销号（{who}）")
    stop = item.get("termination") or {}
    if item.get("state") == R.TERMINATED and stop.get("reason"):
        words += (": " if en else "：") + str(stop["reason"])
    return words


def _local(stamp: object) -> str:
    if not stamp:
        return ""
    when = dt.datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
    return when.astimezone(R.CHINA).strftime("%Y-%m-%d %H:%M")


# --------------------------------------------------------------------------- 催办


def unit_choice(item: Mapping[str, Any]) -> QComboBox:
    """The unit a 催办 is for: the lead unit first, the co-units, the open sub-tasks' units."""
    combo = QComboBox()
    combo.setObjectName("UrgeUnit")
    for unit in lifecycle.urgeable_units(item):
        combo.addItem(units.unit_name(item, unit), unit)
    return combo


def extend_step(step: QDialog, action: str, item: Mapping[str, Any]) -> None:
    """The page's step dialog, completed: a 催办 names its unit (``step.unit``), a 反馈
    takes files (``step.attach``)."""
    layout = step.layout()
    assert isinstance(layout, QVBoxLayout)
    if action == "urge":
        form = QFormLayout()
        step.unit = unit_choice(item)  # type: ignore[attr-defined]
        form.addRow(QCoreApplication.translate("Supervision", "Unit"), step.unit)  # type: ignore[attr-defined]
        layout.insertLayout(0, form)
    elif action == "report":
        step.attach = AttachRow(step)  # type: ignore[attr-defined]
        layout.insertWidget(1, step.attach)  # type: ignore[attr-defined]


def lifecycle_step(page: Any, action: str, row: Any, path: str = "") -> None:
    """The page's lifecycle steps: save the latest 催办单 (asks where unless ``path``),
    the 反馈 attachments, the report draft. The dialog opened is ``page.dialog``."""
    item, context = row.item, page.context
    if action == "urge_pdf":
        if not path:
            dialog = ask_urge_slip_path(page, item)
            def chosen(picked: str) -> None:
                if picked:
                    lifecycle_step(page, action, row, picked)

            dialog.fileSelected.connect(chosen)
            page.dialog = dialog
            dialog.open()
            return
        target = Path(path)
        page.work.run(lambda: write_urge_slip(context, item, target),
                      lambda written: page.status.setText(
                          QCoreApplication.translate("Supervision", "Urge slip saved: {path}").format(path=str(written))))
        return
    if action == "attachments":
        shown = AttachmentsDialog(item, page)
        svc = service_for(context)

        def opened(found: Path | None) -> None:
            if found is None:
                shown.state.setText(QCoreApplication.translate("Supervision", "Downloading — it opens here once it has arrived."))
                return
            shown.state.setText(str(found))
            page.opener(QUrl.fromLocalFile(str(found)))

        def fetch() -> None:
            sha, name = shown.picked(), shown.picked_name()
            if sha:
                page.work.run(lambda: open_attachment(svc, sha, name), opened)

        shown.open_.clicked.connect(fetch)
        page.dialog = shown
        shown.open()
        return
    if action == "draft_report":
        ask = ReportDialog(page)
        ask.accepted.connect(lambda: context.submit(
            "supervision.draft_report", ask.args(row.id, f"d-{uuid.uuid4().hex[:12]}"),
            lambda _m: page.status.setText(QCoreApplication.translate("Supervision", "Sent.")), page.work.fail))
        page.dialog = ask
        ask.open()


def submit_report(page: Any, args: dict[str, Any], files: list[Path]) -> None:
    """Submit a 反馈; its files are first copied into the blob store in the background
    (their uploads go before the 反馈 that names them)."""
    def send(attached: list[dict[str, Any]]) -> None:
        page.context.submit("supervision.report", {**args, "attachments": attached},
                            lambda _m: page.status.setText(QCoreApplication.translate("Supervision", "Sent.")), page.work.fail)

    if not files:
        send([])
        return
    svc = service_for(page.context)
    page.work.run(lambda: attach_files(svc, files), send)


def write_urge_slip(context: AppContext, item: Mapping[str, Any], path: Path) -> Path:
    """Blocking: the item's latest 催办单 with the device's calendar, written to ``path``."""
    urge = urge_pdf.find_urge(item)
    if urge is None:
        raise ValueError("no urge")
    table = CalendarService(context.cache).table() if context.cache is not None else None
    path.write_bytes(urge_pdf.render_urge(item, urge, table))
    return path


def ask_urge_slip_path(parent: QWidget, item: Mapping[str, Any]) -> QFileDialog:
    """The save dialog of the latest 催办单 (opened by the caller)."""
    urge = urge_pdf.find_urge(item) or {}
    dialog = QFileDialog(parent, QCoreApplication.translate("Supervision", "Save the urge slip"),
                         f"催办单-{item.get('number') or item['id']}-{urge.get('n') or 1}.pdf",
                         QCoreApplication.translate("Supervision", "PDF files (*.pdf)"))
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setDefaultSuffix("pdf")
    return dialog


# --------------------------------------------------------------------------- 反馈 attachments


class AttachRow(QWidget):
    """"Attach files…" and the names picked, for the 反馈 dialog; ``files`` the paths."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.files: list[Path] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.button = QPushButton(QCoreApplication.translate("Supervision", "Attach files…"))
        self.button.setObjectName("AttachFiles")
        self.button.clicked.connect(self._pick)
        self.names = QLabel()
        self.names.setWordWrap(True)
        layout.addWidget(self.button)
        layout.addWidget(self.names)
        self.dialog: QFileDialog | None = None

    def _pick(self) -> None:
        dialog = QFileDialog(self, QCoreApplication.translate("Supervision", "Attach files"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.filesSelected.connect(lambda picked: self.add([Path(p) for p in picked]))
        self.dialog = dialog
        dialog.open()

    def add(self, paths: list[Path]) -> None:
        self.files = list(dict.fromkeys([*self.files, *paths]))[:20]
        self.names.setText("\n".join(p.name for p in self.files))


def attach_files(svc: SupervisionService, paths: list[Path]) -> list[dict[str, Any]]:
    """Blocking: each file copied into the blob store (uploads queued)."""
    return [svc.attach(p) for p in paths]


def attachments_of(item: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every 反馈 attachment of the item, newest report first, with who sent it."""
    out: list[dict[str, Any]] = []
    for report in reversed(list(item.get("reports") or ())):
        for att in report.get("attachments") or ():
            out.append({**att, "by_name": report.get("by_name") or "",
                        "unit": units.unit_name(item, str(report.get("unit_id") or ""))})
    return out


def open_attachment(svc: SupervisionService, sha256: str, name: str = "") -> Path | None:
    """Blocking: a file of the attachment for the system viewer (a plaintext copy the
    session removes when it closes), or None after queueing its download."""
    return svc.attachment(sha256, name)


class AttachmentsDialog(QDialog):
    """The 反馈 attachments of an item; ``open_requested(sha)`` when one is picked."""

    def __init__(self, item: Mapping[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(QCoreApplication.translate("Supervision", "Attachments"))
        self.setObjectName("AttachmentsDialog")
        layout = QVBoxLayout(self)
        self.list = QListWidget()
        self.list.setObjectName("ReportAttachments")
        for att in attachments_of(item):
            row = QListWidgetItem(f"{att['name']}\n{att['unit']} · {att['by_name']}")
            row.setData(256, att["sha256"])
            row.setData(257, att.get("name") or "")
            self.list.addItem(row)
        layout.addWidget(self.list)
        self.state = QLabel()
        self.state.setWordWrap(True)
        layout.addWidget(self.state)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.open_ = buttons.addButton(QCoreApplication.translate("Supervision", "Open"), QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def picked(self) -> str:
        if self.list.count() == 0:
            return ""
        row = self.list.item(max(self.list.currentRow(), 0))
        return str(row.data(256))

    def picked_name(self) -> str:
        if self.list.count() == 0:
            return ""
        return str(self.list.item(max(self.list.currentRow(), 0)).data(257) or "")


# --------------------------------------------------------------------------- the report


class ReportDialog(QDialog):
    """报告 or 情况通报 from a closed item, with an optional closing paragraph."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(QCoreApplication.translate("Supervision", "Draft a report"))
        self.setObjectName("DraftReportDialog")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.kind = QComboBox()
        self.kind.addItem(QCoreApplication.translate("Supervision", "Report (报告)"), "report")
        self.kind.addItem(QCoreApplication.translate("Supervision", "Bulletin (情况通报)"), "bulletin")
        form.addRow(QCoreApplication.translate("Supervision", "Kind"), self.kind)
        self.note = QPlainTextEdit()
        self.note.setMaximumHeight(90)
        form.addRow(QCoreApplication.translate("Supervision", "Closing paragraph"), self.note)
        layout.addLayout(form)
        self.error = error_label()
        layout.addWidget(self.error)
        hint = QLabel(QCoreApplication.translate("Supervision", "A draft in Documents, prefilled with the item's history."))
        hint.setWordWrap(True)
        layout.addWidget(hint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def args(self, item_id: str, document_id: str) -> dict[str, Any]:
        return {"item_id": item_id, "document_id": document_id,
                "kind": str(self.kind.currentData()), "note": self.note.toPlainText().strip()}
