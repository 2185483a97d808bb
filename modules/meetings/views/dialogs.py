"""The booking dialog (预订会议室): room, day, start and end, subject, expected people;
"find a free room" lists the rooms free then, best first (GUI thread; the lists come in
already loaded, the submit goes through the page's background work)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLineEdit,
    QListView,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from modules.meetings import rules as R
from modules.meetings.views.models import RoomListModel
from office_app.kit import list_view
from office_app.widgets import error_label, text_label


class BookDialog(QDialog):
    """Collects a booking. ``free_rooms(start, end, people)`` answers the free-room list
    from what the page loaded (pure, quick), or None while that day is still loading
    (the page then calls :meth:`refresh_free`); ``submit(args)`` queues the intent and
    reports a refusal in words back to :meth:`show_error`."""

    def __init__(self, rooms: list[R.Room], *, room_id: str = "", start: dt.datetime | None = None,
                 free_rooms: Callable[[dt.datetime, dt.datetime, int], list[R.FreeRoom] | None],
                 submit: Callable[[dict[str, Any]], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Book a room"))
        self.setObjectName("BookDialog")
        self._rooms, self._free_rooms, self._submit = rooms, free_rooms, submit
        start = start or (dt.datetime.now(R.CHINA) + dt.timedelta(hours=1)).replace(
            minute=0, second=0, microsecond=0)
        local = start.astimezone(R.CHINA)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.room = QComboBox()
        for room in rooms:
            self.room.addItem(f"{room.name}（{room.capacity}）" if room.capacity else room.name, room.id)
        if room_id:
            self.room.setCurrentIndex(max(0, self.room.findData(room_id)))
        self.day = QDateEdit(QDate(local.year, local.month, local.day))
        self.day.setCalendarPopup(True)
        self.start = QTimeEdit(QTime(local.hour, local.minute))
        self.end = QTimeEdit(QTime(min(local.hour + 1, 23), local.minute))
        for edit in (self.start, self.end):
            edit.setDisplayFormat("HH:mm")
        self.subject = QLineEdit()
        self.subject.setMaxLength(200)
        self.subject.setPlaceholderText(self.tr("e.g. Weekly office meeting"))
        self.people = QSpinBox()
        self.people.setRange(0, 5000)
        form.addRow(self.tr("Room"), self.room)
        form.addRow(self.tr("Day"), self.day)
        form.addRow(self.tr("From"), self.start)
        form.addRow(self.tr("To"), self.end)
        form.addRow(self.tr("Subject"), self.subject)
        form.addRow(self.tr("People"), self.people)
        layout.addLayout(form)
        layout.addWidget(text_label(self.tr("Free at that time"), "heading"))
        self.free_model = RoomListModel(self)
        self.free: QListView = list_view(self.free_model, name="FreeRooms", on_pick=self._pick_free)
        self.free.setMinimumHeight(120)
        layout.addWidget(self.free)
        self.free_note = text_label("", "muted")
        layout.addWidget(self.free_note)
        self.error = error_label()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Book"))
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        for signal in (self.day.dateChanged, self.start.timeChanged, self.end.timeChanged,
                       self.people.valueChanged):
            signal.connect(self.refresh_free)
        self.refresh_free()

    def interval(self) -> tuple[dt.datetime, dt.datetime]:
        # from the Qt values' parts: toPython() is typed as answering object
        d, s, e = self.day.date(), self.start.time(), self.end.time()
        day = dt.date(d.year(), d.month(), d.day())
        start = dt.datetime.combine(day, dt.time(s.hour(), s.minute(), s.second()), R.CHINA)
        end = dt.datetime.combine(day, dt.time(e.hour(), e.minute(), e.second()), R.CHINA)
        return start, end

    def args(self) -> dict[str, Any]:
        start, end = self.interval()
        return {"room_id": str(self.room.currentData() or ""), "start": start.isoformat(),
                "end": end.isoformat(), "subject": self.subject.text().strip(),
                "people": self.people.value()}

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def refresh_free(self) -> None:
        start, end = self.interval()
        found = self._free_rooms(start, end, self.people.value()) if end > start else []
        self.free_model.set_rows(found or [])
        self.free_note.setText(self.tr("Checking…") if found is None else
                               self.tr("No room is free then.") if not found else "")

    def _pick_free(self, index: Any) -> None:
        row = self.free_model.row_at(index.row())
        if row is not None:
            self.room.setCurrentIndex(max(0, self.room.findData(row.room.id)))

    def _accept(self) -> None:
        if not self.subject.text().strip():
            self.show_error(self.tr("Please give the meeting a subject."))
            return
        self.show_error("")
        self._submit(self.args())


class RoomDialog(QDialog):
    """Add or edit a room (administrators and secretaries of the room's body). ``bodies``:
    (id, name) of the bodies the user manages rooms for; ``submit(args)`` queues
    ``meetings.save_room`` and reports a refusal back to :meth:`show_error`."""

    def __init__(self, bodies: list[tuple[str, str]], *, room: R.Room | None = None,
                 room_id: str, submit: Callable[[dict[str, Any]], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Edit room") if room else self.tr("Add a room"))
        self.setObjectName("RoomDialog")
        self._room_id, self._submit = room_id, submit
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.body = QComboBox()
        for body_id, name in bodies:
            self.body.addItem(name, body_id)
        self.name = QLineEdit(room.name if room else "")
        self.name.setMaxLength(100)
        self.building = QLineEdit(room.building if room else "")
        self.floor = QLineEdit(room.floor if room else "")
        self.capacity = QSpinBox()
        self.capacity.setRange(0, 5000)
        self.capacity.setValue(room.capacity if room else 0)
        self.equipment: dict[str, QCheckBox] = {}
        boxes = QWidget()
        grid = QGridLayout(boxes)
        grid.setContentsMargins(0, 0, 0, 0)
        for i, (key, label) in enumerate(R.EQUIPMENT):
            box = QCheckBox(label)
            box.setChecked(bool(room and key in room.equipment))
            self.equipment[key] = box
            grid.addWidget(box, i // 3, i % 3)
        self.needs_approval = QCheckBox(self.tr("Bookings need approval"))
        self.needs_approval.setChecked(bool(room and room.needs_approval))
        self.open_from = QTimeEdit(QTime(7, 0) if room is None else QTime(room.open_from.hour, room.open_from.minute))
        self.open_to = QTimeEdit(QTime(23, 0) if room is None else QTime(room.open_to.hour, room.open_to.minute))
        for edit in (self.open_from, self.open_to):
            edit.setDisplayFormat("HH:mm")
        self.closed = QLineEdit(room.closed_reason if room else "")
        self.closed.setPlaceholderText(self.tr("Leave empty while the room is in use"))
        form.addRow(self.tr("Unit"), self.body)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Building"), self.building)
        form.addRow(self.tr("Floor"), self.floor)
        form.addRow(self.tr("Seats"), self.capacity)
        form.addRow(self.tr("Equipment"), boxes)
        form.addRow("", self.needs_approval)
        form.addRow(self.tr("Open from"), self.open_from)
        form.addRow(self.tr("Open until"), self.open_to)
        form.addRow(self.tr("Closed because"), self.closed)
        layout.addLayout(form)
        if room is not None:
            self.body.setCurrentIndex(max(0, self.body.findData(room.body_id)))
        self._keep: R.Room | None = room
        self.error = error_label()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def args(self) -> dict[str, Any]:
        keep = self._keep
        return {
            "room_id": self._room_id, "body_id": str(self.body.currentData() or ""),
            "name": self.name.text().strip(), "building": self.building.text().strip(),
            "floor": self.floor.text().strip(), "capacity": self.capacity.value(),
            "equipment": [k for k, box in self.equipment.items() if box.isChecked()],
            "needs_approval": self.needs_approval.isChecked(),
            "approvers": sorted(keep.approvers) if keep is not None else [],
            "open_from": self.open_from.time().toString("HH:mm"),
            "open_to": self.open_to.time().toString("HH:mm"),
            "days_ahead": keep.days_ahead if keep is not None else R.DEFAULT_DAYS_AHEAD,
            "release_after_minutes": keep.release_after_minutes if keep is not None else 0,
            "closed_reason": self.closed.text().strip(),
            "photo_sha256": keep.photo_sha256 if keep is not None else "",
        }

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def _accept(self) -> None:
        if not self.name.text().strip():
            self.show_error(self.tr("Please give the room a name."))
            return
        self.show_error("")
        self._submit(self.args())
