"""The documents' 办理时限 on the device: a small cache projection (``doc_deadline``: id,
due date, finished or not) beside the search index, and :func:`with_limits`, which adds
to list rows what the row shows — ``limit_zh`` / ``limit_en`` ("剩3个工作日", "逾期2个
工作日") and ``limit_overdue`` — computed with the device's calendar.

Blocking (cache reads): background threads only. Importing registers the projection
(``modules.documents.service`` imports it, before any cache opens).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Column, String, Table, delete, insert, select
from sqlalchemy.orm import Session

from modules.calendar.service import CalendarService
from modules.common.china_time import CHINA as CHINA  # also named from here
from modules.documents import time_limit
from sync.cache import Projection, projection_metadata, register_projection

ENTITY = "documents.document"

doc_deadline = Table(
    "doc_deadline",
    projection_metadata,
    Column("id", String, primary_key=True),
    Column("deadline", String, nullable=False),
    Column("status", String, nullable=False, default=""),
)


def _apply(session: Session, doc_id: str, data: dict[str, Any] | None) -> None:
    session.execute(delete(doc_deadline).where(doc_deadline.c.id == doc_id))
    if data is None or not data.get("deadline"):
        return
    status = str(data.get("status") or (data.get("workflow") or {}).get("status") or "")
    session.execute(insert(doc_deadline).values(id=doc_id, deadline=str(data["deadline"])[:10],
                                                status=status))


PROJECTION = Projection(ENTITY, [doc_deadline], _apply)
register_projection(PROJECTION)

#: Statuses in which a document is no longer being handled (never overdue).
FINISHED = frozenset({"done", "voided", "recalled", "returned"})


def with_limits(cache: Any, rows: Iterable[dict[str, Any]],
                today: dt.date | None = None) -> list[dict[str, Any]]:
    """``rows`` (dicts with ``id``) with ``limit_zh`` / ``limit_en`` (the short words in
    each language, :meth:`time_limit.Limit.short`) and ``limit_overdue`` added for the
    documents that have a 办理时限."""
    out = [dict(r) for r in rows]
    ids = [str(r["id"]) for r in out]
    if not ids:
        return out
    with cache.read() as s:
        found = {r.id: (r.deadline, r.status) for r in s.execute(
            select(doc_deadline).where(doc_deadline.c.id.in_(ids)))}
    if not found:
        return out
    table = CalendarService(cache).table()
    day = today or dt.datetime.now(CHINA).date()
    for row in out:
        hit = found.get(str(row["id"]))
        if hit is None:
            continue
        limit = time_limit.limit_of(hit[0], day, table, done=hit[1] in FINISHED)
        if limit is not None:
            row["limit_zh"], row["limit_en"] = limit.short("zh_CN"), limit.short("en")
            row["limit_overdue"] = limit.overdue
    return out
