"""The organiser's meeting form (新建 / 修改会议) and the organiser's actions on a meeting
(修改, 发布, 取消会议, 结束).

The form collects :class:`modules.meetings.intents.SaveMeetingArgs`: subject, type, host
body (those the user may organise for), chair, time, the room (one of the user's own
bookings over that time, a room booked now through :class:`BookDialog`, or an outside
place / video link), invitees, 列席, 工作人员 and invited bodies (directory searches, in
the background), the 回执 deadline, contact, notes and, once published, the change note.
The meeting rules (``modules.meetings.meeting``) run before submitting, so a bad time is
refused in words in the dialog; the intent is online-only and takes effect when the
server confirms it.

GUI thread; every read goes through the opener's :class:`office_app.kit.PageWork`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from modules.common.access import ActorFacts, BodyFacts
from modules.common.errors import DomainError, ValidationFailed
from modules.documents.views.detail import PersonPicker
from modules.meetings import intents as I
from modules.meetings import meeting as M
from modules.meetings import policy
from modules.meetings import rules as R
from modules.meetings.service import MeetingService, new_booking_id, new_meeting_id
from modules.meetings.views import recurrence as RV
from modules.meetings.views.dialogs import BookDialog
from modules.meetings.views.seating import SeatPlanDialog
from office_app.kit import PageWork, error_text
from office_app.widgets import FlowLayout, error_label, primary_button, set_touch, text_label

if TYPE_CHECKING:
    from office_app.context import AppContext

BODY = "directory.body"
Search = Callable[[str, Callable[[list[dict[str, Any]]], None]], None]


# --------------------------------------------------------------------------- data (background)


def _host_facts(bodies: Mapping[str, Mapping[str, Any]], body_id: str) -> BodyFacts:
    """A body's facts from cached ``directory.body`` records: its organ (nearest body
    that is not a department) and every organ above it."""
    chain: list[str] = []
    current, seen = body_id, set[str]()
    while current and current not in seen and len(seen) < 32:
        seen.add(current)
        record = bodies.get(current)
        if record is None:
            chain.append(current)
            break
        if record.get("kind") != "department":
            chain.append(current)
        current = str(record.get("parent_id") or "")
    chain = chain or [body_id]
    return BodyFacts(id=body_id, name=str((bodies.get(body_id) or {}).get("name") or body_id),
                     organ_id=chain[0], organs_above=tuple(chain))


def organisable_hosts(me: ActorFacts, body_records: Iterable[Mapping[str, Any]]
                      ) -> list[tuple[str, str]]:
    """(id, name) of the organs the user may organise meetings for (pure)."""
    bodies = {str(b["id"]): b for b in body_records}
    out: dict[str, str] = {}
    for organ_id in sorted(me.organs()):
        host = _host_facts(bodies, organ_id)
        if policy.may_organise(me, host):
            out[host.id] = host.name
    return sorted(out.items(), key=lambda x: x[1])


@dataclass
class FormData:
    """What the form needs from the cache (one background read)."""

    hosts: list[tuple[str, str]] = field(default_factory=list)
    #: The user's own bookings that are not over (any usable state), soonest first.
    bookings: list[dict[str, Any]] = field(default_factory=list)
    rooms: list[R.Room] = field(default_factory=list)
    #: The deployment's meeting types (the published list, else the built-in one).
    kinds: tuple[str, ...] = M.MEETING_KINDS


def load_form(context: AppContext) -> FormData:
    """Blocking (background only)."""
    if context.cache is None:
        return FormData()
    svc = MeetingService(context.cache, context.engine, context.principal)  # type: ignore[arg-type]
    hosts = organisable_hosts(svc.facts(), context.cache.list(BODY))
    bookings = [b for b in svc.my_bookings() if b.get("state") in R.BLOCKING | {R.REQUESTED}]
    return FormData(hosts, bookings, svc.bookable_rooms(),
                    M.kinds_of(context.cache.get(M.KINDS, "all")))


def search_bodies(directory: Any, text: str) -> list[dict[str, Any]]:
    """Blocking: bodies by name (indexed when the directory can, else a scan)."""
    finder = getattr(directory, "search_bodies", None)
    if callable(finder):
        found: list[dict[str, Any]] = finder(text, 30)
        return found
    needle = text.strip().lower()
    return [b for b in directory.bodies() if needle in str(b.get("name") or "").lower()][:30]


# --------------------------------------------------------------------------- pieces


def _qdt(when: dt.datetime) -> QDateTime:
    local = when.astimezone(R.CHINA)
    return QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute))


def _py(edit: QDateTimeEdit) -> dt.datetime:
    # from the Qt value's parts: toPython() is typed as answering object
    d, t = edit.date(), edit.time()
    return dt.datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), tzinfo=R.CHINA)


def _when_edit(when: dt.datetime) -> QDateTimeEdit:
    edit = QDateTimeEdit(_qdt(when))
    edit.setDisplayFormat("yyyy-MM-dd HH:mm")
    edit.setCalendarPopup(True)
    return edit


class ChoiceField(QWidget):
    """People (or bodies) chosen from a background search: the search box and its
    results (shown while there are some), then the chosen ones. ``single``: at most one
    (choosing another replaces it)."""

    changed = Signal()

    def __init__(self, search: Search, placeholder: str, *, single: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._single = single
        self._chosen: list[dict[str, str]] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)

        def run(text: str, show: Callable[[list[dict[str, Any]]], None]) -> None:
            def shown(rows: list[dict[str, Any]]) -> None:
                show(rows)
                results = self.picker.results
                results.setVisible(bool(rows))
                if rows:  # as tall as its hits, up to five
                    results.setFixedHeight(min(results.count(), 5)
                                           * max(results.sizeHintForRow(0), 22) + 8)

            search(text, shown)

        self.picker = PersonPicker(run, placeholder)
        self.picker.results.hide()
        self.picker.chosen.connect(self._add)
        layout.addWidget(self.picker)
        self.list = QListWidget()
        self.list.setObjectName("ChosenList")
        self.remove = QPushButton(self.tr("Remove"))
        self.remove.clicked.connect(self._remove_current)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.list, 1)
        row.addWidget(self.remove)
        self.chosen_row = QWidget()
        self.chosen_row.setLayout(row)
        layout.addWidget(self.chosen_row)
        self._refresh()

    def set_chosen(self, rows: Iterable[Mapping[str, Any]]) -> None:
        self._chosen = [{"id": str(r["id"]), "name": str(r.get("name") or r["id"])}
                        for r in rows if r.get("id")]
        self._refresh()

    def ids(self) -> list[str]:
        return [r["id"] for r in self._chosen]

    def first(self) -> str:
        return self._chosen[0]["id"] if self._chosen else ""

    def _add(self, row: dict[str, Any]) -> None:
        item = {"id": str(row.get("id") or ""), "name": str(row.get("name") or "")}
        if item["id"] and item["id"] not in self.ids():
            self._chosen = [item] if self._single else [*self._chosen, item]
            self._refresh()
            self.changed.emit()
        self.picker.box.clear()
        self.picker.results.clear()
        self.picker.results.hide()

    def _remove_current(self) -> None:
        row = self.list.currentRow()
        if self._single and self._chosen:
            row = 0
        if 0 <= row < len(self._chosen):
            del self._chosen[row]
            self._refresh()
            self.changed.emit()

    def _refresh(self) -> None:
        self.list.clear()
        self.list.addItems([r["name"] for r in self._chosen])
        rows = min(len(self._chosen), 4) or 1  # as tall as its names, up to four
        self.list.setFixedHeight(rows * max(self.list.sizeHintForRow(0), 22) + 8)
        self.chosen_row.setVisible(bool(self._chosen))


# --------------------------------------------------------------------------- the form


class MeetingForm(QDialog):
    """Create or edit a meeting. ``data`` arrives from the background (:meth:`set_data`);
    ``search_people`` / ``search_bodies`` answer directory searches in the background;
    ``book_room(start, end, subject, done)`` opens the booking dialog and calls
    ``done(booking)`` with the booking made; ``submit(args)`` queues the intent and
    reports a refusal back to :meth:`show_error`."""

    def __init__(self, *, meeting: Mapping[str, Any] | None = None, search_people: Search,
                 search_bodies: Search,
                 book_room: Callable[[dt.datetime, dt.datetime, str,
                                      Callable[[dict[str, Any]], None]], None] | None = None,
                 submit: Callable[[dict[str, Any]], None], compact: bool = False,
                 series: RV.SeriesHooks | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("MeetingForm")
        self.meeting: dict[str, Any] = dict(meeting or {})
        self.meeting_id = str(self.meeting.get("id") or new_meeting_id())
        self.published = self.meeting.get("state") == M.PUBLISHED
        self.setWindowTitle(self.tr("Change meeting") if meeting else self.tr("New meeting"))
        self._submit, self._book_room = submit, book_room
        #: Recurring series (例会): the repeat section of a new meeting, the scope question
        #: of an occurrence (modules.meetings.views.recurrence).
        self._series = series
        self.repeat: RV.RepeatSection | None = None
        self.scope_dialog: RV.ScopeDialog | None = None
        self.data = FormData()
        self._extra_bookings: list[dict[str, Any]] = []
        #: The booking dialog opened by "book a room now" (tests drive it).
        self.book_dialog: BookDialog | None = None

        outer = QVBoxLayout(self)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        inner = QWidget()
        form = QFormLayout(inner)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows if compact
                              else QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        scroll.setWidget(inner)
        self.scroll_area = scroll

        m = self.meeting
        self.subject = QLineEdit(str(m.get("subject") or ""))
        self.subject.setMaxLength(200)
        self.subject.setPlaceholderText(self.tr("e.g. Annual work meeting"))
        self.kind = QComboBox()
        self.kind.addItems(list(M.MEETING_KINDS))
        if m.get("kind"):
            self.kind.setCurrentIndex(max(0, self.kind.findText(str(m["kind"]))))
        self.host = QComboBox()
        if m.get("host_body_id"):
            self.host.addItem(str(m.get("host_body_name") or m["host_body_id"]), m["host_body_id"])
        self.chair = ChoiceField(search_people, self.tr("Chair: search by name or pinyin"),
                                 single=True)
        if m.get("chair_id"):
            self.chair.set_chosen([{"id": m["chair_id"], "name": m.get("chair_name") or ""}])
        start = R.parse_time(m["start"]) if m.get("start") else (
            dt.datetime.now(R.CHINA) + dt.timedelta(days=1)).replace(hour=9, minute=0, second=0,
                                                                      microsecond=0)
        end = R.parse_time(m["end"]) if m.get("end") else start + dt.timedelta(hours=1)
        self.start = _when_edit(start)
        self.end = _when_edit(end)
        self.booking = QComboBox()
        self.booking.setObjectName("MeetingBooking")
        self.book_now = QPushButton(self.tr("Book a room now"))
        self.book_now.clicked.connect(self._book_now)
        self.book_now.setEnabled(book_room is not None)
        # phone width: the button under the list, so the booking's words fit
        room_row = QVBoxLayout() if compact else QHBoxLayout()
        self.room_row, self.form_layout = room_row, form
        room_row.setContentsMargins(0, 0, 0, 0)
        room_row.addWidget(self.booking, 1)
        room_row.addWidget(self.book_now)
        self.booking_note = text_label("", "muted", wrap=True)
        self.place = QLineEdit(str(m.get("place") or ""))
        self.place.setMaxLength(200)
        self.place.setPlaceholderText(self.tr("Outside place, if not in a room"))
        self.video = QLineEdit(str(m.get("video_url") or ""))
        self.video.setPlaceholderText("https://")
        self.invitees = ChoiceField(search_people, self.tr("Add attendees: search by name or pinyin"))
        self.invitees.set_chosen(m.get("invitees") or ())
        self.bodies = ChoiceField(search_bodies, self.tr("Add units: search by name"))
        self.bodies.set_chosen(m.get("bodies") or ())
        self.observers = ChoiceField(search_people, self.tr("Add observers: search by name or pinyin"))
        self.observers.set_chosen(m.get("observers") or ())
        self.staff = ChoiceField(search_people, self.tr("Add staff: search by name or pinyin"))
        self.staff.set_chosen(m.get("staff") or ())
        self.has_reply_by = QCheckBox(self.tr("Replies due by"))
        self.reply_by = _when_edit(R.parse_time(m["reply_by"]) if m.get("reply_by")
                                   else start - dt.timedelta(days=1))
        self.has_reply_by.setChecked(bool(m.get("reply_by")))
        self.reply_by.setEnabled(bool(m.get("reply_by")))
        self.has_reply_by.toggled.connect(self.reply_by.setEnabled)
        reply_row = QHBoxLayout()
        reply_row.setContentsMargins(0, 0, 0, 0)
        reply_row.addWidget(self.has_reply_by)
        reply_row.addWidget(self.reply_by, 1)
        self.contact = ChoiceField(search_people, self.tr("Contact: search by name or pinyin"),
                                   single=True)
        if m.get("contact_id"):
            self.contact.set_chosen([{"id": m["contact_id"], "name": m.get("contact_name") or ""}])
        self.phone = QLineEdit(str(m.get("contact_phone") or ""))
        self.phone.setMaxLength(40)
        self.notes = QPlainTextEdit(str(m.get("notes") or ""))
        self.notes.setPlaceholderText(self.tr("Materials to bring, dress, parking…"))
        self.notes.setMaximumHeight(90)
        self.change_note = QLineEdit()
        self.change_note.setMaxLength(300)
        self.change_note.setPlaceholderText(self.tr("What changes, in words for everyone"))

        form.addRow(self.tr("Subject"), self.subject)
        form.addRow(self.tr("Type"), self.kind)
        form.addRow(self.tr("Host unit"), self.host)
        form.addRow(self.tr("Chair"), self.chair)
        form.addRow(self.tr("Starts"), self.start)
        form.addRow(self.tr("Ends"), self.end)
        form.addRow(self.tr("Room"), room_row)
        form.addRow("", self.booking_note)
        form.addRow(self.tr("Place"), self.place)
        form.addRow(self.tr("Video link"), self.video)
        form.addRow(self.tr("Attendees"), self.invitees)
        form.addRow(self.tr("Invited units"), self.bodies)
        form.addRow(self.tr("Observers"), self.observers)
        form.addRow(self.tr("Staff"), self.staff)
        form.addRow(self.tr("Reply"), reply_row)
        form.addRow(self.tr("Contact"), self.contact)
        form.addRow(self.tr("Phone"), self.phone)
        form.addRow(self.tr("Notes"), self.notes)
        self.repeat = RV.attach(self, form, series, compact=compact)
        if self.published:
            form.addRow(self.tr("Change note"), self.change_note)
        outer.addWidget(scroll, 1)

        self.error = error_label()
        outer.addWidget(self.error)
        notice = self.tr("Saved as a draft; publish it to send the notice. It takes effect "
                         "when the server confirms it.")
        if self.published:
            notice = self.tr("Everyone invited is told of the change once the server "
                             "confirms it.")
        outer.addWidget(text_label(notice, "muted", wrap=True))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        outer.addWidget(buttons)
        for signal in (self.start.dateTimeChanged, self.end.dateTimeChanged):
            signal.connect(self._refresh_bookings)
        set_touch(compact, self.subject, self.kind, self.host, self.start, self.end,
                  self.booking, self.book_now, self.place, self.video, self.phone,
                  self.change_note, self.reply_by,
                  *(f.picker.box for f in (self.chair, self.invitees, self.bodies,
                                           self.observers, self.staff, self.contact)))
        for edit in (self.start, self.end, self.reply_by):  # as tall as the styled fields
            edit.setMinimumHeight(44 if compact else 36)
        if compact:
            self.setMinimumWidth(0)
        else:
            self.resize(640, 760)
        self._refresh_bookings()

    # -- data -----------------------------------------------------------------------
    def set_data(self, data: FormData) -> None:
        self.data = data
        own = str(self.meeting.get("kind") or "")  # the edited meeting's type
        kind = self.kind.currentText()
        self.kind.clear()
        self.kind.addItems(list(data.kinds))
        if own and self.kind.findText(own) < 0:
            self.kind.addItem(own)  # a meeting of a type no longer listed keeps it
        self.kind.setCurrentIndex(max(0, self.kind.findText(kind)))
        if self.repeat is not None:
            self.repeat.set_rooms(data.rooms)
        current = self.host.currentData()
        self.host.clear()
        for body_id, name in data.hosts:
            self.host.addItem(name, body_id)
        if current and self.host.findData(current) < 0:
            self.host.addItem(str(self.meeting.get("host_body_name") or current), current)
        if current:
            self.host.setCurrentIndex(max(0, self.host.findData(current)))
        self._refresh_bookings()

    def interval(self) -> tuple[dt.datetime, dt.datetime]:
        return _py(self.start), _py(self.end)

    def _bookings(self) -> list[dict[str, Any]]:
        seen: dict[str, dict[str, Any]] = {}
        for b in [*self.data.bookings, *self._extra_bookings]:
            seen[str(b["id"])] = b
        return list(seen.values())

    def _refresh_bookings(self) -> None:
        """The user's bookings overlapping the meeting's time (and the one it has)."""
        start, end = self.interval()
        wanted = str(self.booking.currentData() or self.meeting.get("booking_id") or "")
        self.booking.blockSignals(True)
        self.booking.clear()
        self.booking.addItem(self.tr("No room (outside place or video link)"), "")
        for b in self._bookings():
            b_start, b_end = R.parse_time(b["start"]), R.parse_time(b["end"])
            if (b_start < end and b_end > start) or b["id"] == wanted:
                self.booking.addItem(f"{b.get('room_name', '')} · {R.words(b_start)}–"
                                     f"{R.words(b_end, with_date=False)} · "
                                     f"{b.get('state_words', '')}", b["id"])
        if wanted and self.booking.findData(wanted) < 0 and self.meeting.get("room_name"):
            self.booking.addItem(str(self.meeting["room_name"]), wanted)
        self.booking.setCurrentIndex(max(0, self.booking.findData(wanted)))
        self.booking.blockSignals(False)
        overlapping = self.booking.count() - 1
        self.booking_note.setText("" if overlapping else self.tr(
            "None of your bookings covers this time: book a room now, or give a place."))
        self.booking_note.setVisible(not overlapping)

    def add_booking(self, booking: dict[str, Any]) -> None:
        """A booking just made (waiting for the server): offer it and choose it."""
        self._extra_bookings.append(booking)
        self.booking.addItem("", booking["id"])  # so that it is current while refreshing
        self.booking.setCurrentIndex(self.booking.count() - 1)
        self._refresh_bookings()

    def _book_now(self) -> None:
        if self._book_room is not None:
            start, end = self.interval()
            self._book_room(start, end, self.subject.text().strip() or self.tr("Meeting"),
                            self.add_booking)

    # -- submitting -----------------------------------------------------------------
    def args(self) -> dict[str, Any]:
        start, end = self.interval()
        return {
            "meeting_id": self.meeting_id, "subject": self.subject.text().strip(),
            "kind": self.kind.currentText(), "host_body_id": str(self.host.currentData() or ""),
            "chair_id": self.chair.first(), "start": start.isoformat(), "end": end.isoformat(),
            "booking_id": str(self.booking.currentData() or ""),
            "place": self.place.text().strip(), "video_url": self.video.text().strip(),
            "invitees": self.invitees.ids(), "bodies": self.bodies.ids(),
            "observers": self.observers.ids(), "staff": self.staff.ids(),
            "reply_by": _py(self.reply_by).isoformat() if self.has_reply_by.isChecked() else None,
            "contact_id": self.contact.first(), "contact_phone": self.phone.text().strip(),
            "notes": self.notes.toPlainText().strip(),
            "change_note": self.change_note.text().strip() if self.published else "",
        }

    def check(self) -> str:
        """Words for the first thing the rules refuse, or ``""``."""
        args = self.args()
        if not args["subject"]:
            return self.tr("Please give the meeting a subject.")
        if not args["host_body_id"]:
            return self.tr("Choose the host unit.")
        start, end = self.interval()
        reply_by = _py(self.reply_by) if self.has_reply_by.isChecked() else None
        try:
            M.check_kind(args["kind"], (*self.data.kinds, str(self.meeting.get("kind") or "")))
            M.check_times(start, end, reply_by)
            booking = next((b for b in self._bookings() if b["id"] == args["booking_id"]), None)
            if booking is not None:
                # one still waiting for the server is sent first: judge its time only
                M.check_booking({**booking, "state": R.CONFIRMED} if booking.get("state")
                                == R.REQUESTED else booking, start, end)
            if self.published and not args["change_note"]:
                raise ValidationFailed("meetings.change_note_required")
            I.SAVE_MEETING.parse(args)
        except DomainError as exc:
            return error_text(exc)
        return ""

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def set_single_booking_visible(self, visible: bool) -> None:
        """The one-booking room row (hidden while a series books a room per occurrence)."""
        if not visible:
            self.booking.setCurrentIndex(0)
        self.form_layout.setRowVisible(self.room_row, visible)
        self.booking_note.setVisible(visible and self.booking.count() <= 1)

    def _accept(self) -> None:
        if RV.accept(self, self._series):
            return
        words = self.check()
        self.show_error(words)
        if not words:
            self._submit(self.args())


def open_meeting_form(owner: QWidget, context: AppContext, work: PageWork,
                      report: Callable[[str], None], meeting: Mapping[str, Any] | None = None,
                      *, compact: bool = False) -> MeetingForm:
    """Open the form over ``owner``; loads what it needs in ``work``'s background and
    submits ``meetings.save_meeting`` through ``context.submit``."""
    from modules.meetings.views.page import day_slots  # the page imports this module

    directory = context.directory()
    slots: dict[dt.date, list[R.Slot]] = {}

    def people(text: str, show: Callable[[list[dict[str, Any]]], None]) -> None:
        work.run(lambda: directory.search(text, 30), show, lambda _e: show([]),
                 latest="form-people")

    def bodies(text: str, show: Callable[[list[dict[str, Any]]], None]) -> None:
        work.run(lambda: search_bodies(directory, text), show, lambda _e: show([]),
                 latest="form-bodies")

    def book_room(start: dt.datetime, end: dt.datetime, subject: str,
                  done: Callable[[dict[str, Any]], None]) -> None:
        dialog: BookDialog

        def free(s: dt.datetime, e: dt.datetime, people: int) -> list[R.FreeRoom] | None:
            day = s.astimezone(R.CHINA).date()
            if day not in slots:
                def loaded(found: list[R.Slot]) -> None:
                    slots[day] = found
                    if dialog.isVisible():
                        dialog.refresh_free()

                work.run(lambda: day_slots(context, day), loaded, latest="form-slots")
                return None
            return R.free_rooms(form.data.rooms, slots[day], s, e, dt.datetime.now(dt.UTC),
                                people=people)

        def submit(args: dict[str, Any]) -> None:
            args = {"booking_id": new_booking_id(), **args}

            def booked(_mutation_id: str) -> None:
                room = next((r for r in form.data.rooms if r.id == args["room_id"]), None)
                done({"id": args["booking_id"], "room_id": args["room_id"],
                      "room_name": room.name if room else "", "start": args["start"],
                      "end": args["end"], "state": R.REQUESTED,
                      "state_words": R.STATE_WORDS[R.REQUESTED][0]})
                dialog.accept()

            context.submit(I.BOOK_ROOM.name, args, booked,
                           lambda exc: dialog.show_error(error_text(exc)))

        dialog = BookDialog(form.data.rooms, start=start, free_rooms=free, submit=submit,
                            parent=form)
        dialog.subject.setText(subject)
        end_local = end.astimezone(R.CHINA)
        if end_local.date() == start.astimezone(R.CHINA).date():
            dialog.end.setTime(QTime(end_local.hour, end_local.minute))
        dialog.open()
        form.book_dialog = dialog

    def submit(args: dict[str, Any]) -> None:
        def saved(_mutation_id: str) -> None:
            report(QCoreApplication.translate(
                "MeetingForm", "Sent: %1. It takes effect when the server confirms it.")
                   .replace("%1", args["subject"]))
            form.accept()

        context.submit(I.SAVE_MEETING.name, args, saved,
                       lambda exc: form.show_error(error_text(exc)))

    form = MeetingForm(meeting=meeting, search_people=people, search_bodies=bodies,
                       book_room=book_room, submit=submit, compact=compact,
                       series=RV.hooks_for(context, work, report, lambda: form), parent=owner)
    if compact and owner.window() is not None:
        size = owner.window().size()
        form.resize(size.width(), size.height())
    work.run(lambda: load_form(context), form.set_data, latest="form")
    form.open()
    return form


# --------------------------------------------------------------------------- actions


class OrganiserActions(QWidget):
    """修改 / 发布 / 取消会议 / 结束 for a meeting the user organises (hidden otherwise).
    Each action goes through ``context.submit`` (online: the server confirms)."""

    def __init__(self, context: AppContext, work: PageWork, report: Callable[[str], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context, self.work, self.report = context, work, report
        self.meeting: dict[str, Any] | None = None
        self.compact = False
        self.form: MeetingForm | None = None
        layout = FlowLayout(self, align_right=True)  # wraps at phone width
        self.edit = QPushButton(self.tr("Edit"))
        self.publish = primary_button(self.tr("Publish"))
        self.cancel = QPushButton(self.tr("Cancel meeting"))
        self.close_ = QPushButton(self.tr("Close"))
        self.seating = QPushButton(self.tr("Seat plan"))
        self.seating.setObjectName("SeatPlanButton")
        self.seating.clicked.connect(self.open_seating)
        self.seat_plan: SeatPlanDialog | None = None
        self.minutes = QPushButton(self.tr("Minutes"))
        self.minutes.setObjectName("MinutesButton")
        self.minutes.clicked.connect(self.open_minutes)
        self.minutes_dialog: QWidget | None = None
        self.edit.clicked.connect(lambda: self.open_form(self.meeting))
        self.publish.clicked.connect(self._publish)
        self.cancel.clicked.connect(self._cancel)
        self.close_.clicked.connect(self._close)
        layout.addWidget(self.minutes)
        for b in (self.seating, self.close_, self.cancel, self.edit, self.publish):
            layout.addWidget(b)
        self.show_for(None, False)

    def set_compact(self, compact: bool) -> None:
        self.compact = compact
        set_touch(compact, self.edit, self.publish, self.cancel, self.close_, self.seating)
        set_touch(compact, self.minutes)

    def show_for(self, meeting: Mapping[str, Any] | None, organises: bool) -> None:
        self.meeting = dict(meeting) if meeting is not None and organises else None
        self.setVisible(self.meeting is not None)
        if self.meeting is None:
            return
        state = str(self.meeting.get("state") or M.DRAFT)
        now = dt.datetime.now(dt.UTC)
        shown = M.phase(self.meeting, now)
        self.edit.setVisible(shown in (M.DRAFT, M.PUBLISHED))
        self.publish.setVisible(state == M.DRAFT)
        self.cancel.setVisible(state in (M.DRAFT, M.PUBLISHED) and shown != M.HELD)
        self.close_.setVisible(shown == M.HELD)
        self.seating.setVisible(state in (M.DRAFT, M.PUBLISHED))
        self.minutes.setVisible(shown in (M.HELD, M.CLOSED))

    def open_form(self, meeting: Mapping[str, Any] | None = None) -> MeetingForm:
        self.form = open_meeting_form(self, self.context, self.work, self.report, meeting,
                                      compact=self.compact)
        return self.form

    def open_seating(self) -> SeatPlanDialog | None:
        """The seat plan (座次) and table cards of the meeting."""
        if self.meeting is None:
            return None
        self.seat_plan = SeatPlanDialog(self.context, self.meeting, self, compact=self.compact)
        self.seat_plan.open()
        return self.seat_plan

    def open_minutes(self) -> QWidget | None:
        """会议纪要 and 议定事项 of the meeting (modules.meetings.views.minutes)."""
        from modules.meetings.views.minutes import open_minutes_dialog

        if self.meeting is None:
            return None
        self.minutes_dialog = open_minutes_dialog(self, self.context, str(self.meeting["id"]),
                                                  compact=self.compact)
        return self.minutes_dialog

    def _send(self, name: str, args: dict[str, Any], words: str) -> None:
        self.context.submit(name, args, lambda _m: self.report(words), self.work.fail)

    def _publish(self) -> None:
        if self.meeting is None:
            return
        if self.meeting.get("series_id"):
            RV.publish_occurrence(self, self.meeting, lambda args: self._send(
                I.PUBLISH_SERIES.name, args,
                self.tr("Publishing: the notices go out when the server confirms it.")),
                compact=self.compact)
            return
        self._send(I.PUBLISH_MEETING.name, {"meeting_id": self.meeting["id"]},
                   self.tr("Publishing: the notice goes out when the server confirms it."))

    def _cancel(self) -> None:
        if self.meeting is None:
            return
        if self.meeting.get("series_id"):
            RV.cancel_occurrence(self, self.meeting, lambda args: self._send(
                I.CANCEL_SERIES.name, args,
                self.tr("Cancelling: it takes effect when the server confirms it.")),
                self.report, compact=self.compact)
            return
        reason, ok = QInputDialog.getText(self, self.tr("Cancel meeting"),
                                          self.tr("Reason (everyone invited is told)"))
        if not ok:
            return
        if not reason.strip():
            self.report(error_text(ValidationFailed("meetings.reason_required",
                                                    what="取消原因", what_en="a reason")))
            return
        self._send(I.CANCEL_MEETING.name, {"meeting_id": self.meeting["id"],
                                           "reason": reason.strip()},
                   self.tr("Cancelling: it takes effect when the server confirms it."))

    def _close(self) -> None:
        if self.meeting is None:
            return
        answer = QMessageBox.question(self, self.tr("Close"), self.tr(
            "Close %1? Replies stop.").replace("%1", str(self.meeting.get("subject") or "")))
        if answer == QMessageBox.StandardButton.Yes:
            self._send(I.CLOSE_MEETING.name, {"meeting_id": self.meeting["id"]},
                       self.tr("Closing: it takes effect when the server confirms it."))
