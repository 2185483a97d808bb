"""三员分立 in meetings, on the real server (SQLite and PostgreSQL): a 系统管理员 of the
host organ, or of the organ above it, keeps the rooms and bookings (they manage them) but
receives no meeting, reply (with its 请假 reason) or nomination in a pull, draft or
published, and may not organise one; the host organ's secretaries still receive them all."""

from __future__ import annotations

import datetime as dt
import uuid

from modules.meetings import intents as I
from modules.meetings import meeting as M
from modules.meetings import rules as R
from tests.access.world import World, push
from tests.documents_server.conftest import Office


def test_administrators_get_rooms_and_bookings_but_no_meeting_records(world: World) -> None:
    secretary, staff = world.actor("secretary"), world.actor("staff")
    clerk = world.actor("registry_clerk", "other")
    admins = [world.actor("sys_admin"), world.actor("sys_admin", "higher")]
    nominee = world.person([("other", ["staff"])])
    room_id, booking_id = f"mr-{uuid.uuid4().hex[:12]}", f"mb-{uuid.uuid4().hex[:12]}"
    assert push(world, admins[0], "meetings.save_room", {
        "room_id": room_id, "body_id": world.body("own"), "name": "分立测试会议室"})["status"] == "applied"
    # 10:00 six days on: a booking that starts late in the evening would cross midnight.
    start = (dt.datetime.now(R.CHINA) + dt.timedelta(days=6)).replace(
        hour=10, minute=0, second=0, microsecond=0)
    end = start + dt.timedelta(hours=2)
    assert push(world, secretary, "meetings.book_room", {
        "booking_id": booking_id, "room_id": room_id, "start": start.isoformat(),
        "end": end.isoformat(), "subject": "专题会"})["status"] == "applied"
    meeting_id = f"mt-{uuid.uuid4().hex[:12]}"
    args = {"meeting_id": meeting_id, "subject": "分立测试专题会", "kind": "专题会",
            "host_body_id": world.body("own"), "start": start.isoformat(),
            "end": end.isoformat(), "place": "分立测试会议室",
            "invitees": [staff.person_id], "bodies": [world.body("other")]}
    refused = push(world, admins[0], "meetings.save_meeting", args)
    assert refused["status"] == "rejected" and refused["error"]["code"] == "meetings.not_organiser"
    assert push(world, secretary, "meetings.save_meeting", args)["status"] == "applied"
    office = Office(world.app)
    for admin in admins:  # the draft
        assert (M.MEETING, meeting_id) not in office.feed(admin.person_id)
    assert push(world, secretary, "meetings.publish_meeting",
                {"meeting_id": meeting_id})["status"] == "applied"
    assert push(world, staff, "meetings.reply", {"meeting_id": meeting_id, "answer": "decline",
                                                 "reason": "在外地出差"})["status"] == "applied"
    assert push(world, clerk, "meetings.nominate", {
        "meeting_id": meeting_id, "body_id": world.body("other"),
        "nominees": [nominee]})["status"] == "applied"
    records = [(M.MEETING, meeting_id), (M.REPLY, M.reply_id(meeting_id, staff.person_id)),
               (M.NOMINATION, M.nomination_id(meeting_id, world.body("other")))]
    seen = office.feed(secretary.person_id)
    assert all(seen.get(r) is not None for r in records)
    assert seen[records[1]]["reason"] == "在外地出差"
    for admin in admins:
        got = office.feed(admin.person_id)
        assert got.get((I.ROOM, room_id)) is not None
        assert got.get((I.BOOKING, booking_id)) is not None
        assert [k for k in got if meeting_id in k[1]] == []
