"""The reminder dispatcher every server process runs (a daemon thread started by the
app's lifespan): at start and then every ``reminder_poll_seconds`` it sends the due
reminders (server/reminders/store.py) and, when ``noshow_release_minutes`` is set,
releases no-show bookings (server/reminders/noshow.py). It also lets held bookings
nobody approved lapse when their time comes (server/meetings/expiry.py) and finishes the
reply to-dos of meetings that have ended and, once a day, puts the 今日会议 to-dos of
the day's meetings (server/meetings/storage.py). Several processes
run it at once on one database; the claims keep each reminder to one delivery.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session, sessionmaker

from modules.meetings.rules import CHINA
from server.db import session_scope, utcnow
from server.meetings.expiry import expire_holds
from server.meetings.storage import close_ended_todos, open_todays_todos
from server.reminders.noshow import release_no_shows
from server.reminders.store import send_due

if TYPE_CHECKING:
    from server.config import Settings

log = logging.getLogger(__name__)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class Dispatcher:
    def __init__(self, sessions: sessionmaker[Session], settings: Settings) -> None:
        self._sessions = sessions
        self._settings = settings
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.worker = worker_name()
        self._todays_todos: dt.date | None = None

    def run_once(self) -> tuple[int, int, int]:
        """(sent, expired, released) now."""
        now = utcnow()
        sent, expired = send_due(self._sessions, now, self.worker)
        released: list[str] = []
        if self._settings.noshow_release_minutes > 0:
            with session_scope(self._sessions) as session:
                released = release_no_shows(session, now, self._settings.noshow_release_minutes,
                                            self.worker)
        with session_scope(self._sessions) as session:
            lapsed = expire_holds(session, now, self.worker)
        with session_scope(self._sessions) as session:
            close_ended_todos(session, now)
        today = now.astimezone(CHINA).date()
        if self._todays_todos != today:  # 今日会议 to-dos: once a day per process
            with session_scope(self._sessions) as session:
                open_todays_todos(session, now)
            self._todays_todos = today
        if sent or expired or released or lapsed:
            log.info("reminders: %d sent, %d expired, %d bookings released, %d holds lapsed",
                     sent, expired, len(released), len(lapsed))
        return sent, expired, len(released)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception:
                log.exception("reminder dispatcher failed; retrying")
            self._stop.wait(max(self._settings.reminder_poll_seconds, 0.05))

    def start(self) -> None:
        if self._settings.reminder_poll_seconds <= 0 or self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="reminders", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(10)
            self._thread = None
