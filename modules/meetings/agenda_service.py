"""Client side of the agenda (议题) and proposed topics (申报议题): the optimistic
applier of ``meetings.propose_topic`` (offline) and :class:`AgendaService`, the reads and
submits of the agenda screen. Materials are blobs: :meth:`AgendaService.attach` copies
a file into the local blob store (its upload is queued), :meth:`AgendaService.material`
gives the local file once fetched (readable offline after that) or queues its download.

Threading: :class:`AgendaService` methods touch the cache or the blob store; call them
off the GUI thread (``office_app.tasks``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from modules.common.access import ActorFacts, profile_facts
from modules.common.errors import ValidationFailed
from modules.meetings import agenda as A
from modules.meetings import intents as I
from modules.meetings import policy
from sync.local import LocalTx, applier

BODY = "directory.body"
PERSON = "directory.person"


@applier(I.PROPOSE_TOPIC)
def _apply_propose(tx: LocalTx, args: dict[str, Any]) -> None:
    parsed = I.PROPOSE_TOPIC.parse(args)
    me = profile_facts(tx.principal, lambda body_id: tx.get(BODY, body_id))
    person = tx.get(PERSON, parsed.presenter_id) if parsed.presenter_id else None
    names = {parsed.presenter_id: str(person["name"])} if person and person.get("name") else {}
    new = A.propose_topic(tx.get(I.MEETING, parsed.meeting_id), tx.get(A.TOPIC, parsed.topic_id),
                          parsed, me, str(tx.principal.get("name") or ""), names, tx.now)
    tx.put(A.TOPIC, new["id"], new)


def new_item_id() -> str:
    return f"ai-{uuid.uuid4().hex[:16]}"


def new_topic_id() -> str:
    return f"tp-{uuid.uuid4().hex[:16]}"


class _Cache(Protocol):
    def list(self, entity: str) -> list[dict[str, Any]]: ...
    def get(self, entity: str, id: str) -> dict[str, Any] | None: ...


class _Engine(Protocol):
    def submit(self, name: str, args: dict[str, Any]) -> str: ...


class _Blobs(Protocol):
    def add_file(self, path: Path) -> str: ...
    def has(self, sha256: str) -> bool: ...
    def open_copy(self, sha256: str, name: str) -> Path | None: ...
    def request_download(self, sha256: str) -> bool: ...


class AgendaService:
    """One user's view of meetings' agendas (reads the cache; submits intents)."""

    def __init__(self, cache: _Cache, engine: _Engine, principal: Mapping[str, Any],
                 blobs: _Blobs | None = None) -> None:
        self.cache, self.engine, self.principal, self.blobs = cache, engine, principal, blobs

    def facts(self) -> ActorFacts:
        return profile_facts(self.principal, lambda body_id: self.cache.get(BODY, body_id))

    def meeting(self, meeting_id: str) -> dict[str, Any] | None:
        return self.cache.get(I.MEETING, meeting_id)

    def agenda(self, meeting_id: str) -> list[dict[str, Any]]:
        return A.items(self.meeting(meeting_id) or {})

    def topics(self, meeting_id: str) -> list[dict[str, Any]]:
        """Topics proposed for the meeting that the user sees, undecided first."""
        rows = [t for t in self.cache.list(A.TOPIC) if t.get("meeting_id") == meeting_id]
        return sorted(rows, key=lambda t: (t.get("state") != A.PROPOSED, str(t.get("created_at"))))

    def organises(self, meeting: Mapping[str, Any]) -> bool:
        return policy.may_organise(self.facts(), I.host_of(meeting))

    def proposer_bodies(self, meeting: Mapping[str, Any]) -> list[dict[str, str]]:
        return A.proposer_bodies(self.facts(), meeting)

    # -- writes -------------------------------------------------------------------------
    def save_item(self, meeting_id: str, item: Mapping[str, Any]) -> str:
        """Queue ``meetings.save_agenda_item``; ``item`` as its args (``item_id`` made
        when absent)."""
        return self.engine.submit(I.SAVE_AGENDA_ITEM.name,
                                  {"item_id": new_item_id(), **dict(item), "meeting_id": meeting_id})

    def remove_item(self, meeting_id: str, item_id: str) -> str:
        return self.engine.submit(I.REMOVE_AGENDA_ITEM.name,
                                  {"meeting_id": meeting_id, "item_id": item_id})

    def order(self, meeting_id: str, item_ids: Sequence[str]) -> str:
        return self.engine.submit(I.ORDER_AGENDA.name,
                                  {"meeting_id": meeting_id, "item_ids": list(item_ids)})

    def move(self, meeting_id: str, item_id: str, step: int) -> str | None:
        """Move an item one place up (−1) or down (+1); None when it does not move."""
        agenda = self.agenda(meeting_id)
        ids = A.moved(agenda, item_id, step)
        if ids == [str(i["id"]) for i in agenda]:
            return None
        A.check_order(A.reordered(agenda, ids))  # refused in words before queueing
        return self.order(meeting_id, ids)

    def propose(self, meeting_id: str, body_id: str, title: str, *, presenter_id: str = "",
                minutes: int = 0, note: str = "",
                materials: Sequence[Mapping[str, Any]] = ()) -> str:
        return self.engine.submit(I.PROPOSE_TOPIC.name, {
            "topic_id": new_topic_id(), "meeting_id": meeting_id, "body_id": body_id,
            "title": title, "presenter_id": presenter_id, "minutes": minutes, "note": note,
            "materials": [dict(m) for m in materials]})

    def decide(self, topic_id: str, accept: bool, reason: str = "", *,
               start: dt.datetime | None = None, end: dt.datetime | None = None) -> str:
        return self.engine.submit(I.DECIDE_TOPIC.name, {
            "topic_id": topic_id, "accept": accept, "reason": reason,
            "start": start.isoformat() if start else None,
            "end": end.isoformat() if end else None})

    # -- materials ------------------------------------------------------------------------
    def attach(self, path: Path) -> dict[str, Any]:
        """Copy a file into the blob store (upload queued): ``{sha256, name, size}``."""
        if self.blobs is None:
            raise ValidationFailed("document.client.no_blob_store")
        path = Path(path)
        sha = self.blobs.add_file(path)
        return {"sha256": sha, "name": path.name[:200], "size": path.stat().st_size}

    def material(self, sha256: str, name: str = "") -> Path | None:
        """A file of a material for the system viewer, or None after queueing its
        download: a plaintext copy in the blob store's private folder of open copies
        (the store itself is encrypted), removed when the session closes."""
        if self.blobs is None:
            return None
        path = self.blobs.open_copy(sha256, name or sha256[:12])
        if path is None:
            self.blobs.request_download(sha256)
            sync_now = getattr(self.engine, "sync_now", None)
            if callable(sync_now):
                sync_now()
        return path
