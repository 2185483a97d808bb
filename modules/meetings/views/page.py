"""The 会议 page: rooms of the day in a grid, booking, my bookings, bookings to approve.

Data comes from the local cache through :class:`modules.meetings.service.MeetingService`
in the page's background work (``office_app.kit.PageWork``); the page reloads when a
change touches rooms or bookings. Bookings are intents (``context.submit``): a refusal
the device can already see (the room is taken) comes back at once in words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from modules.meetings import intents as I
from modules.meetings import policy
from modules.meetings import rules as R
from modules.meetings.service import MeetingService, new_booking_id, new_room_id
from modules.meetings.views.calendar_view import MeetingsCalendar
from modules.meetings.views.dialogs import BookDialog, RoomDialog
from modules.meetings.views.grid import DayGrid, GridRow
from modules.meetings.views.mine import MyMeetings
from modules.meetings.views.models import BookingListModel, equipment_label, when_words
from office_app import tasks
from office_app.bus import touches
from office_app.kit import PageWork, list_view
from office_app.widgets import EmptyState, hbox, icon_button, primary_button, set_touch, text_label

if TYPE_CHECKING:
    from office_app.context import AppContext


@dataclass
class Loaded:
    """What one background load returns (plain data, no Qt)."""

    rooms: list[R.Room] = field(default_factory=list)
    bookable: list[R.Room] = field(default_factory=list)
    bookings: list[dict[str, Any]] = field(default_factory=list)
    mine: list[dict[str, Any]] = field(default_factory=list)
    to_approve: list[dict[str, Any]] = field(default_factory=list)
    #: (body id, name) of the bodies whose rooms the user manages.
    managed: list[tuple[str, str]] = field(default_factory=list)
    #: The day whose bookings ``bookings`` holds.
    day: dt.date | None = None


def load(context: AppContext, day: dt.date) -> Loaded:
    """Blocking: rooms, ``day``'s bookings, mine and those to approve (background only)."""
    if context.cache is None:
        return Loaded()
    svc = MeetingService(context.cache, context.engine, context.principal)  # type: ignore[arg-type]
    me = svc.facts()
    records = {r["id"]: r for r in context.cache.list(I.ROOM)}
    to_approve = [b for b in svc.held_bookings() if b.get("room_id") in records
                  and policy.may_decide(me, I.body_of(records[b["room_id"]]),
                                        records[b["room_id"]].get("approvers") or ())]
    managed: dict[str, str] = {}
    for post in me.posts:
        if "sys_admin" in post.roles or "secretary" in post.roles:
            body = context.cache.get("directory.body", post.organ_id) or {}
            managed[post.organ_id] = str(body.get("name") or post.organ_id)
    for record in records.values():
        if policy.may_manage(me, I.body_of(record)):
            managed.setdefault(str(record["body_id"]), str(record.get("body_name") or ""))
    return Loaded(svc.rooms(), svc.bookable_rooms(), svc.day_bookings(day), svc.my_bookings(),
                  to_approve, sorted(managed.items()), day)


def day_slots(context: AppContext, day: dt.date) -> list[R.Slot]:
    """Blocking: the slots of one day (the booking dialog's free-room list)."""
    if context.cache is None:
        return []
    svc = MeetingService(context.cache, context.engine, context.principal)  # type: ignore[arg-type]
    return [R.Slot.from_dict(b) for b in svc.day_bookings(day)]


class MeetingsPage(QWidget):
    """Signals ``loaded`` after a background load was applied (tests wait on it)."""

    loaded = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Page")
        self.context = context
        self.data = Loaded()
        self.day = dt.datetime.now(R.CHINA).date()
        self._dialog: BookDialog | None = None
        self._slots_by_day: dict[dt.date, list[R.Slot]] = {}

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 12)
        layout.setSpacing(10)
        self._layout = layout
        title = text_label(self.tr("Meetings"), "title")
        title.setObjectName("PageTitle")
        layout.addWidget(title)

        bar = QHBoxLayout()
        self.prev_day = icon_button("back", self.tr("Previous day"))
        self.next_day = icon_button("forward", self.tr("Next day"))
        self.day_label = text_label("", "heading")
        self.today = QPushButton(self.tr("Today"))
        self.book_button = primary_button(self.tr("Book a room"))
        self.book_compact = primary_button(self.tr("Book a room"))
        self.book_compact.hide()
        self.book_compact.clicked.connect(lambda: self.open_booking())
        self.prev_day.clicked.connect(lambda: self.set_day(self.day - dt.timedelta(days=1)))
        self.next_day.clicked.connect(lambda: self.set_day(self.day + dt.timedelta(days=1)))
        self.today.clicked.connect(lambda: self.set_day(dt.datetime.now(R.CHINA).date()))
        self.book_button.clicked.connect(lambda: self.open_booking())
        for w in (self.prev_day, self.day_label, self.next_day, self.today):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(self.book_button)
        layout.addLayout(bar)
        layout.addWidget(self.book_compact)  # phone width: its own row, full width

        self.tabs = QTabWidget()
        self.tabs.setObjectName("MeetingTabs")
        self.mine_meetings = MyMeetings(context)
        self.tabs.addTab(self.mine_meetings, self.tr("My meetings"))
        self.calendar_tab = MeetingsCalendar(context)
        self.calendar_tab.meeting_chosen.connect(self.open_meeting)
        self.tabs.addTab(self.calendar_tab, self.tr("Calendar"))
        # rooms
        self.grid = DayGrid()
        self.grid.slot_clicked.connect(lambda room, start: self.open_booking(room, start))
        self.grid.booking_clicked.connect(self._show_booking)
        self.grid.room_clicked.connect(self._room_chosen)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.grid)
        self.grid_scroll = scroll
        scroll.horizontalScrollBar().valueChanged.connect(lambda _v: self.grid.update())
        self.rooms_stack = QStackedWidget()
        self.rooms_stack.addWidget(scroll)
        self.no_rooms = EmptyState("meetings", self.tr("Your unit has no meeting rooms yet."))
        self.rooms_stack.addWidget(self.no_rooms)
        rooms_tab = QWidget()
        rooms_layout = QVBoxLayout(rooms_tab)
        rooms_layout.setContentsMargins(0, 6, 0, 0)
        rooms_layout.addWidget(self.rooms_stack, 1)
        self.add_room_button = QPushButton(self.tr("Add a room"))
        self.add_room_button.clicked.connect(lambda: self.open_room())
        self.add_room_button.hide()
        legend = text_label(self.tr("Blue: booked · Orange: awaiting approval · Dashed: waiting "
                                    "for the server · Click a free time to book, a room's name "
                                    "to edit it"), "muted", wrap=True)
        footer = hbox(legend, self.add_room_button)
        footer.setStretch(0, 1)
        rooms_layout.addLayout(footer)
        self.tabs.addTab(rooms_tab, self.tr("Rooms"))
        self.rooms_tab = rooms_tab
        # my bookings
        mine = QWidget()
        mine_layout = QVBoxLayout(mine)
        self.mine_model = BookingListModel(self)
        self.mine_list = list_view(self.mine_model, name="MyBookings")
        self.cancel_button = QPushButton(self.tr("Cancel booking"))
        self.cancel_button.clicked.connect(self._cancel_chosen)
        mine_layout.addWidget(self.mine_list, 1)
        mine_layout.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignRight)
        self.tabs.addTab(mine, self.tr("My bookings"))
        # approvals
        approve = QWidget()
        approve_layout = QVBoxLayout(approve)
        self.approve_model = BookingListModel(self)
        self.approve_list = list_view(self.approve_model, name="ToApprove")
        buttons = QHBoxLayout()
        self.approve_button = primary_button(self.tr("Approve"))
        self.reject_button = QPushButton(self.tr("Reject"))
        self.approve_button.clicked.connect(lambda: self._decide(True))
        self.reject_button.clicked.connect(lambda: self._decide(False))
        buttons.addStretch(1)
        buttons.addWidget(self.reject_button)
        buttons.addWidget(self.approve_button)
        approve_layout.addWidget(self.approve_list, 1)
        approve_layout.addLayout(buttons)
        self.approve_tab = approve
        self.tabs.addTab(approve, self.tr("To approve"))
        self.approve_tab = approve
        layout.addWidget(self.tabs, 1)

        self.status = QLabel()
        self.status.setObjectName("MeetingsStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.work = PageWork(self, self.status.setText)
        context.bus.changed.connect(self._on_changes)
        self._show_day()
        self.reload()
        self.mine_meetings.reload()

    # -- hooks ----------------------------------------------------------------------
    def set_compact(self, compact: bool) -> None:
        # a phone's width is worth more than the page's margins
        self._layout.setContentsMargins(*((6, 10, 6, 8) if compact else (16, 16, 16, 12)))
        self.grid.set_compact(compact)
        self.mine_meetings.set_compact(compact)
        self.calendar_tab.set_compact(compact)
        self.book_button.setVisible(not compact)
        self.book_compact.setVisible(compact)
        set_touch(compact, self.book_compact, self.today, self.cancel_button,
                  self.approve_button, self.reject_button)
        self._scroll_to_hour()

    def open_meeting(self, meeting_id: str) -> None:
        """Show one meeting in 我的会议 (a click on it in the calendar)."""
        self.tabs.setCurrentWidget(self.mine_meetings)
        # MyMeetings keeps its current meeting across loads: the next load selects it
        self.mine_meetings._current = meeting_id
        self.mine_meetings.reload()

    def open_ref(self, ref_id: str) -> None:
        """Show meeting ``ref_id`` (a to-do, or a 督办 item's source)."""
        if ref_id.startswith("mt-"):
            self.open_meeting(ref_id)
        elif ref_id.startswith("mb-"):  # a 会议室审批 to-do: the bookings to approve
            self.tabs.setCurrentWidget(self.approve_tab)

    def screenshot_states(self) -> list[tuple[str, Callable[[], QWidget | None]]]:
        """The screens ``python main.py screenshot`` shows besides the page itself
        (office_app/screenshot.py): the calendar, the room grid, a meeting's detail and
        its dialogs, picked from what the signed-in user has."""
        mine = self.mine_meetings

        def pick(test: Callable[[dict[str, Any]], bool]) -> str:
            return next((str(m["id"]) for m in mine.model.rows() if test(m)), "")

        def tab(widget: QWidget) -> Callable[[], QWidget | None]:
            def show() -> QWidget | None:
                self.tabs.setCurrentWidget(widget)
                return None
            return show

        def meeting(test: Callable[[dict[str, Any]], bool],
                    then: Callable[[], QWidget | None] | None = None) -> Callable[[], QWidget | None]:
            def show() -> QWidget | None:
                found = pick(test)
                if not found:
                    return None
                self.open_meeting(found)
                tasks.wait_for_idle(10_000)
                QCoreApplication.processEvents()
                return then() if then is not None else None
            return show

        def agenda(m: dict[str, Any]) -> bool:
            return bool(m.get("agenda"))

        def seated(m: dict[str, Any]) -> bool:
            return m.get("state") == "published" and not m.get("series_id") and not agenda(m)

        def held(m: dict[str, Any]) -> bool:
            return m.get("state") == "closed"

        states: list[tuple[str, Callable[[], QWidget | None]]] = [
            ("calendar", tab(self.calendar_tab)), ("rooms", tab(self.rooms_tab))]
        for name, test, then in (
                ("detail", agenda, None),
                ("agenda", agenda, mine.open_agenda),
                ("checkin", agenda, mine.open_checkin),
                ("form", agenda, lambda: mine.organiser.open_form(mine.current())),
                ("seat-plan", seated, mine.organiser.open_seating),
                ("minutes", held, mine.organiser.open_minutes)):
            if pick(test):  # only what this user has to show
                states.append((name, meeting(test, then)))
        return states

    def _scroll_to_hour(self) -> None:
        """Show the working part of the day first: from 08:00, or an hour before now."""
        now = dt.datetime.now(R.CHINA)
        hour = max(8, now.hour - 1) if self.day == now.date() and now.hour < 22 else 8
        self.grid_scroll.horizontalScrollBar().setValue(self.grid.hour_x(hour) - self.grid.label_width())

    # -- loading --------------------------------------------------------------------
    def reload(self) -> None:
        context = self.context
        day = self.day
        self.work.run(lambda: load(context, day), self._apply, latest="load")

    def _on_changes(self, changes: Any) -> None:
        if touches(changes, I.ROOM, I.BOOKING):
            self.reload()
        if touches(changes, I.MEETING, I.REPLY, I.NOMINATION, I.BOOKING):
            self.mine_meetings.reload()

    def _apply(self, data: Loaded) -> None:
        self.data = data
        self._slots_by_day = {data.day: [R.Slot.from_dict(b) for b in data.bookings]} \
            if data.day else {}
        self._fill_grid()
        self.mine_model.set_rows(data.mine)
        self.approve_model.set_rows(data.to_approve)
        self.tabs.setTabText(self.tabs.indexOf(self.approve_tab), self.tr("To approve") + (f" ({len(data.to_approve)})"
                                                         if data.to_approve else ""))
        self.book_button.setEnabled(bool(data.bookable))
        self.book_compact.setEnabled(bool(data.bookable))
        self.add_room_button.setVisible(bool(data.managed))
        self.loaded.emit()

    def set_day(self, day: dt.date) -> None:
        self.day = day
        self._show_day()
        self._scroll_to_hour()
        self.reload()

    def _show_day(self) -> None:
        weekday = "一二三四五六日"[self.day.weekday()]
        self.day_label.setText(f"{self.day.month}月{self.day.day}日 星期{weekday}")

    def _fill_grid(self) -> None:
        slots = [R.Slot.from_dict(b) for b in self.data.bookings]
        grid = R.day_grid(slots, [r.id for r in self.data.rooms], self.day)
        by_id = {b["id"]: b for b in self.data.bookings}
        rows = [GridRow(room, tuple(by_id[s.id] for s in grid[room.id])) for room in self.data.rooms]
        self.grid.set_day(self.day, rows)
        self.rooms_stack.setCurrentIndex(0 if rows else 1)

    # -- booking --------------------------------------------------------------------
    def open_booking(self, room_id: str = "", start: dt.datetime | None = None) -> BookDialog:
        rooms = self.data.bookable
        if start is None:
            now = dt.datetime.now(R.CHINA)
            base = now if self.day == now.date() else dt.datetime.combine(self.day, dt.time(9), R.CHINA)
            start = (base + dt.timedelta(hours=1 if base is now else 0)).replace(
                minute=0, second=0, microsecond=0)
        def free(s: dt.datetime, e: dt.datetime, people: int) -> list[R.FreeRoom] | None:
            day = s.astimezone(R.CHINA).date()
            slots = self._slots_by_day.get(day)
            if slots is None:  # that day is not loaded yet: load it, then refresh the list
                self._load_day_slots(day)
                return None
            return R.free_rooms(rooms, slots, s, e, dt.datetime.now(dt.UTC), people=people)

        dialog = BookDialog(rooms, room_id=room_id, start=start, free_rooms=free,
                            submit=lambda args: self._submit_booking(dialog, args), parent=self)
        self._dialog = dialog
        dialog.open()
        return dialog

    def _load_day_slots(self, day: dt.date) -> None:
        context = self.context

        def loaded(slots: list[R.Slot]) -> None:
            self._slots_by_day[day] = slots
            if self._dialog is not None and self._dialog.isVisible():
                self._dialog.refresh_free()

        self.work.run(lambda: day_slots(context, day), loaded, latest="day-slots")

    def _submit_booking(self, dialog: BookDialog, args: dict[str, Any]) -> None:
        args = {"booking_id": new_booking_id(), **args}

        def done(_mutation_id: str) -> None:
            self.status.setText(self.tr("Booked: %1. It shows as waiting until the server "
                                        "confirms it.").replace("%1", args["subject"]))
            dialog.accept()

        self.context.submit(I.BOOK_ROOM.name, args, done,
                            lambda exc: dialog.show_error(self.work.words(exc)))

    def open_room(self, room_id: str = "") -> RoomDialog | None:
        """The add / edit room dialog (None when the user manages no rooms)."""
        if not self.data.managed:
            return None
        room = next((r for r in self.data.rooms if r.id == room_id), None)

        def submit(args: dict[str, Any]) -> None:
            def done(_mutation_id: str) -> None:
                self.status.setText(self.tr("Saved: %1. It appears once the server has it.")
                                    .replace("%1", args["name"]))
                dialog.accept()

            self.context.submit(I.SAVE_ROOM.name, args, done,
                                lambda exc: dialog.show_error(self.work.words(exc)))

        dialog = RoomDialog(self.data.managed, room=room, room_id=room.id if room else new_room_id(),
                            submit=submit, parent=self)
        dialog.open()
        return dialog

    def _room_chosen(self, room_id: str) -> None:
        room = next((r for r in self.data.rooms if r.id == room_id), None)
        if room is None:
            return
        if any(body_id == room.body_id for body_id, _ in self.data.managed):
            self.open_room(room_id)
            return
        place = " ".join(x for x in (room.building, room.floor) if x)
        self.status.setText(f"{room.name} · {place} · {room.capacity or '-'} · "
                            + "、".join(equipment_label(k) for k in sorted(room.equipment)))

    def _show_booking(self, booking: dict[str, Any]) -> None:
        self.status.setText(f"{booking.get('subject', '')} · {booking.get('room_name', '')} · "
                            f"{when_words(booking)} · {booking.get('holder_name', '')} · "
                            f"{booking.get('state_words', '')}")

    def _chosen(self, view: Any, model: BookingListModel) -> dict[str, Any] | None:
        index = view.currentIndex()
        return model.row_at(index.row()) if index.isValid() else None

    def _cancel_chosen(self) -> None:
        booking = self._chosen(self.mine_list, self.mine_model)
        if booking is None:
            self.status.setText(self.tr("Choose a booking first."))
            return
        answer = QMessageBox.question(self, self.tr("Cancel booking"), self.tr(
            "Cancel the booking %1? The room becomes free for others.").replace(
            "%1", f"{booking['subject']}（{when_words(booking)}）"))
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.context.submit(I.CANCEL_BOOKING.name, {"booking_id": booking["id"]},
                            None, self.work.fail)

    def _decide(self, approve: bool) -> None:
        booking = self._chosen(self.approve_list, self.approve_model)
        if booking is None:
            self.status.setText(self.tr("Choose a booking first."))
            return
        self.context.submit(I.DECIDE_BOOKING.name,
                            {"booking_id": booking["id"], "approve": approve}, None, self.work.fail)
