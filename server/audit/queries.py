"""Reading the audit trail (the audit pages and exports). Reads only: the trail is
written by :mod:`server.audit.trail` and nothing in the product changes it.

Only chained entries (``seq`` set) are read: a pending entry has no place in the chain
yet and appears once the chaining pass numbered it, right after its commit.

Scope: :class:`ReadScope` is an auditor's scope from :mod:`modules.audit.policy`; in
SQL, the bodies below its roots are one recursive query over ``directory_body`` (the
same tree the pure rule walks), so the filter is one ``IN`` on the indexed
``scope_body``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from modules.audit.filters import Filter
from modules.audit.policy import AuditScope
from server.audit.models import AuditCheckpoint, AuditEntry
from server.db import session_scope
from server.directory.models import Body

#: Rows read per query while an export walks the trail.
EXPORT_PAGE = 1000


@dataclass(frozen=True)
class ReadScope:
    """Which entries one auditor reads: everything (a top-level root) or the entries
    whose ``scope_body`` lies at or below one of ``roots``."""

    roots: frozenset[str]
    everything: bool

    @classmethod
    def of(cls, scope: AuditScope) -> ReadScope:
        return cls(scope.roots, scope.everything)


def _scope_condition(scope: ReadScope) -> ColumnElement[bool] | None:
    if scope.everything:
        return None
    if not scope.roots:
        return AuditEntry.id.is_(None)  # nothing (an auditor always has roots)
    below = select(Body.id).where(Body.id.in_(sorted(scope.roots))).cte(
        "audit_scope_bodies", recursive=True)
    below = below.union_all(select(Body.id).where(Body.parent_id == below.c.id))
    return AuditEntry.scope_body.in_(select(below.c.id))


def _conditions(scope: ReadScope, f: Filter) -> list[ColumnElement[bool]]:
    out: list[ColumnElement[bool]] = [AuditEntry.seq.is_not(None)]
    inside = _scope_condition(scope)
    if inside is not None:
        out.append(inside)
    start, end = f.bounds()
    if start is not None:
        out.append(AuditEntry.at >= start)
    if end is not None:
        out.append(AuditEntry.at < end)
    actor = f.actor.strip()
    if actor:
        out.append(or_(AuditEntry.actor_id == actor,
                       func.lower(AuditEntry.actor_login) == actor.lower(),
                       AuditEntry.actor_name.contains(actor, autoescape=True)))
    prefixes = [p for p in (*f.prefixes(), f.action.strip()) if p]
    if f.categories and f.action.strip():
        # both given: the action must be in a category and start with the prefix
        out.append(or_(*(AuditEntry.action.startswith(p, autoescape=True) for p in f.prefixes())))
        out.append(AuditEntry.action.startswith(f.action.strip(), autoescape=True))
    elif prefixes:
        out.append(or_(*(AuditEntry.action.startswith(p, autoescape=True) for p in prefixes)))
    if f.result:
        out.append(AuditEntry.result == f.result)
    text = f.text.strip()
    if text:
        out.append(or_(AuditEntry.target.icontains(text, autoescape=True),
                       AuditEntry.detail.icontains(text, autoescape=True),
                       AuditEntry.code.icontains(text, autoescape=True)))
    device = f.device.strip()
    if device:
        out.append(or_(AuditEntry.device.icontains(device, autoescape=True),
                       AuditEntry.address.startswith(device, autoescape=True)))
    return out


def _select(scope: ReadScope, f: Filter) -> Select[AuditEntry]:
    return select(AuditEntry).where(and_(*_conditions(scope, f)))


def search(session: Session, scope: ReadScope, f: Filter, *, before: int | None = None,
           limit: int = 100) -> tuple[list[AuditEntry], bool]:
    """Entries matching ``f`` in ``scope``, newest first (by ``seq``), those with
    ``seq < before`` when given; at most ``limit``; and whether more follow."""
    query = _select(scope, f)
    if before is not None:
        query = query.where(AuditEntry.seq < before)
    rows = list(session.scalars(query.order_by(AuditEntry.seq.desc()).limit(limit + 1)))
    return rows[:limit], len(rows) > limit


def count(session: Session, scope: ReadScope, f: Filter) -> int:
    """How many entries match ``f`` in ``scope``."""
    return int(session.scalar(select(func.count()).select_from(
        _select(scope, f).with_only_columns(AuditEntry.id).subquery())) or 0)


def walk(sessions: sessionmaker[Session], scope: ReadScope, f: Filter, *,
         before: int | None = None, page: int | None = None
         ) -> Iterator[tuple[list[AuditEntry], dict[str, str]]]:
    """Every matching entry (with ``seq < before`` when given), newest first, as pages of
    ``page`` (:data:`EXPORT_PAGE`) entries with the names of their bodies. Each page is read in a transaction
    of its own and handed out after it ended (keyset on ``seq``): a long export never
    holds a transaction — on SQLite, the one writer's lock — while the file is written
    or sent. Chained entries never change, so the pages join up exactly."""
    while True:
        with session_scope(sessions) as session:
            rows, more = search(session, scope, f, before=before, limit=page or EXPORT_PAGE)
            names = body_names(session, (r.scope_body for r in rows))
        yield rows, names
        if not more or not rows:
            return
        before = rows[-1].seq


def by_seq(session: Session, seq: int) -> AuditEntry | None:
    """The chained entry numbered ``seq``."""
    return session.scalar(select(AuditEntry).where(AuditEntry.seq == seq))


def body_names(session: Session, body_ids: Iterable[str]) -> dict[str, str]:
    """body id -> name for the ids given (missing ones left out)."""
    ids = sorted({b for b in body_ids if b})
    out: dict[str, str] = {}
    for i in range(0, len(ids), 500):
        for body_id, name in session.execute(
                select(Body.id, Body.name).where(Body.id.in_(ids[i:i + 500]))):
            out[body_id] = name
    return out


def status(session: Session, scope: ReadScope) -> dict[str, Any]:
    """``entries`` (chained, in scope), ``pending`` (not yet chained, all of the trail),
    ``last_seq`` (the chain's last number), ``last_checkpoint_at`` / ``_seq``."""
    inside = _scope_condition(scope)
    in_scope = select(func.count()).select_from(AuditEntry).where(AuditEntry.seq.is_not(None))
    if inside is not None:
        in_scope = in_scope.where(inside)
    last_seq = session.scalar(select(func.max(AuditEntry.seq)))
    pending = session.scalar(select(func.count()).select_from(AuditEntry)
                             .where(AuditEntry.seq.is_(None)))
    checkpoint = session.scalar(select(AuditCheckpoint)
                                .order_by(AuditCheckpoint.upto_seq.desc()).limit(1))
    return {
        "entries": int(session.scalar(in_scope) or 0),
        "pending": int(pending or 0),
        "last_seq": int(last_seq or 0),
        "last_checkpoint_at": checkpoint.at.isoformat() if checkpoint else None,
        "last_checkpoint_seq": int(checkpoint.upto_seq) if checkpoint else None,
    }
