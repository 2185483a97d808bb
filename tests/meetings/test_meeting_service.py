"""The client side of meetings: a reply and a nomination applied on the device (offline),
refused in words for someone not invited, and the lists and tally a screen shows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from modules.common.access import ActorFacts, BodyFacts, PostFacts
from modules.common.errors import PermissionDenied, ValidationFailed
from modules.meetings import intents as I
from modules.meetings import meeting as M
from modules.meetings import rules as R
from modules.meetings import service as S
from sync.cache import LocalCache, store_displayed
from sync.local import submit_intent

CST = R.CHINA
NOW = dt.datetime(2026, 12, 1, 8, 0, tzinfo=CST)
HOST = BodyFacts("b-szj", "省政数局", "b-szj", ("b-szj",))
ORGANISER = ActorFacts("p-sec", (PostFacts("b-szj", "b-szj", frozenset({"secretary"})),))
NAMES = {"p-a": "张伟", "p-b": "李娜", "p-c": "王强", "p-d": "赵敏"}


def principal(person_id: str, body_id: str = "b-szj", roles: tuple[str, ...] = ("staff",)
              ) -> dict[str, Any]:
    return {"person_id": person_id, "name": NAMES.get(person_id, person_id),
            "posts": [{"body_id": body_id, "organ_id": body_id, "roles": list(roles)}]}


def meeting(day: int = 3, meeting_id: str = "mt-client-1") -> dict[str, Any]:
    start = dt.datetime(2026, 12, day, 9, tzinfo=CST)
    args = I.SAVE_MEETING.parse({
        "meeting_id": meeting_id, "subject": "专题会", "kind": "专题会", "host_body_id": "b-szj",
        "start": start.isoformat(), "end": (start + dt.timedelta(hours=2)).isoformat(),
        "place": "三楼", "invitees": ["p-a"], "bodies": ["b-city"]})
    draft = I.save_meeting(None, args, ORGANISER, "秘书", HOST, NAMES, {"b-city": "市政数局"},
                           None, NOW)
    return I.publish_meeting(draft, I.MeetingArgs(meeting_id=meeting_id), ORGANISER, None, NOW)


class _Engine:
    def __init__(self, cache: LocalCache, who: dict[str, Any]) -> None:
        self.cache, self.who = cache, who

    def submit(self, name: str, args: dict[str, Any]) -> str:
        with self.cache.write() as s:
            return submit_intent(s, name, args, now=NOW, principal=self.who)[0]


@pytest.fixture
def cache() -> LocalCache:
    cache = LocalCache(None)
    with cache.write() as s:
        for record in (meeting(), meeting(day=1, meeting_id="mt-client-2")):
            store_displayed(s, (I.MEETING, record["id"]), record)
        for pid, name in NAMES.items():
            store_displayed(s, (S.PERSON, pid), {"id": pid, "name": name})
    return cache


def test_a_reply_with_a_substitute_is_shown_at_once_and_the_substitute_answers(cache: LocalCache) -> None:
    invitee = S.MeetingService(cache, _Engine(cache, principal("p-a")), principal("p-a")).meetings()
    invitee.reply("mt-client-1", "substitute", substitute_id="p-b")
    mine = invitee.my_reply("mt-client-1")
    assert mine is not None and mine["substitute_name"] == "李娜"
    substitute = S.MeetingsOfMine(cache, _Engine(cache, principal("p-b")), principal("p-b"))
    substitute.reply("mt-client-1", "attend")
    tally = substitute.tally("mt-client-1", NOW)
    assert tally is not None and (tally.attending, tally.substitutes, tally.pending) == (1, 1, 0)
    assert tally.bodies_pending == ("b-city",)


def test_someone_not_invited_is_refused_on_the_device(cache: LocalCache) -> None:
    stranger = S.MeetingsOfMine(cache, _Engine(cache, principal("p-c")), principal("p-c"))
    with pytest.raises(PermissionDenied):
        stranger.reply("mt-client-1", "attend")
    assert stranger.my_reply("mt-client-1") is None


def test_a_clerk_nominates_offline_and_the_nominee_is_invited(cache: LocalCache) -> None:
    who = principal("p-clerk", "b-city", ("registry_clerk",))
    clerk = S.MeetingsOfMine(cache, _Engine(cache, who), who)
    assert [b["id"] for b in clerk.nominable_bodies("mt-client-1")] == ["b-city"]
    clerk.nominate("mt-client-1", "b-city", ["p-d"])
    nominee = S.MeetingsOfMine(cache, _Engine(cache, principal("p-d")), principal("p-d"))
    lists = nominee.lists(NOW)
    assert [m["id"] for m in lists["upcoming"]] == ["mt-client-1"]
    tally = nominee.tally("mt-client-1", NOW)
    assert tally is not None and [r.role for r in tally.not_answered] == [M.INVITEE, M.NOMINEE]


def test_a_nominee_from_another_body_is_refused_on_the_device(cache: LocalCache) -> None:
    with cache.write() as s:
        store_displayed(s, (S.PERSON, "p-c"), {"id": "p-c", "name": "王强",
                                               "posts": [{"body_id": "b-szj"}]})
        store_displayed(s, (S.PERSON, "p-d"), {"id": "p-d", "name": "赵敏",
                                               "posts": [{"body_id": "b-city-office"}]})
        store_displayed(s, (S.BODY, "b-city-office"), {"id": "b-city-office", "kind": "department",
                                                       "parent_id": "b-city"})
        store_displayed(s, (S.BODY, "b-city"), {"id": "b-city", "kind": "organ"})
    who = principal("p-clerk", "b-city", ("registry_clerk",))
    clerk = S.MeetingsOfMine(cache, _Engine(cache, who), who)
    with pytest.raises(ValidationFailed, match=r"meetings\.nominee_not_member"):
        clerk.nominate("mt-client-1", "b-city", ["p-c"])
    assert cache.get(I.NOMINATION, M.nomination_id("mt-client-1", "b-city")) is None
    clerk.nominate("mt-client-1", "b-city", ["p-d"])  # a department of the body counts
    nomination = cache.get(I.NOMINATION, M.nomination_id("mt-client-1", "b-city"))
    assert nomination is not None and [n["id"] for n in nomination["nominees"]] == ["p-d"]


def test_lists_put_meetings_in_today_upcoming_past_and_organised(cache: LocalCache) -> None:
    me = S.MeetingsOfMine(cache, _Engine(cache, principal("p-a")), principal("p-a"))
    lists = me.lists(dt.datetime(2026, 12, 1, 9, 30, tzinfo=CST))
    assert [m["id"] for m in lists["today"]] == ["mt-client-2"]
    assert [m["id"] for m in lists["upcoming"]] == ["mt-client-1"] and lists["organised"] == []
    secretary = principal("p-sec", roles=("secretary",))
    organiser = S.MeetingsOfMine(cache, _Engine(cache, secretary), secretary)
    assert {m["id"] for m in organiser.lists(NOW)["organised"]} == {"mt-client-1", "mt-client-2"}
