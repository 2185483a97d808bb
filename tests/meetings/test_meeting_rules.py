"""Pure meeting rules: who is invited (nominees, substitutes), reply rules, the tally,
changes that raise SEQUENCE, and the lists of my meetings."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from modules.common.access import ActorFacts, BodyFacts, PostFacts
from modules.common.errors import Conflict, PermissionDenied, ValidationFailed
from modules.meetings import intents as I
from modules.meetings import meeting as M
from modules.meetings import policy
from modules.meetings import rules as R

CST = R.CHINA
NOW = dt.datetime(2026, 12, 1, 8, 0, tzinfo=CST)
HOST = BodyFacts("b-szj", "省政数局", "b-szj", ("b-szj", "b-gd"))
SECRETARY = ActorFacts("p-sec", (PostFacts("b-szj-bgs", "b-szj", frozenset({"secretary"})),))
NAMES = {"p-a": "张伟", "p-b": "李娜", "p-c": "王强", "p-d": "赵敏", "p-sec": "秘书"}


def person(pid: str) -> ActorFacts:
    return ActorFacts(pid, (PostFacts("b-szj", "b-szj", frozenset({"staff"})),))


def save(previous: dict[str, Any] | None = None, **over: Any) -> dict[str, Any]:
    args = I.SAVE_MEETING.parse({
        "meeting_id": "mt-test-1", "subject": "局务会议", "kind": "办公会", "host_body_id": "b-szj",
        "start": dt.datetime(2026, 12, 3, 9, tzinfo=CST).isoformat(),
        "end": dt.datetime(2026, 12, 3, 11, tzinfo=CST).isoformat(),
        "reply_by": dt.datetime(2026, 12, 2, 17, tzinfo=CST).isoformat(),
        "place": "三楼会议室", "invitees": ["p-a", "p-b"], "bodies": ["b-city"], **over})
    return I.save_meeting(previous, args, SECRETARY, "秘书", HOST, NAMES, {"b-city": "市政数局"},
                          None, NOW)


def published() -> dict[str, Any]:
    return I.publish_meeting(save(), I.MeetingArgs(meeting_id="mt-test-1"), SECRETARY, None, NOW)


def answer(meeting: dict[str, Any], who: str, kind: str, replies: list[dict[str, Any]] | None = None,
           noms: list[dict[str, Any]] | None = None, **extra: Any) -> dict[str, Any]:
    args = I.REPLY_MEETING.parse({"meeting_id": meeting["id"], "answer": kind, **extra})
    sub = NAMES.get(str(extra.get("substitute_id") or ""), "")
    return I.reply(meeting, None, noms or [], replies or [], args, person(who), sub, NOW)


def test_a_draft_is_published_and_a_change_needs_a_note_and_raises_the_sequence() -> None:
    meeting = published()
    assert meeting["state"] == M.PUBLISHED and meeting["sequence"] == 0
    with pytest.raises(ValidationFailed) as e:
        save(meeting, place="五楼会议室")
    assert e.value.code == "meetings.change_note_required"
    changed = save(meeting, place="五楼会议室", change_note="地点改为五楼")
    assert changed["sequence"] == 1 and changed["changes"][-1]["fields"] == ["place"]
    assert changed["changes"][-1]["words"] == "地点"
    assert save(changed, place="五楼会议室", change_note="x") == changed  # nothing changed


def test_only_organisers_organise_and_nobody_publishes_twice() -> None:
    with pytest.raises(PermissionDenied):
        I.save_meeting(None, I.SAVE_MEETING.parse({
            "meeting_id": "mt-test-2", "subject": "x", "kind": "办公会", "host_body_id": "b-szj",
            "start": NOW.isoformat(), "end": (NOW + dt.timedelta(hours=1)).isoformat()}),
            person("p-a"), "张伟", HOST, NAMES, {}, None, NOW)
    with pytest.raises(Conflict):
        I.publish_meeting(published(), I.MeetingArgs(meeting_id="mt-test-1"), SECRETARY, None, NOW)


def test_a_meeting_needs_a_known_type_a_place_and_sane_times() -> None:
    with pytest.raises(ValidationFailed, match=r"meetings\.unknown_kind"):
        save(kind="茶话会")
    with pytest.raises(ValidationFailed, match=r"meetings\.bad_meeting_time"):
        save(reply_by=dt.datetime(2026, 12, 3, 10, tzinfo=CST).isoformat())
    with pytest.raises(ValidationFailed, match=r"meetings\.unknown_person"):
        save(invitees=["p-nobody"])
    with pytest.raises(ValidationFailed, match=r"meetings\.not_ready"):
        I.publish_meeting(save(place=""), I.MeetingArgs(meeting_id="mt-test-1"), SECRETARY, None, NOW)


def test_the_room_booking_must_cover_the_meeting() -> None:
    booking = {"id": "mb-1234", "room_id": "mr-1", "room_name": "第一会议室", "state": "confirmed",
               "start": dt.datetime(2026, 12, 3, 9, tzinfo=CST).isoformat(),
               "end": dt.datetime(2026, 12, 3, 10, tzinfo=CST).isoformat()}
    with pytest.raises(ValidationFailed, match=r"meetings\.booking_mismatch"):
        M.check_booking(booking, dt.datetime(2026, 12, 3, 9, tzinfo=CST),
                        dt.datetime(2026, 12, 3, 11, tzinfo=CST))
    with pytest.raises(ValidationFailed, match=r"meetings\.booking_unusable"):
        M.check_booking({**booking, "state": "cancelled"}, dt.datetime(2026, 12, 3, 9, tzinfo=CST),
                        dt.datetime(2026, 12, 3, 9, 30, tzinfo=CST))


def test_replies_substitutes_and_nominees_make_the_tally() -> None:
    meeting = published()
    with pytest.raises(PermissionDenied):
        answer(meeting, "p-c", "attend")
    with pytest.raises(ValidationFailed, match=r"meetings\.reason_required"):
        answer(meeting, "p-a", "decline")
    with pytest.raises(ValidationFailed, match=r"meetings\.bad_substitute"):
        answer(meeting, "p-a", "substitute", substitute_id="p-b")  # already invited
    a = answer(meeting, "p-a", "decline", reason="出差")
    b = answer(meeting, "p-b", "substitute", substitute_id="p-c")
    assert b["substitute_name"] == "王强"
    c = answer(meeting, "p-c", "attend", replies=[a, b])
    assert c["role"] == M.SUBSTITUTE_ROLE and c["on_behalf_of_name"] == "李娜"
    with pytest.raises(ValidationFailed, match=r"meetings\.bad_substitute"):
        answer(meeting, "p-c", "substitute", replies=[a, b], substitute_id="p-d")
    nom = I.nominate(meeting, None, I.NominateArgs(meeting_id=meeting["id"], body_id="b-city",
                                                   nominees=["p-d"]),
                     ActorFacts("p-clerk", (PostFacts("b-city", "b-city",
                                                      frozenset({"registry_clerk"})),)),
                     "收发员", NAMES, NOW)
    tally = M.tally(meeting, [nom], [a, b, c], NOW)
    assert (tally.attending, tally.declined, tally.substitutes, tally.pending) == (1, 1, 1, 1)
    assert [r.name for r in tally.not_answered] == ["赵敏"] and tally.bodies_pending == ()
    assert not tally.deadline_passed
    assert M.tally(meeting, [], [a, b, c], NOW + dt.timedelta(days=2)).deadline_passed
    assert M.tally(meeting, [], [], NOW).bodies_pending == ("b-city",)
    # changing the substitute's sender back to attend drops the substitute
    b2 = answer(meeting, "p-b", "attend")
    assert "p-c" not in M.invitations(meeting, [], [a, b2])


def test_only_a_clerk_or_leader_of_the_invited_body_nominates() -> None:
    meeting = published()
    args = I.NominateArgs(meeting_id=meeting["id"], body_id="b-city", nominees=["p-d"])
    with pytest.raises(PermissionDenied, match=r"meetings\.not_nominator"):
        I.nominate(meeting, None, args, person("p-a"), "张伟", NAMES, NOW)
    dept_leader = ActorFacts("p-l", (PostFacts("b-city-bgs", "b-city", frozenset({"leader"})),))
    assert policy.may_nominate(dept_leader, "b-city")
    with pytest.raises(ValidationFailed, match=r"meetings\.body_not_invited"):
        I.nominate(meeting, None, I.NominateArgs(meeting_id=meeting["id"], body_id="b-x",
                                                 nominees=["p-d"]), dept_leader, "l", NAMES, NOW)


def test_cancel_and_close() -> None:
    meeting = published()
    cancelled = I.cancel_meeting(meeting, I.CancelMeetingArgs(meeting_id=meeting["id"], reason="改期"),
                                 SECRETARY, "秘书", NOW)
    assert cancelled["state"] == M.CANCELLED and cancelled["sequence"] == 1
    with pytest.raises(Conflict, match=r"meetings\.meeting_state"):
        answer(cancelled, "p-a", "attend")
    with pytest.raises(ValidationFailed):
        I.close_meeting(meeting, I.MeetingArgs(meeting_id=meeting["id"]), SECRETARY, NOW)
    later = NOW + dt.timedelta(days=2, hours=2)
    assert M.phase(meeting, later) == M.HELD
    closed = I.close_meeting(meeting, I.MeetingArgs(meeting_id=meeting["id"]), SECRETARY, later)
    assert closed["state"] == M.CLOSED


def test_buckets_today_upcoming_past() -> None:
    meeting = published()
    assert M.bucket(meeting, NOW) == "upcoming"
    assert M.bucket(meeting, dt.datetime(2026, 12, 3, 7, tzinfo=CST)) == "today"
    assert M.bucket(meeting, dt.datetime(2026, 12, 3, 10, tzinfo=CST)) == "today"
    assert M.bucket(meeting, dt.datetime(2026, 12, 3, 11, tzinfo=CST)) == "past"
