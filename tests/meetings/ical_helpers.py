"""Helpers of the calendar (iCalendar) tests and of the access matrix's calendar rows:
REPLY files as a calendar app writes them, and arguments of the calendar intents."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import icalendar

from modules.meetings import feed_tokens as F
from modules.meetings import ical
from tests.access.world import Actor, World, push

DOMAIN = ical.DEFAULT_DOMAIN
CALENDAR_INTENTS = {"meetings.create_feed_token", "meetings.revoke_feed_token",
                    "meetings.import_calendar_reply"}


def reply_ics(meeting_id: str, person_id: str, partstat: str, *, sequence: int = 0,
              delegated_to: str = "", comment: str = "", uid: str = "",
              attendee: str = "", method: str = "REPLY") -> str:
    """A REPLY as a calendar app writes it (CRLF lines, folded), turned into the
    LF text the client sends."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Test Calendar App//EN")
    cal.add("version", "2.0")
    cal.add("method", method)
    ev = icalendar.Event()
    ev.add("uid", uid or ical.uid(meeting_id, DOMAIN))
    ev.add("dtstamp", dt.datetime.now(dt.UTC))
    ev.add("sequence", sequence)
    who = icalendar.vCalAddress(attendee or ical.address(person_id, DOMAIN))
    who.params["PARTSTAT"] = partstat
    if delegated_to:
        who.params["DELEGATED-TO"] = ical.address(delegated_to, DOMAIN)
    ev.add("attendee", who, encode=False)
    if comment:
        ev.add("comment", comment)
    cal.add_component(ev)
    return bytes(cal.to_ical()).decode("utf-8").replace("\r\n", "\n")


def make_feed(world: World, actor: Actor) -> tuple[str, str]:
    """A live subscription link of ``actor``: (feed id, token)."""
    token, feed_id = F.new_token(), F.new_feed_id()
    out = push(world, actor, "meetings.create_feed_token",
               {"feed_id": feed_id, "token_sha256": F.token_hash(token)})
    assert out["status"] == "applied", out
    return feed_id, token


def calendar_args(world: World, name: str, relation: str, actor_role: str) -> dict[str, Any]:
    """Arguments of a calendar intent for the access matrix."""
    from tests.access.test_meetings_matrix import _meeting

    if name == "meetings.create_feed_token":
        return {"feed_id": F.new_feed_id(), "token_sha256": F.token_hash(F.new_token())}
    if name == "meetings.revoke_feed_token":
        if relation == "self":
            return {"feed_id": make_feed(world, world.actor(actor_role))[0]}
        login = f"mx{uuid.uuid4().hex[:10]}"
        owner = world.person([(relation, ["staff"])], login=login)
        holder = Actor("staff", relation, owner, login, world.sign_in(login))
        return {"feed_id": make_feed(world, holder)[0]}
    invitee = world.person([(relation, ["staff"])])
    meeting_id = _meeting(world, relation, invitees=(invitee,))
    return {"ics": reply_ics(meeting_id, invitee, "ACCEPTED")}
