"""Calendars in the meetings screens: the 日历订阅 section (the person's subscription
link: copy, make a new one, revoke), exporting one meeting as .ics, and the organiser's
"Import calendar reply…". All disk and network work runs through the page's PageWork."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from modules.meetings import calendar_client as CC
from modules.meetings import feed_tokens as F
from modules.meetings import ical
from office_app.bus import touches
from office_app.context import AppContext
from office_app.kit import PageWork
from office_app.widgets import card, set_touch, text_label


def _server_url(context: AppContext) -> str:
    api = getattr(context.engine, "api", None)
    return str(getattr(api, "base_url", "") or "")


class CalendarSubscription(QWidget):
    """The person's calendar subscription link, with copy, new link and revoke."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CalendarSubscription")
        self.context = context
        self.link: CC.Link | None = None
        box = card()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(box)
        layout = QVBoxLayout(box)
        layout.addWidget(text_label(self.tr("Calendar subscription"), "heading"))
        self.explain = text_label(self.tr(
            "Subscribe your phone or desktop calendar to this link to see your meetings "
            "there. Anyone with the link sees them: keep it to yourself, revoke it if it "
            "leaks."), "muted", wrap=True)
        self.url = text_label("", None, wrap=True)
        self.url.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.url.setObjectName("CalendarLink")
        self.status = text_label("", "muted", wrap=True)
        row = QHBoxLayout()
        self.copy = QPushButton(self.tr("Copy link"))
        self.new = QPushButton(self.tr("New link"))
        self.revoke = QPushButton(self.tr("Revoke"))
        self.copy.clicked.connect(self.copy_link)
        self.new.clicked.connect(self.make_link)
        self.revoke.clicked.connect(self.revoke_link)
        row.addWidget(self.copy)
        row.addWidget(self.new)
        row.addWidget(self.revoke)
        row.addStretch(1)
        for w in (self.explain, self.url):
            layout.addWidget(w)
        layout.addLayout(row)
        layout.addWidget(self.status)
        self.work = PageWork(self, self.status.setText)
        context.bus.changed.connect(self._on_changes)
        self._show(None)

    def _on_changes(self, changes: Any) -> None:
        if touches(changes, F.FEED_TOKEN):
            self.reload()

    def set_compact(self, compact: bool) -> None:
        set_touch(compact, self.copy, self.new, self.revoke)

    def reload(self) -> None:
        context, server = self.context, _server_url(self.context)
        if context.cache is None:
            return
        cache = context.cache
        self.work.run(lambda: CC.live_link(cache, context.person_id, server, context.person_id),
                      self._show, latest="link")

    def _show(self, link: CC.Link | None) -> None:
        self.link = link
        if link is None:
            self.url.setText(self.tr("You have no subscription link."))
        elif link.url:
            self.url.setText(link.url)
        else:
            self.url.setText(self.tr(
                "A link was made on another device; it cannot be shown here. Make a new "
                "link (the old one stops working) or revoke it."))
        self.copy.setVisible(bool(link and link.url))
        self.revoke.setVisible(link is not None)
        self.new.setText(self.tr("New link") if link else self.tr("Make a link"))

    def copy_link(self) -> None:
        if self.link and self.link.url:
            QGuiApplication.clipboard().setText(self.link.url)
            self.status.setText(self.tr("Link copied."))

    def make_link(self) -> None:
        engine, server, me = self.context.engine, _server_url(self.context), self.context.person_id
        if engine is None:
            return

        def made(link: CC.Link) -> None:
            self._show(link)
            self.status.setText(self.tr("New link made; it works once the server has it."))

        self.work.run(lambda: CC.make_link(engine, server, me), made)

    def revoke_link(self) -> None:
        engine, link = self.context.engine, self.link
        if engine is None or link is None:
            return

        def revoked(_mutation_id: str) -> None:
            self._show(None)
            self.status.setText(self.tr("Link revoked; calendars subscribed to it stop updating."))

        self.work.run(lambda: CC.revoke_link(engine, link.feed_id), revoked)


def save_meeting_ics(parent: QWidget, context: AppContext, work: PageWork,
                     meeting: dict[str, Any], report: Callable[[str], None], *,
                     ask: Callable[[str], str] | None = None) -> None:
    """Fetch the meeting's .ics in the background, ask where to save it, write it in the
    background. ``ask(default name)`` → path ('' cancels); a save dialog by default."""
    api = getattr(context.engine, "api", None)
    if api is None:
        return
    meeting_id = str(meeting["id"])

    def choose(default: str) -> str:
        path, _ = QFileDialog.getSaveFileName(parent, QCoreApplication.translate("MeetingsCalendar", "Export to calendar"), default,
                                              QCoreApplication.translate("MeetingsCalendar", "Calendar files (*.ics)"))
        return path

    def fetched(data: bytes) -> None:
        path = (ask or choose)(ical.filename(meeting))
        if not path:
            return
        work.run(lambda: Path(path).write_bytes(data),
                 lambda _n: report(QCoreApplication.translate("MeetingsCalendar", "Calendar file saved to %1.").replace("%1", path)))

    work.run(lambda: CC.meeting_file(api, meeting_id), fetched)


def import_calendar_reply(parent: QWidget, context: AppContext, work: PageWork,
                          report: Callable[[str], None], *,
                          ask: Callable[[], str] | None = None) -> None:
    """Choose a REPLY file (.ics) and send it as ``meetings.import_calendar_reply``."""
    engine = context.engine
    if engine is None:
        return

    def choose() -> str:
        path, _ = QFileDialog.getOpenFileName(parent, QCoreApplication.translate("MeetingsCalendar", "Import calendar reply"), "",
                                              QCoreApplication.translate("MeetingsCalendar", "Calendar files (*.ics)"))
        return path

    path = (ask or choose)()
    if not path:
        return
    work.run(lambda: CC.import_reply(engine, path),
             lambda _m: report(QCoreApplication.translate(
                 "MeetingsCalendar",
                 "Calendar reply sent; the tally changes when the server records it.")))
