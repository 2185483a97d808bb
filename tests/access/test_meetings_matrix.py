"""The meetings access matrix: every meetings intent × every role × a room (or a
meeting's host body, or an invited body) of the actor's own body, a sibling, a higher and
a lower body (and one's own booking; a meeting one is invited to)."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from typing import Any

import pytest

from modules.common.access import ActorFacts, PostFacts
from modules.meetings import checkin as C
from modules.meetings import intents as I
from modules.meetings import meeting as M
from modules.meetings import rules as R
from server.access_facts import body_facts
from server.db import session_scope
from server.meetings import storage
from tests.access.table import HERE, read_table
from tests.access.world import RELATIONS, ROLES, Actor, World, intent_outcome, push
from tests.meetings.agenda_helpers import AGENDA_INTENTS, agenda_args
from tests.meetings.ical_helpers import CALENDAR_INTENTS, calendar_args
from tests.meetings.minutes_helpers import MINUTES_DENY_CODES, MINUTES_INTENTS, minutes_args
from tests.meetings.series_helpers import SERIES_INTENTS, series_args

MEETINGS = read_table(HERE / "table_meetings.csv")
DENY_CODES = {"meetings.not_member", "meetings.not_room_manager", "meetings.not_approver",
              "meetings.not_applicant", "meetings.not_organiser", "meetings.not_invited",
              "meetings.not_nominator", "meetings.not_checkin_staff",
              "meetings.not_feed_owner", "meetings.not_proposer"}
_hours = itertools.count(0)
BOOKING_INTENTS = {"meetings.decide_booking", "meetings.cancel_booking"}
#: Intents with a "self" relation: one's own booking; a meeting one is invited to.
#: Check-in: a meeting one is invited to (scan), or one is 工作人员 of (by hand).
SELF_CASES = {"meetings.cancel_booking", "meetings.reply", "meetings.check_in",
              "meetings.check_in_by_hand", "meetings.revoke_feed_token"}


def _slot() -> tuple[str, str]:
    """A fresh hour on some future day inside open hours (07:00–23:00 China time)."""
    n = next(_hours)
    day = dt.datetime.now(R.CHINA).date() + dt.timedelta(days=1 + n // 14)
    start = dt.datetime.combine(day, dt.time(8 + n % 14), R.CHINA)
    return start.isoformat(), (start + dt.timedelta(hours=1)).isoformat()


def _room(world: World, relation: str, *, needs_approval: bool = False) -> str:
    """A room of ``relation``'s body, stored directly (not through the intent under test)."""
    room_id = f"mr-{uuid.uuid4().hex[:12]}"
    now = dt.datetime.now(dt.UTC)
    with session_scope(world.app.state.sessions) as s:
        body = body_facts(s, world.body(relation))
        room = R.Room(room_id, body.id, f"会议室{room_id[-4:]}", needs_approval=needs_approval)
        storage.put_room(s, {**room.to_dict(), "body_name": body.name, "organ_id": body.organ_id,
                             "organs_above": list(body.organs_above),
                             "updated_at": now.isoformat()}, now)
    return room_id


def _booking(world: World, relation: str, *, held: bool = False) -> str:
    """A booking by a fresh member of ``relation``'s body; its id."""
    room_id = _room(world, relation, needs_approval=held)
    login = f"mx{uuid.uuid4().hex[:10]}"
    world.person([(relation, ["staff"])], login=login)  # never one of the actors under test
    holder = Actor("staff", relation, "", login, world.sign_in(login))
    start, end = _slot()
    booking_id = f"mb-{uuid.uuid4().hex[:12]}"
    result = push(world, holder, "meetings.book_room", {
        "booking_id": booking_id, "room_id": room_id, "start": start, "end": end,
        "subject": "矩阵测试"})
    assert result["status"] == "applied", result
    return booking_id


def _meeting(world: World, relation: str, *, state: str = M.PUBLISHED, started: bool = False,
             invitees: tuple[str, ...] = (), bodies: tuple[str, ...] = (),
             staff: tuple[str, ...] = ()) -> str:
    """A meeting hosted by ``relation``'s body, stored directly (the pure effect run as a
    secretary of that body, then put in ``state``); its id."""
    meeting_id = f"mt-{uuid.uuid4().hex[:12]}"
    now = dt.datetime.now(dt.UTC)
    start = now + (dt.timedelta(minutes=-30) if started else dt.timedelta(days=2))
    with session_scope(world.app.state.sessions) as s:
        host = body_facts(s, world.body(relation))
        organiser = ActorFacts("p-ax-organiser", (PostFacts(host.id, host.organ_id,
                                                            frozenset({"secretary"})),))
        args = I.SAVE_MEETING.parse({
            "meeting_id": meeting_id, "subject": "矩阵会议", "kind": "专题会",
            "host_body_id": host.id, "start": start.isoformat(),
            "end": (start + dt.timedelta(hours=2)).isoformat(), "place": "会议室",
            "invitees": list(invitees), "bodies": [world.body(b) for b in bodies],
            "staff": list(staff)})
        data = I.save_meeting(None, args, organiser, "组织者", host,
                              storage.person_names(s, [*invitees, *staff]),
                              storage.body_names(s, args.bodies), None, now)
        data.update(state=state, state_words=M.STATE_WORDS[state][0])
        storage.put_meeting(s, data, now)
    return meeting_id


def _meeting_args(world: World, name: str, relation: str, actor_role: str) -> dict[str, Any]:
    if name == "meetings.save_meeting":
        start = dt.datetime.now(dt.UTC) + dt.timedelta(days=3)
        return {"meeting_id": f"mt-{uuid.uuid4().hex[:12]}", "subject": "新会议", "kind": "办公会",
                "host_body_id": world.body(relation), "start": start.isoformat(),
                "end": (start + dt.timedelta(hours=1)).isoformat()}
    if name == "meetings.publish_meeting":
        invitee = world.person([(relation, ["staff"])])
        return {"meeting_id": _meeting(world, relation, state=M.DRAFT, invitees=(invitee,))}
    if name == "meetings.cancel_meeting":
        return {"meeting_id": _meeting(world, relation), "reason": "矩阵测试"}
    if name == "meetings.close_meeting":
        return {"meeting_id": _meeting(world, relation, started=True)}
    if name == "meetings.chase_replies":  # someone has not replied yet
        return {"meeting_id": _meeting(world, relation,
                                       invitees=(world.person([(relation, ["staff"])]),))}
    if name == "meetings.reply":
        invited = (world.actor(actor_role).person_id,) if relation == "self" else ()
        host = "own" if relation == "self" else relation
        someone = world.person([(host, ["staff"])])
        return {"meeting_id": _meeting(world, host, invitees=(*invited, someone)),
                "answer": "attend"}
    if name in ("meetings.check_in", "meetings.check_in_by_hand"):
        return _checkin_args(world, name, relation, actor_role)
    if name == "meetings.save_seating":
        invitee = world.person([(relation, ["staff"])])
        return {"meeting_id": _meeting(world, relation, invitees=(invitee,)),
                "layout": {"rostrum": [3]},
                "seats": [{"seat_id": "rostrum-1-1", "person_id": invitee},
                          {"seat_id": "rostrum-1-2", "name": "来宾"}]}
    # nominate: a meeting of the province invites the relation's body
    nominee = world.person([(relation, ["staff"])])
    return {"meeting_id": _meeting(world, "higher", bodies=(relation,)),
            "body_id": world.body(relation), "nominees": [nominee]}


def _checkin_args(world: World, name: str, relation: str, actor_role: str) -> dict[str, Any]:
    """A started meeting (check-in open): the actor invited (scan) or its 工作人员 (by
    hand) when ``relation`` is "self"; a valid token of it for the scan."""
    me = (world.actor(actor_role).person_id,) if relation == "self" else ()
    host = "own" if relation == "self" else relation
    someone = (world.person([(host, ["staff"])]),)
    now = dt.datetime.now(dt.UTC)
    if name == "meetings.check_in_by_hand":
        meeting_id = _meeting(world, host, started=True, invitees=someone, staff=me)
        return {"meeting_id": meeting_id, "name": "来宾", "scanned_at": now.isoformat()}
    meeting_id = _meeting(world, host, started=True, invitees=(*me, *someone))
    with session_scope(world.app.state.sessions) as s:
        secret = storage.checkin_secret(s, meeting_id)
    assert secret is not None
    return {"meeting_id": meeting_id, "token": C.issue_token(secret, meeting_id, now),
            "scanned_at": now.isoformat()}


def _args(world: World, name: str, relation: str, actor_role: str) -> dict[str, Any]:
    if name in MINUTES_INTENTS:
        return minutes_args(world, name, relation, actor_role)
    if name in CALENDAR_INTENTS:
        return calendar_args(world, name, relation, actor_role)
    if name in SERIES_INTENTS:
        return series_args(world, name, relation, actor_role)
    if name in AGENDA_INTENTS:
        return agenda_args(world, name, relation, actor_role)
    if not name.endswith("_room") and name not in BOOKING_INTENTS:
        return _meeting_args(world, name, relation, actor_role)
    if name == "meetings.save_room":
        return {"room_id": f"mr-{uuid.uuid4().hex[:12]}", "body_id": world.body(relation),
                "name": "新会议室"}
    if name == "meetings.book_room":
        start, end = _slot()
        return {"booking_id": f"mb-{uuid.uuid4().hex[:12]}", "room_id": _room(world, relation),
                "start": start, "end": end, "subject": "矩阵测试"}
    if name == "meetings.decide_booking":
        return {"booking_id": _booking(world, relation, held=True), "approve": True}
    if relation == "self":  # cancel one's own booking in one's own body
        room_id = _room(world, "own")
        start, end = _slot()
        booking_id = f"mb-{uuid.uuid4().hex[:12]}"
        made = push(world, world.actor(actor_role), "meetings.book_room", {
            "booking_id": booking_id, "room_id": room_id, "start": start, "end": end,
            "subject": "自己的会"})
        assert made["status"] == "applied", made
        return {"booking_id": booking_id}
    return {"booking_id": _booking(world, relation)}


@pytest.mark.parametrize("name", sorted(MEETINGS.names("intent")))
def test_meetings_intent_matrix(world: World, name: str) -> None:
    relations = (*RELATIONS, "self") if name in SELF_CASES else RELATIONS
    bad = []
    for role, relation, expected in MEETINGS.cases("intent", name, ROLES, relations):
        # The auditor owns nothing to act on (they may not book, be given a feed …): their
        # "self" case acts on the own body's thing instead; the duty gate refuses first.
        made_as = "own" if role == "audit_admin" and relation == "self" else relation
        result = push(world, world.actor(role), name, _args(world, name, made_as, role))
        got = intent_outcome(result, DENY_CODES | MINUTES_DENY_CODES)
        if got != expected:
            bad.append(f"{role}/{relation}: expected {expected}, got {got}")
    assert bad == []
