"""Seat plans (座次) on the real server, SQLite and PostgreSQL: the organiser saves a
plan, it reaches the organisers and the meeting's 工作人员 but not the attendees or
anyone else, a save from an old version is a conflict, and bad plans are refused in
words."""

from __future__ import annotations

import uuid
from typing import Any

from modules.meetings import seating as S
from server.db import session_scope
from server.meetings import storage
from server.meetings.seating_storage import seating_record
from tests.access.world import Actor, World, push
from tests.meetings.test_meeting_server import _meeting, _seen


def _plan(meeting_id: str, person: str, **kw: Any) -> dict[str, Any]:
    return {"meeting_id": meeting_id, "layout": {"kind": "rostrum", "rostrum": [3], "hall": [4]},
            "seats": [{"seat_id": "rostrum-1-1", "person_id": person},
                      {"seat_id": "hall-1-1", "name": "王来宾"}],
            "order": [person], **kw}


def test_the_organiser_saves_a_plan_that_reaches_organisers_and_staff_only(world: World) -> None:
    staff, helper = world.actor("staff"), world.actor("registry_clerk")
    meeting_id = _meeting(world, invitees=[staff.person_id], staff=[helper.person_id])
    out = push(world, world.actor("secretary"), "meetings.save_seating", _plan(meeting_id,
                                                                                staff.person_id))
    assert out["status"] == "applied", out
    assert out["result"]["version"] == 1 and out["result"]["seats"] == 2
    with session_scope(world.app.state.sessions) as s:
        stored = seating_record(s, meeting_id)
    assert stored is not None
    assert stored["seats"][0] == {"seat_id": "rostrum-1-1", "person_id": staff.person_id,
                                  "name": stored["seats"][0]["name"]}
    assert stored["seats"][0]["name"]  # the directory's name, looked up by the server
    assert stored["layout"]["hall"] == [4] and stored["order"] == [staff.person_id]
    assert _seen(world, world.actor("secretary"), S.SEATING, meeting_id)
    assert _seen(world, helper, S.SEATING, meeting_id)  # 工作人员 lay out the cards
    assert not _seen(world, staff, S.SEATING, meeting_id)
    assert not _seen(world, world.actor("secretary", "other"), S.SEATING, meeting_id)


def test_a_save_from_an_old_version_is_a_conflict_naming_who_saved(world: World) -> None:
    staff = world.actor("staff")
    meeting_id = _meeting(world, invitees=[staff.person_id])
    secretary = world.actor("secretary")
    assert push(world, secretary, "meetings.save_seating",
                _plan(meeting_id, staff.person_id))["status"] == "applied"
    login = f"mtsec{uuid.uuid4().hex[:8]}"  # a second secretary of the host organ
    colleague = Actor("secretary", "own", world.person([("own", ["secretary"])], login=login),
                      login, world.sign_in(login))
    again = push(world, colleague, "meetings.save_seating",
                 _plan(meeting_id, staff.person_id, version=1))
    assert again["status"] == "applied" and again["result"]["version"] == 2
    stale = push(world, secretary, "meetings.save_seating",
                 _plan(meeting_id, staff.person_id, version=1))
    assert stale["status"] == "conflict", stale
    assert stale["error"]["code"] == "meetings.seating_moved"


def test_bad_plans_and_strangers_are_refused_in_words(world: World) -> None:
    staff = world.actor("staff")
    meeting_id = _meeting(world, invitees=[staff.person_id])
    secretary = world.actor("secretary")
    for seats, code in (
        ([{"seat_id": "rostrum-1-7", "person_id": staff.person_id}], "meetings.seating_unknown_seat"),
        ([{"seat_id": "rostrum-1-1", "person_id": "p-nobody"}], "meetings.unknown_person"),
        ([{"seat_id": "rostrum-1-1", "person_id": staff.person_id},
          {"seat_id": "rostrum-1-2", "person_id": staff.person_id}], "meetings.seating_person_twice"),
    ):
        out = push(world, secretary, "meetings.save_seating",
                   {**_plan(meeting_id, staff.person_id), "seats": seats})
        assert out["status"] == "rejected" and out["error"]["code"] == code, out
        assert out["error"]["message"]
    out = push(world, secretary, "meetings.save_seating",
               {**_plan(meeting_id, staff.person_id), "layout": {"rostrum": [0]}})
    assert out["status"] == "rejected"
    assert out["error"]["code"] == "meetings.seating_bad_layout"
    out = push(world, world.actor("secretary", "other"), "meetings.save_seating",
               _plan(meeting_id, staff.person_id))
    assert out["status"] == "rejected" and out["error"]["code"] == "meetings.not_organiser"
    out = push(world, secretary, "meetings.save_seating", _plan("mt-missing0000", staff.person_id))
    assert out["status"] == "rejected" and out["error"]["code"] == "meetings.meeting_not_found"


def test_a_classified_marking_in_a_name_is_refused(world: World) -> None:
    staff = world.actor("staff")
    meeting_id = _meeting(world, invitees=[staff.person_id])
    out = push(world, world.actor("secretary"), "meetings.save_seating",
               {**_plan(meeting_id, staff.person_id),
                "seats": [{"seat_id": "hall-1-1", "name": "机密★十年"}]})
    assert out["status"] == "rejected" and out["error"]["code"] == "document.classified_refused"


def test_the_plan_follows_the_meetings_staff(world: World) -> None:
    """A 工作人员 taken off the meeting loses the plan (a tombstone); a new one gets it."""
    staff, helper, other = (world.actor("staff"), world.actor("registry_clerk"),
                            world.actor("division_head"))
    meeting_id = _meeting(world, invitees=[staff.person_id], staff=[helper.person_id],
                          publish=False)
    secretary = world.actor("secretary")
    assert push(world, secretary, "meetings.save_seating",
                _plan(meeting_id, staff.person_id))["status"] == "applied"
    assert _seen(world, helper, S.SEATING, meeting_id)
    assert not _seen(world, other, S.SEATING, meeting_id)
    with session_scope(world.app.state.sessions) as s:
        meeting = storage.meeting_record(s, meeting_id)
    assert meeting is not None
    args = {k: meeting[k] for k in ("subject", "kind", "host_body_id", "start", "end", "place")}
    out = push(world, secretary, "meetings.save_meeting", {
        **args, "meeting_id": meeting_id, "invitees": [staff.person_id],
        "staff": [other.person_id]})
    assert out["status"] == "applied", out
    assert not _seen(world, helper, S.SEATING, meeting_id)
    assert _seen(world, other, S.SEATING, meeting_id)
