"""Client side of meetings (办会): optimistic appliers and queries over the local cache.

Meetings (会议): :class:`MeetingsOfMine` lists the user's meetings (today / upcoming /
past / organised) and tallies replies; a reply (回执) and a body's nomination are applied
on the device at once, with the server's own effects.

A booking made on the device (``meetings.book_room``) shows at once as 待确认
(``requested``): the same rules as the server's (``modules.meetings.intents``) run on the
cached rooms and bookings, so a slot the device already knows to be taken is refused in
words, offline too; the server's answer then replaces the record (``confirmed`` or
``held``), or the refusal names who holds the room and until when.

Threading: :class:`MeetingService` methods read the local cache; call them off the GUI
thread (``office_app.tasks``). Module-level functions are pure and thread-safe.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager
from typing import Any, Protocol

from sqlalchemy import Column, Index, String, Table, delete, insert, select
from sqlalchemy.orm import Session

from modules.common.access import ActorFacts, profile_facts
from modules.common.errors import ValidationFailed
from modules.meetings import checkin as C
from modules.meetings import intents as I
from modules.meetings import meeting as M
from modules.meetings import policy
from modules.meetings import rules as R
from sync.cache import Projection, projection_metadata, records, register_projection
from sync.local import LocalTx, applier

BODY = "directory.body"

#: Bookings by room, time and state, so a screen reads one day (or one person's
#: bookings) without decoding every booking of the organ. Times are UTC ISO strings in
#: one format (``intents.iso``), so they compare as text.
mt_booking = Table(
    "mt_booking", projection_metadata,
    Column("id", String, primary_key=True),
    Column("room_id", String, nullable=False),
    Column("start", String, nullable=False),
    Column("end", String, nullable=False),
    Column("state", String, nullable=False),
    Column("holder_id", String, nullable=False),
    Index("ix_mt_booking_time", "start", "end"),
    Index("ix_mt_booking_holder", "holder_id"),
    Index("ix_mt_booking_state", "state"),
)


def _apply_booking(session: Session, booking_id: str, data: dict[str, Any] | None) -> None:
    session.execute(delete(mt_booking).where(mt_booking.c.id == booking_id))
    if data:
        session.execute(insert(mt_booking).values(
            id=booking_id, room_id=str(data.get("room_id") or ""),
            start=I.iso(R.parse_time(data["start"])), end=I.iso(R.parse_time(data["end"])),
            state=str(data.get("state") or ""), holder_id=str(data.get("holder_id") or "")))


register_projection(Projection(I.BOOKING, [mt_booking], _apply_booking))


def facts(tx: LocalTx) -> ActorFacts:
    return profile_facts(tx.principal, lambda body_id: tx.get(BODY, body_id))


def _room_bookings(tx: LocalTx, room_id: str) -> list[dict[str, Any]]:
    return [b for b in tx.list(I.BOOKING) if b.get("room_id") == room_id]


@applier(I.BOOK_ROOM)
def _apply_book_room(tx: LocalTx, args: dict[str, Any]) -> None:
    parsed = I.BOOK_ROOM.parse(args)
    new = I.book_room(tx.get(I.ROOM, parsed.room_id), tx.get(I.BOOKING, parsed.booking_id),
                      _room_bookings(tx, parsed.room_id), parsed, facts(tx),
                      str(tx.principal.get("name") or ""), tx.now)
    # Until the server answers, the booking is a request: it holds nothing.
    new.update(state=R.REQUESTED, state_words=R.STATE_WORDS[R.REQUESTED][0])
    tx.put(I.BOOKING, parsed.booking_id, new)


def _room_of(tx: LocalTx, booking: Mapping[str, Any] | None) -> dict[str, Any]:
    return (tx.get(I.ROOM, str(booking.get("room_id"))) or {}) if booking else {}


@applier(I.DECIDE_BOOKING)
def _apply_decide(tx: LocalTx, args: dict[str, Any]) -> None:
    parsed = I.DECIDE_BOOKING.parse(args)
    booking = tx.get(I.BOOKING, parsed.booking_id)
    new = I.decide_booking(booking, _room_of(tx, booking), parsed, facts(tx),
                           str(tx.principal.get("name") or ""), tx.now)
    tx.put(I.BOOKING, parsed.booking_id, new)


@applier(I.CANCEL_BOOKING)
def _apply_cancel(tx: LocalTx, args: dict[str, Any]) -> None:
    parsed = I.CANCEL_BOOKING.parse(args)
    booking = tx.get(I.BOOKING, parsed.booking_id)
    new = I.cancel_booking(booking, _room_of(tx, booking), parsed, facts(tx), tx.now)
    tx.put(I.BOOKING, parsed.booking_id, new)


def new_booking_id() -> str:
    return f"mb-{uuid.uuid4().hex[:16]}"


def new_room_id() -> str:
    return f"mr-{uuid.uuid4().hex[:16]}"


class _Cache(Protocol):
    def list(self, entity: str) -> list[dict[str, Any]]: ...
    def get(self, entity: str, id: str) -> dict[str, Any] | None: ...
    def read(self) -> AbstractContextManager[Session]: ...


class _Engine(Protocol):
    def submit(self, name: str, args: dict[str, Any]) -> str: ...


class MeetingService:
    """Rooms and bookings for the signed-in user (reads the cache; submits intents)."""

    def __init__(self, cache: _Cache, engine: _Engine, principal: Mapping[str, Any]) -> None:
        self.cache, self.engine, self.principal = cache, engine, principal

    def facts(self) -> ActorFacts:
        return profile_facts(self.principal, lambda body_id: self.cache.get(BODY, body_id))

    def rooms(self) -> list[R.Room]:
        """Rooms the user can see, by building and name."""
        return sorted((R.Room.from_dict(r) for r in self.cache.list(I.ROOM)),
                      key=lambda r: (r.building, r.floor, r.name))

    def bookable_rooms(self) -> list[R.Room]:
        me = self.facts()
        return [R.Room.from_dict(r) for r in self.cache.list(I.ROOM)
                if policy.may_book(me, I.body_of(r))]

    def _bookings_where(self, *conditions: Any) -> list[dict[str, Any]]:
        with self.cache.read() as s:
            ids = select(mt_booking.c.id).where(*conditions)
            return [dict(r) for r in s.execute(
                select(records.c.data).where(records.c.entity == I.BOOKING,
                                             records.c.id.in_(ids), records.c.data.is_not(None))
                .order_by(records.c.id)).scalars()]

    def bookings_between(self, lo: dt.datetime, hi: dt.datetime) -> list[dict[str, Any]]:
        """Bookings (any state) that overlap ``[lo, hi)``."""
        return self._bookings_where(mt_booking.c.start < I.iso(hi), mt_booking.c.end > I.iso(lo))

    def day_bookings(self, day: dt.date) -> list[dict[str, Any]]:
        """Bookings touching one China-time day."""
        lo = dt.datetime.combine(day, dt.time(0), R.CHINA)
        return self.bookings_between(lo, lo + dt.timedelta(days=1))

    def my_bookings(self, now: dt.datetime | None = None) -> list[dict[str, Any]]:
        """The user's bookings that are not over yet and not finished, soonest first."""
        now = now or dt.datetime.now(dt.UTC)
        rows = self._bookings_where(mt_booking.c.holder_id == self.facts().person_id,
                                    mt_booking.c.end > I.iso(now),
                                    mt_booking.c.state.not_in(sorted(R.FINAL)))
        return sorted(rows, key=lambda b: str(b["start"]))

    def held_bookings(self) -> list[dict[str, Any]]:
        """Bookings awaiting approval (every room the device knows), soonest first."""
        rows = self._bookings_where(mt_booking.c.state == R.HELD)
        return sorted(rows, key=lambda b: str(b["start"]))

    def slots(self, start: dt.datetime, end: dt.datetime) -> list[R.Slot]:
        return [R.Slot.from_dict(b) for b in self.bookings_between(start, end)]

    def day_grid(self, day: dt.date) -> dict[str, list[R.Slot]]:
        """The occupancy grid of one day: bookings per room, by start time."""
        rooms = [r.id for r in self.rooms()]
        return R.day_grid([R.Slot.from_dict(b) for b in self.day_bookings(day)], rooms, day)

    def free_rooms(self, start: dt.datetime, end: dt.datetime, *, people: int = 0,
                   equipment: Iterable[str] = (), now: dt.datetime | None = None) -> list[R.FreeRoom]:
        """Rooms the user may book that are free for ``[start, end)`` (as the device
        knows; the server decides)."""
        return R.free_rooms(self.bookable_rooms(), self.slots(start, end), start, end,
                            now or dt.datetime.now(dt.UTC), people=people, equipment=equipment)

    def book(self, room_id: str, start: dt.datetime, end: dt.datetime, subject: str, *,
             people: int = 0) -> str:
        """Queue a booking; returns its id. A slot the device knows is taken is refused
        at once (``meetings.room_taken``), before anything is queued."""
        booking_id = new_booking_id()
        self.engine.submit(I.BOOK_ROOM.name, {
            "booking_id": booking_id, "room_id": room_id, "start": start.isoformat(),
            "end": end.isoformat(), "subject": subject, "people": people})
        return booking_id

    def decide(self, booking_id: str, approve: bool, note: str = "") -> str:
        return self.engine.submit(I.DECIDE_BOOKING.name,
                                  {"booking_id": booking_id, "approve": approve, "note": note})

    def cancel(self, booking_id: str, reason: str = "") -> str:
        return self.engine.submit(I.CANCEL_BOOKING.name,
                                  {"booking_id": booking_id, "reason": reason})

    def meetings(self) -> MeetingsOfMine:
        """The user's meetings, replies and tallies (same cache and engine)."""
        return MeetingsOfMine(self.cache, self.engine, self.principal)

    def checkin(self) -> CheckIn:
        """Check-in (签到): the QR to show, scans, the attendance list."""
        return CheckIn(self.cache, self.engine, self.principal)


# =========================================================================== meetings (会议)
#
# A reply (回执) and a body's nomination are made offline: the same effects as the
# server's run on the cached meeting, nominations and replies, so someone not invited is
# refused in words on the device; the server's record then replaces the optimistic one.

PERSON = "directory.person"


def _person_names(tx: LocalTx | _Cache, ids: Iterable[str]) -> dict[str, str]:
    out = {}
    for person_id in ids:
        record = tx.get(PERSON, person_id) if person_id else None
        if record and record.get("name"):
            out[person_id] = str(record["name"])
    return out


def _of_meeting(records: Iterable[dict[str, Any]], meeting_id: str) -> list[dict[str, Any]]:
    return [r for r in records if r.get("meeting_id") == meeting_id]


@applier(I.REPLY_MEETING)
def _apply_reply(tx: LocalTx, args: dict[str, Any]) -> None:
    parsed = I.REPLY_MEETING.parse(args)
    me = facts(tx)
    new = I.reply(tx.get(I.MEETING, parsed.meeting_id),
                  tx.get(I.REPLY, M.reply_id(parsed.meeting_id, me.person_id)),
                  _of_meeting(tx.list(I.NOMINATION), parsed.meeting_id),
                  _of_meeting(tx.list(I.REPLY), parsed.meeting_id), parsed, me,
                  _person_names(tx, [parsed.substitute_id]).get(parsed.substitute_id, ""), tx.now)
    tx.put(I.REPLY, new["id"], new)


@applier(I.NOMINATE)
def _apply_nominate(tx: LocalTx, args: dict[str, Any]) -> None:
    parsed = I.NOMINATE.parse(args)
    new = I.nominate(tx.get(I.MEETING, parsed.meeting_id),
                     tx.get(I.NOMINATION, M.nomination_id(parsed.meeting_id, parsed.body_id)),
                     parsed, facts(tx), str(tx.principal.get("name") or ""),
                     _person_names(tx, parsed.nominees), tx.now, _posts_of(tx, parsed.nominees))
    tx.put(I.NOMINATION, new["id"], new)


def _posts_of(tx: LocalTx, ids: Iterable[str]) -> dict[str, ActorFacts]:
    """The cached nominees' posts (those whose cached record lists them)."""
    out = {}
    for person_id in ids:
        record = tx.get(PERSON, person_id) if person_id else None
        if record and "posts" in record:
            out[person_id] = profile_facts({**record, "person_id": person_id},
                                           lambda body_id: tx.get(BODY, body_id))
    return out


def new_meeting_id() -> str:
    return f"mt-{uuid.uuid4().hex[:16]}"


class MeetingsOfMine:
    """The signed-in user's meetings, for the 我的会议 screen (reads the cache only)."""

    def __init__(self, cache: _Cache, engine: _Engine, principal: Mapping[str, Any]) -> None:
        self.cache, self.engine, self.principal = cache, engine, principal

    @property
    def me(self) -> str:
        return str(self.principal.get("person_id") or "")

    def facts(self) -> ActorFacts:
        return profile_facts(self.principal, lambda body_id: self.cache.get(BODY, body_id))

    def meeting(self, meeting_id: str) -> dict[str, Any] | None:
        return self.cache.get(I.MEETING, meeting_id)

    def invited(self, meeting: Mapping[str, Any]) -> dict[str, M.Invitation]:
        return M.invitations(meeting, _of_meeting(self.cache.list(I.NOMINATION), meeting["id"]),
                             _of_meeting(self.cache.list(I.REPLY), meeting["id"]))

    def organises(self, meeting: Mapping[str, Any]) -> bool:
        return (meeting.get("organiser_id") == self.me
                or policy.may_organise(self.facts(), I.host_of(meeting)))

    def lists(self, now: dt.datetime | None = None) -> dict[str, list[dict[str, Any]]]:
        """``today`` / ``upcoming`` (by start) and ``past`` (latest first): meetings the
        user is invited to or involved in; ``organised``: those they may organise
        (drafts included), by start."""
        now = now or dt.datetime.now(dt.UTC)
        out: dict[str, list[dict[str, Any]]] = {"today": [], "upcoming": [], "past": [],
                                                "organised": []}
        for meeting in self.cache.list(I.MEETING):
            if self.organises(meeting):
                out["organised"].append(meeting)
            if meeting.get("state") != M.DRAFT and self.me in M.involved(meeting, self.invited(meeting)):
                out[M.bucket(meeting, now)].append(meeting)
        for name, rows in out.items():
            rows.sort(key=lambda m: str(m["start"]), reverse=name == "past")
        return out

    def my_reply(self, meeting_id: str) -> dict[str, Any] | None:
        return self.cache.get(I.REPLY, M.reply_id(meeting_id, self.me))

    def tally(self, meeting_id: str, now: dt.datetime | None = None) -> M.Tally | None:
        """The live 回执 count (as the device knows it)."""
        meeting = self.meeting(meeting_id)
        if meeting is None:
            return None
        return M.tally(meeting, self.cache.list(I.NOMINATION), self.cache.list(I.REPLY),
                       now or dt.datetime.now(dt.UTC))

    def nominable_bodies(self, meeting_id: str) -> list[dict[str, str]]:
        """The invited bodies the user may nominate for."""
        meeting = self.meeting(meeting_id) or {}
        me = self.facts()
        return [b for b in meeting.get("bodies") or () if policy.may_nominate(me, b["id"])]

    def reply(self, meeting_id: str, answer: str, *, reason: str = "",
              substitute_id: str = "") -> str:
        return self.engine.submit(I.REPLY_MEETING.name, {
            "meeting_id": meeting_id, "answer": answer, "reason": reason,
            "substitute_id": substitute_id})

    def nominate(self, meeting_id: str, body_id: str, nominees: list[str], note: str = "") -> str:
        return self.engine.submit(I.NOMINATE.name, {
            "meeting_id": meeting_id, "body_id": body_id, "nominees": nominees, "note": note})

    def save(self, args: Mapping[str, Any]) -> str:
        """Queue ``meetings.save_meeting`` (online: the server answers); ``args`` as
        :class:`modules.meetings.intents.SaveMeetingArgs`, ``meeting_id`` made if absent."""
        return self.engine.submit(I.SAVE_MEETING.name,
                                  {"meeting_id": new_meeting_id(), **dict(args)})

    def publish(self, meeting_id: str) -> str:
        return self.engine.submit(I.PUBLISH_MEETING.name, {"meeting_id": meeting_id})

    def cancel(self, meeting_id: str, reason: str) -> str:
        return self.engine.submit(I.CANCEL_MEETING.name, {"meeting_id": meeting_id, "reason": reason})

    def close(self, meeting_id: str) -> str:
        return self.engine.submit(I.CLOSE_MEETING.name, {"meeting_id": meeting_id})


# =========================================================================== check-in (签到)
#
# The organiser's and 工作人员's devices hold the meeting's check-in key (feed entity
# ``meetings.checkin_key``): they show the rotating QR code and verify personal codes
# with no network, queueing the check-ins; an attendee's device checks the meeting and
# the time and leaves the signature to the server. The server's record (the earliest
# scan per person) then replaces the optimistic one.


def _invited(tx: LocalTx, meeting: Mapping[str, Any] | None) -> dict[str, M.Invitation]:
    if meeting is None:
        return {}
    return M.invitations(meeting, _of_meeting(tx.list(I.NOMINATION), meeting["id"]),
                         _of_meeting(tx.list(I.REPLY), meeting["id"]))


def _secret(tx: LocalTx | _Cache, meeting_id: str) -> str | None:
    key = tx.get(I.CHECKIN_KEY, meeting_id)
    return str(key["secret"]) if key and key.get("secret") else None


@applier(I.CHECK_IN)
def _apply_check_in(tx: LocalTx, args: dict[str, Any]) -> None:
    parsed = I.CHECK_IN.parse(args)
    meeting = tx.get(I.MEETING, parsed.meeting_id)
    new = I.check_in(meeting, lambda i: tx.get(I.CHECKIN, i), _invited(tx, meeting),
                     _secret(tx, parsed.meeting_id), parsed, facts(tx),
                     str(tx.principal.get("name") or ""), tx.now)
    tx.put(I.CHECKIN, new["id"], new)


@applier(I.CHECK_IN_BY_HAND)
def _apply_check_in_by_hand(tx: LocalTx, args: dict[str, Any]) -> None:
    parsed = I.CHECK_IN_BY_HAND.parse(args)
    meeting = tx.get(I.MEETING, parsed.meeting_id)
    secret = _secret(tx, parsed.meeting_id)
    wanted = C.pass_person(parsed.code) if parsed.code else parsed.person_id
    new = I.check_in_by_hand(meeting, lambda i: tx.get(I.CHECKIN, i), _invited(tx, meeting),
                             secret, parsed, facts(tx), str(tx.principal.get("name") or ""),
                             _person_names(tx, [wanted]), tx.now)
    tx.put(I.CHECKIN, new["id"], new)


class CheckIn:
    """Check-in for one signed-in user (reads the cache; submits intents). For the
    check-in screen: :meth:`token` (the QR to show now) and :meth:`seconds_left`,
    :meth:`scan` (whatever the camera or USB scanner read), :meth:`by_hand`,
    :meth:`attendance` (the live list), :meth:`my_pass` (the attendee's own code)."""

    def __init__(self, cache: _Cache, engine: _Engine, principal: Mapping[str, Any]) -> None:
        self.cache, self.engine, self.principal = cache, engine, principal

    @property
    def me(self) -> str:
        return str(self.principal.get("person_id") or "")

    def runs(self, meeting_id: str) -> bool:
        """Whether this user runs the meeting's check-in (organiser or 工作人员) and the
        device has its key (received once online)."""
        meeting = self.cache.get(I.MEETING, meeting_id)
        facts = profile_facts(self.principal, lambda body_id: self.cache.get(BODY, body_id))
        return (meeting is not None and I.may_run_checkin(facts, meeting)
                and _secret(self.cache, meeting_id) is not None)

    def token(self, meeting_id: str, now: dt.datetime | None = None) -> str | None:
        """The QR payload to show now (None: this device has no key for the meeting)."""
        secret = _secret(self.cache, meeting_id)
        if secret is None:
            return None
        return C.issue_token(secret, meeting_id, now or dt.datetime.now(dt.UTC))

    @staticmethod
    def seconds_left(now: dt.datetime | None = None) -> float:
        """Seconds until the token rotates (redraw the QR then)."""
        return C.seconds_left(now or dt.datetime.now(dt.UTC))

    def window(self, meeting_id: str) -> tuple[dt.datetime, dt.datetime] | None:
        meeting = self.cache.get(I.MEETING, meeting_id)
        return C.window(meeting) if meeting is not None else None

    def my_pass(self, meeting_id: str) -> str | None:
        """The user's personal code for the meeting (shown as a QR at the door)."""
        found = self.cache.get(I.CHECKIN_PASS, C.checkin_id(meeting_id, self.me))
        return str(found["code"]) if found else None

    def scan(self, payload: str, *, meeting_id: str = "", device_id: str = "",
             now: dt.datetime | None = None) -> str:
        """Check in from what was scanned; returns the queued mutation id. A rotating
        token checks in the user (``meetings.check_in``); a personal code checks in its
        owner at the organiser's device (``meetings.check_in_by_hand``). ``meeting_id``:
        the meeting the screen is on (a code of another meeting is refused in words).
        Refusals (another meeting's, forged, expired, not invited) are raised at once,
        offline too, before anything is queued."""
        payload = payload.strip()
        target = meeting_id or C.token_meeting(payload)
        if not target:
            raise ValidationFailed("meetings.checkin_bad_code")
        when = (now or dt.datetime.now(dt.UTC)).isoformat()
        if payload.startswith(C.PASS_PREFIX + ":"):
            return self.engine.submit(I.CHECK_IN_BY_HAND.name, {
                "meeting_id": target, "code": payload, "scanned_at": when,
                "device_id": device_id})
        if not C.token_meeting(payload):
            raise ValidationFailed("meetings.checkin_bad_code")
        return self.engine.submit(I.CHECK_IN.name, {
            "meeting_id": target, "token": payload, "scanned_at": when, "device_id": device_id})

    def by_hand(self, meeting_id: str, *, person_id: str = "", name: str = "", note: str = "",
                device_id: str = "", now: dt.datetime | None = None) -> str:
        """Check in a person from the directory, or someone without an account by name."""
        return self.engine.submit(I.CHECK_IN_BY_HAND.name, {
            "meeting_id": meeting_id, "person_id": person_id, "name": name, "note": note,
            "scanned_at": (now or dt.datetime.now(dt.UTC)).isoformat(), "device_id": device_id})

    def my_checkin(self, meeting_id: str) -> dict[str, Any] | None:
        return self.cache.get(I.CHECKIN, C.checkin_id(meeting_id, self.me))

    def attendance(self, meeting_id: str) -> C.Attendance | None:
        """Present / late / absent / excused, as the device knows it."""
        meeting = self.cache.get(I.MEETING, meeting_id)
        if meeting is None:
            return None
        replies = _of_meeting(self.cache.list(I.REPLY), meeting_id)
        invited = M.invitations(meeting, _of_meeting(self.cache.list(I.NOMINATION), meeting_id),
                                replies)
        return C.attendance(meeting, invited, replies,
                            _of_meeting(self.cache.list(I.CHECKIN), meeting_id))


from modules.meetings import agenda_service  # noqa: E402,F401  (registers the topic applier)
