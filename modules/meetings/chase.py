"""Chasing the 回执 (催办回执): the organiser reminds everyone who has not answered, and the
registry clerks and leaders of invited bodies that have not named their attendees —
at most once per person per interval, however often the button is pressed. Pure.

The server sends the reminders (notices, server/meetings/chase_mutations.py) and knows
when each person was last chased; this module decides who is due.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import Field

from modules.common import messages
from modules.common.access import ActorFacts
from modules.common.errors import ValidationFailed
from modules.common.intents import IntentArgs
from modules.meetings import meeting as M
from modules.meetings import policy
from modules.meetings.rules import parse_time

#: One reminder per person per this interval, by default.
DEFAULT_INTERVAL = dt.timedelta(hours=2)

messages.register({
    "meetings.nobody_to_chase": {
        "zh_CN": "“{subject}”的回执已全部收齐，无需催办。",
        "en": "Everyone has replied to “{subject}”; there is nobody to chase.",
    },
})


class ChaseArgs(IntentArgs):
    meeting_id: str = Field(pattern=r"^mt-[0-9a-z-]{4,24}$")
    note: str = Field(default="", max_length=200)


def chase_id(meeting_id: str, person_id: str) -> str:
    """The id a chase of ``person_id`` for ``meeting_id`` is recorded under."""
    return f"chase:{meeting_id}:{person_id}"


@dataclass(frozen=True)
class ChasePlan:
    """Who gets a reminder now, and who was chased too recently (with when)."""

    now: tuple[str, ...]
    recently: tuple[tuple[str, dt.datetime], ...]

    def words(self, lang: str = "zh_CN") -> str:
        if lang == "en":
            text = f"Reminded {len(self.now)}"
            return text + (f"; {len(self.recently)} were reminded recently" if self.recently else "")
        text = f"已催办 {len(self.now)} 人"
        return text + (f"，{len(self.recently)} 人刚催过" if self.recently else "")


def plan(meeting: Mapping[str, Any], tally: M.Tally, nominators: Mapping[str, Iterable[str]],
         last_chased: Mapping[str, dt.datetime], actor: ActorFacts, now: dt.datetime, *,
         interval: dt.timedelta = DEFAULT_INTERVAL) -> ChasePlan:
    """The chase the organiser ``actor`` asks for now. ``nominators``: body id -> the
    people who name that body's attendees; ``last_chased``: person id -> when they were
    last reminded. Refused unless the meeting is published and not over, or when
    nobody is left to chase."""
    from modules.meetings.intents import host_of

    policy.require(policy.may_organise(actor, host_of(meeting)), "meetings.not_organiser",
                   body=str(meeting.get("host_body_name") or ""))
    M.check_state(meeting, (M.PUBLISHED,), ("催办回执", "chased"))
    if parse_time(meeting["end"]) <= now:
        raise ValidationFailed("meetings.bad_meeting_time", reason="会议已结束",
                               reason_en="the meeting is over")
    wanted = [r.person_id for r in tally.not_answered]
    for body_id in tally.bodies_pending:
        wanted.extend(nominators.get(body_id, ()))
    due, recent = [], []
    for person_id in dict.fromkeys(wanted):
        last = last_chased.get(person_id)
        if last is not None and now - last < interval:
            recent.append((person_id, last))
        else:
            due.append(person_id)
    if not due and not recent:
        raise ValidationFailed("meetings.nobody_to_chase", subject=str(meeting.get("subject") or ""))
    return ChasePlan(tuple(due), tuple(recent))
