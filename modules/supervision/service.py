"""Client side of supervision (督查督办): optimistic appliers and queries over the cache.

签收, 反馈, 延期 requests, 办结 requests and 催办 queue offline: the same effects as the
server's (``modules.supervision.intents``) run on the cached item, with the device's
copy of the working-day calendar, so a step the state machine refuses is refused in
words on the device too; the server's record then replaces the optimistic one.
Registering, deciding an extension, verifying and cancelling wait for the server.

Threading: :class:`SupervisionService` methods read the local cache; call them off the
GUI thread (``office_app.tasks``). Module-level functions are pure and thread-safe.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Protocol

from modules.calendar.rules import HolidayTable
from modules.calendar.service import CalendarService
from modules.common.access import ActorFacts, profile_facts
from modules.common.errors import ValidationFailed
from modules.supervision import intents as I
from modules.supervision import policy, subtasks
from modules.supervision import rules as R
from sync.local import LocalTx, applier

BODY = "directory.body"


def _facts(tx: LocalTx) -> ActorFacts:
    return profile_facts(tx.principal, lambda body_id: tx.get(BODY, body_id))


def _name(tx: LocalTx) -> str:
    return str(tx.principal.get("name") or "")


@applier(I.ACKNOWLEDGE)
def _apply_acknowledge(tx: LocalTx, args: dict[str, Any]) -> None:
    parsed = I.ACKNOWLEDGE.parse(args)
    new = I.acknowledge(tx.get(I.ITEM, parsed.item_id), parsed, _facts(tx), _name(tx), tx.now)
    tx.put(I.ITEM, parsed.item_id, new)


@applier(I.REPORT)
def _apply_report(tx: LocalTx, args: dict[str, Any]) -> None:
    parsed = I.REPORT.parse(args)
    new = I.report(tx.get(I.ITEM, parsed.item_id), parsed, _facts(tx), _name(tx), tx.now)
    tx.put(I.ITEM, parsed.item_id, new)


@applier(I.REQUEST_EXTENSION)
def _apply_request_extension(tx: LocalTx, args: dict[str, Any]) -> None:
    parsed = I.REQUEST_EXTENSION.parse(args)
    new = I.request_extension(tx.get(I.ITEM, parsed.item_id), parsed, _facts(tx), _name(tx),
                              tx.now, CalendarService(tx).table())
    tx.put(I.ITEM, parsed.item_id, new)


@applier(I.REQUEST_COMPLETION)
def _apply_request_completion(tx: LocalTx, args: dict[str, Any]) -> None:
    parsed = I.REQUEST_COMPLETION.parse(args)
    new = I.request_completion(tx.get(I.ITEM, parsed.item_id), parsed, _facts(tx), _name(tx),
                               tx.now)
    tx.put(I.ITEM, parsed.item_id, new)


@applier(I.REPORT_SUBTASK)
def _apply_report_subtask(tx: LocalTx, args: dict[str, Any]) -> None:
    parsed = I.REPORT_SUBTASK.parse(args)
    new = subtasks.report_subtask(tx.get(I.ITEM, parsed.item_id), parsed, _facts(tx), _name(tx),
                                  tx.now)
    tx.put(I.ITEM, parsed.item_id, new)


@applier(I.URGE)
def _apply_urge(tx: LocalTx, args: dict[str, Any]) -> None:
    parsed = I.URGE.parse(args)
    new = I.urge(tx.get(I.ITEM, parsed.item_id), parsed, _facts(tx), _name(tx), tx.now,
                 CalendarService(tx).table())
    tx.put(I.ITEM, parsed.item_id, new)


def new_item_id() -> str:
    return f"sv-{uuid.uuid4().hex[:16]}"


def involves(me: ActorFacts, item: Mapping[str, Any]) -> bool:
    """Whether the item asks something of ``me``: I handle its lead or a co-unit, I am
    its supervising leader, or I am 督查室 staff of its body."""
    return (policy.may_report(me, str(item.get("lead_unit_id") or ""),
                              [str(c) for c in item.get("co_unit_ids") or ()])
            or me.person_id == item.get("leader_id")
            or policy.is_staff(me, str(item.get("organ_id") or "")))


def by_light(items: Iterable[Mapping[str, Any]], today: dt.date, table: HolidayTable,
             rules: Iterable[R.LightRule] = R.LIGHT_RULES) -> dict[str, list[tuple[dict[str, Any], R.Light]]]:
    """Open items grouped by colour (red, yellow, green), most urgent first within each."""
    groups: dict[str, list[tuple[dict[str, Any], R.Light]]] = {R.RED: [], R.YELLOW: [], R.GREEN: []}
    wanted = tuple(rules)
    for item in items:
        found = R.light(item, today, table, wanted)
        if found.colour in groups:
            groups[found.colour].append((dict(item), found))
    for rows in groups.values():
        rows.sort(key=lambda pair: pair[1].days_left)
    return groups


class _Cache(Protocol):
    def list(self, entity: str) -> list[dict[str, Any]]: ...
    def get(self, entity: str, id: str) -> dict[str, Any] | None: ...


class _Engine(Protocol):
    def submit(self, name: str, args: dict[str, Any]) -> str: ...


class SupervisionService:
    """Supervision items for the signed-in user (reads the cache; submits intents)."""

    def __init__(self, cache: _Cache, engine: _Engine, principal: Mapping[str, Any],
                 blobs: Any = None) -> None:
        self.cache, self.engine, self.principal = cache, engine, principal
        #: the ``sync.blobs.BlobStore`` for 反馈 attachments (None: none on this client)
        self.blobs = blobs

    def facts(self) -> ActorFacts:
        return profile_facts(self.principal, lambda body_id: self.cache.get(BODY, body_id))

    def table(self) -> HolidayTable:
        return CalendarService(self.cache).table()

    def items(self) -> list[dict[str, Any]]:
        """Every cached item, by deadline."""
        return sorted(self.cache.list(I.ITEM), key=lambda i: (str(i.get("due") or ""), i["id"]))

    def item(self, item_id: str) -> dict[str, Any] | None:
        return self.cache.get(I.ITEM, item_id)

    def my_items(self) -> list[dict[str, Any]]:
        """Items that ask something of me (see :func:`involves`)."""
        me = self.facts()
        return [i for i in self.items() if involves(me, i)]

    def items_of_body(self, body_id: str) -> list[dict[str, Any]]:
        """Items a body supervises, leads or co-handles."""
        return [i for i in self.items()
                if body_id in (i.get("body_id"), i.get("lead_unit_id"), *(i.get("co_unit_ids") or ()))]

    def light(self, item: Mapping[str, Any], today: dt.date | None = None) -> R.Light:
        return R.light(item, today or R.china_day(dt.datetime.now(dt.UTC)), self.table())

    def by_light(self, today: dt.date | None = None,
                 items: Iterable[Mapping[str, Any]] | None = None) -> dict[str, list[tuple[dict[str, Any], R.Light]]]:
        return by_light(self.items() if items is None else items,
                        today or R.china_day(dt.datetime.now(dt.UTC)), self.table())

    # ------------------------------------------------------------------ writes

    def register(self, args: dict[str, Any]) -> str:
        """Queue ``supervision.register`` (online); ``item_id`` is added when missing."""
        full = {"item_id": new_item_id(), **args}
        return self.engine.submit(I.REGISTER.name, full)

    def acknowledge(self, item_id: str, note: str = "", unit_id: str = "") -> str:
        return self.engine.submit(I.ACKNOWLEDGE.name, {"item_id": item_id, "note": note,
                                                       "unit_id": unit_id})

    def split(self, item_id: str, title: str, unit_id: str, due: dt.date,
              content: str = "") -> str:
        """Queue ``supervision.split`` (online); a new sub-task id is made here."""
        return self.engine.submit(I.SPLIT.name, {
            "item_id": item_id, "subtask_id": f"st-{uuid.uuid4().hex[:16]}", "title": title,
            "content": content, "unit_id": unit_id, "due": due.isoformat()})

    def report_subtask(self, item_id: str, subtask_id: str, text: str,
                       progress: int | None = None, finished: bool = False) -> str:
        return self.engine.submit(I.REPORT_SUBTASK.name, {
            "item_id": item_id, "subtask_id": subtask_id, "text": text, "progress": progress,
            "finished": finished})

    def cancel_subtask(self, item_id: str, subtask_id: str, reason: str) -> str:
        return self.engine.submit(I.CANCEL_SUBTASK.name, {
            "item_id": item_id, "subtask_id": subtask_id, "reason": reason})

    def report(self, item_id: str, text: str, progress: int | None = None,
               unit_id: str = "", attachments: list[dict[str, Any]] | None = None) -> str:
        """Queue a 反馈 (offline too); ``attachments`` from :meth:`attach`."""
        return self.engine.submit(I.REPORT.name, {"item_id": item_id, "text": text,
                                                  "progress": progress, "unit_id": unit_id,
                                                  "attachments": list(attachments or ())})

    def attach(self, path: Path) -> dict[str, Any]:
        """Copy a file into the blob store (its upload queued, sent before the 反馈 that
        names it): ``{sha256, name, size}``."""
        if self.blobs is None:
            raise ValidationFailed("document.client.no_blob_store")
        path = Path(path)
        sha = self.blobs.add_file(path)
        return {"sha256": sha, "name": path.name[:200], "size": path.stat().st_size}

    def attachment(self, sha256: str, name: str = "") -> Path | None:
        """A file of a 反馈 attachment for the system viewer (readable offline once
        fetched), or None after queueing its download. The blob store keeps it
        encrypted; this is a plaintext copy in its private folder of open copies,
        removed when the session closes (``BlobStore.open_copy``)."""
        if self.blobs is None:
            return None
        path: Path | None = self.blobs.open_copy(sha256, name or sha256[:12])
        if path is None:
            self.blobs.request_download(sha256)
            sync_now = getattr(self.engine, "sync_now", None)
            if callable(sync_now):
                sync_now()
        return path

    def request_extension(self, item_id: str, new_due: dt.date, reason: str) -> str:
        return self.engine.submit(I.REQUEST_EXTENSION.name, {
            "item_id": item_id, "new_due": new_due.isoformat(), "reason": reason})

    def decide_extension(self, item_id: str, approve: bool, new_due: dt.date | None = None,
                         note: str = "") -> str:
        return self.engine.submit(I.DECIDE_EXTENSION.name, {
            "item_id": item_id, "approve": approve,
            "new_due": new_due.isoformat() if new_due else None, "note": note})

    def request_completion(self, item_id: str, report: str) -> str:
        return self.engine.submit(I.REQUEST_COMPLETION.name, {"item_id": item_id, "report": report})

    def verify(self, item_id: str, accept: bool, reason: str = "") -> str:
        return self.engine.submit(I.VERIFY.name, {"item_id": item_id, "accept": accept,
                                                  "reason": reason})

    def urge(self, item_id: str, note: str = "", unit_id: str = "") -> str:
        return self.engine.submit(I.URGE.name, {"item_id": item_id, "note": note,
                                                "unit_id": unit_id})

    def cancel(self, item_id: str, reason: str) -> str:
        return self.engine.submit(I.CANCEL.name, {"item_id": item_id, "reason": reason})

    def terminate(self, item_id: str, reason: str) -> str:
        return self.engine.submit(I.TERMINATE.name, {"item_id": item_id, "reason": reason})

    def strike_off(self, item_id: str, note: str = "") -> str:
        return self.engine.submit(I.STRIKE_OFF.name, {"item_id": item_id, "note": note})

    def draft_report(self, item_id: str, kind: str = "report", note: str = "") -> str:
        """Queue ``supervision.draft_report`` (online) with a new document id."""
        return self.engine.submit(I.DRAFT_REPORT.name, {
            "item_id": item_id, "document_id": f"d-{uuid.uuid4().hex[:12]}", "kind": kind,
            "note": note})
