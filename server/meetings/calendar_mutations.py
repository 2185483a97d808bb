"""Calendar intents on the server: subscription links and calendar REPLY imports
(modules.meetings.feed_tokens, modules.meetings.ical_import)."""

from __future__ import annotations

from typing import Any

from modules.meetings import feed_tokens as F
from modules.meetings import ical
from modules.meetings import ical_import as X
from modules.meetings import intents as I
from server.access_facts import actor_facts
from server.meetings import calendar_storage as CS
from server.meetings import storage
from server.mutations import MutationContext, mutation


def domain(ctx: MutationContext) -> str:
    return ctx.settings.calendar_domain if ctx.settings is not None else ical.DEFAULT_DOMAIN


@mutation(I.CREATE_FEED_TOKEN)
def create_feed_token(ctx: MutationContext, args: F.CreateFeedTokenArgs) -> dict[str, Any]:
    """Only the token's hash arrives (and is stored); the result names the link, not it."""
    data = F.create(CS.feed_token_record(ctx.session, args.feed_id), args,
                    actor_facts(ctx.session, ctx.principal), ctx.now)
    CS.put_feed_token(ctx.session, data, args.token_sha256, ctx.now)
    return {"feed_id": data["id"]}


@mutation(I.REVOKE_FEED_TOKEN)
def revoke_feed_token(ctx: MutationContext, args: F.RevokeFeedTokenArgs) -> dict[str, Any]:
    data = F.revoke(CS.feed_token_record(ctx.session, args.feed_id), args,
                    actor_facts(ctx.session, ctx.principal), ctx.now)
    CS.revoke_feed_token(ctx.session, args.feed_id, ctx.now)
    return {"feed_id": data["id"], "active": data["active"]}


@mutation(I.IMPORT_CALENDAR_REPLY)
def import_calendar_reply(ctx: MutationContext, args: X.ImportCalendarReplyArgs) -> dict[str, Any]:
    """Found by its UID; recorded as the attendee's reply, with who imported it."""
    parsed = X.parse_reply(args.ics)
    meeting_id = X.meeting_id(parsed, domain(ctx))
    row = storage.meeting_row(ctx.session, meeting_id, lock=True)  # one writer per meeting
    meeting = dict(row.data) if row is not None else None
    noms = storage.nominations_of(ctx.session, meeting_id) if row else []
    reps = storage.replies_of(ctx.session, meeting_id) if row else []
    people = CS.people_of(meeting or {"id": meeting_id}, [*noms, *reps])
    emails = {**CS.emails_at(ctx.session, [parsed.attendee, parsed.delegated_to]),
              **CS.emails(ctx.session, people)}
    substitute = ical.person_of(parsed.delegated_to, domain(ctx), emails) if parsed.delegated_to else ""
    data = X.import_reply(
        meeting, parsed, lambda p: storage.reply_record(ctx.session, meeting_id, p), noms, reps,
        actor_facts(ctx.session, ctx.principal), ctx.principal.name, domain(ctx), emails,
        storage.person_names(ctx.session, [substitute]), ctx.now)
    assert row is not None  # import_reply refused a missing meeting
    storage.put_reply(ctx.session, data, row, ctx.now)
    return {"reply_id": data["id"], "person_id": data["person_id"], "answer": data["answer"]}
