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
