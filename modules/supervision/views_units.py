"""The 督办 page's per-unit parts: each unit's 签收 and the sub-tasks (分解) in the item's
details, the split and sub-task report dialogs, and exporting the 督查通知单 PDF.

GUI thread for the widgets; :func:`split_choices` and :func:`write_notice` are blocking
(background work only, ``office_app.kit.PageWork``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from modules.calendar.service import CalendarService
from modules.common.access import ActorFacts
from modules.directory.service import DirectoryQueries  # its cache projection, registered at import
from modules.supervision import notice_pdf, policy, subtasks, units
from office_app.widgets import error_label

if TYPE_CHECKING:
    from office_app.context import AppContext



def unit_lines(acks: list[units.UnitAck], subs: list[subtasks.SubtaskRow],
               item: Mapping[str, Any], lang: str) -> str:
    """The details' block: 签收 per unit, then the sub-tasks with the parent's summary."""
    colon = ": " if lang == "en" else "："
    lines = [QCoreApplication.translate("Supervision", "Acknowledged by each unit") + colon]
    lines += ["  " + a.words(lang) for a in acks]
    if subs:
        zh, en = subtasks.summary(item)
        lines.append((en if lang == "en" else zh) or (QCoreApplication.translate("Supervision", "Sub-tasks") + colon))
        lines += ["  " + s.words(lang) for s in subs]
    return "\n".join(lines)


def split_choices(context: AppContext, item: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Blocking: (id, name) of the units that may take a sub-task — the lead unit's
    divisions from the local directory, then the co-units."""
    lead = str(item.get("lead_unit_id") or "")
    found: list[tuple[str, str]] = []
    if context.cache is not None:
        found = [(str(b["id"]), str(b["name"]))
                 for b in DirectoryQueries(context.cache).children(lead)]
    found += list(zip([str(c) for c in item.get("co_unit_ids") or ()],
                      [str(n) for n in item.get("co_unit_names") or ()], strict=False))
    return list(dict.fromkeys(found))


def write_notice(context: AppContext, item: Mapping[str, Any], path: Path) -> Path:
    """Blocking: render the item's 督查通知单 with the device's calendar and write it."""
    table = CalendarService(context.cache).table() if context.cache is not None else None
    path.write_bytes(notice_pdf.render_notice(item, table))
    return path


def mine_to_report(me: ActorFacts, item: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The open sub-tasks ``me`` may report on."""
    return [s for s in subtasks.open_subtasks(item)
            if policy.handles_subtask(me, str(s.get("unit_id") or ""))]


class SplitDialog(QDialog):
    """分解: a title, the unit (a division or co-unit), a deadline no later than the item's."""

    def __init__(self, choices: list[tuple[str, str]], parent_due: dt.date | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Split off a sub-task"))
        self.setObjectName("SplitDialog")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.title = QLineEdit()
        self.title.setMaxLength(200)
        form.addRow(self.tr("Sub-task"), self.title)
        self.unit = QComboBox()
        for unit_id, name in choices:
            self.unit.addItem(name, unit_id)
        form.addRow(self.tr("Unit"), self.unit)
        self.due = QDateEdit()
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("yyyy-MM-dd")
        if parent_due is not None:
            day = QDate(parent_due.year, parent_due.month, parent_due.day)
            self.due.setDate(day)
            self.due.setMaximumDate(day)
        form.addRow(self.tr("Deadline"), self.due)
        self.content = QPlainTextEdit()
        self.content.setMaximumHeight(90)
        form.addRow(self.tr("What is asked"), self.content)
        layout.addLayout(form)
        self.error = error_label()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _accept(self) -> None:
        if not self.title.text().strip() or self.unit.currentData() is None:
            self.error.setText(self.tr("Give the sub-task a title and a unit."))
            self.error.show()
            return
        self.accept()

    def args(self, item_id: str, subtask_id: str) -> dict[str, Any]:
        return {"item_id": item_id, "subtask_id": subtask_id, "title": self.title.text().strip(),
                "unit_id": str(self.unit.currentData()), "content": self.content.toPlainText().strip(),
                "due": self.due.date().toString("yyyy-MM-dd")}


class SubtaskDialog(QDialog):
    """A sub-task's report (text, progress, finished) or, with ``withdraw``, the reason
    the lead unit withdraws it."""

    def __init__(self, subs: list[dict[str, Any]], *, withdraw: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.withdraw = withdraw
        self.setWindowTitle(self.tr("Withdraw a sub-task") if withdraw
                            else self.tr("Report on a sub-task"))
        self.setObjectName("SubtaskDialog")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.subtask = QComboBox()
        for sub in subs:
            self.subtask.addItem(f"{sub.get('title')} — {sub.get('unit_name')}", sub["id"])
        form.addRow(self.tr("Sub-task"), self.subtask)
        self.text = QPlainTextEdit()
        self.text.setMaximumHeight(110)
        form.addRow(self.tr("Reason") if withdraw else self.tr("Progress so far"), self.text)
        self.progress = QComboBox()
        for p in (None, 10, 20, 30, 40, 50, 60, 70, 80, 90):
            self.progress.addItem("—" if p is None else f"{p}%", p)
        self.done_box = QCheckBox(self.tr("Finished"))
        if not withdraw:
            form.addRow(self.tr("Progress"), self.progress)
            form.addRow("", self.done_box)
        layout.addLayout(form)
        self.error = error_label()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _accept(self) -> None:
        if not self.text.toPlainText().strip():
            self.error.setText(self.tr("Please write a few words."))
            self.error.show()
            return
        self.accept()

    def args(self, item_id: str) -> dict[str, Any]:
        text = self.text.toPlainText().strip()
        base = {"item_id": item_id, "subtask_id": str(self.subtask.currentData())}
        if self.withdraw:
            return {**base, "reason": " ".join(text.split())}
        return {**base, "text": text, "progress": self.progress.currentData(),
                "finished": self.done_box.isChecked()}
