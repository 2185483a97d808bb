"""Storage of the meetings' calendars (iCalendar): subscription links, and what one
person may see of a meeting when it is written as .ics. Every function runs inside the
caller's transaction.

What a reader sees is what the change feed gives them: a meeting, reply or nomination
whose published audience meets the reader's scope keys (server.scopes). The
subscription holds the meetings that involve the person themself (``user:<id>`` in the
meeting's audience: invited, 列席, 工作人员, chair, contact, organiser), not every
meeting of an organ a secretary could see.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from modules.meetings import feed_tokens as F
from modules.meetings import ical
from modules.meetings import meeting as M
from server.auth.principal import Principal
from server.changefeed import record_change
from server.directory.models import Person
from server.meetings.calendar_models import FeedToken
from server.meetings.models import Meeting, Nomination, Reply
from server.meetings.storage import _organisers
from server.scopes import scope_keys

#: A feed read within this long of the last one does not write its time again.
READ_MARK = dt.timedelta(minutes=5)


def _record(row: FeedToken) -> dict[str, Any]:
    return {"id": row.id, "person_id": row.person_id, "created_at": F.iso(row.created_at),
            "revoked_at": F.iso(row.revoked_at) if row.revoked_at else None,
            "active": row.revoked_at is None}


def _publish(session: Session, row: FeedToken) -> None:
    record_change(session, F.FEED_TOKEN, row.id, _record(row), [f"user:{row.person_id}"])


def feed_token_record(session: Session, feed_id: str) -> dict[str, Any] | None:
    row = session.get(FeedToken, feed_id)
    return _record(row) if row is not None else None


def put_feed_token(session: Session, data: dict[str, Any], token_sha256: str,
                   now: dt.datetime) -> None:
    """Store a new live link; the person's earlier live links end now."""
    person_id = str(data["person_id"])
    live = session.scalars(select(FeedToken).where(
        FeedToken.person_id == person_id, FeedToken.revoked_at.is_(None)).with_for_update()).all()
    for old in live:
        old.revoked_at = now
        _publish(session, old)
    row = FeedToken(id=data["id"], person_id=person_id, token_sha256=token_sha256,
                    created_at=now, revoked_at=None)
    session.add(row)
    session.flush()
    _publish(session, row)


def revoke_feed_token(session: Session, feed_id: str, now: dt.datetime) -> None:
    row = session.get(FeedToken, feed_id, with_for_update=True)
    if row is not None and row.revoked_at is None:
        row.revoked_at = now
        session.flush()
        _publish(session, row)


def feed_owner(session: Session, token: str, now: dt.datetime) -> str | None:
    """The person whose live link this token is (None: unknown or revoked)."""
    if not token.startswith(F.TOKEN_PREFIX) or len(token) > 120:
        return None
    row = session.scalars(select(FeedToken).where(
        FeedToken.token_sha256 == F.token_hash(token))).first()
    if row is None or row.revoked_at is not None:
        return None
    if row.last_read_at is None or now - row.last_read_at > READ_MARK:
        row.last_read_at = now
    return row.person_id


def emails(session: Session, ids: Iterable[str]) -> dict[str, str]:
    """Directory emails of the people among ``ids`` that have one."""
    wanted = sorted(set(ids) - {""})
    if not wanted:
        return {}
    rows = session.execute(select(Person.id, Person.email).where(Person.id.in_(wanted))).all()
    return {str(i): str(e) for i, e in rows if e}


def emails_at(session: Session, addresses: Iterable[str]) -> dict[str, str]:
    """Directory people whose email one of ``addresses`` (``mailto:`` or bare) is."""
    wanted = {a.strip().removeprefix("mailto:").removeprefix("MAILTO:").strip().lower()
              for a in addresses} - {""}
    if not wanted:
        return {}
    rows = session.execute(select(Person.id, Person.email).where(
        func.lower(Person.email).in_(sorted(wanted)))).all()
    return {str(i): str(e) for i, e in rows if e}


def people_of(meeting: dict[str, Any], entries: Iterable[dict[str, Any]]) -> set[str]:
    """Everyone a meeting's .ics may address (to look up their emails)."""
    ids = {str(meeting.get(k) or "") for k in ("organiser_id", "chair_id", "contact_id")}
    for part in ("invitees", "observers", "staff"):
        ids |= {p["id"] for p in meeting.get(part) or ()}
    for rec in entries:
        ids |= {str(rec.get("person_id") or ""), str(rec.get("substitute_id") or ""),
                str(rec.get("on_behalf_of_id") or "")}
        ids |= {p["id"] for p in rec.get("nominees") or ()}
    return ids - {""}


def entry(session: Session, row: Meeting, keys: frozenset[str]) -> ical.FeedEntry:
    """The meeting with the replies and nominations a reader of ``keys`` may see."""
    data = dict(row.data)
    replies = session.scalars(select(Reply).where(Reply.meeting_id == row.id).order_by(Reply.id))
    noms = session.scalars(select(Nomination).where(Nomination.meeting_id == row.id)
                           .order_by(Nomination.id))
    return ical.FeedEntry(
        meeting=data,
        nominations=tuple(dict(n.data) for n in noms if set(n.audience or ()) & keys),
        replies=tuple(dict(r.data) for r in replies if set(r.audience or ()) & keys),
        complete=bool(_organisers(data) & keys))


def visible_meeting(session: Session, principal: Principal, meeting_id: str
                    ) -> tuple[ical.FeedEntry, frozenset[str]] | None:
    """The meeting as the principal sees it (None: no such meeting, or not theirs to see)."""
    row = session.get(Meeting, meeting_id)
    keys = scope_keys(session, principal)
    if row is None or not set(row.audience or ()) & keys:
        return None
    return entry(session, row, keys), keys


def feed_entries(session: Session, principal: Principal, now: dt.datetime) -> list[ical.FeedEntry]:
    """Every meeting involving the person, not a draft, that ended at most
    :data:`modules.meetings.ical.FEED_PAST` ago."""
    keys = scope_keys(session, principal)
    mine = f"user:{principal.person_id}"
    rows = session.scalars(select(Meeting).where(
        Meeting.ends_at >= now - ical.FEED_PAST, Meeting.state != M.DRAFT)
        .order_by(Meeting.starts_at, Meeting.id)).all()
    return [entry(session, r, keys) for r in rows if mine in (r.audience or ())]


def entry_emails(session: Session, entries: Iterable[ical.FeedEntry]) -> dict[str, str]:
    ids: set[str] = set()
    for e in entries:
        ids |= people_of(dict(e.meeting), [*map(dict, e.replies), *map(dict, e.nominations)])
    return emails(session, ids)
