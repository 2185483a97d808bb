"""Arguments of the agenda intents for the meetings access matrix
(tests/access/test_meetings_matrix.py): the relation is the meeting's host body
(organising the agenda, deciding topics) or, for proposing, the invited body."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from modules.common.access import ActorFacts, PostFacts
from modules.meetings import agenda as A
from server.access_facts import body_facts
from server.db import session_scope
from server.meetings import agenda_storage, storage
from tests.access.world import World

AGENDA_INTENTS = {"meetings.save_agenda_item", "meetings.remove_agenda_item",
                  "meetings.order_agenda", "meetings.propose_topic", "meetings.decide_topic"}


def _with_item(world: World, meeting_id: str) -> str:
    """Give the stored meeting one agenda item (directly); its id."""
    item_id = f"ai-{uuid.uuid4().hex[:12]}"
    now = dt.datetime.now(dt.UTC)
    with session_scope(world.app.state.sessions) as s:
        row = storage.meeting_row(s, meeting_id)
        assert row is not None
        data = dict(row.data)
        data["agenda"] = A.renumber([{"id": item_id, "title": "矩阵议题", "presenter_id": "",
                                      "presenter_name": "", "start": None, "end": None,
                                      "attendees": [], "materials": []}])
        storage.put_meeting(s, data, now)
    return item_id


def _topic(world: World, meeting_id: str) -> str:
    """A topic proposed for the meeting by a person of its host body (stored directly)."""
    topic_id = f"tp-{uuid.uuid4().hex[:12]}"
    now = dt.datetime.now(dt.UTC)
    with session_scope(world.app.state.sessions) as s:
        meeting = storage.meeting_record(s, meeting_id)
        assert meeting is not None
        host = body_facts(s, str(meeting["host_body_id"]))
        proposer = ActorFacts("p-ax-proposer", (PostFacts(host.id, host.organ_id,
                                                          frozenset({"staff"})),))
        args = A.ProposeTopicArgs(topic_id=topic_id, meeting_id=meeting_id, body_id=host.id,
                                  title="矩阵申报议题")
        data = A.propose_topic(meeting, None, args, proposer, "申报人", {}, now)
        agenda_storage.put_topic(s, data, meeting, now)
    return topic_id


def agenda_args(world: World, name: str, relation: str, actor_role: str) -> dict[str, Any]:
    from tests.access.test_meetings_matrix import _meeting

    if name == "meetings.propose_topic":  # a meeting of the province invites the relation's body
        meeting_id = _meeting(world, "higher", bodies=(relation,))
        return {"topic_id": f"tp-{uuid.uuid4().hex[:12]}", "meeting_id": meeting_id,
                "body_id": world.body(relation), "title": "矩阵申报"}
    invitee = world.person([(relation, ["staff"])])
    meeting_id = _meeting(world, relation, invitees=(invitee,))
    if name == "meetings.save_agenda_item":
        return {"meeting_id": meeting_id, "item_id": f"ai-{uuid.uuid4().hex[:12]}",
                "title": "新议题", "presenter_id": invitee}
    if name == "meetings.remove_agenda_item":
        return {"meeting_id": meeting_id, "item_id": _with_item(world, meeting_id)}
    if name == "meetings.order_agenda":
        return {"meeting_id": meeting_id, "item_ids": [_with_item(world, meeting_id)]}
    return {"topic_id": _topic(world, meeting_id), "accept": True}
