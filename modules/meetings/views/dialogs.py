"""The booking dialog (预订会议室): room, day, start and end, subject, expected people;
"find a free room" lists the rooms free then, best first (GUI thread; the lists come in
already loaded, the submit goes through the page's background work)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, QTime
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
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
from office_app.widgets import text_label


class BookDialog(QDialog):
    """Collects a booking. ``free_rooms(start, end, people)`` answers the free-room list
    from what the page loaded (pure, quick); ``submit(args, on_error)`` queues the intent
    and reports a refusal in words back to :meth:`show_error`."""

    def __init__(self, rooms: list[R.Room], *, room_id: str = "", start: dt.datetime | None = None,
                 free_rooms: Callable[[dt.datetime, dt.datetime, int], list[R.FreeRoom]],
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
        self.error = QLabel()
        self.error.setObjectName("DialogError")
        self.error.setWordWrap(True)
        self.error.setProperty("role", "error")
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Book"))
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        for signal in (self.day.dateChanged, self.start.timeChanged, self.end.timeChanged,
                       self.people.valueChanged):
            signal.connect(self._refresh_free)
        self._refresh_free()

    def interval(self) -> tuple[dt.datetime, dt.datetime]:
        day = self.day.date().toPython()
        start = dt.datetime.combine(day, self.start.time().toPython(), R.CHINA)
        end = dt.datetime.combine(day, self.end.time().toPython(), R.CHINA)
        return start, end

    def args(self) -> dict[str, Any]:
        start, end = self.interval()
        return {"room_id": str(self.room.currentData() or ""), "start": start.isoformat(),
                "end": end.isoformat(), "subject": self.subject.text().strip(),
                "people": self.people.value()}

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def _refresh_free(self) -> None:
        start, end = self.interval()
        self.free_model.set_rows(self._free_rooms(start, end, self.people.value()) if end > start else [])

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
