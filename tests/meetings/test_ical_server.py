"""Calendars on the real server, SQLite and PostgreSQL: the subscription link (made,
replaced, revoked, stored only as a hash), the feed read by two parsers, one meeting's
export (REQUEST, CANCEL, SEQUENCE), who may export, and importing a REPLY."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import icalendar
import pytest
import vobject
from sqlalchemy import select

from modules.meetings import feed_tokens as F
from modules.meetings import ical
from modules.meetings import meeting as M
from modules.meetings import rules as R
from server.db import session_scope
from server.meetings import storage
from server.meetings.calendar_models import FeedToken
from server.mutations import AppliedMutation
from tests.access.table import HERE, read_table
from tests.access.world import RELATIONS, ROLES, World, push, route_outcome
from tests.documents_server.conftest import Office
from tests.meetings.ical_helpers import make_feed, reply_ics

EXPORT = "GET /api/v1/meetings/{meeting_id}.ics"


def _meeting(world: World, invitees: list[str], *, days: int = 3) -> str:
    start = dt.datetime.combine((dt.datetime.now(R.CHINA) + dt.timedelta(days=days)).date(),
                                dt.time(9), R.CHINA)
    meeting_id = f"mt-{uuid.uuid4().hex[:12]}"
    secretary = world.actor("secretary")
    args = {"meeting_id": meeting_id, "subject": "日历测试专题会", "kind": "专题会",
            "host_body_id": world.body("own"), "start": start.isoformat(),
            "end": (start + dt.timedelta(hours=2)).isoformat(), "place": "三楼会议室",
            "invitees": invitees, "notes": "带材料, 着正装;\n北门停车"}
    assert push(world, secretary, "meetings.save_meeting", args)["status"] == "applied"
    out = push(world, secretary, "meetings.publish_meeting", {"meeting_id": meeting_id})
    assert out["status"] == "applied", out
    return meeting_id


def _feed(world: World, token: str) -> Any:
    return world.client.get(F.PATH.replace("{token}", token))


def test_a_subscription_link_lists_ones_meetings_and_stops_when_revoked(world: World) -> None:
    person = world.actor("staff")
    mine = _meeting(world, [person.person_id])
    other = _meeting(world, [world.actor("leader").person_id])
    feed_id, token = make_feed(world, person)
    r = _feed(world, token)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/calendar")
    parsed = vobject.readOne(r.text)  # a second parser
    assert parsed.method.value == "PUBLISH"
    uids = {e.uid.value for e in parsed.vevent_list}
    assert ical.uid(mine) in uids and ical.uid(other) not in uids
    cal = icalendar.Calendar.from_ical(r.content)
    event = next(e for e in cal.walk("VEVENT") if str(e["UID"]) == ical.uid(mine))
    assert str(event["SUMMARY"]) == "日历测试专题会"
    assert str(event["DESCRIPTION"]).startswith("带材料, 着正装;\n北门停车")
    assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"
    # stored as a hash only: not in the table, the intent log or the change feed
    with session_scope(world.app.state.sessions) as s:
        row = s.get(FeedToken, feed_id)
        assert row is not None and row.token_sha256 == F.token_hash(token)
        logged = s.scalars(select(AppliedMutation).where(
            AppliedMutation.person_id == person.person_id)).all()
        assert logged and all(token not in str(m.response) for m in logged)
    seen = Office(world.app).feed(person.person_id)
    assert seen[(F.FEED_TOKEN, feed_id)]["active"] is True
    assert token not in str(seen)
    out = push(world, person, "meetings.revoke_feed_token", {"feed_id": feed_id})
    assert out["status"] == "applied" and out["result"]["active"] is False
    gone = _feed(world, token)
    assert gone.status_code == 404
    assert gone.json()["error"]["code"] == "meetings.feed_not_found"
    assert Office(world.app).feed(person.person_id)[(F.FEED_TOKEN, feed_id)]["active"] is False


def test_a_new_link_ends_the_old_one_and_unknown_tokens_are_404(world: World) -> None:
    person = world.actor("division_head")
    first_id, first = make_feed(world, person)
    second_id, second = make_feed(world, person)
    assert _feed(world, first).status_code == 404
    assert _feed(world, second).status_code == 200
    assert _feed(world, F.new_token()).status_code == 404
    assert _feed(world, "guess").status_code == 404
    seen = Office(world.app).feed(person.person_id)
    assert seen[(F.FEED_TOKEN, first_id)]["active"] is False
    assert seen[(F.FEED_TOKEN, second_id)]["active"] is True
    stranger = world.actor("staff", "other")
    out = push(world, stranger, "meetings.revoke_feed_token", {"feed_id": second_id})
    assert out["status"] == "rejected" and out["error"]["code"] == "meetings.not_feed_owner"
    assert _feed(world, second).status_code == 200


def _export(world: World, meeting_id: str, headers: dict[str, str]) -> Any:
    return world.client.get(f"/api/v1/meetings/{meeting_id}.ics", headers=headers)


def test_one_meeting_exports_as_request_then_update_then_cancel(world: World) -> None:
    staff = world.actor("staff")
    meeting_id = _meeting(world, [staff.person_id])
    secretary = world.actor("secretary")
    first = icalendar.Calendar.from_ical(_export(world, meeting_id, staff.headers).content)
    assert first["METHOD"] == "REQUEST"
    assert int(first.walk("VEVENT")[0]["SEQUENCE"]) == 0
    with session_scope(world.app.state.sessions) as s:
        data = storage.meeting_record(s, meeting_id)
    assert data is not None
    args = {k: data[k] for k in ("subject", "kind", "host_body_id", "start", "end")}
    args.update(meeting_id=meeting_id, place="五楼会议室", invitees=[staff.person_id],
                notes=data["notes"], change_note="改到五楼")
    assert push(world, secretary, "meetings.save_meeting", args)["status"] == "applied"
    second = icalendar.Calendar.from_ical(_export(world, meeting_id, staff.headers).content)
    ev = second.walk("VEVENT")[0]
    assert int(ev["SEQUENCE"]) == 1 and str(ev["LOCATION"]) == "五楼会议室"
    assert push(world, secretary, "meetings.cancel_meeting",
                {"meeting_id": meeting_id, "reason": "改期"})["status"] == "applied"
    third = icalendar.Calendar.from_ical(_export(world, meeting_id, staff.headers).content)
    assert third["METHOD"] == "CANCEL"
    ev = third.walk("VEVENT")[0]
    assert int(ev["SEQUENCE"]) == 2 and ev["STATUS"] == "CANCELLED"
    assert str(ev["UID"]) == ical.uid(meeting_id)


def test_export_follows_the_access_table(world: World) -> None:
    from tests.access.test_meetings_matrix import _meeting as stored_meeting

    table = read_table(HERE / "table_meetings.csv")
    bad = []
    for role, relation, expected in table.cases("route", EXPORT, ROLES, (*RELATIONS, "self")):
        actor = world.actor(role)
        host = "own" if relation == "self" else relation
        invitees = (actor.person_id,) if relation == "self" else (world.person([(host, ["staff"])]),)
        meeting_id = stored_meeting(world, host, invitees=invitees)
        got = route_outcome(_export(world, meeting_id, actor.headers), hides=True)
        if got != expected:
            bad.append(f"{role}/{relation}: expected {expected}, got {got}")
    assert bad == []
    assert _export(world, "mt-nosuchmeeting", world.actor("sys_admin").headers).status_code == 404


def _tally(world: World, meeting_id: str) -> M.Tally:
    with session_scope(world.app.state.sessions) as s:
        meeting = storage.meeting_record(s, meeting_id)
        assert meeting is not None
        return M.tally(meeting, storage.nominations_of(s, meeting_id),
                       storage.replies_of(s, meeting_id), dt.datetime.now(dt.UTC))


def test_importing_a_calendar_reply_changes_the_tally(world: World) -> None:
    staff, leader = world.actor("staff"), world.actor("leader")
    substitute = world.person([("own", ["staff"])])
    meeting_id = _meeting(world, [staff.person_id, leader.person_id])
    secretary = world.actor("secretary")
    assert _tally(world, meeting_id).pending == 2
    out = push(world, secretary, "meetings.import_calendar_reply",
               {"ics": reply_ics(meeting_id, staff.person_id, "ACCEPTED")})
    assert out["status"] == "applied", out
    assert out["result"]["person_id"] == staff.person_id
    tally = _tally(world, meeting_id)
    assert (tally.attending, tally.pending) == (1, 1)
    out = push(world, secretary, "meetings.import_calendar_reply",
               {"ics": reply_ics(meeting_id, leader.person_id, "DELEGATED",
                                 delegated_to=substitute)})
    assert out["status"] == "applied", out
    tally = _tally(world, meeting_id)
    assert tally.substitutes == 1 and substitute in {r.person_id for r in tally.rows}
    out = push(world, secretary, "meetings.import_calendar_reply",
               {"ics": reply_ics(meeting_id, staff.person_id, "DECLINED", comment="临时出差")})
    assert out["status"] == "applied", out
    tally = _tally(world, meeting_id)
    assert tally.declined == 1 and tally.attending == 0
    with session_scope(world.app.state.sessions) as s:
        reply = storage.reply_record(s, meeting_id, staff.person_id)
    assert reply is not None and reply["reason"] == "临时出差" and reply["via"] == "calendar"
    assert reply["recorded_by_id"] == secretary.person_id
    # the invitee sees their 回执 as anyone's, and the feed says so in PARTSTAT
    assert Office(world.app).feed(staff.person_id)[(M.REPLY, reply["id"])]["answer"] == M.DECLINE
    r = _export(world, meeting_id, secretary.headers)
    people = icalendar.Calendar.from_ical(r.content).walk("VEVENT")[0].get("ATTENDEE")
    states = {str(a): a.params.get("PARTSTAT") for a in people}
    assert states[ical.address(staff.person_id)] == "DECLINED"
    assert states[ical.address(leader.person_id)] == "DELEGATED"


@pytest.mark.parametrize(("case", "code"), [
    ("forged", "meetings.ical_bad_uid"), ("unknown", "meetings.ical_unknown_meeting"),
    ("stranger", "meetings.ical_unknown_attendee"), ("stale", "meetings.ical_stale"),
    ("request", "meetings.ical_not_reply"), ("garbage", "meetings.ical_unreadable")])
def test_a_reply_that_answers_nothing_of_ours_is_refused_in_words(world: World, case: str,
                                                                   code: str) -> None:
    staff = world.actor("staff")
    meeting_id = _meeting(world, [staff.person_id])
    texts = {
        "forged": reply_ics(meeting_id, staff.person_id, "ACCEPTED",
                            uid=f"{meeting_id}@evil.example"),
        "unknown": reply_ics("mt-000000000000", staff.person_id, "ACCEPTED"),
        "stranger": reply_ics(meeting_id, "p-nobody", "ACCEPTED"),
        "stale": reply_ics(meeting_id, staff.person_id, "ACCEPTED", sequence=-1),
        "request": reply_ics(meeting_id, staff.person_id, "ACCEPTED", method="REQUEST"),
        "garbage": "BEGIN:VCALENDAR\nthis is not ical\n",
    }
    out = push(world, world.actor("secretary"), "meetings.import_calendar_reply",
               {"ics": texts[case]})
    assert out["status"] in ("rejected", "conflict"), out
    assert out["error"]["code"] == code and out["error"]["message"]
    assert _tally(world, meeting_id).pending == 1
