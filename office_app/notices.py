"""Reminders on the client: the ``reminders.notice`` records the server delivers to the
signed-in person (server/reminders/), shown as desktop notifications through the system
tray and listed on the workbench.

:class:`DesktopNotifier` watches the change bus; every notice that arrives after it
started (and was sent within the last hour, so a first sync of an old account does not
pop up a backlog) is shown once with ``QSystemTrayIcon.showMessage`` — only where a
system tray exists. Clicking the message asks to open what it is about.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from modules.common.china_time import china_stamp
from modules.reminders.rules import NOTICE, notice_words
from office_app.bus import touches
from office_app.context import AppContext
from office_app.i18n import current_lang
from office_app.kit import FIRST_FREE_ROLE, RowListModel
from office_app.tasks import run_in_background

log = logging.getLogger(__name__)

#: How long notices stay on the workbench, and how recent one must be to pop up.
LISTED_FOR = timedelta(days=7)
POP_UP_WITHIN = timedelta(hours=1)


def _time(value: Any) -> datetime | None:
    if not value or not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Notice:
    id: str
    kind: str
    module: str
    ref_id: str
    title: str
    body: str
    sent_at: datetime | None

    @classmethod
    def from_record(cls, record: dict[str, Any], lang: str) -> Notice:
        title, body = notice_words(record, lang)
        return cls(id=str(record.get("id") or ""), kind=str(record.get("kind") or ""),
                   module=str(record.get("module") or ""), ref_id=str(record.get("ref_id") or ""),
                   title=title, body=body, sent_at=_time(record.get("sent_at")))


def recent_notices(records: list[dict[str, Any]], lang: str,
                   now: datetime | None = None) -> list[Notice]:
    """Notices sent within :data:`LISTED_FOR`, newest first."""
    now = now or datetime.now(UTC)
    notices = [Notice.from_record(r, lang) for r in records]
    kept = [n for n in notices if n.sent_at is not None and now - n.sent_at <= LISTED_FOR]
    return sorted(kept, key=lambda n: n.sent_at or now, reverse=True)


def read_notices(context: AppContext) -> list[Notice]:
    """Background: the recent notices from the cache."""
    return recent_notices(context.list_entities(NOTICE), current_lang())


class NoticeModel(RowListModel[Notice]):
    """The workbench's reminders list."""

    ModuleRole = FIRST_FREE_ROLE
    RefRole = FIRST_FREE_ROLE + 1

    def value(self, notice: Notice, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            stamp = china_stamp(notice.sent_at) if notice.sent_at else ""
            return " · ".join(p for p in (stamp, notice.title, notice.body) if p)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{notice.title}\n{notice.body}".strip()
        if role == self.ModuleRole:
            return notice.module
        if role == self.RefRole:
            return notice.ref_id
        return super().value(notice, role)


class DesktopNotifier(QObject):
    """Pops each newly arrived notice up from the system tray (GUI thread)."""

    #: A notice was shown (its id) — also emitted without a tray, for tests and logs.
    shown = Signal(str)
    open_requested = Signal(str, str)

    def __init__(self, context: AppContext, parent: QObject | None = None,
                 tray: QSystemTrayIcon | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._seen: set[str] | None = None
        self._last: Notice | None = None
        self.tray = tray
        if self.tray is None and QSystemTrayIcon.isSystemTrayAvailable():
            icon = QApplication.windowIcon()
            if icon.isNull():
                from office_app.icons import icon as named_icon

                icon = named_icon("app")
            self.tray = QSystemTrayIcon(QIcon(icon), self)
            self.tray.setToolTip(self.tr("Office collaboration"))
            self.tray.show()
        if self.tray is not None:
            self.tray.messageClicked.connect(self._clicked)
        context.bus.changed.connect(self._on_changes)
        self._load()

    def _load(self) -> None:
        context = self.context
        run_in_background(lambda: read_notices(context), self._loaded, self._failed)

    @staticmethod
    def _failed(error: BaseException) -> None:
        log.warning("could not read the reminders: %s", error)

    def _on_changes(self, changes: Any) -> None:
        if touches(changes, NOTICE):
            self._load()

    def _loaded(self, notices: list[Notice]) -> None:
        ids = {n.id for n in notices}
        if self._seen is None:  # what was there when we started is not news
            self._seen = ids
            return
        now = datetime.now(UTC)
        fresh = [n for n in reversed(notices) if n.id not in self._seen
                 and n.sent_at is not None and now - n.sent_at <= POP_UP_WITHIN]
        self._seen |= ids
        for notice in fresh[-3:]:  # a burst shows its latest few
            self.show_notice(notice)

    def show_notice(self, notice: Notice) -> None:
        self._last = notice
        if self.tray is not None and self.tray.isVisible():
            self.tray.showMessage(notice.title, notice.body,
                                  QSystemTrayIcon.MessageIcon.Information, 10000)
        self.shown.emit(notice.id)

    def _clicked(self) -> None:
        if self._last is not None:
            self.open_requested.emit(self._last.module, self._last.ref_id)

    def close(self) -> None:
        if self.tray is not None:
            self.tray.hide()
