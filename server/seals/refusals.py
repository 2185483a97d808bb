"""Refused stamping attempts in the usage register (用印登记, result ``refused``).

A register must show every attempt to use a seal, also the refused ones. A refused
``seals.stamp`` is a *rejected* intent: its transaction is rolled back (nothing of the
stamp may remain) and the dispatcher records the rejection in a transaction of its own.
The refusal's register row therefore cannot be written in the intent's transaction, and
not beside it either: on SQLite every transaction takes the write lock at BEGIN, so a
second writer would wait for the intent's transaction that is waiting for it.

So the handler, while its transaction is still open, takes a snapshot of the request
and seal (:func:`snapshot`), and :func:`record_after_rollback` writes the row in a new
transaction as soon as the intent's transaction has been rolled back (a SQLAlchemy
``after_rollback`` listener on that session, for that one rollback).

* The row's id is derived from (person, mutation id), so a retried intent — or a crash
  between the two transactions followed by a retry — never writes a second row.
* If writing the row fails, the error propagates out of the rollback: the intent is
  answered as a server error, nothing of its rejection is stored, and the client's retry
  tries again. A refusal is never answered without its register row.
* Attempts on an unknown request are not recorded: there is no seal to file them under.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from modules.common.errors import DomainError
from server.auth.principal import Principal
from server.db import session_scope
from server.seals.models import RegisterRow, SealRow, UseRequestRow

REFUSED = "refused"


def attempt_id(person_id: str, mutation_id: str) -> str:
    """Register id of a refused attempt: stable for (person, mutation id), ≤ 60 chars."""
    digest = hashlib.sha256(f"{person_id}\n{mutation_id}".encode()).hexdigest()
    return f"reg-refused-{digest[:40]}"


@dataclass(frozen=True)
class Attempt:
    """Plain values of a refused attempt (read before the rollback expires the rows)."""

    entry_id: str
    seal_id: str
    seal_name: str
    request_id: str
    requester: str
    requester_name: str
    approver: str
    approver_name: str
    stamped_by: str
    stamped_by_name: str
    at: dt.datetime
    reason: str
    document_title: str
    document_id: str
    document_sha256: str
    error: dict[str, Any]


def snapshot(session: Session, *, actor: Principal, request_id: str, mutation_id: str,
             now: dt.datetime, error: DomainError) -> Attempt | None:
    """The attempt to record, or None when the request or its seal is unknown.
    Call inside the intent's transaction, before it is rolled back."""
    row = session.get(UseRequestRow, request_id)
    seal = session.get(SealRow, row.seal_id) if row is not None else None
    if row is None or seal is None:
        return None
    return Attempt(
        entry_id=attempt_id(actor.person_id, mutation_id), seal_id=seal.id,
        seal_name=seal.name, request_id=row.id, requester=row.requester,
        requester_name=row.requester_name, approver=row.decided_by,
        approver_name=row.decided_by_name, stamped_by=actor.person_id,
        stamped_by_name=actor.name, at=now, reason=row.reason,
        document_title=row.document_title, document_id=row.document_id,
        document_sha256=row.current_sha256,
        error={"code": error.code, "params": error.to_dict("zh_CN")["params"]},
    )


def write(session: Session, attempt: Attempt) -> RegisterRow | None:
    """Insert the refused entry and publish it; None if it was already recorded."""
    from server.seals.storage import get_seal, publish_entry

    if session.get(RegisterRow, attempt.entry_id) is not None:
        return None
    entry = RegisterRow(
        id=attempt.entry_id, seal_id=attempt.seal_id, seal_name=attempt.seal_name,
        request_id=attempt.request_id, requester=attempt.requester,
        requester_name=attempt.requester_name, approver=attempt.approver,
        approver_name=attempt.approver_name, stamped_by=attempt.stamped_by,
        stamped_by_name=attempt.stamped_by_name, stamped_at=attempt.at,
        reason=attempt.reason, document_title=attempt.document_title,
        document_id=attempt.document_id, document_sha256=attempt.document_sha256,
        result_sha256="", copy_no=0, result=REFUSED, extra={"refusal": attempt.error},
    )
    session.add(entry)
    publish_entry(session, entry, get_seal(session, attempt.seal_id))
    return entry


def record_after_rollback(session: Session, attempt: Attempt) -> None:
    """Write ``attempt`` in a new transaction right after ``session``'s next rollback."""
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine

    def after_rollback(_session: Session) -> None:
        with session_scope(engine) as fresh:
            write(fresh, attempt)

    event.listen(session, "after_rollback", after_rollback, once=True)
