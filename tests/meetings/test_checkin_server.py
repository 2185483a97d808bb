"""Check-in (签到) on the real server, SQLite and PostgreSQL: the key reaches only the
organisers and 工作人员, each invitee gets their own code; replayed and re-synced scans
count once; expired, forged and other-meeting tokens are refused in words; check-ins
queued offline on the organiser's device arrive intact after reconnecting."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import func, select

from modules.common.access import ActorFacts, PostFacts
from modules.meetings import checkin as C
from modules.meetings import intents as I
from modules.meetings import meeting as M
from modules.meetings import service as S
from server.access_facts import body_facts
from server.db import session_scope
from server.meetings import storage
from server.meetings.models import Checkin
from sync.cache import LocalCache, outbox, store_displayed
from sync.local import submit_intent
from tests.access.world import Actor, World, push
from tests.documents_server.conftest import Office


def _feed(world: World, actor: Actor) -> dict[tuple[str, str], Any]:
    return Office(world.app).feed(actor.person_id)


def _meeting(world: World, *, invitees: tuple[str, ...], staff: tuple[str, ...] = (),
             minutes_to_start: int = 10) -> str:
    """A published meeting of the own body starting soon (check-in open), stored
    directly so its start may also be in the past."""
    meeting_id = f"mt-{uuid.uuid4().hex[:12]}"
    now = dt.datetime.now(dt.UTC)
    start = now + dt.timedelta(minutes=minutes_to_start)
    secretary = world.actor("secretary").person_id  # signs in: outside the session below
    with session_scope(world.app.state.sessions) as s:
        host = body_facts(s, world.body("own"))
        organiser = ActorFacts(secretary,
                               (PostFacts(host.id, host.organ_id, frozenset({"secretary"})),))
        args = I.SAVE_MEETING.parse({
            "meeting_id": meeting_id, "subject": "签到测试会", "kind": "专题会",
            "host_body_id": host.id, "start": start.isoformat(),
            "end": (start + dt.timedelta(hours=2)).isoformat(), "place": "会议室",
            "invitees": list(invitees), "staff": list(staff)})
        data = I.save_meeting(None, args, organiser, "秘书", host,
                              storage.person_names(s, [*invitees, *staff]), {}, None, now)
        data.update(state=M.PUBLISHED, state_words=M.STATE_WORDS[M.PUBLISHED][0])
        storage.put_meeting(s, data, now)
    return meeting_id


def _secret(world: World, meeting_id: str) -> str:
    with session_scope(world.app.state.sessions) as s:
        secret = storage.checkin_secret(s, meeting_id)
    assert secret is not None
    return secret


def _scan(world: World, actor: Actor, meeting_id: str, token: str, *,
          at: dt.datetime | None = None, device: str = "phone-1") -> dict[str, Any]:
    return push(world, actor, "meetings.check_in", {
        "meeting_id": meeting_id, "token": token, "device_id": device,
        "scanned_at": (at or dt.datetime.now(dt.UTC)).isoformat()})


def _rows(world: World, meeting_id: str) -> int:
    with session_scope(world.app.state.sessions) as s:
        return int(s.scalar(select(func.count()).select_from(Checkin)
                            .where(Checkin.meeting_id == meeting_id)) or 0)


def test_the_key_reaches_only_organisers_and_staff_and_each_invitee_gets_a_code(world: World) -> None:
    staff, leader, helper = world.actor("staff"), world.actor("leader"), world.actor("registry_clerk")
    meeting_id = _meeting(world, invitees=(staff.person_id, leader.person_id),
                          staff=(helper.person_id,))
    assert _feed(world, world.actor("secretary")).get((C.KEY, meeting_id)) is not None
    assert _feed(world, helper).get((C.KEY, meeting_id)) is not None
    assert _feed(world, staff).get((C.KEY, meeting_id)) is None
    mine = _feed(world, staff)
    code = mine[(C.PASS, C.checkin_id(meeting_id, staff.person_id))]["code"]
    assert C.verify_pass(_secret(world, meeting_id), {"id": meeting_id}, code) == staff.person_id
    assert (C.PASS, C.checkin_id(meeting_id, leader.person_id)) not in mine


def test_replayed_and_resynced_scans_count_once(world: World) -> None:
    staff, leader = world.actor("staff"), world.actor("leader")
    meeting_id = _meeting(world, invitees=(staff.person_id, leader.person_id))
    token = C.issue_token(_secret(world, meeting_id), meeting_id, dt.datetime.now(dt.UTC))
    first = _scan(world, staff, meeting_id, token)
    assert first["status"] == "applied" and first["result"]["new"] is True, first
    again = _scan(world, staff, meeting_id, token, device="tablet-2")  # another mutation id
    assert again["status"] == "applied" and again["result"]["new"] is False
    # the same mutation re-synced (the answer was lost) returns the first result
    body = {"mutations": [{"id": "re-sync-1", "name": "meetings.check_in", "args": {
        "meeting_id": meeting_id, "token": token,
        "scanned_at": dt.datetime.now(dt.UTC).isoformat()}}]}
    for _ in range(2):
        r = world.client.post("/api/v1/sync/push", headers=staff.headers, json=body)
        assert r.json()["results"][0]["status"] == "applied"
    assert _rows(world, meeting_id) == 1
    record = _feed(world, staff)[(C.CHECKIN, C.checkin_id(meeting_id, staff.person_id))]
    assert record["device_id"] == "phone-1" and record["method"] == C.TOKEN
    assert _feed(world, world.actor("secretary")).get((C.CHECKIN, record["id"])) is not None
    assert _feed(world, leader).get((C.CHECKIN, record["id"])) is None


def test_expired_forged_other_meeting_and_uninvited_scans_are_refused(world: World) -> None:
    staff = world.actor("staff")
    meeting_id = _meeting(world, invitees=(staff.person_id,))
    other_id = _meeting(world, invitees=(staff.person_id,))
    now = dt.datetime.now(dt.UTC)
    secret = _secret(world, meeting_id)
    old = C.issue_token(secret, meeting_id, now - dt.timedelta(minutes=5))
    forged = C.issue_token("00" * 32, meeting_id, now)
    other = C.issue_token(_secret(world, other_id), other_id, now)
    cases = {"meetings.checkin_expired": old, "meetings.checkin_forged": forged,
             "meetings.checkin_other_meeting": other, "meetings.checkin_bad_code": "hello"}
    for code, token in cases.items():
        out = _scan(world, staff, meeting_id, token)
        assert out["status"] == "rejected" and out["error"]["code"] == code, (code, out)
        assert out["error"]["message"]  # in words
    # a photo of a current token replayed with a set-back clock, a day later
    stale = now - dt.timedelta(hours=30)
    out = _scan(world, staff, meeting_id, C.issue_token(secret, meeting_id, stale), at=stale)
    assert out["error"]["code"] == "meetings.checkin_bad_time"
    outsider = _scan(world, world.actor("division_head"), meeting_id,
                     C.issue_token(secret, meeting_id, now))
    assert outsider["error"]["code"] == "meetings.not_invited"
    assert _rows(world, meeting_id) == 0


def test_a_late_scan_and_the_attendance_list(world: World) -> None:
    staff, leader, clerk = world.actor("staff"), world.actor("leader"), world.actor("registry_clerk")
    meeting_id = _meeting(world, invitees=(staff.person_id, leader.person_id, clerk.person_id),
                          minutes_to_start=-20)
    now = dt.datetime.now(dt.UTC)
    assert _scan(world, staff, meeting_id, C.issue_token(_secret(world, meeting_id), meeting_id,
                                                         now))["result"]["late"] is True
    with session_scope(world.app.state.sessions) as s:
        row = storage.meeting_row(s, meeting_id)
        assert row is not None
        storage.put_reply(s, {"id": M.reply_id(meeting_id, leader.person_id),
                              "meeting_id": meeting_id, "person_id": leader.person_id,
                              "answer": M.DECLINE, "reason": "出差"},
                          row, now)
    guest = push(world, world.actor("secretary"), "meetings.check_in_by_hand", {
        "meeting_id": meeting_id, "name": "王 先生", "note": "外单位", "scanned_at": now.isoformat()})
    assert guest["status"] == "applied", guest
    with session_scope(world.app.state.sessions) as s:
        meeting = storage.meeting_record(s, meeting_id)
        assert meeting is not None
        table = C.attendance(meeting, storage.invited_now(s, meeting),
                             storage.replies_of(s, meeting_id), storage.checkins_of(s, meeting_id))
    status = {r.person_key: r.status for r in table.rows}
    assert status[staff.person_id] == C.LATE and status[leader.person_id] == C.EXCUSED
    assert status[clerk.person_id] == C.ABSENT and status[C.guest_key("王先生")] == C.LATE
    assert table.counts == {C.PRESENT: 0, C.LATE: 2, C.ABSENT: 1, C.EXCUSED: 1}


def test_offline_checkins_on_the_organisers_device_arrive_intact(world: World) -> None:
    """The secretary's device, offline at the venue: it verifies personal codes with the
    key it synced, queues the check-ins (one scanned twice), and pushes them later; the
    server's records equal the device's (the received time aside)."""
    secretary = world.actor("secretary")
    people = [world.person([("own", ["staff"])]) for _ in range(3)]
    meeting_id = _meeting(world, invitees=tuple(people))
    feed = _feed(world, secretary)
    me = world.client.get("/api/v1/me", headers=secretary.headers).json()
    cache = LocalCache(None)
    with cache.write() as s:
        for (entity, record_id), data in feed.items():
            if data is not None:
                store_displayed(s, (entity, record_id), data)
    codes = [C.issue_pass(_secret(world, meeting_id), meeting_id, p) for p in people]

    class Offline:
        def submit(self, name: str, args: dict[str, Any]) -> str:
            with cache.write() as s:
                return submit_intent(s, name, args, now=dt.datetime.now(dt.UTC),
                                     principal=me)[0]

    desk = S.CheckIn(cache, Offline(), me)
    assert desk.runs(meeting_id) and desk.token(meeting_id) is not None
    for code in [*codes, codes[0]]:
        desk.scan(code, meeting_id=meeting_id, device_id="door-1")
    desk.by_hand(meeting_id, name="列席记者", device_id="door-1")
    local = desk.attendance(meeting_id)
    assert local is not None and local.counts[C.ABSENT] == 0 and len(local.rows) == 4
    with cache.read() as s:
        queued = [(r.mutation_id, r.name, dict(r.args)) for r in s.execute(
            outbox.select().order_by(outbox.c.order))]
    assert len(queued) == 5
    mine = cache_records(cache, meeting_id)
    r = world.client.post("/api/v1/sync/push", headers=secretary.headers, json={"mutations": [
        {"id": mid, "name": name, "args": args} for mid, name, args in queued]})
    results = r.json()["results"]
    assert [x["status"] for x in results] == ["applied"] * 5, results
    assert [x["result"]["new"] for x in results] == [True, True, True, False, True]
    assert _rows(world, meeting_id) == 4
    with session_scope(world.app.state.sessions) as s:
        server = {c["id"]: c for c in storage.checkins_of(s, meeting_id)}
    skip = {"received_at", "offline"}
    assert {i: {k: v for k, v in c.items() if k not in skip} for i, c in server.items()} == \
        {i: {k: v for k, v in c.items() if k not in skip} for i, c in mine.items()}


def cache_records(cache: LocalCache, meeting_id: str) -> dict[str, dict[str, Any]]:
    return {str(c["id"]): c for c in cache.list(C.CHECKIN) if c["meeting_id"] == meeting_id}
