"""Who may do what with meeting rooms (会议室): pure, from access facts alone.

- **Book** a room, and see its occupancy: anyone holding a post in the organ that owns
  the room (its departments included).
- **Manage** rooms (add, edit, close): an administrator governing the room's organ, or a
  secretary (``secretary``, 办公室 staff who organise meetings) of that organ. Rooms are
  equipment, a 系统管理员's business; meetings are not (see "Organise" below).
- **Decide** a booking that needs approval: the room's named approvers, or its managers
  when it names none.
- **Cancel** a booking: its applicant, or the room's managers.
"""

from __future__ import annotations

from collections.abc import Iterable

from modules.common import messages
from modules.common.access import ActorFacts, BodyFacts
from modules.common.errors import PermissionDenied

messages.register({
    "meetings.not_member": {
        "zh_CN": "{room}属于{body}，只有该单位的人员可以预订。",
        "en": "{room} belongs to {body}; only its people may book it.",
    },
    "meetings.not_room_manager": {
        "zh_CN": "只有{body}的系统管理员或办公室秘书可以管理其会议室。",
        "en": "Only an administrator or secretary of {body} may manage its rooms.",
    },
    "meetings.not_approver": {
        "zh_CN": "您不是{room}的预订审批人。",
        "en": "You do not approve bookings of {room}.",
    },
    "meetings.not_applicant": {
        "zh_CN": "只有预订人或会议室管理员可以取消该预订。",
        "en": "Only the applicant or a room manager may cancel this booking.",
    },
})


def key(organ_id: str) -> str:
    """The feed audience of an organ's rooms and bookings (its members)."""
    return f"meetings:organ:{organ_id}"


def admin_key(organ_id: str) -> str:
    """The feed audience of administrators of an organ: the rooms and bookings of the
    organs at and below it — never meetings, replies or nominations (三员分立)."""
    return f"meetings:admin:{organ_id}"


def may_book(actor: ActorFacts, room_body: BodyFacts) -> bool:
    return actor.member_of(room_body.organ_id)


def may_manage(actor: ActorFacts, room_body: BodyFacts) -> bool:
    return (room_body.governed_by(actor.role_organs("sys_admin"))
            or actor.has_role("secretary", organ_id=room_body.organ_id))


def may_decide(actor: ActorFacts, room_body: BodyFacts, approvers: Iterable[str]) -> bool:
    named = frozenset(approvers)
    if named:
        return actor.person_id in named
    return may_manage(actor, room_body)


def may_cancel(actor: ActorFacts, room_body: BodyFacts, applicant_id: str) -> bool:
    return actor.person_id == applicant_id or may_manage(actor, room_body)


def require(allowed: bool, code: str, **params: object) -> None:
    """Raise PermissionDenied(``code``) in words unless ``allowed``."""
    if not allowed:
        raise PermissionDenied(code, **params)


# --------------------------------------------------------------------------- meetings
#
# - **Organise** a meeting (save, publish, change, cancel, close): a secretary of the
#   host body's organ. An administrator (sys_admin) manages the rooms but neither
#   organises meetings nor reads them (三员分立: an ordinary administrator reads no
#   contents they are not party to); the organiser of record keeps receiving the meeting
#   personally (``user:<id>``), whatever their posts become.
# - **Reply** (回执): the invited person for themselves (invitees, 列席, nominees and
#   substitutes; see modules.meetings.meeting.invitations).
# - **Nominate** for an invited body: a registry clerk (收发员) or leader holding a post
#   in that body (or, for an organ, in one of its departments).


def organiser_key(organ_id: str) -> str:
    """The feed audience of an organ's secretaries (they organise its meetings)."""
    return f"meetings:organiser:{organ_id}"


def nominator_key(body_id: str) -> str:
    """The feed audience of a body's registry clerks and leaders (they nominate)."""
    return f"meetings:nominator:{body_id}"


NOMINATOR_ROLES = frozenset({"registry_clerk", "leader"})


def may_organise(actor: ActorFacts, host_body: BodyFacts) -> bool:
    """A secretary (办公室秘书) of the host body's organ; administrators do not."""
    return actor.has_role("secretary", organ_id=host_body.organ_id)


def may_reply_as(person_id: str, invited: Iterable[str]) -> bool:
    """Only an invited person replies, and only for themselves (the replier is the
    signed-in person; nobody answers on another's behalf)."""
    return person_id in set(invited)


def may_nominate(actor: ActorFacts, body_id: str) -> bool:
    return any(p.roles & NOMINATOR_ROLES and body_id in (p.body_id, p.organ_id)
               for p in actor.posts)
