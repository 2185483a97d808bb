"""The agenda (议题) of one meeting, opened from 我的会议 ("Agenda"): the items in order
with their presenter, time slot, item attendees and materials; organisers add, edit,
remove and move items up or down and accept or decline proposed topics (申报议题); a
unit's clerk, leader or a person of the host body proposes a topic (offline too);
everyone who sees the meeting opens the materials (fetched once, then readable offline;
a progress bar shows the download). :func:`save_notice_pdf` writes the 会议通知 PDF
with its 回执表 (organisers, from the detail's "Notice PDF").

GUI thread; reads go through :class:`office_app.kit.PageWork`, writes through
``context.submit``. Phone width: one column, touch-sized buttons (:meth:`AgendaDialog.set_compact`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTime, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from modules.common.errors import DomainError
from modules.meetings import agenda as A
from modules.meetings import intents as I
from modules.meetings import meeting as M
from modules.meetings.agenda_service import AgendaService, new_item_id
from modules.meetings.rules import CHINA, parse_time, words
from office_app import i18n
from office_app.kit import PageWork, RowListModel, error_text, list_view
from office_app.widgets import error_label, primary_button, set_touch, text_label

if TYPE_CHECKING:
    from office_app.context import AppContext

PERSON = "directory.person"


def _words(pair: tuple[str, str]) -> str:
    return pair[1] if i18n.current_lang() == "en" else pair[0]



def blobs_of(context: AppContext) -> Any:
    """The session's blob store (None: no materials on this client)."""
    return getattr(context.session, "blobs", None) or getattr(context.engine, "blobs", None)


def service_for(context: AppContext) -> AgendaService:
    return AgendaService(context.cache, context.engine, context.principal,  # type: ignore[arg-type]
                         blobs_of(context))


# --------------------------------------------------------------------------- data (background)


@dataclass
class AgendaLoaded:
    meeting: dict[str, Any] = field(default_factory=dict)
    agenda: list[dict[str, Any]] = field(default_factory=list)
    topics: list[dict[str, Any]] = field(default_factory=list)
    organises: bool = False
    bodies: list[dict[str, str]] = field(default_factory=list)  # may propose for
    people: list[tuple[str, str]] = field(default_factory=list)  # (id, name) to choose from
    local: set[str] = field(default_factory=set)  # materials already on this device


def load_agenda(context: AppContext, meeting_id: str) -> AgendaLoaded:
    """Blocking (background only)."""
    if context.cache is None:
        return AgendaLoaded()
    svc = service_for(context)
    meeting = svc.meeting(meeting_id)
    if meeting is None:
        return AgendaLoaded()
    organises = svc.organises(meeting)
    agenda = A.items(meeting)
    people: dict[str, str] = {}
    for key in ("invitees", "observers", "staff"):
        people.update({p["id"]: p["name"] for p in meeting.get(key) or ()})
    for item in agenda:
        people.update({p["id"]: p["name"] for p in item.get("attendees") or ()})
        if item.get("presenter_id"):
            people[item["presenter_id"]] = str(item.get("presenter_name") or "")
    if organises:
        for person in context.cache.list(PERSON)[:500]:
            if person.get("name") and person.get("active", True):
                people.setdefault(str(person["id"]), str(person["name"]))
    local = set()
    blobs = svc.blobs
    if blobs is not None:
        for item in agenda:
            for m in item.get("materials") or ():
                if blobs.has(m["sha256"]):
                    local.add(m["sha256"])
    return AgendaLoaded(meeting, agenda, svc.topics(meeting_id), organises,
                        svc.proposer_bodies(meeting) if A.open_for_topics(
                            meeting, dt.datetime.now(dt.UTC)) else [],
                        sorted(people.items(), key=lambda p: p[1]), local)


def item_words(item: Mapping[str, Any]) -> str:
    """``1. 标题（09:00–09:40）`` / ``汇报人 · 列席 · 材料`` (two lines)."""
    slot = A.slot_of(item)
    when = f" ({words(slot[0], with_date=False)}–{words(slot[1], with_date=False)})" if slot else ""
    head = f"{item.get('order', '')}. {item.get('title', '')}{when}"
    bits = []
    if item.get("presenter_name"):
        bits.append(QCoreApplication.translate("Agenda", "Presenter: %1").replace("%1", str(item["presenter_name"])))
    if item.get("body_name"):
        bits.append(QCoreApplication.translate("Agenda", "Proposed by %1").replace("%1", str(item["body_name"])))
    if item.get("attendees"):
        bits.append(QCoreApplication.translate("Agenda", "Attending this item: %1").replace(
            "%1", "、".join(p["name"] for p in item["attendees"])))
    if item.get("materials"):
        bits.append(QCoreApplication.translate("Agenda", "%1 material(s)").replace("%1", str(len(item["materials"]))))
    return "\n".join(x for x in (head, " · ".join(bits)) if x)


class AgendaModel(RowListModel[dict[str, Any]]):
    def value(self, row: dict[str, Any], role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return item_words(row)
        return super().value(row, role)


class TopicModel(RowListModel[dict[str, Any]]):
    def value(self, row: dict[str, Any], role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            state = _words(A.TOPIC_WORDS.get(str(row.get("state")), ("", "")))
            head = f"{row.get('title', '')} · {row.get('body_name', '')} · {state}"
            extra = [str(row.get("by_name") or "")]
            if row.get("minutes"):
                extra.append(QCoreApplication.translate("Agenda", "%1 min").replace("%1", str(row["minutes"])))
            if row.get("reason"):
                extra.append(str(row["reason"]))
            return "\n".join((head, " · ".join(x for x in extra if x)))
        return super().value(row, role)


class BlobProgress(QObject):
    """Download progress of blobs, on the GUI thread: ``progress(sha256, bytes)``. Chains
    onto the blob store's ``on_progress`` while attached (the sync worker calls it)."""

    progress = Signal(str, int)

    def __init__(self, blobs: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.blobs = blobs
        self._previous: Callable[[str, int], None] | None = None
        self._mine: Callable[[str, int], None] | None = None
        if blobs is not None and hasattr(blobs, "on_progress"):
            previous = blobs.on_progress
            emit = self.progress.emit

            def report(sha: str, received: int) -> None:
                if previous is not None:
                    previous(sha, received)
                emit(sha, received)  # queued onto the GUI thread (the receiver lives there)

            self._previous, self._mine = previous, report
            blobs.on_progress = report

    def detach(self) -> None:
        if self.blobs is not None and self._mine is not None and self.blobs.on_progress is self._mine:
            self.blobs.on_progress = self._previous
        self._mine = None


# --------------------------------------------------------------------------- dialogs


def _local_time(when: str | None, fallback: dt.datetime) -> QTime:
    local = (parse_time(when) if when else fallback).astimezone(CHINA)
    return QTime(local.hour, local.minute)


class ItemEditor(QDialog):
    """Add or edit one agenda item: title, presenter, slot, item attendees, materials."""

    def __init__(self, owner: AgendaDialog, item: Mapping[str, Any] | None) -> None:
        super().__init__(owner)
        self.owner = owner
        self.item = dict(item or {})
        self.setWindowTitle(self.tr("Edit agenda item") if item else self.tr("New agenda item"))
        meeting = owner.data.meeting
        self.meeting_start = parse_time(meeting["start"])
        self.meeting_end = parse_time(meeting["end"])
        form = QFormLayout()
        if owner.compact:  # phone width: each label above its field
            form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.title = QLineEdit(str(self.item.get("title") or ""))
        self.title.setMaxLength(200)
        form.addRow(self.tr("Title"), self.title)
        self.presenter = QComboBox()
        self.presenter.addItem(self.tr("(none)"), "")
        for pid, name in owner.data.people:
            self.presenter.addItem(name, pid)
        self.presenter.setCurrentIndex(max(0, self.presenter.findData(self.item.get("presenter_id") or "")))
        form.addRow(self.tr("Presenter"), self.presenter)
        self.timed = QCheckBox(self.tr("Time slot"))
        self.timed.setChecked(bool(self.item.get("start")))
        self.start = QTimeEdit(_local_time(self.item.get("start"), self.meeting_start))
        self.end = QTimeEdit(_local_time(self.item.get("end"), min(
            self.meeting_end, self.meeting_start + dt.timedelta(minutes=30))))
        for edit in (self.start, self.end):
            edit.setDisplayFormat("HH:mm")
        slot = QHBoxLayout()
        for w in (self.timed, self.start, self.end):
            slot.addWidget(w)
        form.addRow(self.tr("When"), slot)
        self.attendees = QListWidget()
        self.attendees.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        self.attendees.setMaximumHeight(140)
        chosen = {p["id"] for p in self.item.get("attendees") or ()}
        for pid, name in owner.data.people:
            row = QListWidgetItem(name)
            row.setData(Qt.ItemDataRole.UserRole, pid)
            self.attendees.addItem(row)
            row.setSelected(pid in chosen)
        form.addRow(self.tr("Attending this item"), self.attendees)
        self.materials: list[dict[str, Any]] = [dict(m) for m in self.item.get("materials") or ()]
        self.material_list = QListWidget()
        self.material_list.setMaximumHeight(100)
        self.attach = QPushButton(self.tr("Attach file…"))
        self.drop = QPushButton(self.tr("Remove file"))
        self.attach.clicked.connect(self._attach)
        self.drop.clicked.connect(self._drop)
        files = QVBoxLayout()
        files.addWidget(self.material_list)
        files.addLayout(_row(self.attach, self.drop))
        form.addRow(self.tr("Materials"), files)
        self.error = error_label()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self._show_materials()
        set_touch(owner.compact, self.attach, self.drop)

    def _show_materials(self) -> None:
        self.material_list.clear()
        for m in self.materials:
            self.material_list.addItem(str(m["name"]))

    def _attach(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Attach file"))
        if path:
            self.attach_path(path)

    def attach_path(self, path: str) -> None:
        svc = self.owner.service

        def added(material: dict[str, Any]) -> None:
            self.materials.append(material)
            self._show_materials()

        self.owner.work.run(lambda: svc.attach(Path(path)), added,
                            lambda exc: self.error.setText(error_text(exc)))

    def _drop(self) -> None:
        row = self.material_list.currentRow()
        if 0 <= row < len(self.materials):
            self.materials.pop(row)
            self._show_materials()

    def _when(self, edit: QTimeEdit) -> dt.datetime:
        day = self.meeting_start.astimezone(CHINA).date()
        t = edit.time()
        return dt.datetime.combine(day, dt.time(t.hour(), t.minute()), CHINA)

    def args(self) -> dict[str, Any]:
        timed = self.timed.isChecked()
        return {
            "item_id": str(self.item.get("id") or new_item_id()),
            "title": self.title.text().strip(),
            "presenter_id": str(self.presenter.currentData() or ""),
            "start": self._when(self.start).isoformat() if timed else None,
            "end": self._when(self.end).isoformat() if timed else None,
            "attendees": [str(i.data(Qt.ItemDataRole.UserRole))
                          for i in self.attendees.selectedItems()],
            "materials": [{"sha256": m["sha256"], "name": m["name"], "size": int(m.get("size") or 0)}
                          for m in self.materials],
        }

    def save(self) -> None:
        args = self.args()
        if not args["title"]:
            self.error.setText(self.tr("Give the item a title."))
            return
        item = {**self.item, **args, "id": args["item_id"],
                "start": args["start"], "end": args["end"]}
        others = [i for i in self.owner.data.agenda if i["id"] != item["id"]]
        try:  # the rules, before queueing: a bad slot is refused here in words
            A.check_slot(self.owner.data.meeting, item, others)
        except DomainError as exc:
            self.error.setText(error_text(exc))
            return
        self.owner.send(I.SAVE_AGENDA_ITEM.name,
                        {"meeting_id": self.owner.meeting_id, **args},
                        self.tr("Saving the item: it shows when the server confirms it."))
        self.accept()


class ProposeDialog(QDialog):
    """申报议题: the unit, the title, the time asked for, a note and materials."""

    def __init__(self, owner: AgendaDialog) -> None:
        super().__init__(owner)
        self.owner = owner
        self.setWindowTitle(self.tr("Propose a topic"))
        form = QFormLayout()
        if owner.compact:
            form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.body = QComboBox()
        for b in owner.data.bodies:
            self.body.addItem(b["name"], b["id"])
        form.addRow(self.tr("Unit"), self.body)
        self.title = QLineEdit()
        self.title.setMaxLength(200)
        form.addRow(self.tr("Title"), self.title)
        self.minutes = QSpinBox()
        self.minutes.setRange(0, 600)
        self.minutes.setSuffix(self.tr(" min"))
        form.addRow(self.tr("Time asked for"), self.minutes)
        self.note = QPlainTextEdit()
        self.note.setMaximumHeight(90)
        form.addRow(self.tr("Note"), self.note)
        self.materials: list[dict[str, Any]] = []
        self.material_list = QListWidget()
        self.material_list.setMaximumHeight(80)
        self.attach = QPushButton(self.tr("Attach file…"))
        self.attach.clicked.connect(self._attach)
        files = QVBoxLayout()
        files.addWidget(self.material_list)
        files.addWidget(self.attach)
        form.addRow(self.tr("Materials"), files)
        self.error = error_label()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _attach(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Attach file"))
        if not path:
            return
        svc = self.owner.service

        def added(material: dict[str, Any]) -> None:
            self.materials.append(material)
            self.material_list.addItem(str(material["name"]))

        self.owner.work.run(lambda: svc.attach(Path(path)), added,
                            lambda exc: self.error.setText(error_text(exc)))

    def save(self) -> None:
        if not self.title.text().strip():
            self.error.setText(self.tr("Give the topic a title."))
            return
        from modules.meetings.agenda_service import new_topic_id

        self.owner.send(I.PROPOSE_TOPIC.name, {
            "topic_id": new_topic_id(), "meeting_id": self.owner.meeting_id,
            "body_id": str(self.body.currentData() or ""), "title": self.title.text().strip(),
            "minutes": self.minutes.value(), "note": self.note.toPlainText().strip(),
            "materials": self.materials}, self.tr("Topic proposed."))
        self.accept()


def _row(*widgets: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addStretch(1)
    for w in widgets:
        row.addWidget(w)
    return row


class AgendaDialog(QDialog):
    """The agenda of one meeting. ``loaded`` fires after each background load."""

    loaded = Signal()

    def __init__(self, context: AppContext, meeting_id: str, parent: QWidget | None = None, *,
                 compact: bool = False) -> None:
        super().__init__(parent)
        self.context, self.meeting_id = context, meeting_id
        self.compact = compact
        self.service = service_for(context)
        self.data = AgendaLoaded()
        self.opener: Callable[[QUrl], object] = QDesktopServices.openUrl
        self._waiting: dict[str, dict[str, Any]] = {}  # sha -> material being fetched
        self.setWindowTitle(self.tr("Agenda"))
        layout = QVBoxLayout(self)
        self.heading = text_label("", "heading", wrap=True)
        layout.addWidget(self.heading)
        self.model = AgendaModel(self)
        self.list = list_view(self.model, name="AgendaItems", on_pick=lambda _i: self._picked())
        self.list.setWordWrap(True)
        self.empty = text_label(self.tr("No agenda items yet."), "muted", wrap=True)
        layout.addWidget(self.list, 2)
        layout.addWidget(self.empty)
        self.add = primary_button(self.tr("Add item"))
        self.edit = QPushButton(self.tr("Edit"))
        self.remove = QPushButton(self.tr("Remove"))
        self.up = QPushButton(self.tr("Move up"))
        self.down = QPushButton(self.tr("Move down"))
        self.add.clicked.connect(lambda: self.open_editor(None))
        self.edit.clicked.connect(lambda: self.open_editor(self.current_item()))
        self.remove.clicked.connect(self._remove)
        self.up.clicked.connect(lambda: self.move_item(-1))
        self.down.clicked.connect(lambda: self.move_item(1))
        self.organiser_row = QWidget()
        self.organiser_box = QBoxLayout(QBoxLayout.Direction.LeftToRight, self.organiser_row)
        self.organiser_box.setContentsMargins(0, 0, 0, 0)
        self.organiser_box.addLayout(_row(self.up, self.down))
        self.organiser_box.addLayout(_row(self.remove, self.edit, self.add))
        layout.addWidget(self.organiser_row)
        self.materials = QListWidget()
        self.materials.setObjectName("AgendaMaterials")
        self.materials.setMaximumHeight(110)
        self.materials.itemActivated.connect(lambda _i: self.open_material())
        self.open_ = QPushButton(self.tr("Open material"))
        self.open_.clicked.connect(lambda: self.open_material())
        self.progress = QProgressBar()
        self.progress.setObjectName("MaterialProgress")
        self.progress.setRange(0, 100)
        self.progress.hide()
        layout.addWidget(self.materials)
        layout.addWidget(self.progress)
        layout.addLayout(_row(self.open_))
        self.topics_title = text_label(self.tr("Proposed topics"), "heading")
        self.topic_model = TopicModel(self)
        self.topics = list_view(self.topic_model, name="AgendaTopics")
        self.topics.setWordWrap(True)
        self.accept_ = primary_button(self.tr("Accept"))
        self.decline = QPushButton(self.tr("Decline"))
        self.propose = QPushButton(self.tr("Propose a topic"))
        self.accept_.clicked.connect(lambda: self.decide(True))
        self.decline.clicked.connect(lambda: self.decide(False))
        self.propose.clicked.connect(self.open_propose)
        layout.addWidget(self.topics_title)
        layout.addWidget(self.topics, 1)
        layout.addLayout(_row(self.propose, self.decline, self.accept_))
        self.status = text_label("", "muted", wrap=True)
        layout.addWidget(self.status)
        self.work = PageWork(self, self.status.setText)
        self.tracker = BlobProgress(self.service.blobs, self)
        self.tracker.progress.connect(self._progress)
        bus = getattr(context, "bus", None)
        if bus is not None:
            bus.changed.connect(self._changed)
            bus.blob_ready.connect(self._blob_ready)
        self.set_compact(compact)
        self.resize(720, 640)
        self.reload()

    def done(self, result: int) -> None:
        self.tracker.detach()  # stop listening to the blob store with the dialog
        super().done(result)

    def closeEvent(self, event: Any) -> None:
        self.tracker.detach()
        super().closeEvent(event)

    # -- loading ----------------------------------------------------------------------
    def set_compact(self, compact: bool) -> None:
        self.compact = compact
        set_touch(compact, self.add, self.edit, self.remove, self.up, self.down, self.open_,
                  self.accept_, self.decline, self.propose)
        # phone width: moving and editing on two rows
        self.organiser_box.setDirection(QBoxLayout.Direction.TopToBottom if compact
                                        else QBoxLayout.Direction.LeftToRight)
        self.up.setText(self.tr("Up") if compact else self.tr("Move up"))
        self.down.setText(self.tr("Down") if compact else self.tr("Move down"))

    def reload(self) -> None:
        context, meeting_id = self.context, self.meeting_id
        self.work.run(lambda: load_agenda(context, meeting_id), self._apply, latest="agenda")

    def _changed(self, changes: Any) -> None:
        kinds = getattr(changes, "entities", None)
        if kinds is None or {I.MEETING, A.TOPIC} & set(kinds):
            self.reload()

    def _apply(self, data: AgendaLoaded) -> None:
        current = self.current_item()
        self.data = data
        meeting = data.meeting
        if meeting:
            start = parse_time(meeting["start"])
            self.heading.setText(f"{meeting.get('subject', '')}\n{words(start)}")
        self.model.set_rows(data.agenda)
        self.list.setVisible(bool(data.agenda))
        self.empty.setVisible(not data.agenda)
        row = self.model.row_of(current["id"]) if current else -1
        if row < 0 and data.agenda:
            row = 0
        if row >= 0:
            self.list.setCurrentIndex(self.model.index(row, 0))
        editable = data.organises and meeting.get("state") in (M.DRAFT, M.PUBLISHED)
        self.organiser_row.setVisible(editable)
        shown = data.topics  # the feed already sends each person only the topics they may see
        self.topic_model.set_rows(shown)
        has_topics = bool(shown)
        self.topics_title.setVisible(has_topics or bool(data.bodies))
        self.topics.setVisible(has_topics)
        self.accept_.setVisible(editable and has_topics)
        self.decline.setVisible(editable and has_topics)
        self.propose.setVisible(bool(data.bodies) and not editable)  # organisers add items
        self._picked()
        self.loaded.emit()

    def current_item(self) -> dict[str, Any] | None:
        return self.model.row_at(self.list.currentIndex().row())

    def _picked(self) -> None:
        item = self.current_item()
        self.materials.clear()
        for m in (item or {}).get("materials") or ():
            here = m["sha256"] in self.data.local
            size = int(m.get("size") or 0)
            kb = f"{max(1, size // 1024)} KB" if size else ""
            mark = self.tr("on this device") if here else self.tr("not fetched yet")
            self.materials.addItem(" · ".join(x for x in (str(m["name"]), kb, mark) if x))
        has = self.materials.count() > 0
        self.materials.setVisible(has)
        self.open_.setVisible(has)
        if has:
            self.materials.setCurrentRow(0)
        self.edit.setEnabled(item is not None)
        self.remove.setEnabled(item is not None)

    # -- organiser ----------------------------------------------------------------------
    def send(self, name: str, args: dict[str, Any], words_: str) -> None:
        self.context.submit(name, args, lambda _m: self.status.setText(words_), self.work.fail)

    def open_editor(self, item: Mapping[str, Any] | None) -> ItemEditor:
        editor = ItemEditor(self, item)
        editor.open()
        return editor

    def _remove(self) -> None:
        item = self.current_item()
        if item is None:
            return
        self.send(I.REMOVE_AGENDA_ITEM.name, {"meeting_id": self.meeting_id, "item_id": item["id"]},
                  self.tr("Removing the item: it goes when the server confirms it."))

    def move_item(self, step: int) -> None:
        item = self.current_item()
        if item is None:
            return
        ids = A.moved(self.data.agenda, str(item["id"]), step)
        if ids == [str(i["id"]) for i in self.data.agenda]:
            return
        try:
            A.check_order(A.reordered(self.data.agenda, ids))
        except DomainError as exc:
            self.status.setText(error_text(exc))
            return
        self.send(I.ORDER_AGENDA.name, {"meeting_id": self.meeting_id, "item_ids": ids},
                  self.tr("Reordering: it shows when the server confirms it."))

    def current_topic(self) -> dict[str, Any] | None:
        return self.topic_model.row_at(self.topics.currentIndex().row())

    def decide(self, accept: bool, reason: str | None = None) -> None:
        topic = self.current_topic()
        if topic is None:
            self.status.setText(self.tr("Choose a proposed topic first."))
            return
        if topic.get("state") != A.PROPOSED:
            self.status.setText(self.tr("That topic has been dealt with already."))
            return
        if not accept and reason is None:
            reason, ok = QInputDialog.getText(self, self.tr("Decline"),
                                              self.tr("Reason (the unit is told)"))
            if not ok:
                return
        if not accept and not (reason or "").strip():
            self.status.setText(self.tr("Give a reason for declining."))
            return
        self.send(I.DECIDE_TOPIC.name, {"topic_id": topic["id"], "accept": accept,
                                        "reason": (reason or "").strip()},
                  self.tr("Sent: it takes effect when the server confirms it."))

    def open_propose(self) -> ProposeDialog:
        dialog = ProposeDialog(self)
        dialog.open()
        return dialog

    # -- materials ----------------------------------------------------------------------
    def current_material(self) -> dict[str, Any] | None:
        item = self.current_item() or {}
        materials = list(item.get("materials") or ())
        row = self.materials.currentRow()
        return dict(materials[row]) if 0 <= row < len(materials) else None

    def open_material(self) -> None:
        material = self.current_material()
        if material is None:
            return
        svc = self.service

        def work() -> Path | None:
            # A plaintext copy named like the material, for the system viewer; the blob
            # store removes its open copies when the session closes.
            return svc.material(material["sha256"], str(material["name"]))

        def done(path: Path | None) -> None:
            if path is None:
                self._waiting[material["sha256"]] = material
                self.progress.setValue(0)
                self.progress.show()
                self.status.setText(self.tr("Fetching %1…").replace("%1", str(material["name"])))
                return
            self.progress.hide()
            self.status.setText(self.tr("Opened %1.").replace("%1", str(material["name"])))
            self.opener(QUrl.fromLocalFile(str(path)))

        self.work.run(work, done)

    def _progress(self, sha: str, received: int) -> None:
        material = self._waiting.get(sha)
        if material is None:
            return
        size = int(material.get("size") or 0)
        self.progress.show()
        self.progress.setValue(min(100, received * 100 // size) if size else 0)

    def _blob_ready(self, sha: str) -> None:
        material = self._waiting.pop(sha, None)
        if material is None:
            return
        self.progress.setValue(100)
        self.data.local.add(sha)
        self._picked()
        current = self.current_material()
        if current is not None and current["sha256"] == sha:
            self.open_material()


# --------------------------------------------------------------------------- 会议通知 PDF


def notice_pdf_bytes(context: AppContext, meeting_id: str) -> tuple[bytes, str]:
    """Blocking (background only): the notice PDF of a meeting and its file name."""
    from modules.meetings import notice_pdf
    from modules.meetings.service import MeetingsOfMine

    assert context.cache is not None
    mine = MeetingsOfMine(context.cache, context.engine, context.principal)  # type: ignore[arg-type]
    meeting = mine.meeting(meeting_id)
    if meeting is None:
        from modules.common.errors import NotFound

        raise NotFound("meetings.meeting_not_found", meeting_id=meeting_id)
    invited = list(mine.invited(meeting).values())
    replies = {str(r.get("person_id")): r for r in context.cache.list(I.REPLY)
               if r.get("meeting_id") == meeting_id}
    posts: dict[str, str] = {}
    for inv in invited:
        person = context.cache.get(PERSON, inv.person_id) or {}
        first: dict[str, Any] = next(iter(person.get("posts") or ()), {})
        posts[inv.person_id] = str(first.get("title") or "")
    return notice_pdf.render_notice(meeting, invited=invited, replies=replies, posts=posts), \
        notice_pdf.notice_filename(meeting)


def save_notice_pdf(parent: QWidget, context: AppContext, work: PageWork, meeting_id: str,
                    report: Callable[[str], None], *,
                    ask: Callable[[str], str] | None = None) -> None:
    """Render the 会议通知 in the background, ask where to save it, write it in the
    background. ``ask(default name)`` → path ('' cancels); a save dialog by default."""

    def choose(default: str) -> str:
        path, _ = QFileDialog.getSaveFileName(parent, QCoreApplication.translate("Agenda", "Save the meeting notice"), default,
                                              "PDF (*.pdf)")
        return path

    def rendered(result: tuple[bytes, str]) -> None:
        data, name = result
        path = (ask or choose)(name)
        if not path:
            return
        work.run(lambda: Path(path).write_bytes(data),
                 lambda _n: report(QCoreApplication.translate("Agenda", "Notice saved to %1.").replace("%1", path)))

    work.run(lambda: notice_pdf_bytes(context, meeting_id), rendered)
