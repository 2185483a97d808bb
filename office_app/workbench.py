"""Workbench (工作台): greeting, four counts and the one to-do list.

The list is fed from the sync cache, entity ``workbench.todo`` with fields: id, title,
module, kind (待签发/待批办/待阅/会议/督办 …), ref_id, from_name, urgency (""|"加急"|"特急"),
due_at (ISO or null), created_at (ISO), done (bool). The 会议 card counts today's
meetings and those waiting for the person's 回执 (modules/meetings/workbench_count.py);
below the list, the reminders of the last week (``reminders.notice``,
office_app/notices.py). The page reloads itself (in the background) whenever the
ChangeBus reports that one of those entities moved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from modules.common.china_time import china_now, china_stamp, in_china
from modules.meetings.workbench_count import meetings_to_mind
from modules.reminders.rules import NOTICE
from office_app import theme
from office_app.bus import touches
from office_app.context import AppContext
from office_app.kit import FIRST_FREE_ROLE, ROW_ROLE, PageWork, RowListModel, list_view
from office_app.navigation import title_for
from office_app.notices import Notice, NoticeModel, read_notices
from office_app.widgets import EmptyState, repolish, scaled_font, text_label, today_qdate

ENTITY = "workbench.todo"
#: Cached meeting records the 会议 count reads.
MEETING_ENTITIES = ("meetings.meeting", "meetings.nomination", "meetings.reply")

URGENCY_RANK = {"特急": 0, "加急": 1, "": 2}

#: Source texts marked for lupdate (QT_TRANSLATE_NOOP is typed as returning ``object``).
_KIND_SOURCES: dict[str, object] = {
    "待签发": QT_TRANSLATE_NOOP("Workbench", "To sign off"),
    "待批办": QT_TRANSLATE_NOOP("Workbench", "To instruct"),
    "待核稿": QT_TRANSLATE_NOOP("Workbench", "To review"),
    "待会签": QT_TRANSLATE_NOOP("Workbench", "To countersign"),
    "待办理": QT_TRANSLATE_NOOP("Workbench", "To handle"),
    "待阅": QT_TRANSLATE_NOOP("Workbench", "To read"),
    "会议": QT_TRANSLATE_NOOP("Workbench", "Meeting"),
    "督办": QT_TRANSLATE_NOOP("Workbench", "Supervision"),
    "待用印": QT_TRANSLATE_NOOP("Workbench", "Seal request"),
}
_URGENCY_SOURCES: dict[str, object] = {
    "特急": QT_TRANSLATE_NOOP("Workbench", "Extra urgent"),
    "加急": QT_TRANSLATE_NOOP("Workbench", "Urgent"),
}


def kind_label(kind: str) -> str:
    """A to-do kind in the interface language (unknown kinds are shown as stored)."""
    source = _KIND_SOURCES.get(kind)
    return QCoreApplication.translate("Workbench", str(source)) if source else kind


def urgency_label(urgency: str) -> str:
    source = _URGENCY_SOURCES.get(urgency)
    return QCoreApplication.translate("Workbench", str(source)) if source else ""


def parse_time(value: Any) -> datetime | None:
    """ISO 8601 text → aware UTC datetime; None/invalid → None."""
    if not value or not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Todo:
    """One open to-do as the list shows it."""

    id: str
    title: str
    module: str
    kind: str
    ref_id: str
    from_name: str
    urgency: str
    due_at: datetime | None
    created_at: datetime | None

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Todo:
        return cls(
            id=str(record.get("id", "")),
            title=str(record.get("title") or ""),
            module=str(record.get("module") or ""),
            kind=str(record.get("kind") or ""),
            ref_id=str(record.get("ref_id") or ""),
            from_name=str(record.get("from_name") or ""),
            urgency=str(record.get("urgency") or ""),
            due_at=parse_time(record.get("due_at")),
            created_at=parse_time(record.get("created_at")),
        )

    def sort_key(self) -> tuple[int, float, float]:
        due = self.due_at.timestamp() if self.due_at else float("inf")
        created = -(self.created_at.timestamp() if self.created_at else 0.0)
        return (URGENCY_RANK.get(self.urgency, 2), due, created)


#: Filters behind the four count cards.
FILTERS = ("todo", "read", "supervision", "meetings")


def matches(todo: Todo, key: str | None) -> bool:
    """Whether ``todo`` belongs under count card ``key`` (None = everything)."""
    if key is None:
        return True
    if key == "read":
        return todo.kind == "待阅"
    if key == "todo":
        return todo.kind != "待阅"
    if key == "supervision":
        return todo.module == "supervision" or todo.kind == "督办"
    if key == "meetings":
        return todo.module == "meetings" or todo.kind == "会议"
    return True


def open_todos(records: list[dict[str, Any]]) -> list[Todo]:
    """Open to-dos (done = false) in display order: 特急, 加急, then by due date."""
    todos = [Todo.from_record(r) for r in records if not r.get("done")]
    return sorted(todos, key=Todo.sort_key)


def counts(todos: list[Todo]) -> dict[str, int]:
    """Counts for the four cards: 待办 / 待阅 / 督办 / 会议."""
    return {key: sum(1 for t in todos if matches(t, key)) for key in FILTERS}


@dataclass(frozen=True)
class WorkbenchData:
    """What the page shows, read in the background."""

    todos: list[Todo]
    meetings: int = 0
    notices: list[Notice] = field(default_factory=list)


def read_workbench(context: AppContext, now: datetime | None = None) -> WorkbenchData:
    """Background: the open to-dos, the 会议 count and the recent reminders."""
    todos = open_todos(context.list_entities(ENTITY))
    meeting, nomination, reply = (context.list_entities(e) for e in MEETING_ENTITIES)
    refs = [t.ref_id for t in todos if t.module == "meetings"]
    mind = meetings_to_mind(meeting, nomination, reply, context.person_id,
                            now or datetime.now(UTC), refs)
    return WorkbenchData(todos, len(mind), read_notices(context))


class TodoModel(RowListModel[Todo]):
    """Flat list model of :class:`Todo`; the roles below carry each field."""

    TodoRole = ROW_ROLE
    KindRole = FIRST_FREE_ROLE
    UrgencyRole = FIRST_FREE_ROLE + 1
    ModuleRole = FIRST_FREE_ROLE + 2
    RefRole = FIRST_FREE_ROLE + 3

    def set_items(self, items: list[Todo]) -> None:
        """Show ``items`` (the kit's ``set_rows``)."""
        self.set_rows(items)

    def items(self) -> list[Todo]:
        """The to-dos shown (the kit's ``rows``)."""
        return self.rows()

    def value(self, todo: Todo, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return todo.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{kind_label(todo.kind)} · {todo.title}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{urgency_label(todo.urgency)} {kind_label(todo.kind)} {todo.title}".strip()
        fields = {self.KindRole: todo.kind, self.UrgencyRole: todo.urgency,
                  self.ModuleRole: todo.module, self.RefRole: todo.ref_id}
        if role in fields:
            return fields[role]
        return super().value(todo, role)


def due_text(due: datetime | None, now: datetime | None = None) -> tuple[str, bool]:
    """("截止 11-25 17:00", overdue?) in China time; ("", False) when no due date."""
    if due is None:
        return "", False
    now = now or datetime.now(UTC)
    stamp = china_stamp(due)
    if due < now:
        return QCoreApplication.translate("Workbench", "Overdue %1").replace("%1", stamp), True
    return QCoreApplication.translate("Workbench", "Due %1").replace("%1", stamp), False


class TodoDelegate(QStyledItemDelegate):
    """Paints a to-do as a two-line row: urgency tag, title; kind · from · due; module."""

    ROW_HEIGHT = 68

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
                 ) -> QSize:
        return QSize(max(200, option.rect.width()), self.ROW_HEIGHT)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        todo: Todo | None = index.data(TodoModel.TodoRole)
        if todo is None:
            return
        c = theme.colors()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = option.rect.adjusted(4, 3, -4, -3)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        hovered = bool(option.state & QStyle.StateFlag.State_MouseOver)
        bg = QColor(c["accent_soft"] if selected else (c["hover"] if hovered else c["surface"]))
        painter.setPen(QPen(QColor(c["border"]), 1))
        painter.setBrush(bg)
        painter.drawRoundedRect(rect, 8, 8)

        x = rect.left() + 14
        right = rect.right() - 12
        base_font = QFont(option.font)
        # urgency tag
        if todo.urgency in ("特急", "加急"):
            tag_font = scaled_font(base_font, 0.86, bold=True)
            painter.setFont(tag_font)
            text = urgency_label(todo.urgency)
            fm = QFontMetrics(tag_font)
            w = fm.horizontalAdvance(text) + 12
            tag = QRect(x, rect.top() + 12, w, fm.height() + 4)
            colour = QColor(c["danger"] if todo.urgency == "特急" else c["warn"])
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawRoundedRect(tag, 4, 4)
            painter.setPen(QColor("#ffffff"))
            painter.drawText(tag, Qt.AlignmentFlag.AlignCenter, text)
            x = tag.right() + 8

        # module name on the right of the first line
        module = title_for(todo.module, todo.module)
        small = scaled_font(base_font, 0.88)
        sfm = QFontMetrics(small)
        module_w = sfm.horizontalAdvance(module) + 4
        painter.setFont(small)
        painter.setPen(QColor(c["muted"]))
        painter.drawText(QRect(right - module_w, rect.top() + 10, module_w, sfm.height() + 6),
                         Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, module)

        title_font = scaled_font(base_font, 1.05, bold=True)
        tfm = QFontMetrics(title_font)
        painter.setFont(title_font)
        painter.setPen(QColor(c["text"]))
        title_rect = QRect(x, rect.top() + 10, right - module_w - 8 - x, tfm.height() + 6)
        painter.drawText(title_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         tfm.elidedText(todo.title, Qt.TextElideMode.ElideRight,
                                        title_rect.width()))

        # second line
        painter.setFont(small)
        parts = [kind_label(todo.kind)]
        if todo.from_name:
            parts.append(todo.from_name)
        line = " · ".join(p for p in parts if p)
        due, overdue = due_text(todo.due_at)
        second_y = rect.bottom() - 10 - sfm.height()
        due_w = sfm.horizontalAdvance(due) + 4 if due else 0
        painter.setPen(QColor(c["muted"]))
        left = rect.left() + 14
        painter.drawText(QRect(left, second_y, right - due_w - 8 - left, sfm.height() + 4),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         sfm.elidedText(line, Qt.TextElideMode.ElideRight,
                                        right - due_w - 8 - left))
        if due:
            painter.setPen(QColor(c["danger"] if overdue else c["muted"]))
            painter.drawText(QRect(right - due_w, second_y, due_w, sfm.height() + 4),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, due)
        painter.restore()


class CountCard(QFrame):
    """One clickable count (待办 / 待阅 / 督办 / 会议); toggles the list filter."""

    clicked = Signal(str)

    def __init__(self, key: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.setProperty("countcard", True)
        self.setProperty("active", False)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setMinimumHeight(76)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        layout.setSpacing(2)
        self.number = text_label("0", "count")
        self.caption = text_label(title, "muted")
        layout.addWidget(self.number)
        layout.addWidget(self.caption)
        self.setAccessibleName(title)

    def set_compact(self, compact: bool) -> None:
        """Phone width: tighter padding, number and caption centred."""
        self.setMinimumHeight(64 if compact else 76)
        margin = (6, 8, 6, 8) if compact else (16, 10, 16, 10)
        layout = self.layout()
        if layout is not None:
            layout.setContentsMargins(*margin)
        align = Qt.AlignmentFlag.AlignHCenter if compact else Qt.AlignmentFlag.AlignLeft
        self.number.setAlignment(align)
        self.caption.setAlignment(align)

    def set_count(self, n: int) -> None:
        self.number.setText(str(n))

    def set_active(self, active: bool) -> None:
        self.setProperty("active", active)
        repolish(self)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit(self.key)
        super().mouseReleaseEvent(event)


def greeting(now: datetime | None = None) -> str:
    """上午好 / 下午好 / 晚上好 by the hour in China (``now``: aware, or naive UTC)."""
    hour = (in_china(now) if now is not None else china_now()).hour
    if 5 <= hour < 12:
        return QCoreApplication.translate("Workbench", "Good morning")
    if 12 <= hour < 18:
        return QCoreApplication.translate("Workbench", "Good afternoon")
    return QCoreApplication.translate("Workbench", "Good evening")


class WorkbenchPage(QWidget):
    """The 工作台 page. Emits ``open_requested(module, ref_id)`` when a to-do is chosen."""

    open_requested = Signal(str, str)
    loaded = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Page")
        self.context = context
        self._all: list[Todo] = []
        self._filter: str | None = None
        self._compact = False

        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 20, 24, 16)
        outer.setSpacing(14)

        head = QVBoxLayout()
        head.setSpacing(2)
        self.greeting = text_label("", "title", wrap=True)
        self.post_line = text_label("", "muted", wrap=True)
        head.addWidget(self.greeting)
        head.addWidget(self.post_line)
        outer.addLayout(head)

        self.cards: dict[str, CountCard] = {}
        self._grid = QGridLayout()
        self._grid.setSpacing(12)
        titles = {
            "todo": self.tr("To do"),
            "read": self.tr("To read"),
            "supervision": self.tr("Supervision"),
            "meetings": self.tr("Meetings"),
        }
        for key in FILTERS:
            card = CountCard(key, titles[key])
            card.clicked.connect(self._toggle_filter)
            self.cards[key] = card
        self._place_cards()
        outer.addLayout(self._grid)

        list_head = QHBoxLayout()
        self.list_title = text_label(self.tr("My to-do list"), "heading")
        list_head.addWidget(self.list_title)
        list_head.addStretch(1)
        self.filter_note = text_label("", "small")
        list_head.addWidget(self.filter_note)
        outer.addLayout(list_head)

        self.model = TodoModel(self)
        self.view = list_view(self.model, TodoDelegate, name="TodoList",
                              on_pick=self._activated, uniform=True, per_pixel=True)
        self.empty = EmptyState("inbox", self.tr("Nothing to do. Well done!"))
        self._stack = QStackedWidget()
        self._stack.addWidget(self.view)
        self._stack.addWidget(self.empty)
        outer.addWidget(self._stack, 1)

        self.notices_title = text_label(self.tr("Reminders"), "heading")
        self.notices = NoticeModel(self)
        self.notice_view = list_view(self.notices, name="NoticeList",
                                     on_pick=self._notice_activated)
        self.notice_view.setMaximumHeight(140)
        self.notice_view.setWordWrap(True)
        outer.addWidget(self.notices_title)
        outer.addWidget(self.notice_view)
        self.notices_title.setVisible(False)
        self.notice_view.setVisible(False)

        self._fill_header()
        self.work = PageWork(self, self._say)
        self.context.bus.changed.connect(self._on_changes)
        self.reload()

    # -- header ---------------------------------------------------------------------
    def _fill_header(self) -> None:
        name = self.context.display_name
        self.greeting.setText(self.tr("%1, %2").replace("%1", greeting()).replace("%2", name))
        post = self.context.primary_post()
        today = QLocale().toString(today_qdate(),
                                    QLocale.FormatType.LongFormat)
        bits = [b for b in (post.get("body_name") or post.get("body") or "",
                            post.get("title") or "") if b]
        bits.append(today)
        self.post_line.setText(" · ".join(bits))

    def _place_cards(self) -> None:
        for card in self.cards.values():
            self._grid.removeWidget(card)
        for i, key in enumerate(FILTERS):
            self._grid.addWidget(self.cards[key], 0, i)
            self.cards[key].set_compact(self._compact)
        self._grid.setSpacing(8 if self._compact else 12)

    def set_compact(self, compact: bool) -> None:
        """Phone width: compact count cards and tighter margins."""
        if compact == self._compact:
            return
        self._compact = compact
        margin = 12 if compact else 24
        layout = self.layout()
        if layout is not None:
            layout.setContentsMargins(margin, 12 if compact else 20, margin, 12)
        self._place_cards()

    # -- data -----------------------------------------------------------------------
    def reload(self) -> None:
        """Re-read the to-dos, the 会议 count and the reminders in the background."""
        context = self.context
        self.work.run(lambda: read_workbench(context), self._loaded, latest="todos")

    def _say(self, text: str) -> None:
        """Say in words that the list could not be read (the bug itself is logged)."""
        self.empty.set_text(text)
        self._stack.setCurrentWidget(self.empty)
        self.loaded.emit()

    def _loaded(self, data: WorkbenchData) -> None:
        self._all = data.todos
        numbers = counts(data.todos)
        numbers["meetings"] = data.meetings
        for key, card in self.cards.items():
            card.set_count(numbers[key])
        self._apply_filter()
        self.notices.set_rows(data.notices[:20])
        self.notices_title.setVisible(bool(data.notices))
        self.notice_view.setVisible(bool(data.notices))
        self.loaded.emit()

    def _on_changes(self, changes: Any) -> None:
        if touches(changes, ENTITY, NOTICE, *MEETING_ENTITIES):
            self.reload()

    def _toggle_filter(self, key: str) -> None:
        self._filter = None if self._filter == key else key
        self._apply_filter()

    def _apply_filter(self) -> None:
        for key, card in self.cards.items():
            card.set_active(key == self._filter)
        shown = [t for t in self._all if matches(t, self._filter)]
        self.model.set_items(shown)
        if self._filter is None:
            self.filter_note.setText(self.tr("%n item(s)", None, len(shown)))
        else:
            self.filter_note.setText(self.tr("%1 · %n item(s) · click again to show all",
                                             None, len(shown)).replace(
                "%1", self.cards[self._filter].caption.text()))
        self._stack.setCurrentWidget(self.view if shown else self.empty)

    def current_filter(self) -> str | None:
        return self._filter

    def _activated(self, index: QModelIndex) -> None:
        todo: Todo | None = index.data(TodoModel.TodoRole)
        if todo is not None:
            self.open_requested.emit(todo.module, todo.ref_id)

    def _notice_activated(self, index: QModelIndex) -> None:
        notice: Notice | None = index.data(NoticeModel.RowRole)
        if notice is not None:
            self.open_requested.emit(notice.module, notice.ref_id)


def make_page(context: AppContext) -> WorkbenchPage:
    return WorkbenchPage(context)


__all__ = ["ENTITY", "TodoModel", "WorkbenchPage", "counts", "open_todos"]
