"""The workbench's 会议 count, pure: the signed-in person's meetings today plus the
meetings still waiting for their 回执 (or for their body's nomination), each meeting
counted once. Read from the cached meeting records (the client's view of the feed)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from modules.meetings import meeting as M
from modules.meetings import rules as R


def meetings_to_mind(meetings: Iterable[Mapping[str, Any]],
                     nominations: Iterable[Mapping[str, Any]],
                     replies: Iterable[Mapping[str, Any]], me: str, now: dt.datetime,
                     open_todo_refs: Iterable[str] = ()) -> set[str]:
    """Ids of the meetings the count shows: published (or closed) meetings today that
    involve ``me``, published ones not over that invite ``me`` without an answer, and
    those an open meeting to-do (reply or nominate) names."""
    noms: dict[str, list[Mapping[str, Any]]] = {}
    for n in nominations:
        noms.setdefault(str(n.get("meeting_id")), []).append(n)
    reps: dict[str, list[Mapping[str, Any]]] = {}
    for r in replies:
        reps.setdefault(str(r.get("meeting_id")), []).append(r)
    out = {ref for ref in open_todo_refs if ref}
    for meeting in meetings:
        mid, state = str(meeting.get("id")), meeting.get("state")
        if state in (M.DRAFT, M.CANCELLED):
            continue
        invited = M.invitations(meeting, noms.get(mid, []), reps.get(mid, []))
        if M.bucket(meeting, now) == "today" and me in M.involved(meeting, invited):
            out.add(mid)
        answered = any(r.get("person_id") == me for r in reps.get(mid, []))
        if (state == M.PUBLISHED and R.parse_time(meeting["end"]) > now and me in invited
                and not answered):
            out.add(mid)
    return out
