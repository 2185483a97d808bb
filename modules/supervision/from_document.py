"""转督办 from a document (GUI thread): a leader's 批示 on a document becomes a 督办 item.

The documents page offers the command "To supervision" on a document that carries a
批示 when the user is 督查室 staff of its organ (:func:`may_turn_into_item`, the same
rule the server applies to ``supervision.from_instruction``). :class:`InstructionDialog`
is prefilled — title from the document, content from the instruction — and asks for the
lead unit, co-units, the deadline and the grade; the page submits its :meth:`args`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from modules.common.access import profile_facts
from modules.common.china_time import china_today
from modules.supervision import policy
from modules.supervision import sources as S
from office_app.widgets import error_label, set_touch, text_label

BODY = "directory.body"


def may_turn_into_item(principal: Mapping[str, Any], doc: Mapping[str, Any]) -> bool:
    """Whether to offer 转督办: the document has a 批示 and the user is 督查室 staff (a
    secretary or admin) of its organ. Pure (the profile's posts; no cache read)."""
    if not doc or not S.instructions(doc):
        return False
    return policy.is_staff(profile_facts(principal), str(doc.get("body_id") or ""))


def bodies_of(records: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(id, name) of cached ``directory.body`` records, by name."""
    return sorted(((str(b["id"]), str(b.get("name") or b["id"])) for b in records),
                  key=lambda b: b[1])


class InstructionDialog(QDialog):
    """The 督办 item to make of the document's latest 批示, prefilled."""

    def __init__(self, doc: Mapping[str, Any], bodies: list[tuple[str, str]], *,
                 compact: bool = False, parent: QWidget | None = None, **_: Any) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("To supervision"))
        self.doc = dict(doc)
        self.opinion = S.instruction_of(doc)
        layout = QVBoxLayout(self)
        person = self.opinion.get("person") or {}
        said = self.tr("Instruction by %1: %2").replace("%1", str(person.get("name") or ""))
        layout.addWidget(text_label(said.replace("%2", str(self.opinion.get("text") or "")),
                                    "muted", wrap=True))
        form = QFormLayout()
        self.title = QLineEdit(str(doc.get("title") or "")[:200])
        self.title.setMaxLength(200)
        form.addRow(self.tr("Title"), self.title)
        self.content = QPlainTextEdit(S.instruction_content(doc, self.opinion))
        self.content.setMinimumHeight(90)
        form.addRow(self.tr("What is asked"), self.content)
        self.lead = QComboBox()
        for body_id, name in bodies:
            self.lead.addItem(name, body_id)
        form.addRow(self.tr("Lead unit"), self.lead)
        self.co = QListWidget()
        self.co.setMaximumHeight(110)
        for body_id, name in bodies:
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, body_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.co.addItem(item)
        form.addRow(self.tr("Co-units"), self.co)
        self.grade = QComboBox()
        for key, label in (("normal", self.tr("Normal")), ("important", self.tr("Important")),
                           ("urgent", self.tr("Urgent"))):
            self.grade.addItem(label, key)
        form.addRow(self.tr("Grade"), self.grade)
        self.by_days = QRadioButton(self.tr("Working days"))
        self.by_date = QRadioButton(self.tr("By date"))
        group = QButtonGroup(self)
        group.addButton(self.by_days)
        group.addButton(self.by_date)
        self.by_days.setChecked(True)
        self.days = QSpinBox()
        self.days.setRange(1, 365)
        self.days.setValue(10)
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        later = china_today() + dt.timedelta(days=30)
        self.date.setDate(QDate(later.year, later.month, later.day))
        row = QHBoxLayout()
        for w in (self.by_days, self.days, self.by_date, self.date):
            row.addWidget(w)
        row.addStretch(1)
        form.addRow(self.tr("Deadline"), row)
        layout.addLayout(form)
        self.error = error_label()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        if compact:
            set_touch(True, self.title, self.lead, self.grade, self.days, self.date,
                      *self.buttons.buttons())
            self.resize(360, self.sizeHint().height())

    def args(self) -> dict[str, Any]:
        """``supervision.from_instruction`` arguments."""
        lead = str(self.lead.currentData() or "")
        co = [str(self.co.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(self.co.count())
              if self.co.item(i).checkState() == Qt.CheckState.Checked]
        out: dict[str, Any] = {
            "document_id": str(self.doc["id"]), "opinion_id": str(self.opinion.get("id") or ""),
            "title": self.title.text().strip(), "content": self.content.toPlainText().strip(),
            "grade": str(self.grade.currentData()), "lead_unit_id": lead,
            "co_unit_ids": [c for c in co if c != lead]}
        if self.by_date.isChecked():
            out["due"] = self.date.date().toString("yyyy-MM-dd")
        else:
            out["deadline_days"] = self.days.value()
        return out

    def _accept(self) -> None:
        if not self.lead.currentData():
            self.error.setText(self.tr("Choose the lead unit."))
            self.error.show()
            return
        self.accept()
