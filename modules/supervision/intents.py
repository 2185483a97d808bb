"""Supervision intents (督查督办): names, argument schemas and their effects, defined once.

- ``supervision.register`` (online): 督查室 staff register an item (立项) and hand it to
  the lead unit (交办); the server allocates the number 督字〔year〕N号 without gaps and
  computes the deadline on its calendar. ``draft`` keeps it 待立项 (no number yet);
  registering the same id again hands it over.
- ``supervision.acknowledge`` (offline): the lead unit signs for it (签收).
- ``supervision.report`` (offline): the lead unit or a co-unit reports progress (反馈).
- ``supervision.request_extension`` (offline): the lead unit asks for a new date, before
  the deadline only (a request after it is refused).
- ``supervision.decide_extension`` (online): the supervising leader approves (setting the
  new date) or refuses.
- ``supervision.request_completion`` (offline): the lead unit files its 办结报告.
- ``supervision.verify`` (online): staff accept (已办结) or return (退回重办, with reasons).
- ``supervision.urge`` (offline): staff urge (催办) one unit (the lead unit by default),
  at most once per interval for that unit (:data:`URGE_INTERVAL`; the server passes
  ``OFFICE_SUPERVISION_URGE_HOURS``); each urge records what was overdue or missing (the
  催办单 PDF, ``modules.supervision.urge_pdf``).
- ``supervision.cancel`` (online): staff cancel (撤销) with a reason.
- ``supervision.terminate`` / ``strike_off`` / ``draft_report`` (online): 中止 with a
  reason, 销号 after 办结, and the outgoing 报告 / 情况通报 started from a closed item
  (args and effects in ``modules.supervision.lifecycle``).

Every effect is a pure function of (item, args, actor, clock, calendar); the client's
appliers (``modules.supervision.service``) and the server's handlers
(``server.supervision.mutations``) both call it. The record is ``supervision.item``.
An intent on an item closed meanwhile is a conflict naming who closed it and when.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Literal

from pydantic import Field

from modules.calendar.rules import HolidayTable, add_working_days
from modules.common import messages
from modules.common.access import ActorFacts, BodyFacts
from modules.common.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from modules.common.intents import IntentArgs, define
from modules.common.text import MANY_LINES, ONE_LINE
from modules.supervision import policy, subtasks, units
from modules.supervision import rules as R

ITEM = "supervision.item"
ITEM_ID = r"^sv-[0-9a-z-]{4,36}$"
DATE = r"^\d{4}-\d{2}-\d{2}$"
BODY_ID = Field(min_length=1, max_length=40)
#: The shortest time between two manual 催办 of one item.
URGE_INTERVAL = dt.timedelta(hours=24)

messages.register({
    "supervision.not_found": {
        "zh_CN": "督办事项不存在或已删除。",
        "en": "The supervision item does not exist or was removed.",
    },
    "supervision.exists": {
        "zh_CN": "该督办事项已立项，不能重复登记。",
        "en": "This item is already registered.",
    },
    "supervision.bad_deadline": {
        "zh_CN": "办结时限须为工作日天数或一个日期（不能同时填写，也不能早于今天）。",
        "en": "Give the deadline as a number of working days or a date (not both, not in the past).",
    },
    "supervision.extension_too_late": {
        "zh_CN": "办结时限（{due}）已过，不能再申请延期。",
        "en": "The deadline ({due}) has passed; an extension can no longer be requested.",
    },
    "supervision.extension_not_later": {
        "zh_CN": "延期后的时限须晚于当前办结时限（{due}）。",
        "en": "The new date must be later than the current deadline ({due}).",
    },
    "supervision.reason_required": {
        "zh_CN": "退回重办须写明理由。",
        "en": "Returning an item needs a reason.",
    },
    "supervision.already_acknowledged": {
        "zh_CN": "{unit}已由{name}于{at}签收。",
        "en": "{unit} was already acknowledged by {name} at {at}.",
    },
    "supervision.urged_recently": {
        "zh_CN": "{unit}已于{at}由{name}催办过，每{hours}小时最多催办一次，请于{next}后再催办。",
        "en": "{name} urged {unit} at {at}; a unit may be urged once every {hours} hours, "
              "so urge it again after {next}.",
    },
})

Source = Literal["decision", "meeting", "instruction", "document", "proposal", "hotline",
                 "higher", "other"]
Grade = Literal["normal", "important", "urgent"]
Cycle = Literal["none", "weekly", "working_days", "monthly"]


class RegisterArgs(IntentArgs):
    item_id: str = Field(pattern=ITEM_ID)
    body_id: str = BODY_ID
    title: Annotated[str, Field(min_length=1, max_length=200), ONE_LINE]
    content: Annotated[str, Field(max_length=4000), MANY_LINES] = ""
    source: Source = "other"
    source_ref: Annotated[str, Field(max_length=80), ONE_LINE] = ""
    grade: Grade = "normal"
    leader_id: str = Field(default="", max_length=40)
    lead_unit_id: str = BODY_ID
    co_unit_ids: list[Annotated[str, Field(min_length=1, max_length=40)]] = Field(
        default_factory=list, max_length=20)
    deadline_days: int | None = Field(default=None, ge=0, le=365)
    due: str | None = Field(default=None, pattern=DATE)
    cycle: Cycle = "none"
    cycle_days: int = Field(default=5, ge=1, le=60)
    #: Each unit's 签收 is due this many working days after 交办.
    ack_days: int = Field(default=1, ge=0, le=30)
    draft: bool = False


class AcknowledgeArgs(IntentArgs):
    item_id: str = Field(pattern=ITEM_ID)
    note: Annotated[str, Field(max_length=300), ONE_LINE] = ""
    #: The unit signing (the lead or a co-unit); by default the first the actor handles
    #: that has not signed yet.
    unit_id: str = Field(default="", max_length=40)


class Attachment(IntentArgs):
    """A file attached to a 反馈 (a blob the actor uploaded; the server checks it)."""

    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    name: Annotated[str, Field(min_length=1, max_length=200), ONE_LINE]
    size: int = Field(default=0, ge=0, le=1 << 40)


class ReportArgs(IntentArgs):
    item_id: str = Field(pattern=ITEM_ID)
    text: Annotated[str, Field(min_length=1, max_length=4000), MANY_LINES]
    progress: int | None = Field(default=None, ge=0, le=100)
    unit_id: str = Field(default="", max_length=40)
    attachments: list[Attachment] = Field(default_factory=list, max_length=20)


class RequestExtensionArgs(IntentArgs):
    item_id: str = Field(pattern=ITEM_ID)
    new_due: str = Field(pattern=DATE)
    reason: Annotated[str, Field(min_length=1, max_length=500), MANY_LINES]


class DecideExtensionArgs(IntentArgs):
    item_id: str = Field(pattern=ITEM_ID)
    approve: bool
    new_due: str | None = Field(default=None, pattern=DATE)
    note: Annotated[str, Field(max_length=300), ONE_LINE] = ""


class RequestCompletionArgs(IntentArgs):
    item_id: str = Field(pattern=ITEM_ID)
    report: Annotated[str, Field(min_length=1, max_length=4000), MANY_LINES]


class VerifyArgs(IntentArgs):
    item_id: str = Field(pattern=ITEM_ID)
    accept: bool
    reason: Annotated[str, Field(max_length=500), MANY_LINES] = ""


class UrgeArgs(IntentArgs):
    item_id: str = Field(pattern=ITEM_ID)
    note: Annotated[str, Field(max_length=300), ONE_LINE] = ""
    #: The unit urged (the lead or a co-unit, or a sub-task's unit); the lead by default.
    unit_id: str = Field(default="", max_length=40)


class CancelArgs(IntentArgs):
    item_id: str = Field(pattern=ITEM_ID)
    reason: Annotated[str, Field(min_length=1, max_length=300), ONE_LINE]


REGISTER = define("supervision.register", RegisterArgs, offline=False,
                  summary="Register a supervision item and hand it to its lead unit (督查室)")
ACKNOWLEDGE = define("supervision.acknowledge", AcknowledgeArgs, offline=True,
                     summary="The lead unit or a co-unit signs for an item (签收), each on its own")
REPORT = define("supervision.report", ReportArgs, offline=True,
                summary="Report progress on an item (反馈), lead unit or co-unit")
REQUEST_EXTENSION = define("supervision.request_extension", RequestExtensionArgs, offline=True,
                           summary="Ask for a later deadline, before the deadline (申请延期)")
DECIDE_EXTENSION = define("supervision.decide_extension", DecideExtensionArgs, offline=False,
                          summary="The supervising leader approves or refuses an extension")
REQUEST_COMPLETION = define("supervision.request_completion", RequestCompletionArgs,
                            offline=True, summary="File the completion report (申请办结)")
VERIFY = define("supervision.verify", VerifyArgs, offline=False,
                summary="Accept a completion (办结) or return the item (退回重办)")
URGE = define("supervision.urge", UrgeArgs, offline=True,
              summary="Urge a unit (催办), at most once per interval per unit")
CANCEL = define("supervision.cancel", CancelArgs, offline=False,
                summary="Cancel an item with a reason (撤销)")
# 分解: args and effects in modules.supervision.subtasks
SPLIT = define("supervision.split", subtasks.SplitArgs, offline=False,
               summary="The lead unit splits off a sub-task for a division or co-unit (分解)")
REPORT_SUBTASK = define("supervision.report_subtask", subtasks.ReportSubtaskArgs, offline=True,
                        summary="The sub-task's unit reports on it, or reports it finished")
CANCEL_SUBTASK = define("supervision.cancel_subtask", subtasks.CancelSubtaskArgs, offline=False,
                        summary="The lead unit withdraws a sub-task, with a reason")


# --------------------------------------------------------------------------- helpers


def iso(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def _require(item: Mapping[str, Any] | None) -> dict[str, Any]:
    if item is None:
        raise NotFound("supervision.not_found")
    return copy.deepcopy(dict(item))


def _local(stamp: object) -> str:
    """An ISO UTC stamp as China time for a sentence ('' when none)."""
    if not stamp:
        return ""
    when = dt.datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
    return when.astimezone(R.CHINA).strftime("%Y-%m-%d %H:%M")


def _step(item: Mapping[str, Any], action: str, *, accept: bool = True) -> str:
    return R.next_state(str(item.get("state") or ""), action, accept=accept,
                        closed_by=str(item.get("closed_by_name") or ""),
                        closed_at=_local(item.get("closed_at")))


def _words(action: str) -> dict[str, str]:
    zh, en = R.ACTION_WORDS[action]
    return {"action": zh, "action_en": en}


def _need_staff(actor: ActorFacts, item: Mapping[str, Any], action: str) -> None:
    policy.require(policy.is_staff(actor, str(item.get("organ_id") or "")),
                   "supervision.not_staff", body=str(item.get("body_name") or ""),
                   **_words(action))


def _need_lead(actor: ActorFacts, item: Mapping[str, Any], action: str) -> None:
    policy.require(policy.handles_for(actor, str(item.get("lead_unit_id") or "")),
                   "supervision.not_unit", unit=str(item.get("lead_unit_name") or ""),
                   **_words(action))


def _log(item: dict[str, Any], action: str, actor: ActorFacts, name: str, now: dt.datetime,
         state: str, note: str = "") -> None:
    """Set the new state and add one audited step to the item's history."""
    item["state"] = state
    item["state_words"] = R.STATE_WORDS[state][0]
    item["updated_at"] = iso(now)
    item.setdefault("history", []).append({
        "at": iso(now), "by": actor.person_id, "by_name": name, "action": action,
        "state": state, "note": note})


# --------------------------------------------------------------------------- effects


def register(previous: Mapping[str, Any] | None, args: RegisterArgs, actor: ActorFacts,
             actor_name: str, body: BodyFacts, lead: tuple[str, str],
             co_units: Sequence[tuple[str, str]], leader_name: str, number: str,
             now: dt.datetime, table: HolidayTable) -> dict[str, Any]:
    """The new ``supervision.item``. ``body``: the supervising body; ``lead`` and
    ``co_units``: (id, name); ``number``: the allocated 督字 number ('' for a draft)."""
    policy.require(policy.is_staff(actor, body.organ_id), "supervision.not_staff",
                   body=body.name, **_words("register"))
    state_before = ""
    if previous is not None:
        if previous.get("state") != R.DRAFT:
            raise ValidationFailed("supervision.exists")
        state_before = R.DRAFT
    today = R.china_day(now)
    if (args.deadline_days is None) == (args.due is None) or (
            args.due is not None and dt.date.fromisoformat(args.due) < today):
        raise ValidationFailed("supervision.bad_deadline")
    state = R.DRAFT if args.draft else R.next_state(state_before, "register")
    if args.deadline_days is not None:
        due = add_working_days(today, args.deadline_days, table)
    else:
        due = R.deadline({"due": args.due}, table)
    item: dict[str, Any] = {
        "id": args.item_id, "number": "" if state == R.DRAFT else number,
        "title": args.title.strip(), "content": args.content, "source": args.source,
        "source_words": R.SOURCES[args.source][0], "source_ref": args.source_ref.strip(),
        "grade": args.grade, "body_id": body.id, "body_name": body.name,
        "organ_id": body.organ_id, "organs_above": list(body.organs_above),
        "registered_by": actor.person_id, "registered_by_name": actor_name,
        "leader_id": args.leader_id, "leader_name": leader_name,
        "lead_unit_id": lead[0], "lead_unit_name": lead[1],
        "co_unit_ids": [c[0] for c in co_units], "co_unit_names": [c[1] for c in co_units],
        "deadline_days": args.deadline_days, "assigned_on": today.isoformat(),
        "due": due.day.isoformat(), "due_missing_years": list(due.missing_years),
        "cycle": args.cycle, "cycle_days": args.cycle_days, "ack_days": args.ack_days,
        "acks": {}, "subtasks": [],
        "acknowledged_by": "", "acknowledged_by_name": "", "acknowledged_at": None,
        "last_report_on": None, "progress": 0, "reports": [], "extension": None,
        "extensions": [], "urges": [], "completion": None, "verdicts": [],
        "closed_by_name": "", "closed_at": None,
        "created_at": str((previous or {}).get("created_at") or iso(now)),
        "history": list((previous or {}).get("history") or []),
    }
    _log(item, "register", actor, actor_name, now, state)
    return item


def acknowledge(item: Mapping[str, Any] | None, args: AcknowledgeArgs, actor: ActorFacts,
                actor_name: str, now: dt.datetime) -> dict[str, Any]:
    """签收 by one unit: the lead unit's moves the item to 已签收; a co-unit's is its own
    (the state does not change). Each unit signs once; signing again is a conflict
    naming who signed and when."""
    new = _require(item)
    lead = str(new.get("lead_unit_id") or "")
    co = [str(c) for c in new.get("co_unit_ids") or ()]
    acks = units.acks_of(new)
    unit = args.unit_id or next(
        (u for u in (lead, *co) if u not in acks and policy.handles_for(actor, u)),
        next((u for u in (lead, *co) if policy.handles_for(actor, u)), lead))
    if unit not in (lead, *co) or not policy.handles_for(actor, unit):
        raise PermissionDenied("supervision.not_unit", unit=units.unit_name(new, unit),
                               **_words("acknowledge"))
    action = "acknowledge" if unit == lead else "acknowledge_co"
    state = _step(new, action)
    if unit in acks:
        done = acks[unit]
        raise Conflict("supervision.already_acknowledged", unit=units.unit_name(new, unit),
                       name=str(done.get("by_name") or ""), at=_local(done.get("at")))
    new["acks"] = {**acks, unit: {"at": iso(now), "by": actor.person_id, "by_name": actor_name,
                                  "note": args.note.strip()}}
    if unit == lead:
        new.update(acknowledged_by=actor.person_id, acknowledged_by_name=actor_name,
                   acknowledged_at=iso(now))
    note = args.note.strip()
    if unit != lead:
        note = units.unit_name(new, unit) + (f"：{note}" if note else "")
    _log(new, action, actor, actor_name, now, state, note)
    return new


def report(item: Mapping[str, Any] | None, args: ReportArgs, actor: ActorFacts,
           actor_name: str, now: dt.datetime) -> dict[str, Any]:
    """A progress report; the lead unit's resets the feedback cycle, a co-unit's is kept
    for its part (``unit_id`` names the unit reporting, the lead unit by default)."""
    new = _require(item)
    lead = str(new.get("lead_unit_id") or "")
    co = [str(c) for c in new.get("co_unit_ids") or ()]
    unit = args.unit_id or next((u for u in (lead, *co) if policy.handles_for(actor, u)), lead)
    if unit not in (lead, *co) or not policy.handles_for(actor, unit):
        names = dict(zip(co, new.get("co_unit_names") or (), strict=False))
        raise PermissionDenied("supervision.not_unit",
                                      unit=names.get(unit, str(new.get("lead_unit_name") or "")),
                                      **_words("report"))
    state = _step(new, "report")
    new.setdefault("reports", []).append({
        "at": iso(now), "by": actor.person_id, "by_name": actor_name, "unit_id": unit,
        "text": args.text, "progress": args.progress,
        "attachments": [a.model_dump(mode="json") for a in args.attachments]})
    if unit == lead:
        new["last_report_on"] = R.china_day(now).isoformat()
        if args.progress is not None:
            new["progress"] = args.progress
    _log(new, "report", actor, actor_name, now, state)
    return new


def request_extension(item: Mapping[str, Any] | None, args: RequestExtensionArgs,
                      actor: ActorFacts, actor_name: str, now: dt.datetime,
                      table: HolidayTable) -> dict[str, Any]:
    new = _require(item)
    _need_lead(actor, new, "request_extension")
    state = _step(new, "request_extension")
    due = R.deadline(new, table).day
    if R.china_day(now) > due:
        raise ValidationFailed("supervision.extension_too_late", due=due.isoformat())
    if dt.date.fromisoformat(args.new_due) <= due:
        raise ValidationFailed("supervision.extension_not_later", due=due.isoformat())
    new["extension"] = {"requested_by": actor.person_id, "requested_by_name": actor_name,
                        "requested_at": iso(now), "old_due": due.isoformat(),
                        "new_due": args.new_due, "reason": args.reason}
    _log(new, "request_extension", actor, actor_name, now, state, args.reason)
    return new


def decide_extension(item: Mapping[str, Any] | None, args: DecideExtensionArgs,
                     actor: ActorFacts, actor_name: str, now: dt.datetime,
                     table: HolidayTable) -> dict[str, Any]:
    """Approved: the deadline becomes the new date (the leader's, else the requested
    one). Refused: the old deadline stands. Either way the request joins the history."""
    new = _require(item)
    policy.require(policy.may_decide_extension(actor, str(new.get("leader_id") or "")),
                   "supervision.not_leader", leader=str(new.get("leader_name") or ""))
    state = _step(new, "decide_extension")
    request = dict(new.get("extension") or {})
    if args.approve:
        target = args.new_due or str(request.get("new_due") or "")
        if dt.date.fromisoformat(target) <= R.deadline(new, table).day:
            raise ValidationFailed("supervision.extension_not_later",
                                   due=R.deadline(new, table).day.isoformat())
        missing = R.deadline({"due": target}, table).missing_years
        new.update(due=target, deadline_days=None, due_missing_years=list(missing))
    request.update(approved=args.approve, decided_by=actor.person_id,
                   decided_by_name=actor_name, decided_at=iso(now), note=args.note.strip(),
                   granted_due=new["due"] if args.approve else None)
    new.setdefault("extensions", []).append(request)
    new["extension"] = None
    _log(new, "decide_extension", actor, actor_name, now, state,
         ("批准" if args.approve else "不予批准") + (f"：{args.note.strip()}" if args.note.strip() else ""))
    return new


def request_completion(item: Mapping[str, Any] | None, args: RequestCompletionArgs,
                       actor: ActorFacts, actor_name: str, now: dt.datetime) -> dict[str, Any]:
    new = _require(item)
    _need_lead(actor, new, "request_completion")
    state = _step(new, "request_completion")
    subtasks.require_all_closed(new)
    new["completion"] = {"by": actor.person_id, "by_name": actor_name, "at": iso(now),
                         "report": args.report}
    _log(new, "request_completion", actor, actor_name, now, state)
    return new


def verify(item: Mapping[str, Any] | None, args: VerifyArgs, actor: ActorFacts,
           actor_name: str, now: dt.datetime) -> dict[str, Any]:
    new = _require(item)
    _need_staff(actor, new, "verify")
    state = _step(new, "verify", accept=args.accept)
    if not args.accept and not args.reason.strip():
        raise ValidationFailed("supervision.reason_required")
    new.setdefault("verdicts", []).append({"at": iso(now), "by": actor.person_id,
                                           "by_name": actor_name, "accept": args.accept,
                                           "reason": args.reason})
    if args.accept:
        new.update(closed_by_name=actor_name, closed_at=iso(now), progress=100)
    _log(new, "verify", actor, actor_name, now, state, args.reason)
    return new


def urge(item: Mapping[str, Any] | None, args: UrgeArgs, actor: ActorFacts, actor_name: str,
         now: dt.datetime, table: HolidayTable | None = None,
         interval: dt.timedelta = URGE_INTERVAL) -> dict[str, Any]:
    """催办 one unit (the lead unit by default): at most once per ``interval`` for that
    unit (a refusal names who urged it, when, and when the next is allowed). The urge
    keeps what was overdue or missing then (``missing``, zh and en) for its 催办单."""
    from modules.supervision import lifecycle

    new = _require(item)
    _need_staff(actor, new, "urge")
    state = _step(new, "urge")
    unit = args.unit_id or str(new.get("lead_unit_id") or "")
    if unit not in lifecycle.urgeable_units(new):
        raise ValidationFailed("supervision.not_a_unit", unit=unit)
    urges = new.setdefault("urges", [])
    last = next((u for u in reversed(urges)
                 if str(u.get("unit_id") or new.get("lead_unit_id") or "") == unit), None)
    if last is not None:
        when = dt.datetime.fromisoformat(str(last["at"]).replace("Z", "+00:00"))
        if now - when < interval:
            raise Conflict("supervision.urged_recently", unit=units.unit_name(new, unit),
                           name=str(last.get("by_name") or ""), at=_local(last["at"]),
                           next=_local(iso(when + interval)),
                           hours=str(int(interval.total_seconds() // 3600)))
    zh, en = lifecycle.missing_lines(new, unit, now, table)
    urges.append({"at": iso(now), "by": actor.person_id, "by_name": actor_name,
                  "note": args.note.strip(), "n": len(urges) + 1, "unit_id": unit,
                  "unit_name": units.unit_name(new, unit), "missing": zh, "missing_en": en,
                  "due": str(new.get("due") or "")})
    note = units.unit_name(new, unit) + (f"：{args.note.strip()}" if args.note.strip() else "")
    _log(new, "urge", actor, actor_name, now, state, note)
    return new


def cancel(item: Mapping[str, Any] | None, args: CancelArgs, actor: ActorFacts,
           actor_name: str, now: dt.datetime) -> dict[str, Any]:
    new = _require(item)
    _need_staff(actor, new, "cancel")
    state = _step(new, "cancel")
    new.update(closed_by_name=actor_name, closed_at=iso(now))
    _log(new, "cancel", actor, actor_name, now, state, args.reason.strip())
    return new


# --------------------------------------------------------------------------- sources
# 转督办 from a leader's instruction on a document: args and rules in
# modules.supervision.sources; the server composes supervision.register with the link.

from modules.supervision import sources as _sources  # noqa: E402

FROM_INSTRUCTION = define("supervision.from_instruction", _sources.FromInstructionArgs,
                          offline=False,
                          summary="Turn a leader's instruction (批示) on a document into a 督办 "
                                  "item linked to it (督查室; once per instruction)")

# 中止, 销号 and the outgoing report: args and effects in modules.supervision.lifecycle.

from modules.supervision import lifecycle as _lifecycle  # noqa: E402

TERMINATE = define("supervision.terminate", _lifecycle.TerminateArgs, offline=False,
                   summary="Terminate an open item with a reason (中止, 督查室)")
STRIKE_OFF = define("supervision.strike_off", _lifecycle.StrikeOffArgs, offline=False,
                    summary="Strike a done item off the books (销号, 督查室), once")
DRAFT_REPORT = define("supervision.draft_report", _lifecycle.DraftReportArgs, offline=False,
                      summary="Start an outgoing 报告 or 情况通报 prefilled with a closed item's "
                              "history (督查室; once per item)")
