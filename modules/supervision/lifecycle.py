"""The end of a supervision item's life: 中止, 销号, the outgoing report — and what a 催办
names as overdue or missing. Pure, thread-safe, no I/O.

- ``supervision.terminate`` (中止, online): 督查室 staff stop an open item with a reason
  (circumstances changed; unlike 撤销 it was a real task). The item is closed
  (``TERMINATED``); a later step names who stopped it and when.
- ``supervision.strike_off`` (销号, online): 督查室 staff strike a done item off the
  books, once. The state stays ``DONE`` (the statistics count it as done);
  ``struck_off`` records who and when, and a second 销号 is a conflict naming them.
- ``supervision.draft_report`` (online): from a done or terminated item, 督查室 staff
  start an outgoing document — a 报告 (to the leader above) or a 情况通报 — in the
  documents module, prefilled with the item's history (:func:`report_spec`). The server
  composes the documents module's own ``documents.create_draft`` handler in the same
  transaction and links both ways (``report_document_id`` on the item; the document's
  ``source_id`` = the item). Why on the server: the draft must be made from the
  server's full record (every unit's reports, the extensions, the verdicts), the link
  written once, and asking twice must return the same draft — a client-built draft
  could be composed from a stale cache and would race a second device.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import Field

from modules.calendar.rules import HolidayTable
from modules.common import messages
from modules.common.access import ActorFacts
from modules.common.errors import Conflict
from modules.common.intents import IntentArgs
from modules.common.text import MANY_LINES, ONE_LINE
from modules.supervision import rules as R
from modules.supervision import subtasks, units

ITEM_ID = r"^sv-[0-9a-z-]{4,36}$"
DOC_ID = r"^d-[0-9a-f]{12}$"

messages.register({
    "supervision.not_a_unit": {
        "zh_CN": "该单位（{unit}）不是本督办事项的承办单位，不能对其催办。",
        "en": "That unit ({unit}) does not handle this item; it cannot be urged.",
    },
    "supervision.already_struck_off": {
        "zh_CN": "该督办事项已由{name}于{at}销号。",
        "en": "{name} already struck this item off at {at}.",
    },
})

ReportKind = Literal["report", "bulletin"]
#: report kind -> (document type, title words zh, en)
REPORT_KINDS: dict[str, tuple[str, str, str]] = {
    "report": ("报告", "办理情况的报告", "report"),
    "bulletin": ("通报", "办理情况的通报", "bulletin"),
}


class TerminateArgs(IntentArgs):
    item_id: str = Field(pattern=ITEM_ID)
    reason: Annotated[str, Field(min_length=1, max_length=300), ONE_LINE]


class StrikeOffArgs(IntentArgs):
    item_id: str = Field(pattern=ITEM_ID)
    note: Annotated[str, Field(max_length=300), ONE_LINE] = ""


class DraftReportArgs(IntentArgs):
    item_id: str = Field(pattern=ITEM_ID)
    #: The new draft's id (made by the client, like documents.create_draft's).
    document_id: str = Field(pattern=DOC_ID)
    kind: ReportKind = "report"
    note: Annotated[str, Field(max_length=500), MANY_LINES] = ""


# --------------------------------------------------------------------------- 催办


def urgeable_units(item: Mapping[str, Any]) -> list[str]:
    """The units a 催办 may name: the lead, the co-units and the open sub-tasks' units."""
    subs = [str(s["unit_id"]) for s in subtasks.open_subtasks(item) if s.get("unit_id")]
    return list(dict.fromkeys([*units.unit_ids(item), *subs]))


def _md(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


def missing_lines(item: Mapping[str, Any], unit_id: str, now: dt.datetime,
                  table: HolidayTable | None) -> tuple[list[str], list[str]]:
    """What is overdue or missing from ``unit_id`` now, in zh and en: its 签收, the
    item's deadline and feedback (the lead unit), its own feedback (a co-unit), its
    open sub-tasks. Without a calendar only what needs none."""
    zh: list[str] = []
    en: list[str] = []
    today = R.china_day(now)
    lead = unit_id == item.get("lead_unit_id")
    co = unit_id in [str(c) for c in item.get("co_unit_ids") or ()]
    if (lead or co) and unit_id not in units.acks_of(item):
        due = units.ack_due(item, table) if table is not None else None
        if due is not None and today > due.day:
            zh.append(f"尚未签收（应于{_md(due.day)}前签收）")
            en.append(f"not acknowledged (due by {due.day.isoformat()})")
        else:
            zh.append("尚未签收")
            en.append("not acknowledged yet")
    if lead and table is not None and item.get("state") != R.ASSIGNED:
        found = R.light(item, today, table)
        if found.colour != R.GREEN:
            zh.append(found.zh)
            en.append(found.en)
    if co and not any(r.get("unit_id") == unit_id for r in item.get("reports") or ()):
        zh.append("协办部分尚无反馈")
        en.append("no report on its part yet")
    for sub in subtasks.open_subtasks(item):
        if sub.get("unit_id") != unit_id:
            continue
        late = str(sub.get("due") or "") < today.isoformat()
        sub_due = _md(dt.date.fromisoformat(str(sub["due"]))) if sub.get("due") else ""
        zh.append(f"分解任务“{sub.get('title', '')}”未完成（时限{sub_due}"
                  f"{'，已逾期' if late else ''}）")
        en.append(f"sub-task \u201c{sub.get('title', '')}\u201d not finished (due {sub.get('due', '')}"
                  f"{', overdue' if late else ''})")
    if not zh:
        zh.append("请按办结时限推进并及时反馈")
        en.append("keep to the deadline and report on time")
    return zh, en


# --------------------------------------------------------------------------- effects


def _effects() -> Any:
    from modules.supervision import intents

    return intents


def terminate(item: Mapping[str, Any] | None, args: TerminateArgs, actor: ActorFacts,
              actor_name: str, now: dt.datetime) -> dict[str, Any]:
    """中止: staff close an open item with a reason; it names who and when afterwards."""
    E = _effects()
    new: dict[str, Any] = E._require(item)
    E._need_staff(actor, new, "terminate")
    state = E._step(new, "terminate")
    new.update(closed_by_name=actor_name, closed_at=E.iso(now),
               termination={"by": actor.person_id, "by_name": actor_name, "at": E.iso(now),
                            "reason": args.reason.strip()})
    E._log(new, "terminate", actor, actor_name, now, state, args.reason.strip())
    return new


def strike_off(item: Mapping[str, Any] | None, args: StrikeOffArgs, actor: ActorFacts,
               actor_name: str, now: dt.datetime) -> dict[str, Any]:
    """销号 of a done item, once (the state stays DONE)."""
    E = _effects()
    new: dict[str, Any] = E._require(item)
    E._need_staff(actor, new, "strike_off")
    state = E._step(new, "strike_off")
    done = new.get("struck_off")
    if done:
        raise Conflict("supervision.already_struck_off", name=str(done.get("by_name") or ""),
                       at=E._local(done.get("at")))
    new["struck_off"] = {"by": actor.person_id, "by_name": actor_name, "at": E.iso(now),
                         "note": args.note.strip()}
    E._log(new, "strike_off", actor, actor_name, now, state, args.note.strip())
    return new


def check_draft_report(item: Mapping[str, Any] | None, actor: ActorFacts) -> dict[str, Any]:
    """The item, or the refusal: staff only, a done or terminated item."""
    E = _effects()
    new: dict[str, Any] = E._require(item)
    E._need_staff(actor, new, "draft_report")
    R.next_state(str(new.get("state") or ""), "draft_report")
    return new


def with_report(item: Mapping[str, Any], args: DraftReportArgs, actor: ActorFacts,
                actor_name: str, now: dt.datetime) -> dict[str, Any]:
    """The item linked to its new report draft, the step in its history."""
    E = _effects()
    new: dict[str, Any] = E._require(item)
    new["report_document_id"] = args.document_id
    new["report_kind"] = args.kind
    E._log(new, "draft_report", actor, actor_name, now, str(new["state"]),
           REPORT_KINDS[args.kind][0])
    return new


# --------------------------------------------------------------------------- the report


def _day(stamp: object) -> str:
    if not stamp:
        return ""
    when = dt.datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
    day = when.astimezone(R.CHINA).date()
    return f"{day.year}年{day.month}月{day.day}日"


def history_lines(item: Mapping[str, Any]) -> list[str]:
    """The item's course in sentences, oldest first: 交办, each 签收, each 反馈 (with its
    unit), 催办, 延期 (asked and decided), 办结 and its 审核, 中止."""
    lines: list[str] = []
    for h in item.get("history") or ():
        action = str(h.get("action") or "")
        if action in ("recompute", "draft_report"):
            continue
        words = R.ACTION_WORDS.get(action, (action, action))[0]
        if action == "acknowledge_co":
            words = "协办签收"
        note = str(h.get("note") or "").strip()
        who = str(h.get("by_name") or "")
        lines.append(f"{_day(h.get('at'))}，{who}{words}" + (f"：{note}" if note else "") + "。")
    return lines


def report_spec(item: Mapping[str, Any], kind: str, note: str = "") -> dict[str, Any]:
    """The prefilled spec (the documents module's spec shape) of the outgoing 报告 or
    情况通报 on ``item``: title, the organ as issuer, and a body telling what was asked,
    who led it, the deadline, the course (:func:`history_lines`) and the outcome."""
    doc_type, title_words, _ = REPORT_KINDS[kind]
    organ = str(item.get("body_name") or "")
    title = f"关于{item.get('title', '')}{title_words}"[:200]
    body: list[dict[str, Any]] = []

    def para(text: str, level: int = 0) -> None:
        body.append({"text": text, "level": level})

    number = str(item.get("number") or "")
    para(f"{number}督办事项“{item.get('title', '')}”由{item.get('lead_unit_name') or ''}牵头办理"
         + (f"，{'、'.join(item.get('co_unit_names') or ())}协办" if item.get("co_unit_names") else "")
         + f"，办结时限为{item.get('due') or ''}。现将办理情况{'报告' if kind == 'report' else '通报'}如下。")
    para("一、督办要求", 1)
    para(str(item.get("content") or item.get("title") or ""))
    para("二、办理过程", 1)
    for line in history_lines(item):
        para(line)
    para("三、办理结果", 1)
    completion = item.get("completion") or {}
    if item.get("state") == R.TERMINATED:
        stop = item.get("termination") or {}
        para(f"该事项已于{_day(stop.get('at'))}中止，理由：{stop.get('reason', '')}。")
    elif completion.get("report"):
        para(str(completion["report"]))
    if item.get("extensions"):
        granted = [e for e in item["extensions"] if e.get("approved")]
        para(f"办理期间申请延期{len(item['extensions'])}次，批准{len(granted)}次。")
    if note.strip():
        para(note.strip())
    return {"doc_type": doc_type, "title": title, "issuer_mark": f"{organ}文件"[:60],
            "body": body, "signature": organ}
