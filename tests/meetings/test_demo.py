"""Demo rooms and bookings: a newcomer's office has rooms to book and a busy week."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import select

from server.db import session_scope
from server.directory.seed import seed_demo
from server.meetings.demo import JUZHANG, seed_demo_meetings
from server.meetings.models import Booking, Room
from tests.documents_server.conftest import JH_MAYOR, Office


def test_demo_rooms_and_bookings_reach_the_bureau_and_nobody_else(app: Any) -> None:
    with session_scope(app.state.sessions) as s:
        seed_demo(s)
    with session_scope(app.state.sessions) as s:
        first = seed_demo_meetings(s)
    with session_scope(app.state.sessions) as s:
        assert seed_demo_meetings(s) == {"seeded": False}
        rooms = list(s.scalars(select(Room)))
        states = Counter(b.state for b in s.scalars(select(Booking)))
    assert first == {"seeded": True, "rooms": len(rooms)} and len(rooms) == 5
    assert states == {"confirmed": 4, "held": 1}
    office = Office(app)
    bureau = {k for k, v in office.feed(JUZHANG).items() if k[0].startswith("meetings.") and v}
    assert len([k for k in bureau if k[0] == "meetings.room"]) == 5
    assert len([k for k in bureau if k[0] == "meetings.booking"]) == 5
    city = {k for k, v in office.feed(JH_MAYOR).items() if k[0].startswith("meetings.") and v}
    assert city == set()


def test_the_demo_meeting_has_replies_and_reaches_the_invited_only(app: Any) -> None:
    import datetime as dt

    from modules.meetings import meeting as M
    from server.meetings import storage
    from server.meetings.demo import CZT_CLERK, CZT_YSC_HEAD, DEMO_MEETING, SECRETARY

    with session_scope(app.state.sessions) as s:
        seed_demo(s)
    with session_scope(app.state.sessions) as s:
        seed_demo_meetings(s)
    with session_scope(app.state.sessions) as s:
        meeting = storage.meeting_record(s, DEMO_MEETING)
        assert meeting is not None and meeting["state"] == "published" and meeting["room_name"]
        tally = M.tally(meeting, storage.nominations_of(s, DEMO_MEETING),
                        storage.replies_of(s, DEMO_MEETING), dt.datetime.now(dt.UTC))
    assert (tally.attending, tally.declined, tally.substitutes, tally.pending) == (3, 1, 1, 1)
    office = Office(app)
    for person in (SECRETARY, JUZHANG, CZT_CLERK, CZT_YSC_HEAD):
        assert office.feed(person).get(("meetings.meeting", DEMO_MEETING)), person
    assert ("meetings.meeting", DEMO_MEETING) not in office.feed(JH_MAYOR)
    todos = [v for (e, _), v in office.feed("p-demo-07").items()  # 办公室主任: not answered
             if e == "workbench.todo" and v and v["module"] == "meetings"]
    assert len(todos) == 1 and not todos[0]["done"]
