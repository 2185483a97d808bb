"""The .ics of a meeting and of a subscription, parsed back by the icalendar library (and
the feed by vobject, a second parser); the REPLY parser's refusals."""

from __future__ import annotations

import datetime as dt
from typing import Any

import icalendar
import pytest
import vobject

from modules.common.access import ActorFacts, BodyFacts, PostFacts
from modules.common.errors import Conflict, ValidationFailed
from modules.meetings import ical
from modules.meetings import ical_import as X
from modules.meetings import intents as I
from modules.meetings import meeting as M
from tests.meetings.ical_helpers import reply_ics

NOW = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
SUBJECT = "全市政务数据共享工作专题会议（第三次）：关于数据目录, 接口; 以及考核办法的讨论与部署安排"
NOTES = "请携带材料：1. 数据目录, 2. 接口清单;\n着正装；停车在北门\\东侧"


def _meeting(**extra: Any) -> dict[str, Any]:
    return {
        "id": "mt-0123456789ab", "subject": SUBJECT, "kind": "专题会", "state": M.PUBLISHED,
        "sequence": 0, "start": "2026-12-03T01:30:00Z", "end": "2026-12-03T03:00:00Z",
        "room_name": "市政府三楼第一会议室", "place": "", "video_url": "https://v.example.cn/r/88",
        "notes": NOTES, "organiser_id": "p-sec", "organiser_name": "王秘书", "chair_id": "p-chair",
        "host_body_name": "一号市人民政府", "contact_name": "李联络", "contact_phone": "0571-1234",
        "reply_by": "2026-12-02T09:00:00Z",
        "invitees": [{"id": "p-chair", "name": "赵市长"}, {"id": "p-a", "name": "钱局长"},
                     {"id": "p-b", "name": "孙处长"}, {"id": "p-n", "name": "周科长"}],
        "observers": [{"id": "p-o", "name": "吴列席"}], "staff": [{"id": "p-s", "name": "郑工作"}],
        "bodies": [], "updated_at": "2026-12-01T07:00:00Z", "created_at": "2026-11-30T07:00:00Z",
        **extra}


def _reply(person: str, answer: str, **extra: Any) -> dict[str, Any]:
    return {"id": M.reply_id("mt-0123456789ab", person), "meeting_id": "mt-0123456789ab",
            "person_id": person, "answer": answer, **extra}


REPLIES = [_reply("p-chair", M.ATTEND), _reply("p-a", M.DECLINE, reason="出差"),
           _reply("p-b", M.SUBSTITUTE, substitute_id="p-sub", substitute_name="冯副处长"),
           _reply("p-sub", M.ATTEND)]


def _event(data: bytes) -> icalendar.Event:
    cal = icalendar.Calendar.from_ical(data)
    events = cal.walk("VEVENT")
    assert len(events) == 1
    return events[0]


def _attendees(ev: icalendar.Event) -> dict[str, Any]:
    found = ev.get("ATTENDEE")
    return {str(a): a.params for a in (found if isinstance(found, list) else [found])}


def test_a_meeting_round_trips_through_the_icalendar_library() -> None:
    data = ical.meeting_ics(_meeting(), [], REPLIES, now=NOW, domain="oa.example.cn",
                            emails={"p-a": "qian@example.cn"})
    cal = icalendar.Calendar.from_ical(data)
    assert cal["METHOD"] == "REQUEST" and cal["VERSION"] == "2.0" and cal["PRODID"]
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    ev = _event(data)
    assert str(ev["UID"]) == "mt-0123456789ab@oa.example.cn"
    assert int(ev["SEQUENCE"]) == 0 and ev["STATUS"] == "CONFIRMED"
    assert ev.decoded("DTSTAMP") == NOW
    start, end = ev.decoded("DTSTART"), ev.decoded("DTEND")
    assert ev["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert (start.hour, start.minute, str(start.tzinfo)) == (9, 30, "Asia/Shanghai")
    assert start == dt.datetime(2026, 12, 3, 1, 30, tzinfo=dt.UTC)
    assert end == dt.datetime(2026, 12, 3, 3, 0, tzinfo=dt.UTC)
    assert str(ev["SUMMARY"]) == SUBJECT  # commas, semicolons, folding: back exactly
    assert str(ev["LOCATION"]) == "市政府三楼第一会议室；https://v.example.cn/r/88"
    description = str(ev["DESCRIPTION"])
    assert description.startswith(NOTES + "\n") and "联系人：李联络 0571-1234" in description
    assert "回执截止：2026-12-02 17:00" in description
    assert str(ev["ORGANIZER"]) == "mailto:p-sec@oa.example.cn"
    assert ev["ORGANIZER"].params["CN"] == "王秘书"
    people = _attendees(ev)
    assert people["mailto:p-chair@oa.example.cn"]["ROLE"] == "CHAIR"
    assert people["mailto:p-chair@oa.example.cn"]["PARTSTAT"] == "ACCEPTED"
    assert people["mailto:qian@example.cn"]["PARTSTAT"] == "DECLINED"  # the directory's email
    assert people["mailto:qian@example.cn"]["CN"] == "钱局长"
    assert people["mailto:p-b@oa.example.cn"]["PARTSTAT"] == "DELEGATED"
    assert people["mailto:p-b@oa.example.cn"]["DELEGATED-TO"] == "mailto:p-sub@oa.example.cn"
    assert people["mailto:p-sub@oa.example.cn"]["DELEGATED-FROM"] == "mailto:p-b@oa.example.cn"
    assert people["mailto:p-sub@oa.example.cn"]["PARTSTAT"] == "ACCEPTED"
    assert people["mailto:p-n@oa.example.cn"]["PARTSTAT"] == "NEEDS-ACTION"
    assert people["mailto:p-o@oa.example.cn"]["ROLE"] == "OPT-PARTICIPANT"
    assert people["mailto:p-s@oa.example.cn"]["ROLE"] == "NON-PARTICIPANT"
    triggers = sorted(a.decoded("TRIGGER") for a in ev.walk("VALARM"))
    assert triggers == [-dt.timedelta(days=1), -dt.timedelta(minutes=30)]
    assert {str(a["ACTION"]) for a in ev.walk("VALARM")} == {"DISPLAY"}


def test_lines_are_crlf_and_folded_at_75_octets() -> None:
    data = ical.meeting_ics(_meeting(), [], REPLIES, now=NOW)
    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    lines = data.split(b"\r\n")
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # the long subject was folded
    for line in lines:
        line.decode("utf-8")  # never folded inside a character


def test_a_reader_who_sees_only_their_own_reply_claims_nothing_of_the_others() -> None:
    mine = [r for r in REPLIES if r["person_id"] == "p-a"]
    data = ical.meeting_ics(_meeting(), [], mine, now=NOW, complete=False, reader="p-n")
    people = _attendees(_event(data))
    assert people["mailto:p-a@office-collab.invalid"]["PARTSTAT"] == "DECLINED"
    assert people["mailto:p-n@office-collab.invalid"]["PARTSTAT"] == "NEEDS-ACTION"  # the reader
    assert "PARTSTAT" not in people["mailto:p-chair@office-collab.invalid"]


def test_a_cancelled_meeting_is_a_cancel_with_the_raised_sequence() -> None:
    actor = ActorFacts("p-sec", (PostFacts("b-1", "b-1", frozenset({"secretary"})),))
    meeting = _meeting(host_body_id="b-1", host_organ_id="b-1", host_organs_above=["b-1"],
                       changes=[])
    cancelled = I.cancel_meeting(meeting, I.CancelMeetingArgs(meeting_id=meeting["id"],
                                                              reason="改期"), actor, "王秘书", NOW)
    data = ical.meeting_ics(cancelled, [], REPLIES, now=NOW)
    cal = icalendar.Calendar.from_ical(data)
    assert cal["METHOD"] == "CANCEL"
    ev = _event(data)
    assert ev["STATUS"] == "CANCELLED" and int(ev["SEQUENCE"]) == 1
    assert str(ev["UID"]) == ical.uid(meeting["id"])
    assert ev.walk("VALARM") == [] and "取消原因：改期" in str(ev["DESCRIPTION"])


def test_every_update_after_publishing_raises_the_sequence_in_the_file() -> None:
    host = BodyFacts(id="b-1", name="一号市人民政府", organ_id="b-1", organs_above=("b-1",))
    actor = ActorFacts("p-sec", (PostFacts("b-1", "b-1", frozenset({"secretary"})),))
    names = {"p-a": "钱局长"}
    base = {"meeting_id": "mt-0123456789ab", "subject": "专题会", "kind": "专题会",
            "host_body_id": "b-1", "start": "2026-12-03T01:30:00Z", "end": "2026-12-03T03:00:00Z",
            "place": "三楼", "invitees": ["p-a"]}
    draft = I.save_meeting(None, I.SAVE_MEETING.parse(base), actor, "王秘书", host, names, {},
                           None, NOW)
    published = I.publish_meeting(draft, I.MeetingArgs(meeting_id=draft["id"]), actor, None, NOW)
    sequences = [int(_event(ical.meeting_ics(published, now=NOW))["SEQUENCE"])]
    current = published
    for place in ("四楼", "五楼"):
        args = I.SAVE_MEETING.parse({**base, "place": place, "change_note": f"改到{place}"})
        current = I.save_meeting(current, args, actor, "王秘书", host, names, {}, None, NOW)
        ev = _event(ical.meeting_ics(current, now=NOW))
        sequences.append(int(ev["SEQUENCE"]))
        assert str(ev["LOCATION"]) == place and str(ev["UID"]) == ical.uid(draft["id"])
    assert sequences == [0, 1, 2]


def test_the_feed_is_a_publish_read_by_a_second_parser() -> None:
    old = _meeting(id="mt-old000000000", start="2026-10-01T01:00:00Z", end="2026-10-01T02:00:00Z")
    recent = _meeting(id="mt-recent0000000", start="2026-11-20T01:00:00Z",
                      end="2026-11-20T02:00:00Z", subject="上月的会")
    draft = _meeting(id="mt-draft00000000", state=M.DRAFT)
    gone = _meeting(id="mt-gone00000000", state=M.CANCELLED, sequence=3, cancel_reason="取消")
    entries = [ical.FeedEntry(m) for m in (_meeting(), old, recent, draft, gone)]
    data = ical.feed_ics(entries, now=NOW, name="会议 · 钱局长", reader="p-a")
    parsed = vobject.readOne(data.decode("utf-8"))
    assert parsed.method.value == "PUBLISH"
    assert parsed.contents["x-wr-calname"][0].value == "会议 · 钱局长"
    events = {e.uid.value: e for e in parsed.vevent_list}
    assert sorted(events) == sorted(ical.uid(i) for i in
                                    ("mt-0123456789ab", "mt-recent0000000", "mt-gone00000000"))
    main = events[ical.uid("mt-0123456789ab")]
    assert main.summary.value == SUBJECT and main.description.value.startswith(NOTES)
    assert main.dtstart.value == dt.datetime(2026, 12, 3, 1, 30, tzinfo=dt.UTC)
    assert main.dtstart.value.utcoffset() == dt.timedelta(hours=8)
    assert len(main.valarm_list) == 2
    assert events[ical.uid("mt-gone00000000")].status.value == "CANCELLED"
    assert events[ical.uid("mt-gone00000000")].sequence.value == "3"
    # and by the icalendar library too
    cal = icalendar.Calendar.from_ical(data)
    assert cal["METHOD"] == "PUBLISH" and len(cal.walk("VEVENT")) == 3


def test_an_empty_feed_is_still_a_calendar() -> None:
    data = ical.feed_ics([], now=NOW, name="会议")
    assert vobject.readOne(data.decode()).method.value == "PUBLISH"
    assert icalendar.Calendar.from_ical(data).walk("VEVENT") == []


def test_uids_of_other_systems_are_refused() -> None:
    assert ical.meeting_id_of("mt-0123456789ab@office-collab.invalid") == "mt-0123456789ab"
    for bad in ("mt-0123456789ab@evil.example", "040000008200E00074C5B7101A82E008@outlook",
                "mt-0123456789ab", "x@office-collab.invalid"):
        with pytest.raises(ValidationFailed) as err:
            ical.meeting_id_of(bad)
        assert err.value.code == "meetings.ical_bad_uid"


def test_addresses_read_back_to_people() -> None:
    emails = {"p-a": "Qian@Example.cn"}
    assert ical.person_of("mailto:qian@example.cn", emails=emails) == "p-a"
    assert ical.person_of("MAILTO:p-b@office-collab.invalid") == "p-b"
    assert ical.person_of("mailto:p-b@elsewhere.example") == ""


def test_a_reply_is_parsed_and_mapped_by_the_reply_rules() -> None:
    meeting = _meeting(sequence=2)
    invited = M.invitations(meeting, [], [])
    for partstat, answer in (("ACCEPTED", M.ATTEND), ("DECLINED", M.DECLINE)):
        parsed = X.parse_reply(reply_ics(meeting["id"], "p-a", partstat, sequence=2))
        assert X.meeting_id(parsed, ical.DEFAULT_DOMAIN) == meeting["id"]
        said = X.answer_of(meeting, invited, parsed, ical.DEFAULT_DOMAIN, {})
        assert (said.person_id, said.answer) == ("p-a", answer)
    declined = X.parse_reply(reply_ics(meeting["id"], "p-a", "DECLINED", sequence=2,
                                       comment="下乡调研"))
    assert X.answer_of(meeting, invited, declined, ical.DEFAULT_DOMAIN, {}).reason == "下乡调研"
    delegated = X.parse_reply(reply_ics(meeting["id"], "p-a", "DELEGATED", sequence=2,
                                        delegated_to="p-x"))
    said = X.answer_of(meeting, invited, delegated, ical.DEFAULT_DOMAIN, {})
    assert (said.answer, said.substitute_id) == (M.SUBSTITUTE, "p-x")


@pytest.mark.parametrize(("text", "code"), [
    ("not a calendar at all", "meetings.ical_unreadable"),
    (reply_ics("mt-0123456789ab", "p-a", "ACCEPTED", method="REQUEST"), "meetings.ical_not_reply"),
])
def test_files_that_are_no_reply_are_refused(text: str, code: str) -> None:
    with pytest.raises(ValidationFailed) as err:
        X.parse_reply(text)
    assert err.value.code == code


def test_a_reply_with_two_attendees_is_refused() -> None:
    text = reply_ics("mt-0123456789ab", "p-a", "ACCEPTED").replace(
        "END:VEVENT", "ATTENDEE;PARTSTAT=ACCEPTED:mailto:p-b@office-collab.invalid\nEND:VEVENT")
    with pytest.raises(ValidationFailed) as err:
        X.parse_reply(text)
    assert err.value.code == "meetings.ical_one_attendee"


def test_stale_tentative_and_strangers_are_refused_in_words() -> None:
    meeting = _meeting(sequence=2)
    invited = M.invitations(meeting, [], [])
    cases = [(reply_ics(meeting["id"], "p-a", "ACCEPTED", sequence=1), Conflict, "meetings.ical_stale"),
             (reply_ics(meeting["id"], "p-a", "TENTATIVE", sequence=2), ValidationFailed,
              "meetings.ical_partstat"),
             (reply_ics(meeting["id"], "p-stranger", "ACCEPTED", sequence=2), ValidationFailed,
              "meetings.ical_unknown_attendee")]
    for text, kind, code in cases:
        with pytest.raises(kind) as err:
            X.answer_of(meeting, invited, X.parse_reply(text), ical.DEFAULT_DOMAIN, {})
        assert err.value.code == code
        assert err.value.message("en") and err.value.message("zh_CN")
