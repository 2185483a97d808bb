"""Arguments of the series intents (例会) for the meetings access matrix
(tests/access/test_meetings_matrix.py): the relation is the series' host body."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from modules.common.access import ActorFacts, PostFacts
from modules.meetings import intents as I
from modules.meetings import meeting as M
from modules.meetings import rules as R
from modules.meetings import series as S
from server.access_facts import body_facts
from server.db import session_scope
from server.meetings import storage
from tests.access.world import World

SERIES_INTENTS = {"meetings.create_series", "meetings.update_series", "meetings.cancel_series",
                  "meetings.publish_series"}


def _occurrence(world: World, relation: str, state: str = M.PUBLISHED) -> dict[str, Any]:
    """A first occurrence (published unless ``state`` says) of a series hosted by ``relation``'s body, stored
    directly (the pure effect run as a secretary of that body)."""
    series_id = f"ms-{uuid.uuid4().hex[:12]}"
    now = dt.datetime.now(dt.UTC)
    start = now + dt.timedelta(days=2)
    invitee = world.person([(relation, ["staff"])])
    with session_scope(world.app.state.sessions) as s:
        host = body_facts(s, world.body(relation))
        organiser = ActorFacts("p-ax-organiser", (PostFacts(host.id, host.organ_id,
                                                            frozenset({"secretary"})),))
        args = I.SAVE_MEETING.parse({
            "meeting_id": S.occurrence_id(series_id, 0), "subject": "矩阵例会", "kind": "办公会",
            "host_body_id": host.id, "start": start.isoformat(),
            "end": (start + dt.timedelta(hours=1)).isoformat(), "place": "会议室",
            "invitees": [invitee]})
        data = I.save_meeting(None, args, organiser, "组织者", host,
                              storage.person_names(s, [invitee]), {}, None, now)
        data.update(state=state, state_words=M.STATE_WORDS[state][0],
                    series_id=series_id, occurrence=0,
                    original_date=start.astimezone(R.CHINA).date().isoformat())
        storage.put_meeting(s, data, now)
    return data


def series_args(world: World, name: str, relation: str, _actor_role: str) -> dict[str, Any]:
    if name == "meetings.create_series":
        start = dt.datetime.now(dt.UTC) + dt.timedelta(days=3)
        return {"series_id": f"ms-{uuid.uuid4().hex[:12]}", "subject": "例会", "kind": "办公会",
                "host_body_id": world.body(relation), "start": start.isoformat(),
                "end": (start + dt.timedelta(hours=1)).isoformat(), "place": "会议室",
                "rule": {"frequency": "weekly", "count": 2, "holidays": "move"}}
    if name == "meetings.publish_series":
        return {"meeting_id": _occurrence(world, relation, M.DRAFT)["id"], "scope": "following"}
    found = _occurrence(world, relation)
    if name == "meetings.cancel_series":
        return {"meeting_id": found["id"], "scope": "all", "reason": "矩阵测试"}
    return {"meeting_id": found["id"], "scope": "all", "subject": "矩阵例会（改）",
            "kind": found["kind"], "host_body_id": found["host_body_id"],
            "start": found["start"], "end": found["end"], "place": found["place"],
            "invitees": [p["id"] for p in found["invitees"]], "change_note": "改名"}
