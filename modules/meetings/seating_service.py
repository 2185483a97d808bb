"""Client side of seating (座次): who is to be seated, their rank facts and the stored
plan, read from the local cache; saving through the engine (``meetings.save_seating`` is
online: it takes effect when the server confirms it).

Blocking: call :meth:`SeatingReads.load` off the GUI thread (``office_app.tasks``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from modules.common.access import profile_facts
from modules.meetings import intents as I
from modules.meetings import meeting as M
from modules.meetings import policy
from modules.meetings import seating as S

PERSON = "directory.person"
BODY = "directory.body"
#: Answers that keep someone away (a substitute is seated instead of them).
AWAY = {M.DECLINE, M.SUBSTITUTE}


class _Cache(Protocol):
    def list(self, entity: str) -> list[dict[str, Any]]: ...
    def get(self, entity: str, id: str) -> dict[str, Any] | None: ...


class _Engine(Protocol):
    def submit(self, name: str, args: dict[str, Any]) -> str: ...


@dataclass
class SeatingData:
    """One read for the seat plan screen."""

    meeting: dict[str, Any]
    attendees: list[S.Attendee]
    plan: dict[str, Any] | None
    layout: S.LayoutArgs
    #: seat id → {person_id, name} (the stored plan, or empty)
    seats: dict[str, dict[str, str]] = field(default_factory=dict)
    organises: bool = False
    capacity: int = 0


def attendees(meeting: Mapping[str, Any], nominations: list[dict[str, Any]],
              replies: list[dict[str, Any]], people: Mapping[str, Mapping[str, Any]]
              ) -> list[S.Attendee]:
    """Who is to be seated: the chair, everyone invited (出席, nominees, substitutes) and
    列席, except those who declined or sent a substitute; in invitation order. ``people``:
    directory records by id (posts give the rank). Guests on a facing table: people with
    no post in the host body's organ."""
    invited = M.invitations(meeting, nominations, replies)
    answers = {str(r.get("person_id")): str(r.get("answer") or "") for r in replies
               if r.get("meeting_id") == meeting.get("id")}
    order: list[tuple[str, str, bool]] = []
    chair = str(meeting.get("chair_id") or "")
    if chair and chair not in invited:
        order.append((chair, str(meeting.get("chair_name") or ""), False))
    for inv in invited.values():
        if answers.get(inv.person_id) in AWAY:
            continue
        order.append((inv.person_id, inv.name, inv.role == M.OBSERVER))
    host_organ = str(meeting.get("host_organ_id") or meeting.get("host_body_id") or "")
    out = []
    for i, (pid, name, observer) in enumerate(order):
        record = people.get(pid) or {}
        posts = tuple(record.get("posts") or ())
        ours = any(host_organ in (p.get("org_id"), p.get("body_id")) for p in posts)
        out.append(S.Attendee(pid, str(record.get("name") or name), posts, observer, i,
                              guest=bool(posts) and not ours))
    return out


class SeatingReads:
    def __init__(self, cache: _Cache, engine: _Engine | None,
                 principal: Mapping[str, Any]) -> None:
        self.cache, self.engine, self.principal = cache, engine, principal

    def load(self, meeting_id: str) -> SeatingData | None:
        meeting = self.cache.get(I.MEETING, meeting_id)
        if meeting is None:
            return None
        noms = [n for n in self.cache.list(I.NOMINATION) if n.get("meeting_id") == meeting_id]
        replies = [r for r in self.cache.list(I.REPLY) if r.get("meeting_id") == meeting_id]
        invited = M.invitations(meeting, noms, replies)
        ids = {*invited, str(meeting.get("chair_id") or "")} - {""}
        people = {pid: rec for pid in ids if (rec := self.cache.get(PERSON, pid)) is not None}
        plan = self.cache.get(S.SEATING, meeting_id)
        who = attendees(meeting, noms, replies, people)
        room = self.cache.get(I.ROOM, str(meeting.get("room_id") or "")) or {}
        capacity = int(room.get("capacity") or 0)
        layout = (S.LayoutArgs.model_validate(plan["layout"]) if plan and plan.get("layout")
                  else S.default_layout(len(who), capacity))
        facts = profile_facts(self.principal, lambda body_id: self.cache.get(BODY, body_id))
        organises = (meeting.get("organiser_id") == self.principal.get("person_id")
                     or policy.may_organise(facts, I.host_of(meeting)))
        return SeatingData(meeting, who, plan, layout, S.plan_seats(plan), organises, capacity)

    def save(self, meeting_id: str, layout: S.LayoutArgs, seats: Mapping[str, Mapping[str, str]],
             order: list[str], guests: list[str], version: int) -> str:
        """Queue ``meetings.save_seating`` (blocking: the engine writes its outbox)."""
        assert self.engine is not None
        return self.engine.submit(I.SAVE_SEATING.name, {
            "meeting_id": meeting_id, "layout": layout.model_dump(),
            "seats": [{"seat_id": k, "person_id": v.get("person_id", ""),
                       "name": "" if v.get("person_id") else v.get("name", "")}
                      for k, v in seats.items()],
            "order": order, "guests": guests, "version": version})
