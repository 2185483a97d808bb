"""Seating (座次) for formal meetings: room layouts, the conventional fill by rank, and
the stored seat plan (``meetings.save_seating``). Pure: no Qt, no HTTP, no database.

Layouts (:class:`Layout`, seats numbered):

- ``rostrum`` (主席台 + 会场): rows of the 主席台 (front row first), then rows of the
  hall. The drawing is seen from the hall: the 主席台 on top, facing down.
- ``facing`` (会谈式): one long table, the guest side (客方, facing the door) on top and
  the host side (主方, back to the door) below, ``per_side`` seats each.
- ``u_shape`` (U 形 / 回字形): a head table of ``head`` seats on top, facing down, and two
  arms of ``arms`` seats each going down the drawing's left and right.

The rule of the centre (居中为上): in every row the most senior sits at the centre; the
next ones alternate to either side of them, nearer the centre first. Which side comes
first is the setting ``honour``, always **as seen by the people seated in the chair's
row, facing the room** (for ``facing``: each side as seen by its own members):

- ``"left"`` (default; 以左为尊, the usual practice of 党政机关 meetings): the No. 2 sits on
  the No. 1's own left, the No. 3 on their right, and so on outwards — seen from the
  hall, 5 3 1 2 4. With an even number of seats the No. 1 and No. 2 share the two centre
  seats, the No. 1 on the right one (as seen from the 主席台), so the No. 2 is still on
  the No. 1's left: seen from the hall, 5 3 1 2 4 6.
- ``"right"`` (以右为尊, international and business practice): the mirror image.

The reference notes kept for this project (shared/reference/meetings-and-supervision.md)
say nothing on sides; the default follows the common 党政机关 会务 guidance above and the
setting lets an office choose the other. Rows of the hall follow the 主席台's sides (the
chair's side, as the issue asks). On a U the head table is filled first, then the arms
nearest the head first, the honour-side arm before the other at each depth.

Rank (位次): the directory has no explicit rank, so :func:`rank_order` derives one —
the organiser's explicit order first, then 出席 before 列席, leaders before division
heads before everyone else, then the post's order in its body (``sort_order``), then the
invitation order; people without posts (guests) last. Filling (:func:`fill`) walks the
seats in :attr:`Seat.order` and is deterministic; whoever does not fit is returned as
``unseated``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from modules.common import messages
from modules.common.access import ActorFacts, BodyFacts
from modules.common.errors import Conflict, NotFound, ValidationFailed
from modules.common.intents import IntentArgs
from modules.common.text import ONE_LINE
from modules.meetings import meeting as M
from modules.meetings import policy

SEATING = "meetings.seating"
Kind = Literal["rostrum", "facing", "u_shape"]
Honour = Literal["left", "right"]
ROSTRUM: Kind = "rostrum"
FACING: Kind = "facing"
U_SHAPE: Kind = "u_shape"
KINDS: tuple[Kind, ...] = (ROSTRUM, FACING, U_SHAPE)
LEFT: Honour = "left"
RIGHT: Honour = "right"
#: Zones of seats: 主席台, 会场, 客方, 主方, U head, U arms (drawing left / right).
ZONES = ("rostrum", "hall", "guest", "host", "head", "arm_l", "arm_r")
ZONE_WORDS: dict[str, tuple[str, str]] = {
    "rostrum": ("主席台", "rostrum"), "hall": ("会场", "hall"), "guest": ("客方", "guests"),
    "host": ("主方", "hosts"), "head": ("主桌", "head table"), "arm_l": ("左侧", "left arm"),
    "arm_r": ("右侧", "right arm"),
}
KIND_WORDS: dict[str, tuple[str, str]] = {
    ROSTRUM: ("主席台 + 会场", "rostrum and hall"), FACING: ("会谈式", "facing table"),
    U_SHAPE: ("U 形", "U shape"),
}
MAX_ROWS, MAX_ROW_SEATS, MAX_SEATS = 30, 60, 600
SEAT_ID = r"^(rostrum|hall|guest|host|head|arm_l|arm_r)-\d{1,2}-\d{1,2}$"

messages.register({
    "meetings.seating_bad_layout": {
        "zh_CN": "座次布局不可用：{reason}。",
        "en": "The seating layout cannot be used: {reason_en}.",
    },
    "meetings.seating_unknown_seat": {
        "zh_CN": "座位 {seat} 不在这个布局中。",
        "en": "Seat {seat} is not part of this layout.",
    },
    "meetings.seating_seat_twice": {
        "zh_CN": "座位 {seat} 安排了两人。",
        "en": "Seat {seat} has two people.",
    },
    "meetings.seating_person_twice": {
        "zh_CN": "{name} 被安排了两个座位。",
        "en": "{name} has two seats.",
    },
    "meetings.seating_empty_name": {
        "zh_CN": "座位 {seat} 既没有人员也没有姓名。",
        "en": "Seat {seat} has neither a person nor a name.",
    },
    "meetings.seating_moved": {
        "zh_CN": "座次已被 {name} 修改，请重新打开后再调整。",
        "en": "{name} changed the seat plan meanwhile; open it again and adjust it.",
    },
    "meetings.seating_closed": {
        "zh_CN": "会议已{state}，不能再安排座次。",
        "en": "The meeting is {state_en}; its seating can no longer change.",
    },
})


# --------------------------------------------------------------------------- layouts


class LayoutArgs(BaseModel):
    """A room layout as the organiser sets it (and as it is stored)."""

    model_config = ConfigDict(extra="forbid")

    kind: Kind = ROSTRUM
    #: rostrum: seats per row of the 主席台, front row first
    rostrum: list[Annotated[int, Field(ge=0, le=MAX_ROW_SEATS)]] = Field(
        default_factory=lambda: [7], max_length=5)
    #: rostrum: seats per row of the hall, front row first
    hall: list[Annotated[int, Field(ge=0, le=MAX_ROW_SEATS)]] = Field(
        default_factory=list, max_length=MAX_ROWS)
    #: facing: seats on each side of the table
    per_side: int = Field(default=7, ge=0, le=MAX_ROW_SEATS)
    #: u_shape: seats at the head table, and on each arm
    head: int = Field(default=5, ge=0, le=MAX_ROW_SEATS)
    arms: int = Field(default=6, ge=0, le=MAX_ROW_SEATS)
    #: the side of the No. 1 the No. 2 sits on, as seen by the chair's row (以左为尊)
    honour: Honour = LEFT


@dataclass(frozen=True)
class Seat:
    """One seat. ``x``, ``y``: its place in the drawing (seat units, seen from the hall;
    y grows downwards). ``number``: its number in its row (1 = the row's centre seat of
    honour). ``order``: its place in the fill order over the whole layout (0 first)."""

    id: str
    zone: str
    row: int
    number: int
    x: float
    y: float
    order: int


def centre_order(n: int, honour: str = LEFT, *, faces_viewer: bool = True) -> list[int]:
    """Positions 0..n-1 (left to right in the drawing) in rank order for a row of ``n``.

    ``faces_viewer``: the row's people face the one looking at the drawing (主席台, guest
    side, head table), so their own left is the drawing's right; False for a row seen
    from behind (the host side of a facing table).

    >>> centre_order(5)          # drawing: 5 3 1 2 4 → positions of No. 1, 2, 3 …
    [2, 3, 1, 4, 0]
    >>> centre_order(6)          # drawing: 5 3 1 2 4 6
    [2, 3, 1, 4, 0, 5]
    """
    if n <= 0:
        return []
    # "towards the honour side" in drawing terms: +1 (drawing right) or -1
    toward = 1 if (honour == LEFT) == faces_viewer else -1
    if n % 2:
        centre = n // 2
        out = [centre]
        for k in range(1, n // 2 + 1):
            out += [centre + toward * k, centre - toward * k]
        return out
    # even: No. 1 takes the centre seat away from the honour side, No. 2 the other
    first = n // 2 - 1 if toward == 1 else n // 2
    second = first + toward
    out = [first, second]
    for k in range(1, n // 2):
        out += [first - toward * k, second + toward * k]
    return out


def _row(zone: str, row: int, n: int, honour: str, y: float, start_order: int, *,
         faces_viewer: bool = True, width: int = 0) -> list[Seat]:
    """The seats of one straight row, centred on a drawing width of ``width`` seats."""
    offset = (max(width, n) - n) / 2
    seats = [Seat("", zone, row, 0, 0.0, 0.0, 0)] * n
    for rank, pos in enumerate(centre_order(n, honour, faces_viewer=faces_viewer)):
        seats[pos] = Seat(f"{zone}-{row}-{rank + 1}", zone, row, rank + 1, offset + pos, y,
                          start_order + rank)
    return seats


@dataclass(frozen=True)
class Layout:
    """The seats of a layout, in drawing order (row by row, left to right)."""

    spec: LayoutArgs
    seats: tuple[Seat, ...]
    width: float
    height: float

    def by_order(self) -> list[Seat]:
        return sorted(self.seats, key=lambda s: s.order)

    def ids(self) -> set[str]:
        return {s.id for s in self.seats}

    def seat(self, seat_id: str) -> Seat | None:
        return next((s for s in self.seats if s.id == seat_id), None)


def _bad_layout(zh: str, en: str) -> ValidationFailed:
    return ValidationFailed("meetings.seating_bad_layout", reason=zh, reason_en=en)


def build_layout(spec: LayoutArgs | Mapping[str, Any]) -> Layout:
    """The numbered seats of ``spec``. Refuses an empty layout or one over
    :data:`MAX_SEATS` seats in words."""
    spec = spec if isinstance(spec, LayoutArgs) else LayoutArgs.model_validate(dict(spec))
    seats: list[Seat] = []
    honour = spec.honour
    if spec.kind == ROSTRUM:
        rows = [n for n in spec.rostrum if n > 0]
        hall = [n for n in spec.hall if n > 0]
        width = max([*rows, *hall, 1])
        y = 0.0
        for i, n in enumerate(rows, start=1):
            seats += _row("rostrum", i, n, honour, y, len(seats), width=width)
            y += 1
        y += 1.0 if rows and hall else 0.0  # the gap between the 主席台 and the hall
        for i, n in enumerate(hall, start=1):
            seats += _row("hall", i, n, honour, y, len(seats), width=width)
            y += 1
        height = y
    elif spec.kind == FACING:
        n = spec.per_side
        width = max(n, 1)
        # guests face the door (bottom of the drawing): they face the viewer
        seats += _row("guest", 1, n, honour, 0.0, 0, width=width)
        seats += _row("host", 1, n, honour, 2.0, n, faces_viewer=False, width=width)
        height = 3.0
    else:
        n, arms = spec.head, spec.arms
        width = max(n + 2, 3)
        seats += _row("head", 1, n, honour, 0.0, 0, width=width)
        # the head's honour side, in drawing terms (head faces the viewer)
        first, second = ("arm_r", "arm_l") if honour == LEFT else ("arm_l", "arm_r")
        order = n
        for depth in range(1, arms + 1):
            for zone in (first, second):
                x = 0.0 if zone == "arm_l" else width - 1.0
                seats.append(Seat(f"{zone}-1-{depth}", zone, 1, depth, x, float(depth), order))
                order += 1
        height = float(arms + 1)
    if not seats:
        raise _bad_layout("没有座位", "it has no seats")
    if len(seats) > MAX_SEATS:
        raise _bad_layout(f"座位超过 {MAX_SEATS} 个", f"it has more than {MAX_SEATS} seats")
    seats.sort(key=lambda s: (s.y, s.x))
    return Layout(spec, tuple(seats), float(width), height)


def default_layout(people: int, capacity: int = 0) -> LayoutArgs:
    """A first layout for ``people`` attendees in a room of ``capacity``: a 主席台 of up
    to 7 and hall rows of up to 12 for the rest (a room's capacity bounds the hall)."""
    rostrum = min(7, max(people, 1))
    rest = max(people - rostrum, 0)
    per_row = 12 if capacity <= 0 else max(min(12, capacity // 4 or 1), 1)
    hall = [per_row] * (-(-rest // per_row)) if rest else []
    return LayoutArgs(kind=ROSTRUM, rostrum=[rostrum], hall=hall[:MAX_ROWS])


# --------------------------------------------------------------------------- rank


@dataclass(frozen=True)
class Attendee:
    """Someone to seat. ``posts``: their directory posts (``roles``, ``sort_order``,
    ``body_id``); ``observer``: 列席; ``invited``: their place in the invitation order;
    ``guest``: sits on the guest side of a facing table."""

    person_id: str
    name: str
    posts: tuple[Mapping[str, Any], ...] = ()
    observer: bool = False
    invited: int = 0
    guest: bool = False


ROLE_CLASS = {"leader": 0, "division_head": 1}


def rank_key(person: Attendee, explicit: Mapping[str, int]) -> tuple[Any, ...]:
    """The sort key of :func:`rank_order` (smaller is more senior)."""
    if person.person_id in explicit:
        return (0, explicit[person.person_id])
    if not person.posts:
        return (3, int(person.observer), person.invited, person.name, person.person_id)
    role = min((ROLE_CLASS.get(r, 2) for p in person.posts for r in (p.get("roles") or ())),
               default=2)
    sort = min(int(p.get("sort_order") or 0) for p in person.posts)
    return (1, int(person.observer), role, sort, person.invited, person.name, person.person_id)


def rank_order(people: Iterable[Attendee], explicit: Sequence[str] = ()) -> list[Attendee]:
    """``people`` most senior first (see the module's docstring); deterministic."""
    where = {pid: i for i, pid in enumerate(dict.fromkeys(explicit))}
    return sorted(people, key=lambda p: rank_key(p, where))


@dataclass
class Fill:
    """seat id → person id, and the people who did not fit, in rank order."""

    seats: dict[str, str] = field(default_factory=dict)
    unseated: list[str] = field(default_factory=list)


def fill(layout: Layout, ranked: Sequence[Attendee]) -> Fill:
    """Seat ``ranked`` (most senior first) in the layout's fill order. On a facing
    table the guests (``Attendee.guest``) fill the guest side and everyone else the
    host side, each from its centre."""
    out = Fill()
    if layout.spec.kind == FACING:
        for zone, group in (("guest", [p for p in ranked if p.guest]),
                            ("host", [p for p in ranked if not p.guest])):
            seats = [s for s in layout.by_order() if s.zone == zone]
            for seat, person in zip(seats, group, strict=False):
                out.seats[seat.id] = person.person_id
            out.unseated += [p.person_id for p in group[len(seats):]]
        return out
    seats = layout.by_order()
    for seat, person in zip(seats, ranked, strict=False):
        out.seats[seat.id] = person.person_id
    out.unseated = [p.person_id for p in ranked[len(seats):]]
    return out


def swap(seats: Mapping[str, str], a: str, b: str) -> dict[str, str]:
    """The plan with seats ``a`` and ``b`` exchanged (either may be empty)."""
    out = dict(seats)
    pa, pb = out.pop(a, None), out.pop(b, None)
    if pb is not None:
        out[a] = pb
    if pa is not None:
        out[b] = pa
    return out


def place(seats: Mapping[str, str], person_id: str, seat_id: str) -> tuple[dict[str, str], str]:
    """``person_id`` put in ``seat_id`` (leaving any seat they had, which takes the
    displaced occupant if there was one); returns the plan and whoever is now unseated
    ("" when nobody)."""
    out = dict(seats)
    old = next((s for s, p in out.items() if p == person_id), None)
    if old is not None:
        return swap(out, old, seat_id), ""
    displaced = out.get(seat_id, "")
    out[seat_id] = person_id
    return out, displaced


# --------------------------------------------------------------------------- the intent


class SeatArgs(BaseModel):
    """One taken seat: a directory person, or a name (someone without an account)."""

    model_config = ConfigDict(extra="forbid")

    seat_id: str = Field(pattern=SEAT_ID)
    person_id: str = Field(default="", max_length=40, pattern=r"^[0-9A-Za-z_.-]*$")
    name: Annotated[str, Field(max_length=60), ONE_LINE] = ""


class SaveSeatingArgs(IntentArgs):
    meeting_id: str = Field(pattern=r"^mt-[0-9a-z-]{4,24}$")
    layout: LayoutArgs = Field(default_factory=LayoutArgs)
    seats: list[SeatArgs] = Field(default_factory=list, max_length=MAX_SEATS)
    #: the organiser's explicit rank order (most senior first), kept for the next fill
    order: list[Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[0-9A-Za-z_.-]+$")]] = \
        Field(default_factory=list, max_length=MAX_SEATS)
    #: people on the guest side of a facing table
    guests: list[Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[0-9A-Za-z_.-]+$")]] = \
        Field(default_factory=list, max_length=MAX_SEATS)
    #: the plan's version the organiser started from (0: none yet); a plan saved by
    #: someone else meanwhile is a conflict, never overwritten silently
    version: int = Field(default=0, ge=0)


def seating_id(meeting_id: str) -> str:
    return meeting_id


def save_seating(meeting: Mapping[str, Any] | None, previous: Mapping[str, Any] | None,
                 args: SaveSeatingArgs, actor: ActorFacts, actor_name: str, host: BodyFacts | None,
                 names: Mapping[str, str], now: dt.datetime) -> dict[str, Any]:
    """The new ``meetings.seating`` record of the meeting (organisers only). ``host``:
    the meeting's host body (``intents.host_of``); ``names``: directory names of the
    people seated."""
    if meeting is None or host is None:
        raise NotFound("meetings.meeting_not_found", meeting_id=args.meeting_id)
    policy.require(policy.may_organise(actor, host), "meetings.not_organiser", body=host.name)
    state = str(meeting.get("state") or "")
    if state in M.FINAL:
        zh, en = M.STATE_WORDS[state]
        raise ValidationFailed("meetings.seating_closed", state=zh, state_en=en)
    have = int((previous or {}).get("version") or 0)
    if have != args.version:
        raise Conflict("meetings.seating_moved", name=str((previous or {}).get("by_name") or ""))
    layout = build_layout(args.layout)
    ids = layout.ids()
    seats: dict[str, dict[str, str]] = {}
    people: set[str] = set()
    for seat in args.seats:
        if seat.seat_id not in ids:
            raise ValidationFailed("meetings.seating_unknown_seat", seat=seat.seat_id)
        if seat.seat_id in seats:
            raise ValidationFailed("meetings.seating_seat_twice", seat=seat.seat_id)
        if seat.person_id:
            name = names.get(seat.person_id, "")
            if not name:
                raise ValidationFailed("meetings.unknown_person", id=seat.person_id)
            if seat.person_id in people:
                raise ValidationFailed("meetings.seating_person_twice", name=name)
            people.add(seat.person_id)
        else:
            name = seat.name.strip()
            if not name:
                raise ValidationFailed("meetings.seating_empty_name", seat=seat.seat_id)
        seats[seat.seat_id] = {"person_id": seat.person_id, "name": name}
    ordered = {s.id: s.order for s in layout.seats}  # most senior seat first
    return {
        "id": seating_id(str(meeting["id"])), "meeting_id": meeting["id"],
        "layout": layout.spec.model_dump(),
        "seats": [{"seat_id": k, **seats[k]} for k in sorted(seats, key=lambda k: ordered[k])],
        "order": list(dict.fromkeys(args.order)), "guests": list(dict.fromkeys(args.guests)),
        "version": have + 1, "by_id": actor.person_id, "by_name": actor_name,
        "created_at": (previous or {}).get("created_at") or _iso(now), "updated_at": _iso(now),
    }


def _iso(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def plan_seats(record: Mapping[str, Any] | None) -> dict[str, dict[str, str]]:
    """seat id → {person_id, name} of a stored plan."""
    return {str(s["seat_id"]): {"person_id": str(s.get("person_id") or ""),
                                "name": str(s.get("name") or "")}
            for s in (record or {}).get("seats") or ()}


def cards_in_order(layout: Layout, seats: Mapping[str, Mapping[str, str]]) -> list[str]:
    """The names for table cards, in fill order (the most senior first)."""
    return [str(seats[s.id]["name"]) for s in layout.by_order() if s.id in seats
            and seats[s.id].get("name")]
