"""Client side of recurring series (例会): the form's preview and the series intents.

:func:`preview` expands a rule on the device exactly as the server will (the same
``modules.meetings.recurrence`` over the calendar service's holiday table) and checks
each occurrence against the room's bookings in the local cache, so the organiser sees
every date, the holidays skipped or moved, the provisional ones, and each conflict
(who holds the room, until when) before sending. The server decides again.

The series intents are online-only (no applier): the server stores the occurrences.

Threading: every function here reads the local cache; call it off the GUI thread.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from modules.calendar.service import CalendarService
from modules.common.errors import DomainError
from modules.meetings import intents as I
from modules.meetings import recurrence as RC
from modules.meetings import rules as R
from modules.meetings import series as S
from modules.meetings.service import MeetingService, _Cache, _Engine

OK, MOVED, SKIPPED, CONFLICT = "ok", "moved", "skipped", "conflict"


@dataclass(frozen=True)
class PreviewRow:
    """One line of the preview: an occurrence (``ok`` / ``moved`` / ``conflict``) or a
    rule date that holds none (``skipped``)."""

    id: str
    kind: str
    day: dt.date
    original: dt.date
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    provisional: bool = False
    #: why skipped (holiday name, 周末) or the conflict in words
    note: str = ""
    note_en: str = ""


@dataclass(frozen=True)
class Preview:
    rows: tuple[PreviewRow, ...] = ()
    occurrences: int = 0
    conflicts: int = 0
    missing_years: tuple[int, ...] = ()
    #: the rule's refusal in words ("" when it expands)
    error: str = ""
    error_en: str = ""
    problems: tuple[S.Problem, ...] = field(default_factory=tuple)


def preview(cache: _Cache, engine: _Engine | None, principal: Mapping[str, Any],
            rule: Mapping[str, Any], start: dt.datetime, end: dt.datetime, *,
            room_id: str = "", people: int = 0, now: dt.datetime | None = None) -> Preview:
    """The occurrences of ``rule`` from the first meeting ``[start, end)``, with the
    conflicts the device knows of in ``room_id``. Blocking (background only)."""
    now = now or dt.datetime.now(dt.UTC)
    try:
        parsed = RC.Rule.from_args(rule)
        expansion = RC.expand(parsed, start, end, CalendarService(cache).table())
    except DomainError as exc:
        return Preview(error=exc.message("zh_CN"), error_en=exc.message("en"))
    except ValueError as exc:  # a rule the argument model refuses
        return Preview(error=str(exc), error_en=str(exc))
    occurrences = expansion.occurrences
    problems: dict[int, S.Problem] = {}
    room_record = cache.get(I.ROOM, room_id) if room_id else None
    if room_record is not None:
        room = R.Room.from_dict(room_record)
        svc = MeetingService(cache, engine, principal)  # type: ignore[arg-type]
        slots = S.SlotIndex(svc.slots(occurrences[0].start, occurrences[-1].end))
        for occ in occurrences:
            found = S.problem(occ.index, occ.start, occ.end, room, slots, now, people=people)
            if found is not None:
                problems[occ.index] = found
    rows = [PreviewRow(f"o{o.index}", CONFLICT if o.index in problems else MOVED if o.moved else OK,
                       o.day, o.original, o.start, o.end, o.provisional,
                       problems[o.index].reason() if o.index in problems else "",
                       problems[o.index].reason("en") if o.index in problems else "")
            for o in occurrences]
    rows += [PreviewRow(f"s{k.original.isoformat()}", SKIPPED, k.merged_into or k.original,
                        k.original, note=k.why, note_en=k.why_en) for k in expansion.skipped]
    rows.sort(key=lambda r: (r.original, r.kind != SKIPPED))
    return Preview(tuple(rows), len(occurrences), len(problems), expansion.missing_years,
                   problems=tuple(problems.values()))


def new_series_id() -> str:
    return f"ms-{uuid.uuid4().hex[:16]}"


def series_of(cache: _Cache, series_id: str) -> list[dict[str, Any]]:
    """The occurrences of a series the device knows, by start."""
    return sorted((m for m in cache.list(I.MEETING) if m.get("series_id") == series_id),
                  key=lambda m: (str(m["start"]), str(m["id"])))


def create_args(form_args: Mapping[str, Any], rule: Mapping[str, Any], *, room_id: str = "",
                people: int = 0, skip_conflicts: bool = False,
                series_id: str = "") -> dict[str, Any]:
    """``meetings.create_series`` arguments from the meeting form's ``save_meeting``
    arguments (the first meeting) and the repeat section."""
    drop = {"meeting_id", "booking_id", "change_note"}
    args = {k: v for k, v in form_args.items() if k not in drop}
    args.update(series_id=series_id or new_series_id(), rule=dict(rule), room_id=room_id,
                people=people, skip_conflicts=skip_conflicts)
    return args
