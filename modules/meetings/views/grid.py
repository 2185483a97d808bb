"""The day grid of the rooms page: one row per room, one column per hour of the day,
each booking a block from its start to its end (GUI thread; paints what it is given).

Clicking a free part of a row emits ``slot_clicked(room_id, start)`` (on the half hour),
a booking ``booking_clicked(booking)``, a room's name ``room_clicked(room_id)``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from modules.common.china_time import china_today
from modules.meetings import rules as R
from modules.meetings.views.models import state_label
from office_app import theme

FIRST_HOUR, LAST_HOUR = 7, 23


@dataclass(frozen=True)
class GridRow:
    room: R.Room
    bookings: tuple[dict[str, Any], ...]


class DayGrid(QWidget):
    slot_clicked = Signal(str, object)
    booking_clicked = Signal(object)
    room_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("DayGrid")
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._rows: list[GridRow] = []
        self._day = china_today()
        self._label_w, self._hour_w, self._row_h, self._head_h = 168, 64, 58, 28
        self._min_hour_w = 52

    # -- content --------------------------------------------------------------------
    def set_day(self, day: dt.date, rows: list[GridRow]) -> None:
        self._day, self._rows = day, list(rows)
        self.updateGeometry()
        self.setMinimumHeight(self.sizeHint().height())
        self.update()

    def rows(self) -> list[GridRow]:
        return list(self._rows)

    def set_compact(self, compact: bool) -> None:
        self._label_w, self._min_hour_w = (112, 48) if compact else (168, 52)
        self._fit()
        self.updateGeometry()
        self.setMinimumWidth(self.sizeHint().width())
        self.update()

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._fit()
        super().resizeEvent(event)

    def _fit(self) -> None:
        """Hours share the width there is, never narrower than the minimum."""
        hours = LAST_HOUR - FIRST_HOUR
        self._hour_w = max(self._min_hour_w, int((self.width() - self._label_w - 8) / hours))

    def label_width(self) -> int:
        return self._label_w

    def hour_x(self, hour: int) -> int:
        """The x of ``hour``'s line."""
        return int(self._label_w + (hour - FIRST_HOUR) * self._hour_w)

    def sizeHint(self) -> QSize:
        hours = LAST_HOUR - FIRST_HOUR
        return QSize(self._label_w + hours * self._min_hour_w + 8,
                     self._head_h + max(1, len(self._rows)) * self._row_h + 4)

    # -- geometry -------------------------------------------------------------------
    def _x(self, when: dt.datetime) -> float:
        local = when.astimezone(R.CHINA)
        if local.date() < self._day:
            hours = 0.0
        elif local.date() > self._day:
            hours = float(LAST_HOUR - FIRST_HOUR)
        else:
            hours = local.hour + local.minute / 60 - FIRST_HOUR
        return self._label_w + max(0.0, min(hours, LAST_HOUR - FIRST_HOUR)) * self._hour_w

    def block_rect(self, row: int, booking: dict[str, Any]) -> QRectF:
        top = self._head_h + row * self._row_h
        x0 = self._x(R.parse_time(booking["start"]))
        x1 = self._x(R.parse_time(booking["end"]))
        return QRectF(x0 + 1, top + 5, max(6.0, x1 - x0 - 2), self._row_h - 10)

    def time_at(self, x: float) -> dt.datetime | None:
        if x < self._label_w:
            return None
        half_hours = int((x - self._label_w) / (self._hour_w / 2))
        minutes = FIRST_HOUR * 60 + half_hours * 30
        if minutes >= LAST_HOUR * 60:
            return None
        return dt.datetime.combine(self._day, dt.time(minutes // 60, minutes % 60), R.CHINA)

    # -- painting -------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        c = theme.colors()
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        width = self._label_w + (LAST_HOUR - FIRST_HOUR) * self._hour_w
        p.setPen(QColor(c["muted"]))
        small = p.font()
        small.setPointSizeF(max(7.5, small.pointSizeF() * 0.85))
        p.setFont(small)
        for h in range(FIRST_HOUR, LAST_HOUR + 1):
            x = self._label_w + (h - FIRST_HOUR) * self._hour_w
            p.drawText(QRectF(x - 20, 4, 40, self._head_h - 8), Qt.AlignmentFlag.AlignCenter, f"{h:02d}")
        now = dt.datetime.now(R.CHINA)
        for i, row in enumerate(self._rows):
            top = self._head_h + i * self._row_h
            if i % 2:
                p.fillRect(QRectF(0, top, width, self._row_h), QColor(c["hover"]))
            p.setPen(QPen(QColor(c["border"]), 1))
            p.drawLine(QPointF(0, top), QPointF(width, top))
            for h in range(FIRST_HOUR, LAST_HOUR + 1):
                x = self._label_w + (h - FIRST_HOUR) * self._hour_w
                p.drawLine(QPointF(x, top), QPointF(x, top + self._row_h))
            if row.room.closed_reason:
                p.fillRect(QRectF(self._label_w, top + 1, width - self._label_w, self._row_h - 1),
                           QColor(c["danger_soft"]))
                p.setPen(QColor(c["danger"]))
                text_x = self.scrolled_by() + self._label_w + 8
                p.drawText(QRectF(text_x, top, width - text_x - 8, self._row_h),
                           Qt.AlignmentFlag.AlignVCenter, row.room.closed_reason)
            for booking in row.bookings:
                self._paint_booking(p, self.block_rect(i, booking), booking, c)
        if now.date() == self._day and FIRST_HOUR <= now.hour < LAST_HOUR:
            now_x = self._x(now)
            p.setPen(QPen(QColor(c["danger"]), 2))
            p.drawLine(QPointF(now_x, self._head_h),
                       QPointF(now_x, self._head_h + len(self._rows) * self._row_h))
        # The room names stay in view when the hours scroll sideways (phone width).
        left = self.scrolled_by()
        body_h = len(self._rows) * self._row_h
        p.fillRect(QRectF(left, self._head_h, self._label_w, body_h), QColor(c["surface"]))
        p.setPen(QPen(QColor(c["border"]), 1))
        p.drawLine(QPointF(left + self._label_w, self._head_h),
                   QPointF(left + self._label_w, self._head_h + body_h))
        for i, row in enumerate(self._rows):
            top = self._head_h + i * self._row_h
            self._paint_label(p, row.room, QRectF(left + 8, top, self._label_w - 12, self._row_h), c)
        p.end()

    def scrolled_by(self) -> float:
        """How far the grid is scrolled sideways inside its scroll area (0 when not)."""
        return float(max(0, -self.x()))

    def _paint_label(self, p: QPainter, room: R.Room, rect: QRectF, c: dict[str, str]) -> None:
        p.setPen(QColor(c["text"]))
        name = p.font()
        name.setBold(True)
        p.setFont(name)
        p.drawText(rect.adjusted(0, 6, 0, -rect.height() / 2), Qt.AlignmentFlag.AlignLeft, room.name)
        name.setBold(False)
        p.setFont(name)
        p.setPen(QColor(c["muted"]))
        seats = (QCoreApplication.translate("Meetings", "%1 seats").replace("%1", str(room.capacity))
                 if room.capacity else "")
        approval = QCoreApplication.translate("Meetings", "approval") if room.needs_approval else ""
        detail = " · ".join(x for x in (room.floor, seats, approval) if x)
        p.drawText(rect.adjusted(0, rect.height() / 2, 0, 0), Qt.AlignmentFlag.AlignLeft, detail)

    def _paint_booking(self, p: QPainter, rect: QRectF, booking: dict[str, Any],
                       c: dict[str, str]) -> None:
        state = str(booking.get("state") or "")
        fill, edge = {
            R.CONFIRMED: (c["accent_soft"], c["accent"]),
            R.HELD: (c["warn_soft"], c["warn"]),
            R.REQUESTED: (c["surface"], c["muted"]),
        }.get(state, (c["surface"], c["border"]))
        p.setBrush(QColor(fill))
        pen = QPen(QColor(edge), 1.5)
        if state == R.REQUESTED:
            pen.setStyle(Qt.PenStyle.DashLine)
        p.setPen(pen)
        p.drawRoundedRect(rect, 5, 5)
        p.setPen(QColor(c["text"]))
        inner = rect.adjusted(6, 3, -4, -3)
        p.drawText(inner, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                   p.fontMetrics().elidedText(str(booking.get("subject") or ""),
                                              Qt.TextElideMode.ElideRight, int(inner.width())))
        p.setPen(QColor(c["muted"]))
        who = f"{booking.get('holder_name', '')} · {state_label(state)}"
        p.drawText(inner, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
                   p.fontMetrics().elidedText(who, Qt.TextElideMode.ElideRight, int(inner.width())))

    # -- input ----------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        row = int((pos.y() - self._head_h) // self._row_h)
        if pos.y() < self._head_h or not 0 <= row < len(self._rows):
            return
        grid_row = self._rows[row]
        if pos.x() < self.scrolled_by() + self._label_w:
            self.room_clicked.emit(grid_row.room.id)
            return
        for booking in grid_row.bookings:
            if self.block_rect(row, booking).contains(pos):
                self.booking_clicked.emit(booking)
                return
        when = self.time_at(pos.x()) if pos.x() >= self.scrolled_by() + self._label_w else None
        if when is not None and not grid_row.room.closed_reason:
            self.slot_clicked.emit(grid_row.room.id, when)
