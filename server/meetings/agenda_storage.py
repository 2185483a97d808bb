"""Storage of the agenda's blobs and of proposed topics (申报议题): rows, blob references
and the change feed. Every function runs inside the caller's transaction.

A topic reaches the meeting's organisers, the person who proposed it and the proposing
unit's registry clerks and leaders. Materials are readable by whoever sees the record
naming them (a blob reference to the meeting, or to the topic)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from modules.common.errors import ValidationFailed
from modules.meetings import agenda as A
from modules.meetings import meeting as M
from modules.meetings import policy
from server.blobs.models import Blob
from server.blobs.store import add_ref, can_read, check_sha
from server.changefeed import record_change
from server.meetings.agenda_models import Topic
from server.meetings.storage import _organisers


def topic_audience(meeting: dict[str, Any], topic: dict[str, Any]) -> set[str]:
    return _organisers(meeting) | {f"user:{topic['by_id']}",
                                   policy.nominator_key(str(topic["body_id"]))}


def topic_record(session: Session, topic_id: str, *, lock: bool = False) -> dict[str, Any] | None:
    query = select(Topic).where(Topic.id == topic_id)
    row = session.scalars(query.with_for_update() if lock else query).first()
    return dict(row.data) if row is not None else None


def topics_of(session: Session, meeting_id: str) -> list[dict[str, Any]]:
    rows = session.scalars(select(Topic).where(Topic.meeting_id == meeting_id).order_by(Topic.id))
    return [dict(r.data) for r in rows]


def put_topic(session: Session, data: dict[str, Any], meeting: dict[str, Any],
              now: dt.datetime) -> None:
    row = session.get(Topic, data["id"])
    if row is None:
        row = Topic(id=data["id"], meeting_id=data["meeting_id"], body_id=data["body_id"],
                    by_id=data["by_id"], audience=[])
        session.add(row)
    row.state, row.data, row.updated_at = data["state"], dict(data), now
    row.audience = sorted(topic_audience(meeting, data))
    session.flush()
    refer(session, data.get("materials") or (), A.TOPIC, row.id)
    record_change(session, A.TOPIC, row.id, dict(data), row.audience)


def refer(session: Session, materials: Iterable[dict[str, Any]], entity: str,
          entity_id: str) -> None:
    """Record that ``entity`` names the materials' blobs (so its readers may fetch them)."""
    for sha in sorted({str(m["sha256"]) for m in materials}):
        add_ref(session, sha, entity, entity_id)


def refer_agenda(session: Session, meeting: dict[str, Any]) -> None:
    """Blob references from the meeting to every material of its agenda."""
    refer(session, [m for i in meeting.get("agenda") or () for m in i.get("materials") or ()],
          M.MEETING, str(meeting["id"]))


def checked_materials(session: Session, materials: Iterable[Any], person_id: str,
                      keys: frozenset[str]) -> list[dict[str, Any]]:
    """The materials as stored: each blob complete and readable by the person (their
    own upload, or named by a record they see), with the server's size."""
    out = []
    for item in materials:
        sha = check_sha(str(item.sha256))
        blob = session.get(Blob, sha)
        if blob is None or not can_read(session, sha, person_id, keys):
            raise ValidationFailed("blob.not_found", sha256=sha)
        out.append({"sha256": sha, "name": str(item.name).strip(), "size": int(blob.size)})
    return out
