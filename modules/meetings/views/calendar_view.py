"""日程 (the meetings calendar tab): the user's meetings in a day, week or month view.

Week and day views draw each meeting as a block in its time slot (overlapping meetings
side by side); the month view lists each date's meetings as lines. Holidays (休) and
make-up working days (班) of the working-day calendar (``modules.calendar``) are marked
on their dates, with the holiday's name. Clicking a meeting emits ``meeting_chosen(id)``
(the page selects it in 我的会议); clicking a date in the month view opens its day.

Phone width: the day view by default, drawn as an agenda-like list (one line per
meeting under its date), whatever the view.

GUI thread; the meetings and the marks come from the cache in the page's background
work (``load_calendar``); the widget reloads when meetings, replies or the calendar change.
(``views/calendar.py`` is the calendar *subscription* (.ics) section, not this.)
"""

from __future__ import annotations

import calendar as pycal
import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QBoxLayout,
    QButtonGroup,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from modules.calendar.rules import HOLIDAY, MAKEUP_WORKDAY
from modules.calendar.service import CalendarService
from modules.common.china_time import china_today
from modules.meetings import intents as I
from modules.meetings import meeting as M
from modules.meetings import rules as R
from modules.meetings.service import MeetingsOfMine
from office_app import i18n, theme
from office_app.bus import touches
from office_app.kit import PageWork, RowListModel, list_view
from office_app.widgets import icon_button, set_touch, text_label

if TYPE_CHECKING:
    from office_app.context import AppContext

DAY, WEEK, MONTH = "day", "week", "month"
VIEWS = (DAY, WEEK, MONTH)
FIRST_HOUR, LAST_HOUR = 7, 22  # the time axis of the day and week views (China time)
WEEKDAYS = (("一", "Mon"), ("二", "Tue"), ("三", "Wed"), ("四", "Thu"), ("五", "Fri"),
            ("六", "Sat"), ("日", "Sun"))


def _en() -> bool:
    return i18n.current_lang() == "en"


# --------------------------------------------------------------------------- dates (pure)


def visible_days(view: str, anchor: dt.date) -> list[dt.date]:
    """The dates a view shows: the day; Monday to Sunday of its week; or the whole weeks
    (Monday first) that hold the month."""
    if view == DAY:
        return [anchor]
    if view == WEEK:
        monday = anchor - dt.timedelta(days=anchor.weekday())
        return [monday + dt.timedelta(days=i) for i in range(7)]
    if view != MONTH:
        raise ValueError(f"unknown view {view!r}")
    first = anchor.replace(day=1)
    last = first.replace(day=pycal.monthrange(first.year, first.month)[1])
    start = first - dt.timedelta(days=first.weekday())
    end = last + dt.timedelta(days=6 - last.weekday())
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


def step(view: str, anchor: dt.date, n: int) -> dt.date:
    """The anchor ``n`` days, weeks or months on (a month keeps the day where it can)."""
    if view == DAY:
        return anchor + dt.timedelta(days=n)
    if view == WEEK:
        return anchor + dt.timedelta(weeks=n)
    months = anchor.year * 12 + anchor.month - 1 + n
    year, month = divmod(months, 12)
    return dt.date(year, month + 1, min(anchor.day, pycal.monthrange(year, month + 1)[1]))


def title(view: str, anchor: dt.date) -> str:
    """'2026年10月5日 星期一', '2026年10月5日–11日', '2026年10月' (or in English)."""
    days = visible_days(view, anchor)
    if view == DAY:
        wd = WEEKDAYS[anchor.weekday()]
        return (f"{wd[1]} {anchor:%b} {anchor.day}, {anchor.year}" if _en()
                else f"{anchor.year}年{anchor.month}月{anchor.day}日 星期{wd[0]}")
    if view == WEEK:
        a, b = days[0], days[-1]
        if _en():
            return f"{a:%b} {a.day} – {b:%b} {b.day}, {b.year}"
        tail = f"{b.day}日" if a.month == b.month else f"{b.month}月{b.day}日"
        return f"{a.year}年{a.month}月{a.day}日–{tail}"
    return f"{anchor:%B %Y}" if _en() else f"{anchor.year}年{anchor.month}月"


@dataclass(frozen=True)
class DayMark:
    """What the working-day calendar says of a date: ``holiday`` (休), ``makeup_workday``
    (班) or ``""``, with the holiday's name."""

    kind: str = ""
    name: str = ""

    def badge(self) -> str:
        if self.kind == HOLIDAY:
            return "Off" if _en() else "休"
        if self.kind == MAKEUP_WORKDAY:
            return "Work" if _en() else "班"
        return ""

    def words(self) -> str:
        if self.kind == HOLIDAY:
            return self.name or QCoreApplication.translate("MeetingsCalendar", "Holiday")
        if self.kind == MAKEUP_WORKDAY:
            return (QCoreApplication.translate("MeetingsCalendar", "Make-up working day")
                    + (f" ({self.name})" if self.name else ""))
        return ""


@dataclass(frozen=True)
class Block:
    """A meeting on one date (China time), clipped to that date."""

    meeting: dict[str, Any]
    day: dt.date
    start: dt.datetime
    end: dt.datetime

    @property
    def id(self) -> str:
        return str(self.meeting["id"])

    @property
    def cancelled(self) -> bool:
        return self.meeting.get("state") == M.CANCELLED

    def place(self) -> str:
        return str(self.meeting.get("room_name") or self.meeting.get("place")
                   or (QCoreApplication.translate("MeetingsCalendar", "video")
                       if self.meeting.get("video_url") else ""))


def blocks_by_day(meetings: list[dict[str, Any]], days: list[dt.date]) -> dict[dt.date, list[Block]]:
    """Each shown date's meetings as blocks, by start."""
    out: dict[dt.date, list[Block]] = {d: [] for d in days}
    for meeting in meetings:
        start = R.parse_time(meeting["start"]).astimezone(R.CHINA)
        end = R.parse_time(meeting["end"]).astimezone(R.CHINA)
        day = start.date()
        while day <= (end - dt.timedelta(microseconds=1)).date() or day == start.date():
            if day in out:
                lo = max(start, dt.datetime.combine(day, dt.time(0), R.CHINA))
                hi = min(end, dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), R.CHINA))
                out[day].append(Block(meeting, day, lo, hi))
            day += dt.timedelta(days=1)
    for rows in out.values():
        rows.sort(key=lambda b: (b.start, b.end, b.id))
    return out


def lanes(blocks: list[Block]) -> list[tuple[Block, int, int]]:
    """(block, lane, lanes of its cluster): overlapping meetings side by side."""
    out: list[tuple[Block, int, int]] = []
    cluster: list[tuple[Block, int]] = []
    ends: list[dt.datetime] = []
    cluster_end: dt.datetime | None = None

    def flush() -> None:
        width = max((lane for _b, lane in cluster), default=-1) + 1
        out.extend((b, lane, width) for b, lane in cluster)

    for block in blocks:
        if cluster_end is not None and block.start >= cluster_end:
            flush()
            cluster, ends, cluster_end = [], [], None
        lane = next((i for i, e in enumerate(ends) if e <= block.start), len(ends))
        if lane == len(ends):
            ends.append(block.end)
        else:
            ends[lane] = block.end
        cluster.append((block, lane))
        cluster_end = block.end if cluster_end is None else max(cluster_end, block.end)
    flush()
    return out


# --------------------------------------------------------------------------- loading


@dataclass
class CalendarLoaded:
    """One background read: the user's meetings overlapping the days, and the marks."""

    days: list[dt.date] = field(default_factory=list)
    meetings: list[dict[str, Any]] = field(default_factory=list)
    marks: dict[dt.date, DayMark] = field(default_factory=dict)


def load_calendar(context: AppContext, days: list[dt.date]) -> CalendarLoaded:
    """Blocking (background only): my meetings (invited, involved or organised; drafts
    left out) that touch ``days``, and the holiday marks of those days."""
    if context.cache is None or not days:
        return CalendarLoaded(days)
    mine = MeetingsOfMine(context.cache, context.engine, context.principal)  # type: ignore[arg-type]
    lists = mine.lists()
    seen: dict[str, dict[str, Any]] = {}
    for name in ("today", "upcoming", "past", "organised"):
        for meeting in lists[name]:
            if meeting.get("state") != M.DRAFT:
                seen.setdefault(str(meeting["id"]), meeting)
    lo = dt.datetime.combine(days[0], dt.time(0), R.CHINA)
    hi = dt.datetime.combine(days[-1] + dt.timedelta(days=1), dt.time(0), R.CHINA)
    meetings = sorted((m for m in seen.values()
                       if R.overlaps(R.parse_time(m["start"]), R.parse_time(m["end"]), lo, hi)),
                      key=lambda m: (str(m["start"]), str(m["id"])))
    table = CalendarService(context.cache).table()
    marks = {d: DayMark(e.kind, e.name) for d in days
             if table.covers(d.year) and (e := table.entries.get(d)) is not None}
    return CalendarLoaded(days, meetings, marks)


# --------------------------------------------------------------------------- agenda


@dataclass(frozen=True)
class AgendaRow:
    """A line of the agenda: a date heading (``block`` None) or a meeting under it."""

    id: str
    day: dt.date
    mark: DayMark
    block: Block | None = None


def agenda_rows(data: CalendarLoaded, today: dt.date) -> list[AgendaRow]:
    """Every date that has meetings, a mark, or is today (a single day always), with its
    meetings under it."""
    by_day = blocks_by_day(data.meetings, data.days)
    rows: list[AgendaRow] = []
    for day in data.days:
        mark = data.marks.get(day, DayMark())
        blocks = by_day.get(day, [])
        if not blocks and not mark.kind and day != today and len(data.days) > 1:
            continue
        rows.append(AgendaRow(f"day:{day.isoformat()}", day, mark))
        rows += [AgendaRow(f"{b.id}@{day.isoformat()}", day, mark, b) for b in blocks]
    return rows


def day_words(day: dt.date) -> str:
    wd = WEEKDAYS[day.weekday()]
    return f"{wd[1]} {day:%b} {day.day}" if _en() else f"{day.month}月{day.day}日 星期{wd[0]}"


class AgendaModel(RowListModel[AgendaRow]):
    """The agenda list: date headings (bold, with the holiday's name or 调休) and one line
    per meeting (time, subject, place; cancelled ones say so)."""

    def value(self, row: AgendaRow, role: int) -> Any:
        block = row.block
        if role == Qt.ItemDataRole.DisplayRole:
            if block is None:
                mark = row.mark.words()
                return day_words(row.day) + (f" · {mark}" if mark else "")
            when = f"{block.start:%H:%M}–{block.end:%H:%M}"
            extra = (" · " + QCoreApplication.translate("MeetingsCalendar", "cancelled")
                     if block.cancelled else "")
            return f"{when}  {block.meeting.get('subject', '')}\n{block.place()}{extra}".rstrip()
        if role == Qt.ItemDataRole.FontRole and block is None:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole:
            if block is None and row.mark.kind == HOLIDAY:
                return theme.color("danger")
            if block is None and row.mark.kind == MAKEUP_WORKDAY:
                return theme.color("warn")
            if block is not None and block.cancelled:
                return theme.color("muted")
        if role == Qt.ItemDataRole.ToolTipRole and block is not None:
            return str(block.meeting.get("subject", ""))
        return super().value(row, role)

    def flags(self, index: Any) -> Qt.ItemFlag:
        row = self._row_for(index)
        if row is None:
            return Qt.ItemFlag.NoItemFlags
        if row.block is None:
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


# --------------------------------------------------------------------------- canvas


class CalendarCanvas(QWidget):
    """Paints the week / day view (time axis, a column per date, meeting blocks) or the
    month view (a cell per date, meetings as lines). ``meeting_clicked(id)``,
    ``day_clicked(date)`` (the month view's dates)."""

    meeting_clicked = Signal(str)
    day_clicked = Signal(object)

    HEADER = 46
    HOUR = 44
    AXIS = 52
    MONTH_HEADER = 26

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CalendarCanvas")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.view = WEEK
        self.days: list[dt.date] = []
        self.by_day: dict[dt.date, list[Block]] = {}
        self.marks: dict[dt.date, DayMark] = {}
        self.month = china_today()
        self.today = china_today()
        self._hits: list[tuple[QRectF, str]] = []
        self._day_hits: list[tuple[QRectF, dt.date]] = []
        self.setMouseTracking(True)

    def set_data(self, view: str, anchor: dt.date, data: CalendarLoaded, today: dt.date) -> None:
        self.view, self.month, self.today = view, anchor, today
        self.days = list(data.days)
        self.by_day = blocks_by_day(data.meetings, self.days)
        self.marks = dict(data.marks)
        self.setFixedHeight(self.sizeHint().height())
        self.update()

    def sizeHint(self) -> QSize:
        if self.view == MONTH:
            weeks = max(len(self.days) // 7, 1)
            return QSize(700, self.MONTH_HEADER + weeks * 112)
        return QSize(700, self.HEADER + (LAST_HOUR - FIRST_HOUR) * self.HOUR + 8)

    def hour_y(self, hour: float) -> float:
        return self.HEADER + (hour - FIRST_HOUR) * self.HOUR

    def meeting_rects(self) -> dict[str, QRectF]:
        """Where each meeting was drawn last (for tests and hit-testing)."""
        return {m: r for r, m in self._hits}

    # -- painting -------------------------------------------------------------------
    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._hits, self._day_hits = [], []
        c = theme.colors()
        painter.fillRect(self.rect(), QColor(c["surface"]))
        if self.view == MONTH:
            self._paint_month(painter, c)
        else:
            self._paint_days(painter, c)
        painter.end()

    def _badge(self, painter: QPainter, rect: QRectF, mark: DayMark, c: dict[str, str]) -> None:
        if not mark.kind:
            return
        colour = c["danger"] if mark.kind == HOLIDAY else c["warn"]
        painter.setPen(QColor(colour))
        font = QFont(self.font())
        font.setBold(True)
        font.setPointSizeF(max(font.pointSizeF() - 1, 7))
        painter.setFont(font)
        painter.drawText(rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop, mark.badge())
        painter.setFont(self.font())

    def _day_fill(self, mark: DayMark, day: dt.date, c: dict[str, str]) -> QColor | None:
        if mark.kind == HOLIDAY:
            return QColor(c["danger_soft"])
        if mark.kind == MAKEUP_WORKDAY:
            return QColor(c["warn_soft"])
        if day.weekday() >= 5:
            return QColor(c["window"])
        return None

    def _paint_days(self, painter: QPainter, c: dict[str, str]) -> None:
        width = self.width() - self.AXIS
        n = max(len(self.days), 1)
        col = width / n
        bottom = self.hour_y(LAST_HOUR)
        metrics = QFontMetrics(self.font())
        for i, day in enumerate(self.days):
            x = self.AXIS + i * col
            mark = self.marks.get(day, DayMark())
            fill = self._day_fill(mark, day, c)
            if fill is not None:
                painter.fillRect(QRectF(x, 0, col, bottom), fill)
            head = QRectF(x + 6, 4, col - 12, self.HEADER - 8)
            painter.setPen(QColor(c["accent"] if day == self.today else c["text"]))
            wd = WEEKDAYS[day.weekday()]
            label = (f"{wd[1]} {day.day}" if _en() else f"{day.month}/{day.day} 周{wd[0]}")
            font = QFont(self.font())
            font.setBold(day == self.today)
            painter.setFont(font)
            painter.drawText(head, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, label)
            painter.setFont(self.font())
            below = mark.name if mark.kind == HOLIDAY else (
                QCoreApplication.translate("MeetingsCalendar", "Make-up working day")
                if mark.kind == MAKEUP_WORKDAY else "")
            if below:
                painter.setPen(QColor(c["danger"] if mark.kind == HOLIDAY else c["warn"]))
                painter.drawText(head, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
                                 metrics.elidedText(below, Qt.TextElideMode.ElideRight,
                                                    int(head.width())))
            self._badge(painter, head, mark, c)
            painter.setPen(QPen(QColor(c["border"]), 1))
            painter.drawLine(QPointF(x, 0), QPointF(x, bottom))
        painter.setPen(QPen(QColor(c["border"]), 1))
        for hour in range(FIRST_HOUR, LAST_HOUR + 1):
            y = self.hour_y(hour)
            painter.drawLine(QPointF(self.AXIS - 4, y), QPointF(self.width(), y))
        painter.setPen(QColor(c["muted"]))
        for hour in range(FIRST_HOUR, LAST_HOUR):
            painter.drawText(QRectF(0, self.hour_y(hour) - 2, self.AXIS - 8, 18),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop, f"{hour:02d}:00")
        if self.today in self.days:
            now = dt.datetime.now(R.CHINA)
            at_hour = now.hour + now.minute / 60
            if FIRST_HOUR <= at_hour <= LAST_HOUR:
                i = self.days.index(self.today)
                y = self.hour_y(at_hour)
                painter.setPen(QPen(QColor(c["danger"]), 2))
                painter.drawLine(QPointF(self.AXIS + i * col, y), QPointF(self.AXIS + (i + 1) * col, y))
        for i, day in enumerate(self.days):
            x = self.AXIS + i * col
            for block, lane, count in lanes(self.by_day.get(day, [])):
                self._paint_block(painter, c, block, x, col, lane, count, metrics)

    def _paint_block(self, painter: QPainter, c: dict[str, str], block: Block, x: float,
                     col: float, lane: int, count: int, metrics: QFontMetrics) -> None:
        start = block.start.hour + block.start.minute / 60
        end = block.end.hour + block.end.minute / 60 if block.end.date() == block.day else 24.0
        top = self.hour_y(max(start, FIRST_HOUR))
        low = self.hour_y(min(max(end, start + 0.5), LAST_HOUR))
        if low <= top:  # outside the axis: a thin block at its edge
            top, low = ((self.hour_y(FIRST_HOUR), self.hour_y(FIRST_HOUR) + 18) if start < FIRST_HOUR
                        else (self.hour_y(LAST_HOUR) - 18, self.hour_y(LAST_HOUR)))
        lane_w = (col - 6) / count
        rect = QRectF(x + 3 + lane * lane_w, top + 1, lane_w - 2, low - top - 2)
        fill = QColor(c["window"] if block.cancelled else c["accent_soft"])
        edge = QColor(c["muted"] if block.cancelled else c["accent"])
        painter.setPen(QPen(edge, 1))
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, 4, 4)
        painter.fillRect(QRectF(rect.x(), rect.y(), 3, rect.height()), edge)
        painter.setPen(QColor(c["muted"] if block.cancelled else c["text"]))
        inner = rect.adjusted(7, 3, -4, -2)
        font = QFont(self.font())
        font.setStrikeOut(block.cancelled)
        painter.setFont(font)
        subject = str(block.meeting.get("subject", ""))
        one = f"{block.start:%H:%M} {subject}"
        lines = ([one, block.place()] if metrics.horizontalAdvance(one) <= inner.width()
                 else [f"{block.start:%H:%M}", subject, block.place()])  # narrow: one per line
        y = inner.y()
        for line in lines:
            if not line or y + metrics.height() > inner.bottom() + 2:
                break
            painter.drawText(QRectF(inner.x(), y, inner.width(), metrics.height()),
                             Qt.AlignmentFlag.AlignLeft,
                             metrics.elidedText(line, Qt.TextElideMode.ElideRight, int(inner.width())))
            y += metrics.height()
        painter.setFont(self.font())
        painter.setBrush(Qt.BrushStyle.NoBrush)
        self._hits.append((rect, block.id))

    def _paint_month(self, painter: QPainter, c: dict[str, str]) -> None:
        weeks = max(len(self.days) // 7, 1)
        col = self.width() / 7
        row_h = (self.height() - self.MONTH_HEADER) / weeks
        metrics = QFontMetrics(self.font())
        painter.setPen(QColor(c["muted"]))
        for i, wd in enumerate(WEEKDAYS):
            painter.drawText(QRectF(i * col, 0, col, self.MONTH_HEADER),
                             Qt.AlignmentFlag.AlignCenter, wd[1] if _en() else wd[0])
        line_h = metrics.height() + 2
        for n, day in enumerate(self.days):
            r, k = divmod(n, 7)
            cell = QRectF(k * col, self.MONTH_HEADER + r * row_h, col, row_h)
            mark = self.marks.get(day, DayMark())
            fill = self._day_fill(mark, day, c)
            if fill is not None:
                painter.fillRect(cell, fill)
            painter.setPen(QPen(QColor(c["border"]), 1))
            painter.drawRect(cell)
            head = cell.adjusted(6, 4, -6, 0)
            head.setHeight(line_h)
            other = day.month != self.month.month
            painter.setPen(QColor(c["accent"] if day == self.today
                                  else c["muted"] if other else c["text"]))
            font = QFont(self.font())
            font.setBold(day == self.today)
            painter.setFont(font)
            painter.drawText(head, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             str(day.day))
            painter.setFont(self.font())
            self._badge(painter, head, mark, c)
            if mark.kind == HOLIDAY and mark.name:
                painter.setPen(QColor(c["danger"]))
                name_rect = head.adjusted(metrics.horizontalAdvance("30 "), 0,
                                          -metrics.horizontalAdvance("休 "), 0)
                painter.drawText(name_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                                 metrics.elidedText(mark.name, Qt.TextElideMode.ElideRight,
                                                    int(max(name_rect.width(), 0))))
            self._day_hits.append((cell, day))
            blocks = self.by_day.get(day, [])
            room = max(int((cell.height() - line_h - 6) // line_h), 1)
            shown = blocks if len(blocks) <= room else blocks[:room - 1]
            y = head.bottom() + 2
            for block in shown:
                line = QRectF(cell.x() + 4, y, cell.width() - 8, line_h - 1)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor(c["window"] if block.cancelled else c["accent_soft"]))
                painter.drawRoundedRect(line, 3, 3)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.setPen(QColor(c["muted"] if block.cancelled else c["text"]))
                text = f"{block.start:%H:%M} {block.meeting.get('subject', '')}"
                painter.drawText(line.adjusted(4, 0, -2, 0), Qt.AlignmentFlag.AlignVCenter,
                                 metrics.elidedText(text, Qt.TextElideMode.ElideRight,
                                                    int(line.width() - 6)))
                self._hits.append((line, block.id))
                y += line_h
            if len(shown) < len(blocks):
                painter.setPen(QColor(c["muted"]))
                more = QCoreApplication.translate("MeetingsCalendar", "+%1 more")
                painter.drawText(QRectF(cell.x() + 6, y, cell.width() - 8, line_h),
                                 Qt.AlignmentFlag.AlignVCenter,
                                 more.replace("%1", str(len(blocks) - len(shown))))

    # -- clicks ---------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.click_at(event.position())

    def click_at(self, point: QPointF) -> None:
        for rect, meeting_id in reversed(self._hits):
            if rect.contains(point):
                self.meeting_clicked.emit(meeting_id)
                return
        for rect, day in self._day_hits:
            if rect.contains(point):
                self.day_clicked.emit(day)
                return


# --------------------------------------------------------------------------- the tab


class MeetingsCalendar(QWidget):
    """The Calendar tab. ``loaded`` after a background load was applied;
    ``meeting_chosen(id)`` when a meeting is clicked."""

    loaded = Signal()
    meeting_chosen = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("MeetingsCalendar")
        self.context = context
        self.view = WEEK
        self.anchor = dt.datetime.now(R.CHINA).date()
        self.data = CalendarLoaded()
        self._compact = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        bar = QHBoxLayout()
        self.prev = icon_button("back", self.tr("Previous"))
        self.next = icon_button("forward", self.tr("Next"))
        self.today_button = QPushButton(self.tr("Today"))
        self.heading = text_label("", "heading")
        self.heading.setObjectName("CalendarTitle")
        self.prev.clicked.connect(lambda: self.go(-1))
        self.next.clicked.connect(lambda: self.go(1))
        self.today_button.clicked.connect(self.go_today)
        self.view_buttons: dict[str, QPushButton] = {}
        group = QButtonGroup(self)
        group.setExclusive(True)
        for key, text in ((DAY, self.tr("Day")), (WEEK, self.tr("Week")), (MONTH, self.tr("Month"))):
            button = QPushButton(text)
            button.setObjectName(f"calendar-{key}")
            button.setCheckable(True)
            button.clicked.connect(lambda _c=False, k=key: self.set_view(k))
            group.addButton(button)
            self.view_buttons[key] = button
        for w in (self.prev, self.heading, self.next, self.today_button):
            bar.addWidget(w)
        bar.addStretch(1)
        views = QHBoxLayout()
        for button in self.view_buttons.values():
            views.addWidget(button)
        # one row when wide; at phone width the view buttons go on a row of their own
        self.controls = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.controls.addLayout(bar, 1)
        self.controls.addLayout(views)
        layout.addLayout(self.controls)

        self.canvas = CalendarCanvas()
        self.canvas.meeting_clicked.connect(self.meeting_chosen)
        self.canvas.day_clicked.connect(self._day_clicked)
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        self.scroller.setWidget(self.canvas)
        self.agenda_model = AgendaModel(self)
        self.agenda = list_view(self.agenda_model, name="CalendarAgenda",
                                on_pick=lambda index: self._agenda_picked(index.row()))
        self.agenda.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.scroller)
        self.stack.addWidget(self.agenda)
        layout.addWidget(self.stack, 1)
        self.legend = text_label(self.tr("Red: public holiday · Orange: make-up working "
                                         "day · Click a meeting to open it"), "muted", wrap=True)
        layout.addWidget(self.legend)
        self.status = text_label("", "muted", wrap=True)
        layout.addWidget(self.status)
        self.work = PageWork(self, self.status.setText)
        context.bus.changed.connect(self._on_changes)
        self.view_buttons[self.view].setChecked(True)
        self._show_title()
        self.reload()

    # -- hooks ----------------------------------------------------------------------
    def set_compact(self, compact: bool) -> None:
        """Phone width: the day view as an agenda list (switching views still works)."""
        if compact == self._compact:
            return
        self._compact = compact
        set_touch(compact, self.today_button, *self.view_buttons.values())
        self.stack.setCurrentWidget(self.agenda if compact else self.scroller)
        self.controls.setDirection(QBoxLayout.Direction.TopToBottom if compact
                                   else QBoxLayout.Direction.LeftToRight)
        self.set_view(DAY if compact else WEEK)

    def set_view(self, view: str) -> None:
        self.view = view
        self.view_buttons[view].setChecked(True)
        self._show_title()
        self.reload()

    def set_anchor(self, day: dt.date) -> None:
        self.anchor = day
        self._show_title()
        self.reload()

    def go(self, n: int) -> None:
        self.set_anchor(step(self.view, self.anchor, n))

    def go_today(self) -> None:
        self.set_anchor(dt.datetime.now(R.CHINA).date())

    def _show_title(self) -> None:
        self.heading.setText(title(self.view, self.anchor))

    # -- loading --------------------------------------------------------------------
    def reload(self) -> None:
        context, days = self.context, visible_days(self.view, self.anchor)
        self.work.run(lambda: load_calendar(context, days), self._apply, latest="load")

    def _on_changes(self, changes: Any) -> None:
        if touches(changes, I.MEETING, I.REPLY, I.NOMINATION, "calendar.year"):
            self.reload()

    def _apply(self, data: CalendarLoaded) -> None:
        self.data = data
        today = dt.datetime.now(R.CHINA).date()
        self.canvas.set_data(self.view, self.anchor, data, today)
        self.agenda_model.set_rows(agenda_rows(data, today))
        self.status.setText("" if data.meetings else self.tr("No meetings in these days."))
        self.loaded.emit()

    # -- clicks ---------------------------------------------------------------------
    def _day_clicked(self, day: dt.date) -> None:
        self.anchor = day
        self.set_view(DAY)

    def _agenda_picked(self, row: int) -> None:
        found = self.agenda_model.row_at(row)
        if found is not None and found.block is not None:
            self.meeting_chosen.emit(found.block.id)
