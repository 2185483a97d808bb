"""Who may do what with supervision items (督办事项): pure, from access facts alone.

- **督查室 staff** — a ``secretary`` or ``sys_admin`` (系统管理员) with a post in the supervising body's
  organ — register items, verify completion (审核办结: accept or return), urge (催办)
  and cancel (撤销).
- **The lead unit** (牵头单位): its registry clerk (收发员) or leader — a post in the
  unit, or in one of its departments when the unit is an organ — acknowledges (签收),
  reports (反馈), requests an extension (申请延期) and requests completion (申请办结).
- **A co-unit** (协办单位): its registry clerk or leader reports for its part.
- **The supervising leader** named on the item decides extensions.
- **签收 per unit**: the lead unit and every co-unit each sign for their own part.
- **分解**: the lead unit splits off and withdraws sub-tasks; a sub-task's unit (its
  registry clerk, leader or — for a division — its division head) reports on it.

Audiences of the feed: the supervising organ's staff (so a higher 督查室 sees what it
assigned down its tree, not what a lower one assigned itself), the lead unit, each
co-unit and each sub-task's unit, and the supervising leader — nobody else
(``tests/access/test_supervision_scope.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from modules.common import messages
from modules.common.access import ActorFacts
from modules.common.errors import PermissionDenied
from modules.supervision import units
from modules.supervision.rules import TRANSITIONS

messages.register({
    "supervision.not_staff": {
        "zh_CN": "只有{body}督查室（办公室秘书或系统管理员）可以{action}。",
        "en": "Only the supervision office of {body} (a secretary or administrator) may {action_en}.",
    },
    "supervision.not_unit": {
        "zh_CN": "只有{unit}的收发员或负责人可以{action}。",
        "en": "Only a registry clerk or leader of {unit} may {action_en}.",
    },
    "supervision.not_leader": {
        "zh_CN": "只有督办领导{leader}可以审批延期。",
        "en": "Only the supervising leader {leader} may decide an extension.",
    },
})

STAFF_ROLES = frozenset({"secretary", "sys_admin"})
UNIT_ROLES = frozenset({"registry_clerk", "leader"})
#: Who reports on a sub-task given to a division (处室): its head too.
SUBTASK_ROLES = UNIT_ROLES | {"division_head"}


def staff_key(organ_id: str) -> str:
    """The feed audience of an organ's 督查室 staff."""
    return f"supervision:staff:{organ_id}"


def unit_key(body_id: str) -> str:
    """The feed audience of a unit's people (lead or co-unit)."""
    return f"supervision:unit:{body_id}"


def is_staff(actor: ActorFacts, organ_id: str) -> bool:
    return any(p.roles & STAFF_ROLES and p.organ_id == organ_id for p in actor.posts)


def handles_for(actor: ActorFacts, unit_id: str) -> bool:
    """A registry clerk or leader in ``unit_id`` (or in a department of it)."""
    return any(p.roles & UNIT_ROLES and unit_id in (p.body_id, p.organ_id) for p in actor.posts)


def handles_subtask(actor: ActorFacts, unit_id: str) -> bool:
    """A registry clerk or leader of the sub-task's unit (or of a department of it), or
    a division head whose post is in that very unit."""
    return handles_for(actor, unit_id) or any(
        p.roles & SUBTASK_ROLES and p.body_id == unit_id for p in actor.posts)


def may_report(actor: ActorFacts, lead_unit_id: str, co_unit_ids: Iterable[str]) -> bool:
    return any(handles_for(actor, u) for u in (lead_unit_id, *co_unit_ids))


def may_decide_extension(actor: ActorFacts, leader_id: str) -> bool:
    return bool(leader_id) and actor.person_id == leader_id


def require(allowed: bool, code: str, **params: object) -> None:
    """Raise PermissionDenied(``code``) in words unless ``allowed``."""
    if not allowed:
        raise PermissionDenied(code, **params)


def allowed_actions(actor: ActorFacts, item: Mapping[str, Any]) -> list[str]:
    """The actions ``actor`` may take on ``item`` now: those the state table allows from
    the item's state (``rules.TRANSITIONS``) and the policy allows for this actor, in
    the order a screen offers them. The intents check the same again."""
    state = str(item.get("state") or "")
    organ = str(item.get("organ_id") or "")
    lead = str(item.get("lead_unit_id") or "")
    co = [str(c) for c in item.get("co_unit_ids") or ()]
    acks = units.acks_of(item)
    live_subs = [s for s in item.get("subtasks") or () if s.get("state", "open") in ("open", "in_progress")]
    who = {
        "acknowledge": (handles_for(actor, lead) and lead not in acks)
        or any(handles_for(actor, c) and c not in acks for c in co),
        "split": handles_for(actor, lead),
        "report_subtask": any(handles_subtask(actor, str(s.get("unit_id") or "")) for s in live_subs),
        "cancel_subtask": handles_for(actor, lead) and bool(live_subs),
        "report": may_report(actor, lead, co),
        "request_extension": handles_for(actor, lead),
        "request_completion": handles_for(actor, lead),
        "decide_extension": may_decide_extension(actor, str(item.get("leader_id") or "")),
        "verify": is_staff(actor, organ),
        "urge": is_staff(actor, organ),
        "cancel": is_staff(actor, organ),
        "terminate": is_staff(actor, organ),
        "strike_off": is_staff(actor, organ) and not item.get("struck_off"),
        "draft_report": is_staff(actor, organ) and not item.get("report_document_id"),
    }
    def step_ok(action: str) -> bool:
        if action == "acknowledge":  # the lead's 签收 moves the state; a co-unit's does not
            mine_lead = handles_for(actor, lead) and lead not in acks and (state, action) in TRANSITIONS
            mine_co = any(handles_for(actor, c) and c not in acks for c in co)
            return mine_lead or (mine_co and (state, "acknowledge_co") in TRANSITIONS)
        return (state, action) in TRANSITIONS

    return [a for a, ok in who.items() if ok and step_ok(a)]


#: Who gets the 看数 dashboard: 督查室 staff and leaders of any body.
DASHBOARD_ROLES = STAFF_ROLES | {"leader"}


def may_see_dashboard(actor: ActorFacts) -> bool:
    """Leaders and 督查室 staff see the statistics dashboard; it counts only the items
    their feed already brings them, so it shows nothing they could not see anyway."""
    return any(p.roles & DASHBOARD_ROLES for p in actor.posts)
