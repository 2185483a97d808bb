"""``meetings.chase_replies``: the organiser's 催办回执. Each person due (rules in
modules/meetings/chase.py) gets a notice (server/reminders/store.py ``deliver``: the
desktop notification and the workbench list); the notices themselves record when each
person was last chased, so pressing the button again within the interval reminds nobody
twice. The meeting row is locked, so two organisers pressing at once send one round."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select

from modules.common.errors import NotFound
from modules.meetings import chase as CH
from modules.meetings import intents as I
from modules.meetings import meeting as M
from modules.meetings import rules as R
from modules.meetings.chase import ChaseArgs
from modules.reminders.rules import china_text
from server.access_facts import actor_facts
from server.meetings import storage
from server.mutations import MutationContext, mutation
from server.reminders.models import Notice
from server.reminders.store import deliver

KIND = "reply_chased"


def last_chased(ctx: MutationContext, meeting_id: str, people: list[str]) -> dict[str, dt.datetime]:
    """person id -> when they were last chased for this meeting."""
    ids = {CH.chase_id(meeting_id, p): p for p in people}
    if not ids:
        return {}
    rows = ctx.session.execute(
        select(Notice.reminder_id, func.max(Notice.sent_at))
        .where(Notice.reminder_id.in_(sorted(ids))).group_by(Notice.reminder_id)).all()
    return {ids[r]: at for r, at in rows}


@mutation(I.CHASE_REPLIES)
def chase_replies(ctx: MutationContext, args: ChaseArgs) -> dict[str, Any]:
    row = storage.meeting_row(ctx.session, args.meeting_id, lock=True)
    if row is None:
        raise NotFound("meetings.meeting_not_found", meeting_id=args.meeting_id)
    meeting = dict(row.data)
    noms = storage.nominations_of(ctx.session, row.id)
    tally = M.tally(meeting, noms, storage.replies_of(ctx.session, row.id), ctx.now)
    nominators = {b: storage.nominators(ctx.session, b) for b in tally.bodies_pending}
    candidates = [r.person_id for r in tally.not_answered] + [
        p for people in nominators.values() for p in people]
    minutes = ctx.settings.chase_interval_minutes if ctx.settings is not None else 120
    plan = CH.plan(meeting, tally, nominators, last_chased(ctx, row.id, candidates),
                   actor_facts(ctx.session, ctx.principal), ctx.now,
                   interval=dt.timedelta(minutes=minutes))
    subject, start = str(meeting.get("subject") or ""), R.parse_time(meeting["start"])
    note = args.note.strip()
    for person_id in plan.now:
        deliver(ctx.session, reminder_id=CH.chase_id(row.id, person_id), person_id=person_id,
                kind=KIND, module="meetings", ref_id=row.id,
                data={"title_zh": f"请尽快回执：{subject}",
                      "title_en": f"Please reply: {subject}",
                      "body_zh": f"{china_text(start, 'zh')}召开，{ctx.principal.name}催办回执"
                                 + (f"：{note}" if note else ""),
                      "body_en": f"On {china_text(start, 'en')}; {ctx.principal.name} asks for "
                                 "your reply" + (f": {note}" if note else "")},
                due_at=ctx.now, now=ctx.now, worker="chase")
    return {"meeting_id": row.id, "chased": len(plan.now), "recently": len(plan.recently),
            "words": plan.words(ctx.lang)}
