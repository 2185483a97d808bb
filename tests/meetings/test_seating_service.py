"""Who the seat plan seats (modules.meetings.seating_service.attendees): the chair, the
invited, 列席 and nominees in invitation order; not those who declined or sent a
substitute — the substitute instead; guests on a facing table are those of other organs."""

from __future__ import annotations

from typing import Any

from modules.meetings import seating as S
from modules.meetings.seating_service import attendees

MEETING = {
    "id": "mt-s1", "host_body_id": "b-1", "host_organ_id": "b-1", "chair_id": "p-chair",
    "chair_name": "主持人", "invitees": [{"id": "p-1", "name": "甲"}, {"id": "p-2", "name": "乙"},
                                         {"id": "p-3", "name": "丙"}],
    "observers": [{"id": "p-4", "name": "丁"}], "bodies": [{"id": "b-2", "name": "兄弟局"}],
}


def _reply(person: str, answer: str, **kw: Any) -> dict[str, Any]:
    return {"id": f"mt-s1:{person}", "meeting_id": "mt-s1", "person_id": person, "answer": answer,
            **kw}


def _person(pid: str, name: str, body: str, roles: list[str], order: int) -> dict[str, Any]:
    return {"id": pid, "name": name, "posts": [{"body_id": body, "org_id": body, "roles": roles,
                                                "sort_order": order}]}


def test_who_is_seated_and_as_what() -> None:
    replies = [_reply("p-2", "decline", reason="出差"),
               _reply("p-3", "substitute", substitute_id="p-5", substitute_name="戊")]
    nominations = [{"id": "mt-s1:b-2", "meeting_id": "mt-s1", "body_id": "b-2",
                    "nominees": [{"id": "p-6", "name": "己"}]}]
    people = {"p-chair": _person("p-chair", "主持人", "b-1", ["leader"], 1),
              "p-1": _person("p-1", "甲", "b-1", ["staff"], 5),
              "p-4": _person("p-4", "丁", "b-1", ["leader"], 2),
              "p-5": _person("p-5", "戊", "b-1", ["staff"], 9),
              "p-6": _person("p-6", "己", "b-2", ["leader"], 1)}
    who = attendees(MEETING, nominations, replies, people)
    assert [a.person_id for a in who] == ["p-chair", "p-1", "p-4", "p-6", "p-5"]
    by_id = {a.person_id: a for a in who}
    assert by_id["p-4"].observer and not by_id["p-1"].observer
    assert by_id["p-6"].guest and not by_id["p-1"].guest  # another organ's nominee
    ranked = [a.person_id for a in S.rank_order(who)]
    # leaders first (the chair, the other organ's leader), then staff; 列席 after 出席
    assert ranked == ["p-chair", "p-6", "p-1", "p-5", "p-4"]


def test_someone_without_a_directory_record_is_seated_last_with_the_invited_name() -> None:
    who = attendees({**MEETING, "chair_id": "", "observers": []}, [], [], {})
    assert [a.name for a in who] == ["甲", "乙", "丙"] and all(not a.posts for a in who)
    assert [a.person_id for a in S.rank_order(who)] == ["p-1", "p-2", "p-3"]
