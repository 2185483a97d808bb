"""Storage of rooms and bookings: rows, locks and the change feed. Every function runs
inside the caller's transaction.

Exactly one of simultaneous bookings of a slot wins, on every database and with any
number of server processes: a booking first locks its room's row (``FOR UPDATE`` on
PostgreSQL; SQLite transactions are IMMEDIATE, one writer at a time), then looks for an
overlapping booking that holds the room, then inserts. On PostgreSQL the exclusion
constraint ``ex_meetings_booking_no_overlap`` (migration) refuses an overlap even if a
writer skipped the lock; its violation is answered with the same refusal.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from modules.common.errors import NotFound
from modules.meetings import checkin as C
from modules.meetings import intents as I
from modules.meetings import meeting as M
from modules.meetings import policy
from modules.meetings import rules as R
from server.changefeed import ChangeLog, record_change, record_changes
from server.directory.models import Body, Person, Post
from server.meetings.models import Booking, Checkin, CheckinKey, Meeting, Nomination, Reply, Room
from server.meetings.reminders import sync_reminders
from server.meetings.seating_storage import sync_seating
from server.workbench.feed import finish_todo, put_todo
from server.workbench.models import Todo

EXCLUSION = "ex_meetings_booking_no_overlap"


def room_audience(data: dict[str, Any]) -> list[str]:
    """Members of the room's organ, and administrators of every organ above it."""
    return [policy.key(str(data["organ_id"])),
            *(policy.admin_key(str(o)) for o in data.get("organs_above") or ())]


def booking_audience(data: dict[str, Any], room: dict[str, Any]) -> list[str]:
    return [*room_audience(room), f"user:{data['holder_id']}"]


def room_record(session: Session, room_id: str, *, lock: bool = False) -> dict[str, Any] | None:
    """The ``meetings.room`` record (locked until commit when ``lock``)."""
    query = select(Room).where(Room.id == room_id)
    row = session.scalars(query.with_for_update() if lock else query).first()
    return dict(row.data) if row is not None else None


def require_room(session: Session, room_id: str, *, lock: bool = False) -> dict[str, Any]:
    found = room_record(session, room_id, lock=lock)
    if found is None:
        raise NotFound("meetings.room_not_found", room_id=room_id)
    return found


def put_room(session: Session, data: dict[str, Any], now: dt.datetime) -> None:
    row = session.get(Room, data["id"])
    if row is None:
        row = Room(id=data["id"])
        session.add(row)
    row.body_id, row.organ_id, row.name = data["body_id"], data["organ_id"], data["name"]
    row.data, row.updated_at = dict(data), now
    session.flush()
    record_change(session, I.ROOM, row.id, dict(data), room_audience(data))


def booking_record(session: Session, booking_id: str, *, lock: bool = False) -> dict[str, Any] | None:
    query = select(Booking).where(Booking.id == booking_id)
    row = session.scalars(query.with_for_update() if lock else query).first()
    return dict(row.data) if row is not None else None


def blocking_overlaps(session: Session, room_id: str, start: dt.datetime,
                      end: dt.datetime) -> list[dict[str, Any]]:
    """Bookings of the room that hold it at some time in ``[start, end)``."""
    rows = session.scalars(select(Booking).where(
        Booking.room_id == room_id, Booking.state.in_(sorted(R.BLOCKING)),
        Booking.starts_at < end, Booking.ends_at > start,
    ).order_by(Booking.starts_at)).all()
    return [dict(r.data) for r in rows]


def free_rooms_then(session: Session, room: dict[str, Any], start: dt.datetime,
                    end: dt.datetime, now: dt.datetime, people: int = 0) -> list[R.FreeRoom]:
    """The other rooms of ``room``'s organ free over ``[start, end)`` (for a refusal)."""
    organ_id = session.scalar(select(Room.organ_id).where(Room.id == room.get("id")))
    rooms = [R.Room.from_dict(r.data) for r in session.scalars(
        select(Room).where(Room.organ_id == organ_id, Room.id != room.get("id"))
        .order_by(Room.name).limit(500))]
    slots = [R.Slot.from_dict(dict(b.data)) for b in session.scalars(select(Booking).where(
        Booking.room_id.in_([r.id for r in rooms]), Booking.state.in_(sorted(R.BLOCKING)),
        Booking.starts_at < end, Booking.ends_at > start))]
    return R.free_rooms(rooms, slots, start, end, now, people=people)


def put_booking(session: Session, data: dict[str, Any], room: dict[str, Any],
                now: dt.datetime) -> None:
    """Insert or update a booking row and publish it. An overlap the database refuses
    (PostgreSQL's exclusion constraint) is answered with the refusal that names the
    holder, and nothing of this booking is written."""
    row = session.get(Booking, data["id"])
    if row is None:
        row = Booking(id=data["id"], room_id=data["room_id"])
        session.add(row)
    row.starts_at, row.ends_at = R.parse_time(data["start"]), R.parse_time(data["end"])
    row.state, row.holder_id = data["state"], data["holder_id"]
    row.subject, row.people = data["subject"], int(data.get("people") or 0)
    row.data, row.updated_at = dict(data), now
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as exc:
        if EXCLUSION not in str(exc.orig):
            raise
        holders = blocking_overlaps(session, data["room_id"], row.starts_at, row.ends_at)
        room_rule = R.Room.from_dict(room)
        slot = (R.Slot.from_dict(holders[0]) if holders else
                R.Slot("", room_rule.id, row.starts_at, row.ends_at, R.CONFIRMED))
        raise R.refuse_conflict(room_rule, slot) from None
    record_change(session, I.BOOKING, row.id, dict(data), booking_audience(data, room))
    sync_booking_todos(session, data, room, now)


BOOKING_TODO_KIND = "会议室审批"


def booking_deciders(session: Session, room: dict[str, Any]) -> list[str]:
    """Who decides a held booking of ``room`` (policy.may_decide): its named approvers,
    else the secretaries of the room's organ (the administrators governing it may too,
    but the to-do goes to the office that runs the rooms)."""
    named = [str(p) for p in room.get("approvers") or ()]
    if named:
        return sorted(set(named))
    organ_id = session.scalar(select(Room.organ_id).where(Room.id == room.get("id")))
    bodies, frontier = {str(organ_id or room.get("body_id") or "")}, [str(organ_id or "")]
    while frontier and len(bodies) < 500:
        found = session.scalars(select(Body.id).where(
            Body.parent_id.in_(frontier), Body.kind == "department")).all()
        frontier = [b for b in found if b not in bodies]
        bodies.update(frontier)
    posts = session.scalars(select(Post).where(Post.body_id.in_(sorted(bodies)))).all()
    return sorted({p.person_id for p in posts if "secretary" in set(p.roles or ())})


def sync_booking_todos(session: Session, data: dict[str, Any], room: dict[str, Any],
                       now: dt.datetime) -> None:
    """A held booking puts a 会议室审批 to-do on each decider; once it is decided,
    cancelled or lapsed, the decider's is done (kept in 已办) and the others' withdrawn."""
    prefix = f"mtb:{data['id']}:"
    if data.get("state") == R.HELD:
        start = R.parse_time(data["start"]).astimezone(R.CHINA)
        title = (f"请审批会议室预订：{room.get('name') or ''} {start:%m月%d日 %H:%M} "
                 f"{data.get('holder_name') or ''}（{data.get('subject') or ''}）")
        for person_id in booking_deciders(session, room):
            if session.get(Todo, prefix + person_id) is None:
                put_todo(session, todo_id=prefix + person_id, person_id=person_id,
                         title=title[:300], module="meetings", kind=BOOKING_TODO_KIND,
                         ref_id=str(data["id"]), from_name=str(data.get("holder_name") or "")[:60],
                         due_at=R.parse_time(data["start"]))
        return
    decider = str(data.get("decided_by") or "")
    for todo in session.scalars(select(Todo).where(Todo.id.startswith(prefix), Todo.done.is_(False))):
        finish_todo(session, todo.id, remove=todo.person_id != decider)


# =========================================================================== meetings (会议)
#
# A meeting, its replies and its nominations are published together: whenever one of
# them is written, :func:`refresh` works out who is invited now (nominees and
# substitutes included), re-publishes any record whose audience moved, and brings the
# "reply needed" / "name your attendees" to-dos in line.
#
# Audiences (keys documented in server/meetings/feed.py):
# - meeting: the host organ's secretaries (``meetings:organiser:<organ>``) and the
#   organiser who made it — never the administrators (``meetings:admin:<organ>`` carries
#   rooms and bookings only: 三员分立, an administrator reads no meeting, reply or
#   nomination they are not party to); once published also everyone it involves in person
#   (``user:<id>``: invitees, 列席, 工作人员, nominees, substitutes, chair, contact) and
#   the registry clerks and leaders of every invited body (``meetings:nominator:<body>``).
# - reply: the organisers as above, the replier, their substitute, whom a substitute
#   stands in for, and the nominating body's clerks and leaders. Nobody else sees a
#   请假 reason.
# - nomination: the organisers, the body's clerks and leaders, its nominees and their
#   substitutes (a nominee's substitute needs it to see they are invited).

MEETING_TODO_KIND = "会议"


def _organisers(meeting: dict[str, Any]) -> set[str]:
    """The host organ's secretaries and the organiser of record — no administrator key:
    a 系统管理员 manages rooms, not meetings (三员分立)."""
    return {policy.organiser_key(str(meeting["host_organ_id"])),
            f"user:{meeting['organiser_id']}"}


def meeting_audience(meeting: dict[str, Any], invited: dict[str, M.Invitation]) -> set[str]:
    keys = _organisers(meeting)
    if meeting.get("state") != M.DRAFT:
        keys |= {f"user:{p}" for p in M.involved(meeting, invited)}
        keys |= {policy.nominator_key(str(b["id"])) for b in meeting.get("bodies") or ()}
    return keys


def reply_audience(meeting: dict[str, Any], reply: dict[str, Any]) -> set[str]:
    keys = _organisers(meeting)
    keys |= {f"user:{reply[k]}" for k in ("person_id", "substitute_id", "on_behalf_of_id")
             if reply.get(k)}
    if reply.get("via_body_id"):
        keys.add(policy.nominator_key(str(reply["via_body_id"])))
    return keys


def nomination_audience(meeting: dict[str, Any], nomination: dict[str, Any],
                        replies: list[dict[str, Any]]) -> set[str]:
    nominees = {p["id"] for p in nomination.get("nominees") or ()}
    keys = _organisers(meeting) | {policy.nominator_key(str(nomination["body_id"]))}
    keys |= {f"user:{p}" for p in nominees}
    keys |= {f"user:{r['substitute_id']}" for r in replies
             if r.get("person_id") in nominees and r.get("substitute_id")}
    return keys


def meeting_row(session: Session, meeting_id: str, *, lock: bool = False) -> Meeting | None:
    query = select(Meeting).where(Meeting.id == meeting_id)
    return session.scalars(query.with_for_update() if lock else query).first()


def meeting_record(session: Session, meeting_id: str, *, lock: bool = False) -> dict[str, Any] | None:
    """The ``meetings.meeting`` record (locked until commit when ``lock``: replies and
    nominations of one meeting are written one at a time)."""
    row = meeting_row(session, meeting_id, lock=lock)
    return dict(row.data) if row is not None else None


def replies_of(session: Session, meeting_id: str) -> list[dict[str, Any]]:
    rows = session.scalars(select(Reply).where(Reply.meeting_id == meeting_id).order_by(Reply.id))
    return [dict(r.data) for r in rows]


def nominations_of(session: Session, meeting_id: str) -> list[dict[str, Any]]:
    rows = session.scalars(select(Nomination).where(Nomination.meeting_id == meeting_id)
                           .order_by(Nomination.id))
    return [dict(r.data) for r in rows]


def reply_record(session: Session, meeting_id: str, person_id: str) -> dict[str, Any] | None:
    row = session.get(Reply, M.reply_id(meeting_id, person_id))
    return dict(row.data) if row is not None else None


def nomination_record(session: Session, meeting_id: str, body_id: str) -> dict[str, Any] | None:
    row = session.get(Nomination, M.nomination_id(meeting_id, body_id))
    return dict(row.data) if row is not None else None


def person_names(session: Session, ids: Iterable[str]) -> dict[str, str]:
    """Directory names of the active people among ``ids``."""
    wanted = sorted(set(ids) - {""})
    if not wanted:
        return {}
    rows = session.execute(select(Person.id, Person.name).where(
        Person.id.in_(wanted), Person.active.is_(True))).all()
    return {str(i): str(n) for i, n in rows}


def body_names(session: Session, ids: Iterable[str]) -> dict[str, str]:
    wanted = sorted(set(ids) - {""})
    if not wanted:
        return {}
    rows = session.execute(select(Body.id, Body.name).where(Body.id.in_(wanted))).all()
    return {str(i): str(n) for i, n in rows}


def nominators(session: Session, body_id: str) -> list[str]:
    """People who may nominate for ``body_id`` (policy.may_nominate): registry clerks and
    leaders with a post in the body or, for an organ, in one of its departments."""
    bodies, frontier = {body_id}, [body_id]
    while frontier and len(bodies) < 500:
        found = session.scalars(select(Body.id).where(
            Body.parent_id.in_(frontier), Body.kind == "department")).all()
        frontier = [b for b in found if b not in bodies]
        bodies.update(frontier)
    posts = session.scalars(select(Post).where(Post.body_id.in_(sorted(bodies)))).all()
    return sorted({p.person_id for p in posts if set(p.roles or ()) & policy.NOMINATOR_ROLES})


def _publish(session: Session, entity: str, row: Meeting | Reply | Nomination,
             audience: set[str], *, force: bool) -> None:
    keys = sorted(audience)
    if force or list(row.audience or []) != keys:
        row.audience = keys
        record_change(session, entity, row.id, dict(row.data), keys)


def put_meeting(session: Session, data: dict[str, Any], now: dt.datetime, *,
                renotify: bool = False) -> None:
    """Insert or update a meeting and publish it (with what depends on it).
    ``renotify``: it was published or changed — everyone who has not answered gets the
    to-do again."""
    row = session.get(Meeting, data["id"])
    if row is None:
        row = Meeting(id=data["id"], open_todos=[], audience=[])
        session.add(row)
    row.host_body_id, row.host_organ_id = data["host_body_id"], data["host_organ_id"]
    row.state, row.sequence = data["state"], int(data.get("sequence") or 0)
    row.starts_at, row.ends_at = R.parse_time(data["start"]), R.parse_time(data["end"])
    row.booking_id, row.data, row.updated_at = data.get("booking_id") or "", dict(data), now
    row.series_id = str(data.get("series_id") or "")
    session.flush()
    refresh(session, row, now, written=row, renotify=renotify)


def put_reply(session: Session, data: dict[str, Any], meeting: Meeting, now: dt.datetime) -> None:
    row = session.get(Reply, data["id"])
    if row is None:
        row = Reply(id=data["id"], meeting_id=data["meeting_id"], person_id=data["person_id"],
                    audience=[])
        session.add(row)
    row.answer, row.substitute_id = data["answer"], data.get("substitute_id") or ""
    row.data, row.updated_at = dict(data), now
    session.flush()
    refresh(session, meeting, now, written=row)


def put_nomination(session: Session, data: dict[str, Any], meeting: Meeting,
                   now: dt.datetime) -> None:
    row = session.get(Nomination, data["id"])
    if row is None:
        row = Nomination(id=data["id"], meeting_id=data["meeting_id"], body_id=data["body_id"],
                         audience=[])
        session.add(row)
    row.data, row.updated_at = dict(data), now
    session.flush()
    refresh(session, meeting, now, written=row)


def refresh(session: Session, meeting: Meeting, now: dt.datetime, *,
            written: Meeting | Reply | Nomination | None = None, renotify: bool = False) -> None:
    """Re-publish the meeting's records whose audience moved (``written`` always) and
    bring its to-dos in line."""
    data = dict(meeting.data)
    reply_rows = list(session.scalars(select(Reply).where(Reply.meeting_id == meeting.id)
                                      .order_by(Reply.id)))
    nom_rows = list(session.scalars(select(Nomination).where(Nomination.meeting_id == meeting.id)
                                    .order_by(Nomination.id)))
    replies = [dict(r.data) for r in reply_rows]
    noms = [dict(n.data) for n in nom_rows]
    invited = M.invitations(data, noms, replies)
    _publish(session, M.MEETING, meeting, meeting_audience(data, invited),
             force=written is meeting)
    for n in nom_rows:
        _publish(session, M.NOMINATION, n, nomination_audience(data, dict(n.data), replies),
                 force=written is n)
    for r in reply_rows:
        _publish(session, M.REPLY, r, reply_audience(data, dict(r.data)), force=written is r)
    sync_todos(session, meeting, invited, noms, replies, now, renotify=renotify)
    sync_checkin(session, meeting, invited, now)
    sync_seating(session, meeting.id, staff_audience(data))
    sync_reminders(session, data, invited, replies, now)


def desired_todos(session: Session, meeting: dict[str, Any], invited: dict[str, M.Invitation],
                  nominations: list[dict[str, Any]], replies: list[dict[str, Any]],
                  now: dt.datetime) -> dict[str, tuple[str, str]]:
    """to-do id -> (person id, title) for a published meeting that has not ended: each
    invited person without a reply, each nominator of an invited body that has not
    named its attendees."""
    out: dict[str, tuple[str, str]] = {}
    if meeting.get("state") != M.PUBLISHED or R.parse_time(meeting["end"]) <= now:
        return out
    subject = str(meeting.get("subject") or "")
    answered = {r.get("person_id") for r in replies}
    for person_id in invited:
        if person_id not in answered:
            out[f"mtg:{meeting['id']}:r:{person_id}"] = (person_id, f"请回执：{subject}")
    named = {n.get("body_id") for n in nominations if n.get("nominees")}
    for body in meeting.get("bodies") or ():
        if body["id"] in named:
            continue
        for person_id in nominators(session, body["id"]):
            out.setdefault(f"mtg:{meeting['id']}:n:{person_id}",
                           (person_id, f"请确定参会人员：{subject}（{body['name']}）"))
    start = R.parse_time(meeting["start"])
    if start.astimezone(R.CHINA).date() == now.astimezone(R.CHINA).date():
        place = str(meeting.get("room_name") or meeting.get("place") or "")
        when = start.astimezone(R.CHINA).strftime("%H:%M")
        attending = {str(r.get("person_id")) for r in replies if r.get("answer") == M.ATTEND}
        for person_id in invited:
            if person_id in attending:  # 今日会议: on the day, for those who attend
                out[f"mtg:{meeting['id']}:t:{person_id}"] = (
                    person_id, f"今日会议：{when} {subject}" + (f"（{place}）" if place else ""))
    return out


def sync_todos(session: Session, meeting: Meeting, invited: dict[str, M.Invitation],
               nominations: list[dict[str, Any]], replies: list[dict[str, Any]],
               now: dt.datetime, *, renotify: bool = False) -> None:
    """Open the to-dos now needed, finish those answered (kept in 已办) and withdraw
    those of people no longer invited or of a cancelled meeting."""
    data = dict(meeting.data)
    wanted = desired_todos(session, data, invited, nominations, replies, now)
    known = list(meeting.open_todos or [])
    answered = {str(r.get("person_id")) for r in replies}
    named = {str(n.get("body_id")) for n in nominations if n.get("nominees")}
    for todo_id in known:
        if todo_id in wanted:
            continue
        _, _, what, person_id = todo_id.split(":", 3)
        if what == "t":  # today's meeting: done once it has been held, else withdrawn
            did = data.get("state") != M.CANCELLED and R.parse_time(data["end"]) <= now
        else:
            did = data.get("state") != M.CANCELLED and (
                person_id in answered if what == "r" else bool(named))
        finish_todo(session, todo_id, remove=not did)
    due = R.parse_time(data.get("reply_by") or data["start"])
    changed = "【变更】" if int(data.get("sequence") or 0) > 0 else ""
    for todo_id, (person_id, title) in wanted.items():
        if todo_id in known and not renotify:
            continue
        put_todo(session, todo_id=todo_id, person_id=person_id, title=(changed + title)[:300],
                 module="meetings", kind=MEETING_TODO_KIND, ref_id=str(data["id"]),
                 from_name=str(data.get("host_body_name") or "")[:60], due_at=due)
    if sorted(wanted) != sorted(known):
        meeting.open_todos = sorted(wanted)


def open_todays_todos(session: Session, now: dt.datetime, *, limit: int = 2000) -> int:
    """Put the 今日会议 to-dos of the published meetings that start on today's China-time
    date and have not ended (meetings published later that day get theirs when they are
    written). Run once a day per process; returns how many meetings were looked at."""
    day = now.astimezone(R.CHINA).date()
    lo = dt.datetime.combine(day, dt.time(0), R.CHINA)
    rows = session.scalars(
        select(Meeting).where(Meeting.state == M.PUBLISHED, Meeting.starts_at >= lo,
                              Meeting.starts_at < lo + dt.timedelta(days=1),
                              Meeting.ends_at > now)
        .order_by(Meeting.starts_at).limit(limit)
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)).all()
    for meeting in rows:
        data = dict(meeting.data)
        sync_todos(session, meeting, invited_now(session, data), nominations_of(session, meeting.id),
                   replies_of(session, meeting.id), now)
    return len(rows)


def meeting_kinds(session: Session) -> tuple[str, ...]:
    """The deployment's meeting types as published (the defaults before any)."""
    row = session.get(ChangeLog, (M.KINDS, "all"))
    return M.kinds_of(row.data if row is not None else None)


def publish_kinds(session: Session, kinds: Iterable[str]) -> bool:
    """Publish the configured meeting types to every device (record ``meetings.kinds``
    / ``all``) when they differ from what was published; whether it wrote."""
    configured = [str(k) for k in kinds if str(k).strip()]
    row = session.get(ChangeLog, (M.KINDS, "all"))
    if not configured and row is None:
        return False  # the built-in list, which every device has already
    wanted = list(M.kinds_of({"kinds": configured}))
    if row is not None and row.data is not None and list(row.data.get("kinds") or ()) == wanted:
        return False
    record_change(session, M.KINDS, "all", {"id": "all", "kinds": wanted}, {"all"})
    return True


def close_ended_todos(session: Session, now: dt.datetime, *, limit: int = 200) -> int:
    """Finish the reply / nominate to-dos of meetings that have ended since they were
    last touched (a reply no longer helps once the meeting is over). Returns how many
    meetings were brought in line; call it periodically, in the caller's transaction."""
    rows = session.scalars(
        select(Meeting).where(Meeting.ends_at <= now, Meeting.state == M.PUBLISHED)
        .order_by(Meeting.ends_at.desc()).limit(limit * 5)
        .with_for_update(skip_locked=True)  # another process is on it: leave it to them
        .execution_options(populate_existing=True)).all()
    done = 0
    for meeting in rows:
        if not meeting.open_todos:
            continue
        data = dict(meeting.data)
        sync_todos(session, meeting, invited_now(session, data), nominations_of(session, meeting.id),
                   replies_of(session, meeting.id), now)
        done += 1
        if done >= limit:
            break
    return done


# =========================================================================== check-in (签到)
#
# When a meeting is no longer a draft, :func:`sync_checkin` (called by :func:`refresh`)
# makes sure it has a check-in key, publishes the key to the organisers and its
# 工作人员 only (re-published, with tombstones, when the staff change), and publishes each
# invited person's personal code to that person alone, once.
#
# A check-in (``meetings.checkin``) reaches the organisers, the 工作人员 and the person.


def staff_audience(meeting: dict[str, Any]) -> set[str]:
    return _organisers(meeting) | {f"user:{p['id']}" for p in meeting.get("staff") or ()}


def checkin_audience(meeting: dict[str, Any], checkin: dict[str, Any]) -> set[str]:
    keys = staff_audience(meeting)
    if checkin.get("person_id"):
        keys.add(f"user:{checkin['person_id']}")
    return keys


def checkin_secret(session: Session, meeting_id: str) -> str | None:
    row = session.get(CheckinKey, meeting_id)
    return row.secret if row is not None else None


def sync_checkin(session: Session, meeting: Meeting, invited: dict[str, M.Invitation],
                 now: dt.datetime) -> None:
    data = dict(meeting.data)
    if data.get("state") == M.DRAFT:
        return
    row = session.get(CheckinKey, meeting.id)
    if row is None:
        row = CheckinKey(meeting_id=meeting.id, secret=secrets.token_hex(32), audience=[],
                         passes=[], created_at=now)
        session.add(row)
    keys = sorted(staff_audience(data))
    if list(row.audience or []) != keys:
        row.audience = keys
        record_change(session, C.KEY, meeting.id,
                      {"id": meeting.id, "meeting_id": meeting.id, "secret": row.secret}, keys)
        for done in session.scalars(select(Checkin).where(Checkin.meeting_id == meeting.id)):
            moved = sorted(checkin_audience(data, dict(done.data)))
            if list(done.audience or []) != moved:
                done.audience = moved
                record_change(session, C.CHECKIN, done.id, dict(done.data), moved)
    issued = set(row.passes or [])
    new = [p for p in invited if p not in issued]
    if new:
        record_changes(session, [
            (C.PASS, C.checkin_id(meeting.id, p),
             {"id": C.checkin_id(meeting.id, p), "meeting_id": meeting.id, "person_id": p,
              "code": C.issue_pass(row.secret, meeting.id, p)}, [f"user:{p}"]) for p in new])
        row.passes = sorted(issued | set(new))
    session.flush()


def checkin_record(session: Session, checkin_id: str) -> dict[str, Any] | None:
    row = session.get(Checkin, checkin_id)
    return dict(row.data) if row is not None else None


def checkins_of(session: Session, meeting_id: str) -> list[dict[str, Any]]:
    rows = session.scalars(select(Checkin).where(Checkin.meeting_id == meeting_id)
                           .order_by(Checkin.checked_at))
    return [dict(r.data) for r in rows]


def invited_now(session: Session, meeting: dict[str, Any]) -> dict[str, M.Invitation]:
    return M.invitations(meeting, nominations_of(session, meeting["id"]),
                         replies_of(session, meeting["id"]))


def put_checkin(session: Session, data: dict[str, Any], meeting: dict[str, Any]) -> bool:
    """Store the check-in (new, or an earlier scan replacing a later one) and publish
    it; False when the stored one stands. The caller holds the meeting's row lock; the
    unique (meeting, person) row holds even without it."""
    row = session.get(Checkin, data["id"])
    if row is not None and row.data == data:
        return False
    if row is None:
        row = Checkin(id=data["id"], meeting_id=data["meeting_id"], person_key=data["person_key"])
        session.add(row)
    row.method, row.device_id, row.by_id = data["method"], data["device_id"], data["by_id"]
    row.checked_at = R.parse_time(data["checked_at"])
    row.received_at = R.parse_time(data["received_at"])
    row.data, row.audience = dict(data), sorted(checkin_audience(meeting, data))
    session.flush()
    record_change(session, C.CHECKIN, row.id, dict(data), row.audience)
    return True
