"""Check-in rules (pure) and the client: tokens that rotate and expire, codes of another
meeting and forged ones refused in words, the window and the offline grace, one
check-in per person (earliest wins), the attendance list, and the attendee's and the
organiser's devices queueing check-ins offline."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from modules.common.access import ActorFacts, BodyFacts, PostFacts
from modules.common.errors import Conflict, DomainError, PermissionDenied
from modules.meetings import checkin as C
from modules.meetings import intents as I
from modules.meetings import meeting as M
from modules.meetings import rules as R
from modules.meetings import service as S
from sync.cache import LocalCache, outbox, store_displayed
from sync.local import submit_intent

CST = R.CHINA
START = dt.datetime(2026, 12, 3, 9, tzinfo=CST)
NOW = START - dt.timedelta(minutes=5)
SECRET = "ab" * 32
HOST = BodyFacts("b-szj", "省政数局", "b-szj", ("b-szj",))
ORGANISER = ActorFacts("p-sec", (PostFacts("b-szj", "b-szj", frozenset({"secretary"})),))
NAMES = {"p-a": "张伟", "p-b": "李娜", "p-c": "王强", "p-sec": "秘书", "p-helper": "赵敏"}


def meeting(meeting_id: str = "mt-check-1", **extra: Any) -> dict[str, Any]:
    args = I.SAVE_MEETING.parse({
        "meeting_id": meeting_id, "subject": "专题会", "kind": "专题会", "host_body_id": "b-szj",
        "start": START.isoformat(), "end": (START + dt.timedelta(hours=2)).isoformat(),
        "place": "三楼", "invitees": ["p-a", "p-b", "p-c"], "staff": ["p-helper"], **extra})
    draft = I.save_meeting(None, args, ORGANISER, "秘书", HOST, NAMES, {}, None,
                           START - dt.timedelta(days=2))
    return I.publish_meeting(draft, I.MeetingArgs(meeting_id=meeting_id), ORGANISER, None,
                             START - dt.timedelta(days=2))


def refused(code: str, fn: Any, *args: Any, **kwargs: Any) -> None:
    with pytest.raises(DomainError) as err:
        fn(*args, **kwargs)
    assert err.value.code == code


def test_a_token_verifies_for_its_meeting_and_window_only() -> None:
    m = meeting()
    token = C.issue_token(SECRET, m["id"], NOW)
    assert token.startswith(f"OACHK1:m={m['id']};w=") and C.token_meeting(token) == m["id"]
    assert C.verify_token(SECRET, m, token, NOW + dt.timedelta(seconds=45)) == C.window_of(NOW)
    refused("meetings.checkin_expired", C.verify_token, SECRET, m, token, NOW + dt.timedelta(minutes=3))
    refused("meetings.checkin_forged", C.verify_token, "cd" * 32, m, token, NOW)
    refused("meetings.checkin_forged", C.verify_token, SECRET, m, token[:-1] + "0"
            if token[-1] != "0" else token[:-1] + "1", NOW)
    refused("meetings.checkin_other_meeting", C.verify_token, SECRET, meeting("mt-check-2"), token, NOW)
    refused("meetings.checkin_bad_code", C.verify_token, SECRET, m, "https://example.org/x", NOW)
    # the next period shows another token, and the attendee's device (no key) trusts the format
    assert C.issue_token(SECRET, m["id"], NOW + dt.timedelta(seconds=C.PERIOD)) != token
    assert C.verify_token(None, m, token, NOW) == C.window_of(NOW)
    assert 0 < C.seconds_left(NOW) <= C.PERIOD


def test_personal_codes_are_signed_per_meeting_and_person() -> None:
    m = meeting()
    code = C.issue_pass(SECRET, m["id"], "p-a")
    assert C.verify_pass(SECRET, m, code) == "p-a"
    refused("meetings.checkin_forged", C.verify_pass, SECRET, m, code.replace("p-a", "p-b"))
    refused("meetings.checkin_other_meeting", C.verify_pass, SECRET, meeting("mt-check-2"), code)
    refused("meetings.checkin_no_key", C.verify_pass, None, m, code)


def test_the_window_and_the_offline_grace() -> None:
    m = meeting()
    opens, closes = C.window(m)
    assert opens == START - dt.timedelta(minutes=30) and closes == START + dt.timedelta(hours=2)
    C.check_time(m, opens, closes + dt.timedelta(hours=3))  # synced later the same day
    refused("meetings.checkin_closed", C.check_time, m, opens - dt.timedelta(seconds=1), NOW)
    refused("meetings.checkin_bad_time", C.check_time, m, NOW + dt.timedelta(minutes=5), NOW)
    refused("meetings.checkin_bad_time", C.check_time, m, NOW, NOW + dt.timedelta(hours=25))
    wide = meeting(checkin_before_minutes=60, checkin_after_minutes=15)
    assert C.window(wide) == (START - dt.timedelta(hours=1),
                              START + dt.timedelta(hours=2, minutes=15))
    with pytest.raises(Conflict):
        C.check_time({**m, "state": M.CANCELLED}, NOW, NOW)


def _scan(m: dict[str, Any], who: str, at: dt.datetime, previous: dict[str, Any] | None = None,
          secret: str | None = SECRET) -> dict[str, Any]:
    invited = M.invitations(m, [], [])
    args = I.CHECK_IN.parse({"meeting_id": m["id"], "token": C.issue_token(SECRET, m["id"], at),
                             "scanned_at": at.isoformat(), "device_id": "phone-1"})
    actor = ActorFacts(who, (PostFacts("b-szj", "b-szj", frozenset({"staff"})),))
    return I.check_in(m, lambda _i: previous, invited, secret, args, actor, NAMES[who],
                      at + dt.timedelta(seconds=3))


def test_one_checkin_per_person_the_earliest_wins_and_the_list() -> None:
    m = meeting()
    first = _scan(m, "p-a", NOW)
    assert first["id"] == "mt-check-1:p-a" and first["late"] is False
    assert _scan(m, "p-a", NOW + dt.timedelta(minutes=8), previous=first) == first
    late = _scan(m, "p-b", START + dt.timedelta(minutes=10))
    assert late["late"] is True
    with pytest.raises(PermissionDenied):
        _scan(m, "p-sec", NOW)  # the organiser is not invited: they check in by hand
    replies = [{"meeting_id": m["id"], "person_id": "p-c", "answer": M.DECLINE, "reason": "出差"}]
    table = C.attendance(m, M.invitations(m, [], replies), replies, [first, late])
    assert [(r.person_key, r.status) for r in table.rows] == [
        ("p-a", C.PRESENT), ("p-b", C.LATE), ("p-c", C.EXCUSED)]
    assert table.rows[2].reason == "出差" and table.rows[0].device_id == "phone-1"
    assert table.counts == {C.PRESENT: 1, C.LATE: 1, C.ABSENT: 0, C.EXCUSED: 1}


def test_by_hand_needs_staff_and_exactly_one_who() -> None:
    m = meeting()
    helper = ActorFacts("p-helper", (PostFacts("b-other", "b-other", frozenset({"staff"})),))
    stranger = ActorFacts("p-a", (PostFacts("b-szj", "b-szj", frozenset({"staff"})),))

    def hand(actor: ActorFacts, **args: Any) -> dict[str, Any]:
        parsed = I.CHECK_IN_BY_HAND.parse({"meeting_id": m["id"], "scanned_at": NOW.isoformat(),
                                           **args})
        return I.check_in_by_hand(m, lambda _i: None, M.invitations(m, [], []), SECRET, parsed,
                                  actor, "赵敏", NAMES, NOW)

    refused("meetings.not_checkin_staff", hand, stranger, name="来宾")
    refused("meetings.checkin_who", hand, helper, name="来宾", person_id="p-a")
    refused("meetings.checkin_who", hand, helper)
    coded = hand(helper, code=C.issue_pass(SECRET, m["id"], "p-b"))
    assert (coded["person_id"], coded["method"], coded["by_name"]) == ("p-b", C.CODE, "赵敏")
    guest = hand(helper, name=" 王  先生 ")
    assert guest["person_key"] == C.guest_key("王先生") and guest["person_id"] == ""


@pytest.fixture
def cache() -> LocalCache:
    cache = LocalCache(None)
    with cache.write() as s:
        store_displayed(s, (I.MEETING, "mt-check-1"), meeting())
        store_displayed(s, (I.CHECKIN_KEY, "mt-check-1"),
                        {"id": "mt-check-1", "meeting_id": "mt-check-1", "secret": SECRET})
        store_displayed(s, (I.CHECKIN_PASS, "mt-check-1:p-a"),
                        {"id": "mt-check-1:p-a", "meeting_id": "mt-check-1", "person_id": "p-a",
                         "code": C.issue_pass(SECRET, "mt-check-1", "p-a")})
        for pid, name in NAMES.items():
            store_displayed(s, (S.PERSON, pid), {"id": pid, "name": name})
    return cache


def principal(person_id: str, roles: tuple[str, ...] = ("staff",)) -> dict[str, Any]:
    return {"person_id": person_id, "name": NAMES[person_id],
            "posts": [{"body_id": "b-szj", "organ_id": "b-szj", "roles": list(roles)}]}


class _Engine:
    def __init__(self, cache: LocalCache, who: dict[str, Any]) -> None:
        self.cache, self.who = cache, who

    def submit(self, name: str, args: dict[str, Any]) -> str:
        with self.cache.write() as s:
            return submit_intent(s, name, args, now=NOW + dt.timedelta(seconds=2),
                                 principal=self.who)[0]


def _queued(cache: LocalCache) -> list[str]:
    with cache.read() as s:
        return [r.name for r in s.execute(outbox.select().order_by(outbox.c.order))]


def test_the_organisers_device_shows_the_token_and_checks_people_in_offline(cache: LocalCache) -> None:
    desk = S.CheckIn(cache, _Engine(cache, principal("p-sec", ("secretary",))),
                     principal("p-sec", ("secretary",)))
    assert desk.runs("mt-check-1")
    token = desk.token("mt-check-1", NOW)
    assert token is not None and C.verify_token(SECRET, meeting(), token, NOW)
    desk.scan(C.issue_pass(SECRET, "mt-check-1", "p-a"), meeting_id="mt-check-1", now=NOW)
    desk.scan(C.issue_pass(SECRET, "mt-check-1", "p-a"), meeting_id="mt-check-1", now=NOW)
    desk.by_hand("mt-check-1", name="列席记者", now=NOW)
    with pytest.raises(DomainError) as err:
        desk.scan(C.issue_pass("cd" * 32, "mt-check-1", "p-b"), meeting_id="mt-check-1", now=NOW)
    assert err.value.code == "meetings.checkin_forged"
    with pytest.raises(DomainError) as err:
        desk.scan(C.issue_pass(SECRET, "mt-check-9", "p-b"), meeting_id="mt-check-1", now=NOW)
    assert err.value.code == "meetings.checkin_other_meeting"
    assert _queued(cache) == ["meetings.check_in_by_hand"] * 3
    table = desk.attendance("mt-check-1")
    assert table is not None and table.counts == {C.PRESENT: 2, C.LATE: 0, C.ABSENT: 2,
                                                  C.EXCUSED: 0}


def test_an_attendee_scans_the_screen_and_sees_their_own_code(cache: LocalCache) -> None:
    me = S.MeetingService(cache, _Engine(cache, principal("p-a")), principal("p-a")).checkin()
    assert not me.runs("mt-check-1")
    assert me.my_pass("mt-check-1") == C.issue_pass(SECRET, "mt-check-1", "p-a")
    me.scan(C.issue_token(SECRET, "mt-check-1", NOW), device_id="phone-1", now=NOW)
    mine = me.my_checkin("mt-check-1")
    assert mine is not None and mine["method"] == C.TOKEN and mine["device_id"] == "phone-1"
    with pytest.raises(DomainError) as err:
        me.scan(C.issue_token(SECRET, "mt-check-1", NOW - dt.timedelta(minutes=10)), now=NOW)
    assert err.value.code == "meetings.checkin_expired"
    with pytest.raises(DomainError) as err:
        me.scan("not a code", now=NOW)
    assert err.value.code == "meetings.checkin_bad_code"
    assert _queued(cache) == ["meetings.check_in"]
