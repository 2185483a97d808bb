"""Sync status (同步状态): always visible, never a modal per failure.

:class:`SyncStatusButton` shows online/offline, pending count and "last synced" —
full text in the status bar when wide, a compact chip at phone width. Clicking it opens
:class:`StatusPopup`, a quiet list of what is waiting and what the server rejected, with
the reason in words and a dismiss (知道了) action per rejected item.

Both read a ``SyncStatus`` (duck-typed: online, syncing, pending, rejected,
last_synced_at, last_error) delivered by ``ChangeBus.status_changed``. GUI thread only.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QPoint, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QScreen
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from modules.common import messages
from modules.common.china_time import china_stamp
from office_app import icons, theme
from office_app.i18n import current_lang
from office_app.widgets import TOUCH_TARGET, repolish, set_touch, text_label

if TYPE_CHECKING:
    from sync.engine import RejectedItem, SyncStatus


def format_last_synced(when: datetime | None, now: datetime | None = None) -> str:
    """Relative "last synced" text: 刚刚同步 / 3 分钟前同步 / 2 小时前同步 / a date."""
    if when is None:
        return QCoreApplication.translate("SyncStatus", "Not synced yet")
    now = now or datetime.now(UTC)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    seconds = max(0, int((now - when).total_seconds()))
    if seconds < 60:
        return QCoreApplication.translate("SyncStatus", "Synced just now")
    if seconds < 3600:
        return QCoreApplication.translate("SyncStatus", "Synced %n min ago", None,
                                          seconds // 60)
    if seconds < 86400:
        return QCoreApplication.translate("SyncStatus", "Synced %n h ago", None,
                                          seconds // 3600)
    return QCoreApplication.translate("SyncStatus", "Synced on %1").replace(
        "%1", china_stamp(when, "%Y-%m-%d %H:%M"))


def state_of(status: SyncStatus | None) -> str:
    """"rejected" | "offline" | "syncing" | "pending" | "ok" — what the icon shows."""
    if status is None:
        return "offline"
    if getattr(status, "rejected", ()):
        return "rejected"
    if not getattr(status, "online", False):
        return "offline"
    if getattr(status, "syncing", False):
        return "syncing"
    if getattr(status, "pending", 0):
        return "pending"
    return "ok"


def summary(status: SyncStatus | None, now: datetime | None = None) -> str:
    """One line for the status bar: 在线 · 2 项待上传 · 刚刚同步."""
    if status is None:
        return QCoreApplication.translate("SyncStatus", "Connecting…")
    parts = [
        QCoreApplication.translate("SyncStatus", "Online") if status.online
        else QCoreApplication.translate("SyncStatus", "Offline"),
    ]
    if status.syncing:
        parts.append(QCoreApplication.translate("SyncStatus", "Syncing…"))
    if status.pending:
        parts.append(QCoreApplication.translate("SyncStatus", "%n waiting to upload", None,
                                                int(status.pending)))
    if status.rejected:
        parts.append(QCoreApplication.translate("SyncStatus", "%n not accepted", None,
                                                len(status.rejected)))
    parts.append(format_last_synced(status.last_synced_at, now))
    return " · ".join(parts)


def chip_text(status: SyncStatus | None) -> str:
    """Short text for the phone-width chip."""
    if status is None or not status.online:
        text = QCoreApplication.translate("SyncStatus", "Offline")
    elif status.syncing:
        text = QCoreApplication.translate("SyncStatus", "Syncing")
    else:
        text = QCoreApplication.translate("SyncStatus", "Online")
    parts = [text]
    pending = int(getattr(status, "pending", 0) or 0)
    rejected = len(getattr(status, "rejected", ()) or ())
    if pending:
        parts.append(QCoreApplication.translate("SyncStatus", "%n to upload", None, pending))
    if rejected:
        parts.append(QCoreApplication.translate("SyncStatus", "%n refused", None, rejected))
    return " · ".join(parts)


_STATE_ICON = {
    "ok": ("online", "ok"),
    "syncing": ("sync", "accent"),
    "pending": ("sync", "accent"),
    "offline": ("offline", "warn"),
    "rejected": ("warning", "danger"),
}


class SyncStatusButton(QToolButton):
    """The always-visible status indicator. ``compact`` = phone-width chip."""

    def __init__(self, *, compact: bool = False, parent: QWidget | None = None,
                 on_dismiss: Callable[[str], None] | None = None,
                 on_sync_now: Callable[[], None] | None = None,
                 pending_source: Callable[[], list[dict[str, Any]]] | None = None) -> None:
        super().__init__(parent)
        self._compact = compact
        self._pending_source = pending_source
        self._status: SyncStatus | None = None
        self._on_dismiss = on_dismiss
        self._on_sync_now = on_sync_now
        self._popup: StatusPopup | None = None
        self.setObjectName("StatusChip" if compact else "StatusButton")
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setIconSize(QSize(16, 16))
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        if compact:
            self.setMinimumHeight(TOUCH_TARGET)
        self.clicked.connect(self.show_popup)
        self._timer = QTimer(self)
        self._timer.setInterval(30_000)
        self._timer.timeout.connect(self._refresh)
        self._timer.start()
        self._refresh()

    @property
    def status(self) -> Any:
        return self._status

    def set_status(self, status: SyncStatus | None) -> None:
        """Show ``status`` (a SyncStatus); also refreshes an open popup."""
        self._status = status
        self._refresh()
        if self._popup is not None and self._popup.isVisible():
            self._popup.set_status(status)
            self.load_pending()

    def load_pending(self) -> None:
        """Fetch the waiting intents in the background and list them in the popup."""
        if self._pending_source is None or self._popup is None:
            return
        from office_app.tasks import run_in_background

        pending = int(getattr(self._status, "pending", 0) or 0)
        if not pending:
            self._popup.set_pending_items([])
            return
        run_in_background(self._pending_source, self._popup.set_pending_items,
                          lambda _exc: None, owner=self._popup)

    def _refresh(self) -> None:
        state = state_of(self._status)
        name, colour = _STATE_ICON[state]
        self.setIcon(icons.icon(name, theme.colors()[colour]))
        self.setProperty("state", state)
        repolish(self)
        if self._compact:
            self.setText(chip_text(self._status))
        else:
            self.setText(summary(self._status))
        self.setToolTip(summary(self._status))
        self.setAccessibleName(summary(self._status))

    def popup(self) -> StatusPopup:
        """The popup (created on first use)."""
        if self._popup is None:
            self._popup = StatusPopup(on_dismiss=self._on_dismiss,
                                      on_sync_now=self._on_sync_now, touch=self._compact,
                                      parent=self)
        return self._popup

    def show_popup(self) -> None:
        popup = self.popup()
        popup.set_status(self._status)
        # Qt answers nullptr when there is no screen at all (the stubs say it cannot)
        on: QScreen | None = self.screen()
        screen = on.availableGeometry() if on is not None else None
        if self._compact and screen is not None:
            popup.setFixedWidth(min(440, screen.width() - 16))
        popup.adjustSize()
        anchor = self.mapToGlobal(QPoint(0, 0))
        x, y = anchor.x(), anchor.y() - popup.height() - 6
        if y < (screen.top() if screen is not None else 0):
            y = anchor.y() + self.height() + 6
        if screen is not None:
            x = max(screen.left() + 8, min(x, screen.right() - popup.width() - 8))
        popup.move(x, y)
        popup.show()
        self.load_pending()


class StatusPopup(QFrame):
    """Pending count and rejected items with reasons; a dismiss action per item."""

    dismissed = Signal(str)

    def __init__(self, *, on_dismiss: Callable[[str], None] | None = None,
                 on_sync_now: Callable[[], None] | None = None,
                 touch: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self._touch = touch
        self.setObjectName("StatusPopup")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._on_dismiss = on_dismiss
        self._on_sync_now = on_sync_now
        self.setMinimumWidth(340)
        self.setMaximumWidth(440)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 14, 16, 14)
        outer.setSpacing(10)
        self.heading = text_label(self.tr("Sync status"), "heading")
        outer.addWidget(self.heading)
        self.state_line = text_label("", "muted", wrap=True)
        outer.addWidget(self.state_line)
        self.pending_line = text_label("", None, wrap=True)
        outer.addWidget(self.pending_line)
        self.pending_list = QVBoxLayout()
        self.pending_list.setSpacing(2)
        self.pending_list.setContentsMargins(8, 0, 0, 0)
        outer.addLayout(self.pending_list)
        self.pending_labels: list[QLabel] = []
        self.error_line = text_label("", "small", wrap=True)
        outer.addWidget(self.error_line)
        self.rejected_title = text_label(self.tr("Not accepted by the server"), "heading")
        outer.addWidget(self.rejected_title)
        self._rows_host = QWidget()
        self._rows = QVBoxLayout(self._rows_host)
        self._rows.setContentsMargins(0, 0, 0, 0)
        self._rows.setSpacing(8)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self._rows_host)
        scroll.viewport().setAutoFillBackground(False)
        self._rows_host.setObjectName("PopupRows")
        scroll.setMaximumHeight(320)
        self._scroll = scroll
        outer.addWidget(scroll)
        self.sync_button = QPushButton(self.tr("Sync now"))
        set_touch(touch, self.sync_button)
        self.sync_button.clicked.connect(self._sync_now)
        outer.addWidget(self.sync_button, 0, Qt.AlignmentFlag.AlignRight)
        self.row_widgets: dict[str, QFrame] = {}

    def set_status(self, status: SyncStatus | None) -> None:
        """Rebuild the contents from ``status``."""
        self.state_line.setText(summary(status))
        pending = int(getattr(status, "pending", 0) or 0)
        if pending:
            self.pending_line.setText(self.tr(
                "%n change(s) saved on this device, waiting to upload. They upload "
                "automatically when the connection is back.", None, pending))
        else:
            self.pending_line.setText(self.tr("Everything is uploaded."))
        error = getattr(status, "last_error", None)
        self.error_line.setVisible(bool(error))
        self.error_line.setText(self.tr("Last problem: %1").replace("%1", str(error or "")))
        while self._rows.count():
            item = self._rows.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.row_widgets.clear()
        rejected = list(getattr(status, "rejected", ()) or ())
        self.rejected_title.setVisible(bool(rejected))
        self._scroll.setVisible(bool(rejected))
        for item in rejected:
            row = self._row(item)
            self.row_widgets[item.mutation_id] = row
            self._rows.addWidget(row)
        self._rows_host.adjustSize()
        self._scroll.setFixedHeight(min(320, self._rows_host.sizeHint().height() + 2))
        self.sync_button.setEnabled(status is not None and self._on_sync_now is not None)
        self.adjustSize()

    def set_pending_items(self, items: list[dict[str, Any]], shown: int = 6) -> None:
        """List the intents waiting to upload (operation and when it was made)."""
        for label in self.pending_labels:
            self.pending_list.removeWidget(label)
            label.deleteLater()
        self.pending_labels = []
        for item in items[:shown]:
            when = _short_time(item.get("created_at"))
            text = f"• {operation_label(str(item.get('name', '')))}"
            label = text_label(f"{text}  {when}".rstrip(), "small")
            self.pending_list.addWidget(label)
            self.pending_labels.append(label)
        if len(items) > shown:
            more = text_label(self.tr("… and %n more", None, len(items) - shown), "small")
            self.pending_list.addWidget(more)
            self.pending_labels.append(more)
        self.adjustSize()

    def _row(self, item: RejectedItem) -> QFrame:
        row = QFrame()
        row.setProperty("rejected", True)
        layout = QVBoxLayout(row)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(4)
        item_status = getattr(item, "status", "")
        if item_status in ("lost", "notice"):
            # Found damaged when the local cache was opened (sync.cache), not refused.
            kind = messages.render(f"sync.item_{item_status}", current_lang())
        else:
            kind = self.tr("Conflict") if item_status == "conflict" else self.tr("Rejected")
        heading = kind if item_status == "notice" else f"{kind} · {operation_label(item.name)}"
        title = text_label(heading, "heading", wrap=True)
        layout.addWidget(title)
        message = text_label(str(item.message or item.code), None, wrap=True)
        layout.addWidget(message)
        bottom = QHBoxLayout()
        at = getattr(item, "at", None)
        when = _short_time(at)
        bottom.addWidget(text_label(when, "small"))
        bottom.addStretch(1)
        dismiss = QPushButton(self.tr("Dismiss"))
        dismiss.setProperty("kind", "link")
        dismiss.setCursor(Qt.CursorShape.PointingHandCursor)
        dismiss.setAccessibleName(self.tr("Dismiss"))
        set_touch(self._touch, dismiss)
        mutation_id = item.mutation_id
        dismiss.clicked.connect(lambda _=False, m=mutation_id: self._dismiss(m))
        bottom.addWidget(dismiss)
        layout.addLayout(bottom)
        row.setObjectName(f"rejected-{mutation_id}")
        return row

    def _dismiss(self, mutation_id: str) -> None:
        row = self.row_widgets.pop(mutation_id, None)
        if row is not None:
            row.hide()
            row.deleteLater()
        self.dismissed.emit(mutation_id)
        if self._on_dismiss is not None:
            self._on_dismiss(mutation_id)

    def _sync_now(self) -> None:
        if self._on_sync_now is not None:
            self._on_sync_now()


def _short_time(value: object) -> str:
    """"11-22 10:05" in local time from a datetime or ISO text; "" if unknown."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return ""
    if not isinstance(value, datetime):
        return ""
    return china_stamp(value)


#: Display names of intents, by prefix; modules may add theirs with ``name_operation``.
_OPERATION_LABELS: dict[str, str] = {}


def name_operation(name: str, label: str) -> None:
    """Register a human label for intent ``name`` (e.g. "documents.approve" → "签发")."""
    _OPERATION_LABELS[name] = label


def operation_label(name: str) -> str:
    """The registered label of an intent, or its module's page title, or the name."""
    if name in _OPERATION_LABELS:
        return _OPERATION_LABELS[name]
    from office_app.navigation import title_for

    module = name.split(".", 1)[0]
    title = title_for(module, "")
    return title or name

