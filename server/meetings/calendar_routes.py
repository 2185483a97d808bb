"""iCalendar routes (modules.meetings.ical):

- ``GET /api/v1/meetings/calendar/{token}.ics`` — a person's subscription
  (``METHOD:PUBLISH``). No sign-in: the token is the secret (only its hash is stored);
  an unknown or revoked token answers 404.
- ``GET /api/v1/meetings/{meeting_id}.ics`` — one meeting as its reader sees it
  (``METHOD:REQUEST``, or ``CANCEL`` once cancelled), for the meeting detail's export.
  A meeting the reader does not receive answers 404 (its existence is not revealed); a
  draft cannot be exported.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response

from modules.common.errors import AuthenticationFailed, NotFound
from modules.meetings import ical
from modules.meetings import meeting as M
from server.auth.deps import CurrentUser
from server.auth.principal import load_principal
from server.db import DbSession, utcnow
from server.meetings import calendar_storage as CS

router = APIRouter()
MEDIA = "text/calendar; charset=utf-8"


def _domain(request: Request) -> str:
    settings = getattr(request.app.state, "settings", None)
    return str(getattr(settings, "calendar_domain", "") or ical.DEFAULT_DOMAIN)


@router.get("/calendar/{token}.ics", response_class=Response,
            responses={200: {"content": {"text/calendar": {}}}})
def subscription(token: str, session: DbSession, request: Request) -> Response:
    """A person's meetings from 30 days back on, for their calendar app (no sign-in)."""
    now = utcnow()
    person_id = CS.feed_owner(session, token, now)
    if person_id is None:
        raise NotFound("meetings.feed_not_found")
    try:
        principal = load_principal(session, person_id)
    except AuthenticationFailed:  # the person left: their link is dead
        raise NotFound("meetings.feed_not_found") from None
    entries = CS.feed_entries(session, principal, now)
    body = ical.feed_ics(entries, now=now, name=f"会议 · {principal.name}",
                         reader=principal.person_id, domain=_domain(request),
                         emails=CS.entry_emails(session, entries))
    return Response(body, media_type=MEDIA, headers={"Cache-Control": "private, max-age=300"})


@router.get("/{meeting_id}.ics", response_class=Response,
            responses={200: {"content": {"text/calendar": {}}}})
def meeting_file(meeting_id: str, session: DbSession, user: CurrentUser,
                 request: Request) -> Response:
    """One meeting as an invitation (REQUEST) or its cancellation (CANCEL)."""
    found = CS.visible_meeting(session, user, meeting_id)
    if found is None:
        raise NotFound("meetings.meeting_not_found", meeting_id=meeting_id[:40])
    entry, _keys = found
    M.check_state(entry.meeting, (M.PUBLISHED, M.CLOSED, M.CANCELLED), ("导出", "exported"))
    body = ical.meeting_ics(entry.meeting, entry.nominations, entry.replies, now=utcnow(),
                            domain=_domain(request), emails=CS.entry_emails(session, [entry]),
                            complete=entry.complete, reader=user.person_id)
    name = ical.filename(entry.meeting)
    return Response(body, media_type=MEDIA, headers={
        "Content-Disposition": f"attachment; filename=\"{meeting_id}.ics\"; "
                               f"filename*=UTF-8''{_quote(name)}"})


def _quote(name: str) -> str:
    return quote(name, safe="")
