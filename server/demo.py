"""Demo organisation seeding for the embedded server (``OFFICE_DEMO=1``).

``main.py server --demo`` and the tests seed everything in one transaction
(:func:`seed_demo_if_empty`). The embedded server of ``python main.py`` seeds in two
phases so that the first start's sign-in does not wait for all of it: first the
directory with its accounts and the document at the top of the first demo account's
workbench (:func:`seed_demo_first`, before the server answers), then the other
documents, the meetings and the supervision items (:func:`seed_demo_rest`, on a thread
once it answers), one transaction per part; the person's client receives them through
the normal sync. Every part is written with the same clock as the one-transaction seed,
so the demo's content is the same either way.

A row ``demo_seed_rest`` in ``server_secret`` (value: the seed's clock and the next part)
marks a second phase not yet finished; a start that finds it carries on from there.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from server.auth.models import ServerSecret
from server.config import Settings
from server.db import session_scope, utcnow
from server.directory.models import Body

if TYPE_CHECKING:
    from pathlib import Path

log = logging.getLogger(__name__)

#: Indexes in ``server.documents.demo.DOCUMENTS`` written in the first phase: the urgent
#: 待签发 at the top of the first demo account's (the 局长's) workbench.
FIRST_DOCUMENTS = (3,)
REST_MARK = "demo_seed_rest"

Part = Callable[[Session, "Path", dt.datetime], object]


def _rest_parts() -> list[Part]:
    """The second phase, in the order of the one-transaction seed (the meetings' 会议纪要
    goes into Documents, so they come after the documents)."""
    from server.documents.demo import DOCUMENTS, seed_demo_documents
    from server.meetings.demo import seed_demo_meetings
    from server.supervision.demo import seed_demo_supervision

    def document(index: int) -> Part:
        return lambda session, blob_dir, now: seed_demo_documents(
            session, blob_dir=blob_dir, now=now, only=(index,))

    parts = [document(i) for i in range(len(DOCUMENTS)) if i not in FIRST_DOCUMENTS]
    parts.append(lambda session, _blob_dir, now: seed_demo_meetings(session, now=now))
    parts.append(lambda session, _blob_dir, now: seed_demo_supervision(session, now=now))
    return parts


def _empty(session: Session) -> bool:
    return session.scalars(select(Body.id).limit(1)).first() is None


def seed_demo_if_empty(session: Session, settings: Settings) -> bool:
    """Seed the demo organisation and its documents into an empty database.

    Returns True when it seeded. Everything goes in the caller's transaction, so a
    failure leaves the database empty and the next start tries again. A second phase
    an embedded server left unfinished is finished here too.
    """
    if not _empty(session):
        return _finish_rest(session, settings)
    from server.directory.seed import seed_demo
    from server.documents.demo import seed_demo_documents
    from server.meetings.demo import seed_demo_meetings
    from server.supervision.demo import seed_demo_supervision

    now = utcnow()
    seed_demo(session)
    session.flush()
    seed_demo_documents(session, blob_dir=settings.resolved_blob_dir(), now=now)
    seed_demo_meetings(session, now=now)
    seed_demo_supervision(session, now=now)
    return True


def seed_demo_first(session: Session, settings: Settings, *,
                    password: Callable[[], str | None] | None = None) -> bool:
    """The first phase into an empty database, in the caller's transaction: the
    directory and accounts and :data:`FIRST_DOCUMENTS`, and the mark that the rest is
    to follow (:func:`seed_demo_rest`). Returns True when it seeded."""
    if not _empty(session):
        return False
    from server.directory.seed import seed_demo
    from server.documents.demo import seed_demo_documents

    now = utcnow()
    seed_demo(session, password_hash=password() if password is not None else None)
    session.flush()
    seed_demo_documents(session, blob_dir=settings.resolved_blob_dir(), now=now,
                        only=FIRST_DOCUMENTS)
    session.add(ServerSecret(name=REST_MARK, value=f"{now.isoformat()} 0"))
    return True


def _next_part(session: Session) -> tuple[ServerSecret, dt.datetime, int] | None:
    row = session.get(ServerSecret, REST_MARK)
    if row is None:
        return None
    clock, _, part = row.value.partition(" ")
    return row, dt.datetime.fromisoformat(clock), int(part or 0)


def _run_part(session: Session, settings: Settings, parts: list[Part]) -> bool:
    """Write the next part of the second phase; False when nothing is left (the mark
    is removed in the transaction of the last part)."""
    found = _next_part(session)
    if found is None:
        return False
    row, now, part = found
    if part < len(parts):
        parts[part](session, settings.resolved_blob_dir(), now)
        part += 1
    if part >= len(parts):
        session.delete(row)
    else:
        row.value = f"{now.isoformat()} {part}"
    return True


def _finish_rest(session: Session, settings: Settings) -> bool:
    parts = _rest_parts()
    done = False
    while _next_part(session) is not None:
        _run_part(session, settings, parts)
        session.flush()
        done = True
    return done


def seed_demo_rest(engine: Engine, settings: Settings, stop: threading.Event | None = None,
                   *, pause: float = 0.2,
                   gate: Callable[[int], object] | None = None,
                   progress: Callable[[int], object] | None = None) -> int:
    """The second phase: each remaining part in a transaction of its own, so requests
    (the first sign-in, the client's sync) wait for one part at most; ``stop`` set ends
    it after the current part (a later start carries on). Returns how many parts it
    wrote.

    SQLite has one writer at a time, and a request waiting for it retries after sleeps
    of up to 0.1 s: between parts the seed waits ``pause`` seconds so that a waiting
    request gets its turn instead of losing every race to the next part. The fonts of
    the documents' PDFs are loaded before the first part, outside any transaction.

    ``gate(n)`` (the embedded server's) returns when the seed may go on: with 0 before
    it starts (before the fonts), with ``n`` before the ``n``-th part written here; the
    server waits for a moment without requests. ``progress(n)`` is called after the
    ``n``-th part."""
    from server.analyze import analyze_unanalysed

    with session_scope(engine) as session:
        if _next_part(session) is None:
            return 0
    from modules.common.fonts import register_reportlab_fonts

    stop = stop or threading.Event()
    if gate is not None:
        gate(0)
    if stop.is_set():
        return 0
    register_reportlab_fonts()
    parts = _rest_parts()
    written = 0
    while not stop.is_set():
        if gate is not None:
            gate(written + 1)
        if stop.is_set():
            break
        with session_scope(engine) as session:
            if not _run_part(session, settings, parts):
                break
            written += 1
        if progress is not None:
            progress(written)
        stop.wait(pause)
    if written:
        with session_scope(engine) as session:
            analyze_unanalysed(session)
    return written
