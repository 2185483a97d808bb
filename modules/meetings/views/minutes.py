"""会议纪要 and 议定事项 of one meeting (GUI thread): the "Minutes" dialog an organiser
opens from the meeting's detail (``OrganiserActions``).

It shows whether the minutes document has been started (and its state in the documents
workflow when the device has it), with a button to start it; the decisions with their
lead unit, co-units, deadline and — once sent — the 督办 item's number and state (live
when the device has the item); buttons to add, edit, remove and send a decision to
supervision (the last for the 督查室 staff of the host organ). Every action is an online
intent (``modules.meetings.minutes``) sent through ``context.submit``; the dialog
refreshes itself from the change bus. Cache reads run in the background
(``PageWork``). Phone width: touch-sized buttons and a narrower dialog.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from modules.common.access import profile_facts
from modules.common.china_time import china_today
from modules.meetings import intents as I
from modules.meetings import meeting as M
from modules.meetings import minutes as MIN
from modules.supervision import policy as supervision_policy
from office_app import i18n
from office_app.bus import touches
from office_app.kit import PageWork, RowListModel, list_view
from office_app.widgets import error_label, primary_button, set_touch, text_label

if TYPE_CHECKING:
    from office_app.context import AppContext

BODY, DOCUMENT, ITEM = "directory.body", "documents.document", "supervision.item"


@dataclass
class MinutesState:
    """One background read for the dialog."""

    meeting: dict[str, Any] | None = None
    document: dict[str, Any] | None = None
    items: dict[str, dict[str, Any]] = field(default_factory=dict)
    bodies: list[tuple[str, str]] = field(default_factory=list)
    may_send: bool = False


def read_minutes(context: AppContext, meeting_id: str) -> MinutesState:
    """Blocking (background only): the meeting, its minutes document and the items of
    its sent decisions as the cache has them, the bodies to choose units from, and
    whether the user is the 督查室 of the host organ."""
    meeting = context.get_entity(I.MEETING, meeting_id)
    if meeting is None:
        return MinutesState()
    doc_id = str(meeting.get("minutes_document_id") or "")
    items = {}
    for d in meeting.get("decisions") or ():
        item_id = str((d.get("supervision") or {}).get("item_id") or "")
        found = context.get_entity(ITEM, item_id) if item_id else None
        if found is not None:
            items[item_id] = found
    bodies = sorted(((str(b["id"]), str(b.get("name") or b["id"]))
                     for b in context.list_entities(BODY)), key=lambda b: b[1])
    facts = profile_facts(context.principal, lambda body_id: context.get_entity(BODY, body_id))
    return MinutesState(meeting, context.get_entity(DOCUMENT, doc_id) if doc_id else None, items,
                        bodies, supervision_policy.is_staff(facts, str(meeting.get("host_organ_id") or "")))


def deadline_text(decision: Mapping[str, Any]) -> str:
    """The deadline in the interface language."""
    if i18n.current_lang() != "en":
        return MIN.deadline_words(decision)
    if decision.get("due"):
        return f"by {decision['due']}"
    if decision.get("deadline_days"):
        return f"within {decision['deadline_days']} working days"
    return ""


@dataclass(frozen=True)
class DecisionRow:
    """A decision as the list shows it, with its 督办 item when the device has it."""

    n: int
    decision: dict[str, Any]
    item: dict[str, Any] | None = None

    @property
    def id(self) -> str:
        return str(self.decision["id"])

    @property
    def sent(self) -> dict[str, Any]:
        return dict(self.decision.get("supervision") or {})

    def item_words(self) -> str:
        """``督字〔2026〕3号 已交办`` (the live item's state when cached, else as sent)."""
        if not self.sent:
            return ""
        live = self.item or {}
        number = str(live.get("number") or self.sent.get("number") or "")
        state = str(live.get("state_words") or self.sent.get("state_words") or "")
        return f"{number} {state}".strip()

    def text(self) -> str:
        d = self.decision
        co = "、".join(str(c.get("name") or "") for c in d.get("co_units") or ())
        units = str(d.get("lead_unit_name") or "") + (f" + {co}" if co else "")
        parts = [units, deadline_text(d)]
        if self.sent:
            parts.append("→ " + self.item_words())
        return f"{self.n}. {d.get('what') or ''}\n" + " · ".join(p for p in parts if p)


class DecisionListModel(RowListModel[DecisionRow]):
    def value(self, row: DecisionRow, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return row.text()
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(row.decision.get("what") or "")
        return super().value(row, role)


def decision_rows(state: MinutesState) -> list[DecisionRow]:
    decisions = list((state.meeting or {}).get("decisions") or ())
    return [DecisionRow(n, dict(d), state.items.get(str((d.get("supervision") or {}).get("item_id") or "")))
            for n, d in enumerate(decisions, start=1)]


class DecisionDialog(QDialog):
    """Add or edit one decision: what, lead unit, co-units, a date or N working days."""

    def __init__(self, bodies: list[tuple[str, str]], decision: Mapping[str, Any] | None = None,
                 *, compact: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Edit decision") if decision else self.tr("Add decision"))
        self.decision = dict(decision or {})
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.what = QPlainTextEdit(str(self.decision.get("what") or ""))
        self.what.setPlaceholderText(self.tr("What was decided"))
        self.what.setMinimumHeight(80)
        form.addRow(self.tr("Decision"), self.what)
        self.lead = QComboBox()
        for body_id, name in bodies:
            self.lead.addItem(name, body_id)
        found = self.lead.findData(self.decision.get("lead_unit_id"))
        if found >= 0:
            self.lead.setCurrentIndex(found)
        form.addRow(self.tr("Lead unit"), self.lead)
        self.co = QListWidget()
        self.co.setMaximumHeight(120)
        chosen = {str(c.get("id")) for c in self.decision.get("co_units") or ()}
        for body_id, name in bodies:
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, body_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if body_id in chosen else Qt.CheckState.Unchecked)
            self.co.addItem(item)
        form.addRow(self.tr("Co-units"), self.co)
        self.by_days = QRadioButton(self.tr("Working days"))
        self.by_date = QRadioButton(self.tr("By date"))
        group = QButtonGroup(self)
        group.addButton(self.by_days)
        group.addButton(self.by_date)
        self.days = QSpinBox()
        self.days.setRange(1, 365)
        self.days.setValue(int(self.decision.get("deadline_days") or 10))
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        due = self.decision.get("due")
        day = dt.date.fromisoformat(str(due)) if due else china_today() + dt.timedelta(days=30)
        self.date.setDate(QDate(day.year, day.month, day.day))
        (self.by_date if due else self.by_days).setChecked(True)
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
            set_touch(True, self.lead, self.days, self.date, *self.buttons.buttons())
            self.resize(360, self.sizeHint().height())

    def co_units(self) -> list[str]:
        lead = self.lead.currentData()
        out = []
        for i in range(self.co.count()):
            item = self.co.item(i)
            body_id = str(item.data(Qt.ItemDataRole.UserRole))
            if item.checkState() == Qt.CheckState.Checked and body_id != lead:
                out.append(body_id)
        return out

    def args(self, meeting_id: str) -> dict[str, Any]:
        """The intent's arguments (a new decision id when adding)."""
        decision_id = str(self.decision.get("id") or f"dc-{uuid.uuid4().hex[:20]}")
        out: dict[str, Any] = {"meeting_id": meeting_id, "decision_id": decision_id,
                               "what": self.what.toPlainText().strip(),
                               "lead_unit_id": str(self.lead.currentData() or ""),
                               "co_unit_ids": self.co_units()}
        if self.by_date.isChecked():
            out["due"] = self.date.date().toString("yyyy-MM-dd")
        else:
            out["deadline_days"] = self.days.value()
        return out

    def _accept(self) -> None:
        if not self.what.toPlainText().strip():
            self.error.setText(self.tr("Say what was decided."))
            self.error.show()
            return
        if not self.lead.currentData():
            self.error.setText(self.tr("Choose the lead unit."))
            self.error.show()
            return
        self.accept()


class MinutesDialog(QDialog):
    """The minutes and decisions of one meeting. ``loaded`` fires after each refresh."""

    loaded = Signal()

    def __init__(self, context: AppContext, meeting_id: str, *, compact: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("MinutesDialog")
        self.setWindowTitle(self.tr("Minutes and decisions"))
        self.context, self.meeting_id, self.compact = context, meeting_id, compact
        self.state = MinutesState()
        self.editor: DecisionDialog | None = None
        layout = QVBoxLayout(self)
        self.subject = text_label("", "heading", wrap=True)
        layout.addWidget(self.subject)
        self.minutes_line = text_label("", "muted", wrap=True)
        layout.addWidget(self.minutes_line)
        self.start = primary_button(self.tr("Start the minutes"))
        self.start.setObjectName("StartMinutes")
        self.start.clicked.connect(self.start_minutes)
        layout.addWidget(self.start, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(text_label(self.tr("Decisions"), "heading"))
        self.model = DecisionListModel(self)
        self.list = list_view(self.model, name="Decisions", on_pick=lambda _i: self._sync_buttons())
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.empty = text_label(self.tr("No decisions recorded yet."), "muted")
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        row = QHBoxLayout()
        self.add = QPushButton(self.tr("Add"))
        self.edit = QPushButton(self.tr("Edit"))
        self.remove = QPushButton(self.tr("Remove"))
        self.send = primary_button(self.tr("Send to supervision"))
        self.send.setObjectName("SendDecision")
        self.add.clicked.connect(lambda: self.open_editor(None))
        self.edit.clicked.connect(lambda: self.open_editor(self.current()))
        self.remove.clicked.connect(self.remove_current)
        self.send.clicked.connect(self.send_current)
        for b in (self.add, self.edit, self.remove):
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(self.send)
        layout.addLayout(row)
        self.message = text_label("", "muted", wrap=True)
        layout.addWidget(self.message)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.work = PageWork(self, self.message.setText)
        context.bus.changed.connect(self._on_changes)
        if compact:
            set_touch(True, self.start, self.add, self.edit, self.remove, self.send, *close.buttons())
            self.resize(370, 640)
        else:
            self.resize(640, 560)
        self.reload()

    # -- loading --------------------------------------------------------------------
    def reload(self) -> None:
        context, meeting_id = self.context, self.meeting_id
        self.work.run(lambda: read_minutes(context, meeting_id), self._apply, latest="load")

    def _on_changes(self, changes: Any) -> None:
        if touches(changes, I.MEETING, DOCUMENT, ITEM):
            self.reload()

    def _apply(self, state: MinutesState) -> None:
        self.state = state
        meeting = state.meeting or {}
        self.subject.setText(str(meeting.get("subject") or ""))
        doc_id = str(meeting.get("minutes_document_id") or "")
        if not doc_id:
            self.minutes_line.setText(self.tr("The minutes have not been started."))
        elif state.document is None:
            self.minutes_line.setText(self.tr("Minutes started; the document is on its way."))
        else:
            doc = state.document
            line = self.tr("Minutes: %1 — %2 (in Documents)")
            self.minutes_line.setText(line.replace("%1", str(doc.get("title") or ""))
                                      .replace("%2", str(doc.get("state_words") or "")))
        held = bool(meeting) and M.phase(meeting, dt.datetime.now(dt.UTC)) in (M.HELD, M.CLOSED)
        self.start.setVisible(held and not doc_id)
        rows = decision_rows(state)
        current = self.current()
        self.model.set_rows(rows)
        self.list.setVisible(bool(rows))
        self.empty.setVisible(not rows)
        index = self.model.row_of(current.id if current else "")
        if index < 0 and rows:
            index = 0
        if index >= 0:
            self.list.setCurrentIndex(self.model.index(index, 0))
        self.add.setEnabled(held)
        self._sync_buttons()
        self.loaded.emit()

    def current(self) -> DecisionRow | None:
        index = self.list.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _sync_buttons(self) -> None:
        row = self.current()
        open_ = row is not None and not row.sent
        self.edit.setEnabled(open_)
        self.remove.setEnabled(open_)
        issued = MIN.is_issued(self.state.document)
        self.send.setVisible(self.state.may_send)
        self.send.setEnabled(open_ and issued)
        self.send.setToolTip("" if issued else self.tr("The minutes must be issued first."))

    # -- actions --------------------------------------------------------------------
    def _submit(self, name: str, args: dict[str, Any], words: str) -> None:
        self.context.submit(name, args, lambda _m: self.message.setText(words), self.work.fail)

    def start_minutes(self) -> None:
        self._submit(I.START_MINUTES.name,
                     {"meeting_id": self.meeting_id, "document_id": f"d-{uuid.uuid4().hex[:20]}"},
                     self.tr("Starting the minutes: the draft appears in Documents."))

    def open_editor(self, row: DecisionRow | None) -> DecisionDialog:
        dialog = DecisionDialog(self.state.bodies, row.decision if row else None,
                                compact=self.compact, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        name = I.EDIT_DECISION.name if row else I.ADD_DECISION.name
        dialog.accepted.connect(lambda: self._submit(
            name, dialog.args(self.meeting_id),
            self.tr("Saving the decision: it shows when the server confirms it.")))
        self.editor = dialog
        dialog.open()
        return dialog

    def remove_current(self) -> None:
        row = self.current()
        if row is not None:
            self._submit(I.REMOVE_DECISION.name,
                         {"meeting_id": self.meeting_id, "decision_id": row.id},
                         self.tr("Removing the decision: it goes when the server confirms it."))

    def send_current(self) -> None:
        row = self.current()
        if row is not None:
            self._submit(I.SEND_DECISION.name,
                         {"meeting_id": self.meeting_id, "decision_id": row.id},
                         self.tr("Sending to supervision: its number shows when confirmed."))


def open_minutes_dialog(parent: QWidget, context: AppContext, meeting_id: str, *,
                        compact: bool = False) -> MinutesDialog:
    dialog = MinutesDialog(context, meeting_id, compact=compact, parent=parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog

