"""Demo rooms and bookings: a newcomer's office has rooms to book and a busy week."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import func, select

from server.db import session_scope
from server.directory.seed import seed_demo
from server.meetings.demo import JUZHANG, seed_demo_meetings
from server.meetings.models import Booking, Meeting, Room
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
    with session_scope(app.state.sessions) as s:
        series = s.scalar(select(func.count()).select_from(Meeting).where(
            Meeting.series_id == "ms-demojzbg01"))
    # four bookings of the day, the 局务会议's, the held meeting's and one per 例会
    assert series and states == {"confirmed": 4 + 1 + 1 + series, "held": 1}
    office = Office(app)
    bureau = {k for k, v in office.feed(JUZHANG).items() if k[0].startswith("meetings.") and v}
    assert len([k for k in bureau if k[0] == "meetings.room"]) == 5
    assert len([k for k in bureau if k[0] == "meetings.booking"]) == sum(states.values())
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
             if e == "workbench.todo" and v and v["module"] == "meetings"
             and v["ref_id"] == DEMO_MEETING]
    assert len(todos) == 1 and not todos[0]["done"]



def test_the_demo_shows_an_agenda_a_seat_plan_a_series_and_a_held_meeting_with_minutes(
        app: Any) -> None:
    from server.documents.models import Document
    from server.meetings import storage
    from server.meetings.demo import DEMO_MEETING, FORMAL_MEETING, HELD_MEETING
    from server.meetings.seating_storage import seating_record

    with session_scope(app.state.sessions) as s:
        seed_demo(s)
    with session_scope(app.state.sessions) as s:
        seed_demo_meetings(s)
    with session_scope(app.state.sessions) as s:
        video = storage.meeting_record(s, DEMO_MEETING)
        formal = storage.meeting_record(s, FORMAL_MEETING)
        held = storage.meeting_record(s, HELD_MEETING)
        plan = seating_record(s, FORMAL_MEETING)
        minutes = s.get(Document, "d-demo-minutes-0001")
        checkins = storage.checkins_of(s, HELD_MEETING)
        occurrences = list(s.scalars(select(Meeting).where(Meeting.series_id == "ms-demojzbg01")))
    assert video is not None and len(video["agenda"]) == 3
    assert video["agenda"][0]["title"] == "全省一体化政务服务平台运行情况通报"
    assert formal is not None and formal["state"] == "published"
    assert plan is not None and len(plan["seats"]) == 9
    assert occurrences and all(o.state == "published" for o in occurrences)
    assert held is not None and held["state"] == "closed" and len(checkins) == 5
    assert minutes is not None and minutes.source_id == HELD_MEETING
    assert [d["lead_unit_id"] for d in held["decisions"]] == ["b-gd-szj-aqc", "b-gd-szj-sjzyc"]
