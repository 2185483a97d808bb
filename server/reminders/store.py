"""Reminders on the server: planning them in (by occasion), claiming due ones once, and
delivering each as a ``reminders.notice`` record to its person's feed.

Features call :func:`replace` inside their write transaction with what
``modules/<feature>/reminders.py`` planned; the dispatcher (server/reminders/
dispatcher.py) of every server process calls :func:`send_due`.

Exactly once: :func:`send_due` selects due ``pending`` rows ``FOR UPDATE SKIP LOCKED``
(PostgreSQL; another process skips rows this one holds, and a row it reaches after this
one committed is re-checked and no longer ``pending``), or inside the one IMMEDIATE
writer (SQLite); it marks them sent and writes their notices in the same transaction. A
process that dies mid-way rolls back: the reminders stay pending for the next one.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from modules.reminders import rules as RR
from server.changefeed import Change, record_changes
from server.db import session_scope
from server.reminders.models import Notice, Reminder

if TYPE_CHECKING:
    from server.config import Settings


def config_of(session: Session) -> RR.ReminderConfig:
    """The reminder configuration of this process's settings (``session.info``, set by
    ``create_app``); the defaults without one."""
    settings: Settings | None = session.info.get("settings")
    if settings is None:
        return RR.ReminderConfig()
    return RR.ReminderConfig(
        meeting_minutes=tuple(int(m) for m in settings.meeting_reminder_minutes),
        reply_minutes=int(settings.reply_reminder_minutes),
        max_late=dt.timedelta(hours=float(settings.reminder_max_late_hours)),
        supervision_notice_days=int(settings.supervision_notice_days))


def replace(session: Session, module: str, ref_id: str, specs: Iterable[RR.Spec],
            now: dt.datetime) -> None:
    """Bring the reminders of ``(module, ref_id)`` in line with ``specs``: pending ones no
    longer wanted are dropped, wanted ones updated (a sent one whose time moved to the
    future is armed again), new ones added unless their time has already passed (a
    meeting published 20 minutes ahead gets no "in one day" reminder)."""
    wanted = {s.id: s for s in specs}
    rows = {r.id: r for r in session.scalars(select(Reminder).where(
        Reminder.ref_id == ref_id, Reminder.module == module))}
    for stored in rows.values():
        if stored.id not in wanted and stored.state == RR.PENDING:
            stored.state, stored.updated_at = RR.DROPPED, now
    for spec in wanted.values():
        row = rows.get(spec.id)
        data = spec.data()
        if row is None:
            if spec.due_at <= now:
                continue
            session.add(Reminder(
                id=spec.id, kind=spec.kind, module=spec.module, ref_id=spec.ref_id,
                person_id=spec.person_id, due_at=spec.due_at, expires_at=spec.expires_at,
                state=RR.PENDING, data=data, created_at=now, updated_at=now, claimed_by=""))
            continue
        moved = row.due_at != spec.due_at
        if row.state == RR.SENT and not (moved and spec.due_at > now):
            continue
        if row.state in (RR.SENT, RR.EXPIRED) and moved and spec.due_at > now:
            row.state, row.claimed_at, row.claimed_by = RR.PENDING, None, ""
        elif row.state == RR.DROPPED:
            if spec.due_at <= now:
                continue
            row.state = RR.PENDING
        if row.state != RR.PENDING:
            continue
        if (moved or row.data != data or row.expires_at != spec.expires_at
                or row.person_id != spec.person_id):
            row.due_at, row.expires_at, row.data = spec.due_at, spec.expires_at, data
            row.person_id, row.kind, row.updated_at = spec.person_id, spec.kind, now
    session.flush()


def notice_data(notice_id: str, reminder_id: str, kind: str, module: str, ref_id: str,
                data: dict[str, Any], due_at: dt.datetime, now: dt.datetime) -> dict[str, Any]:
    return {"id": notice_id, "reminder_id": reminder_id, "kind": kind, "module": module,
            "ref_id": ref_id, **data, "due_at": due_at.isoformat(), "sent_at": now.isoformat()}


def _notice(session: Session, *, reminder_id: str, person_id: str, kind: str, module: str,
            ref_id: str, data: dict[str, Any], due_at: dt.datetime, now: dt.datetime,
            worker: str) -> Change:
    """Add one notice row; the change that publishes it to ``person_id`` alone."""
    notice_id = f"ntc-{uuid.uuid4().hex[:20]}"
    record = notice_data(notice_id, reminder_id, kind, module, ref_id, data, due_at, now)
    session.add(Notice(id=notice_id, reminder_id=reminder_id, person_id=person_id, sent_at=now,
                       sent_by=worker[:80], data=record))
    return (RR.NOTICE, notice_id, record, [f"user:{person_id}"])


def deliver(session: Session, *, reminder_id: str, person_id: str, kind: str, module: str,
            ref_id: str, data: dict[str, Any], due_at: dt.datetime, now: dt.datetime,
            worker: str) -> str:
    """Write one notice and publish it to ``person_id`` alone; its id."""
    change = _notice(session, reminder_id=reminder_id, person_id=person_id, kind=kind,
                     module=module, ref_id=ref_id, data=data, due_at=due_at, now=now,
                     worker=worker)
    session.flush()
    record_changes(session, [change])
    return change[1]


def send_due_in(session: Session, now: dt.datetime, worker: str, limit: int = 200,
                max_late: dt.timedelta | None = None) -> tuple[int, int]:
    """Claim up to ``limit`` due reminders in this transaction and send (or expire) them;
    (sent, expired)."""
    max_late = max_late if max_late is not None else config_of(session).max_late
    rows = session.scalars(
        select(Reminder).where(Reminder.state == RR.PENDING, Reminder.due_at <= now)
        .order_by(Reminder.due_at, Reminder.id).limit(limit)
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)).all()
    expired = 0
    changes: list[Change] = []
    for row in rows:
        if row.state != RR.PENDING:  # (re-checked under the lock)
            continue
        row.claimed_at, row.claimed_by, row.updated_at = now, worker[:80], now
        if RR.verdict(row.due_at, row.expires_at, now, max_late) == RR.EXPIRE:
            row.state = RR.EXPIRED
            expired += 1
            continue
        row.state = RR.SENT
        changes.append(_notice(session, reminder_id=row.id, person_id=row.person_id,
                               kind=row.kind, module=row.module, ref_id=row.ref_id,
                               data=dict(row.data), due_at=row.due_at, now=now, worker=worker))
    session.flush()
    record_changes(session, changes)  # one counter update for the batch
    return len(changes), expired


def send_due(sessions: sessionmaker[Session], now: dt.datetime, worker: str,
             limit: int = 200) -> tuple[int, int]:
    """Send everything due, ``limit`` per transaction; (sent, expired) in all."""
    total_sent = total_expired = 0
    while True:
        with session_scope(sessions) as session:
            sent, expired = send_due_in(session, now, worker, limit)
        total_sent, total_expired = total_sent + sent, total_expired + expired
        if sent + expired < limit:
            return total_sent, total_expired
