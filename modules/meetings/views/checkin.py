"""The 签到 screen of one meeting (GUI thread).

For whoever runs the check-in (organiser, 工作人员) on a device that holds the meeting's
key: a large QR code that rotates every 30 s, a scanner field (a USB 2D scanner types the
code and Enter; a pasted code works the same) for attendees' personal codes, check-in by
hand, and the live list of present / late / absent / excused. For an attendee: their own
code to show at the door, and the same field to enter the code shown at the venue.
Everything works offline: tokens are made and checked on the device and check-ins queue.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import qrcode
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout

from modules.meetings import checkin as C
from modules.meetings import intents as I
from modules.meetings.service import CheckIn
from office_app import i18n
from office_app.bus import touches
from office_app.kit import PageWork, RowListModel, list_view
from office_app.widgets import primary_button, text_label

if TYPE_CHECKING:
    from office_app.context import AppContext


@dataclass
class CheckInState:
    """One background read for the screen."""

    runs: bool = False
    token: str | None = None
    seconds_left: float = 30.0
    my_pass: str | None = None
    attendance: C.Attendance | None = None


def read_state(context: AppContext, meeting_id: str) -> CheckInState:
    """Blocking (background only)."""
    if context.cache is None:
        return CheckInState()
    ci = CheckIn(context.cache, context.engine, context.principal)  # type: ignore[arg-type]
    runs = ci.runs(meeting_id)
    return CheckInState(runs=runs, token=ci.token(meeting_id) if runs else None,
                        seconds_left=CheckIn.seconds_left(),
                        my_pass=None if runs else ci.my_pass(meeting_id),
                        attendance=ci.attendance(meeting_id) if runs else None)


def qr_pixmap(payload: str, size: int) -> QPixmap:
    """A QR code of ``payload`` as a square pixmap of about ``size`` px (CPU only)."""
    image = qrcode.make(payload, border=2)
    buffer = io.BytesIO()
    image.save(buffer)  # PNG (the default image factory is Pillow's)
    pixmap = QPixmap()
    pixmap.loadFromData(buffer.getvalue(), "PNG")
    return pixmap.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio,
                         Qt.TransformationMode.FastTransformation)


class AttendanceModel(RowListModel[C.AttendanceRow]):
    def value(self, row: C.AttendanceRow, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            zh, en = C.STATUS_WORDS.get(row.status, (row.status, row.status))
            status = en if i18n.current_lang() == "en" else zh
            when = row.checked_at[11:16] if row.checked_at else ""
            return " · ".join(x for x in (row.name, status, when, row.reason) if x)
        return super().value(row, role)


class CheckInDialog(QDialog):
    """Signals ``refreshed`` after a background read was applied (tests wait on it)."""

    refreshed = Signal()

    def __init__(self, context: AppContext, meeting: dict[str, Any], parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("CheckInDialog")
        self.setWindowTitle(self.tr("Check-in: %1").replace("%1", str(meeting.get("subject") or "")))
        self.context, self.meeting_id = context, str(meeting["id"])
        self.state = CheckInState()
        layout = QVBoxLayout(self)
        self.heading = text_label("", "heading", wrap=True)
        layout.addWidget(self.heading)
        self.qr = QLabel()
        self.qr.setObjectName("CheckInCode")
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr.setMinimumSize(310, 310)
        layout.addWidget(self.qr, 1)
        self.countdown = text_label("", "muted")
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.countdown)
        self.scanner = QLineEdit()
        self.scanner.setObjectName("CheckInScanner")
        self.scanner.returnPressed.connect(self._scanned)
        layout.addWidget(self.scanner)
        hand = QHBoxLayout()
        self.hand_name = QLineEdit()
        self.hand_name.setPlaceholderText(self.tr("Name of someone without an account"))
        self.hand_button = QPushButton(self.tr("Check in by hand"))
        self.hand_button.clicked.connect(self._by_hand)
        hand.addWidget(self.hand_name, 1)
        hand.addWidget(self.hand_button)
        layout.addLayout(hand)
        self.counts = text_label("", "notice", wrap=True)
        layout.addWidget(self.counts)
        self.model = AttendanceModel(self)
        self.list = list_view(self.model, name="Attendance")
        layout.addWidget(self.list, 1)
        self.message = text_label("", "muted", wrap=True)
        layout.addWidget(self.message)
        close = primary_button(self.tr("Done"))
        close.clicked.connect(self.accept)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)
        self.work = PageWork(self, self.message.setText)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.refresh)
        context.bus.changed.connect(self._on_changes)
        room = self.screen().availableGeometry()  # a phone: the whole screen
        self.resize(min(560, room.width()), min(880, room.height()))
        self.refresh()

    def refresh(self) -> None:
        context, meeting_id = self.context, self.meeting_id
        self.work.run(lambda: read_state(context, meeting_id), self._apply, latest="state")

    def _on_changes(self, changes: Any) -> None:
        if touches(changes, I.CHECKIN, I.CHECKIN_KEY, I.REPLY):
            self.refresh()

    def _apply(self, state: CheckInState) -> None:
        self.state = state
        code = state.token if state.runs else state.my_pass
        if state.runs:
            self.heading.setText(self.tr("Attendees scan this code with the app, or show you "
                                         "their own code to scan here."))
            self.scanner.setPlaceholderText(self.tr("Scan or paste an attendee's code, then Enter"))
        else:
            self.heading.setText(self.tr("Show this code at the door, or scan the code shown "
                                         "at the venue."))
            self.scanner.setPlaceholderText(self.tr("Scan or paste the venue's code, then Enter"))
        for w in (self.hand_name, self.hand_button, self.counts, self.list):
            w.setVisible(state.runs)
        if code:
            self.qr.setPixmap(qr_pixmap(code, 300))
        else:
            self.qr.setText(self.tr("This device has no check-in code for the meeting yet; "
                                    "it arrives with the next sync."))
        if state.runs and state.token:
            self.countdown.setText(self.tr("The code changes in %1 s").replace(
                "%1", str(max(1, int(state.seconds_left)))))
            self.timer.start(int(max(1.0, state.seconds_left) * 1000))
        else:
            self.countdown.setText("")
        if state.attendance is not None:
            lang = i18n.current_lang()
            self.counts.setText(" · ".join(
                f"{C.STATUS_WORDS[s][1 if lang == 'en' else 0]} {n}"
                for s, n in state.attendance.counts.items()))
            self.model.set_rows(state.attendance.rows)
        self.refreshed.emit()

    def _scanned(self) -> None:
        payload = self.scanner.text().strip()
        self.scanner.clear()
        if not payload:
            return
        context, meeting_id = self.context, self.meeting_id

        def scan() -> str:
            ci = CheckIn(context.cache, context.engine, context.principal)  # type: ignore[arg-type]
            return ci.scan(payload, meeting_id=meeting_id, device_id="desktop")

        self.work.run(scan, lambda _m: self.message.setText(self.tr("Checked in.")))

    def _by_hand(self) -> None:
        name = self.hand_name.text().strip()
        if not name:
            return
        self.hand_name.clear()
        context, meeting_id = self.context, self.meeting_id

        def hand() -> str:
            ci = CheckIn(context.cache, context.engine, context.principal)  # type: ignore[arg-type]
            return ci.by_hand(meeting_id, name=name, device_id="desktop",
                              now=dt.datetime.now(dt.UTC))

        self.work.run(hand, lambda _m: self.message.setText(
            self.tr("%1 is checked in.").replace("%1", name)))
